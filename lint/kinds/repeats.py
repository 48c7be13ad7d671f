"""``repeats``: a rule that lives at run level (UI025 ``repeated-line``).

The evidence is how many documents of a run hold a line (lint.crossdoc), which no single
document can show, so the per-document check finds nothing. The rule file is still a rule like
the others: its code, name, category, severity, why and examples make ``--select``,
``--ignore``, ``copydesk rules`` and ``copydesk explain`` work, and the run-level pass
(``copydesk corpus``, the folder runs of ``check``) asks the selected rules whether the rule is
on and at what severity. Options (all optional) override the module defaults of lint.crossdoc:
``min_docs``, ``min_share``.
"""
from __future__ import annotations

from .base import Kind


class Repeats(Kind):
    OPTIONS = {"min_docs": int, "min_share": (int, float)}
    #: found by the run, not by the per-document check (its fail examples are checked by
    #: tests/test_crossdoc.py, placed in several documents of a run)
    RUN_LEVEL = True

    def setup(self, data):
        from .. import crossdoc

        self.min_docs = data.get("min_docs", crossdoc.MIN_DOCS)
        self.min_share = float(data.get("min_share", crossdoc.MIN_SHARE))
        if self.min_docs < 2:
            raise ValueError("'min_docs' must be at least 2 (a line of one document is no evidence)")
        if not 0.0 <= self.min_share <= 1.0:
            raise ValueError("'min_share' must be between 0 and 1")

    def check(self, doc, blocks):
        return iter(())
