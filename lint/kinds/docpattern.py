"""``docpattern``: a ``pattern`` whose hits count only with document-level evidence.

Some artifacts are only artifacts in context: a detached quotation mark once in an article is
a typo, a dozen is a tokenising pipeline; "4404" is only inconsistent in an article that
writes "1,250"; a spaced hyphen is only the odd dash out in an article that uses em dashes.
All ``pattern`` options apply, plus:

``min_hits`` (default 1): report nothing unless the document has at least this many hits;
``max_hits`` (default none): nor when it has more (a rule for the lone case beside one for the
systematic case, so that the two never report the same span).
``evidence`` (list of regexes, ``{{list}}`` allowed): counted over the same blocks; the
document needs at least ``min_evidence`` (default 1) matches. ``evidence_exceeds_hits``
(default false): the evidence must also outnumber the hits (the other style is the majority).
``distinct_evidence`` (default false): count distinct matched strings, not matches (one number
repeated in a headline and its lead is one habit shown once, not twice).
"""
from __future__ import annotations

from .. import literals
from ..regex import gate
from .base import compile_regex
from . import joined
from .pattern import Pattern


class DocPattern(Pattern):
    OPTIONS = {**Pattern.OPTIONS, "min_hits": int, "max_hits": int, "evidence": list, "min_evidence": int,
               "evidence_exceeds_hits": bool, "distinct_evidence": bool}

    def setup(self, data):
        super().setup(data)
        ic = data.get("ignorecase", False)
        self.min_hits = data.get("min_hits", 1)
        self.max_hits = data.get("max_hits")
        self.evidence = [compile_regex(self.expand(p), ic) for p in data.get("evidence", [])]
        self.min_evidence = data.get("min_evidence", 1) if self.evidence else 0
        self.exceeds = data.get("evidence_exceeds_hits", False)
        self.distinct = data.get("distinct_evidence", False)
        self.evidence_twins = joined.Twins(self.evidence)
        # a document without the evidence's literal strings cannot reach the evidence it needs
        # (at least one match): the rule is not tried there at all
        evidence = literals.for_patterns(self.evidence)[0] if self.evidence else None
        if evidence is not None and (self.min_evidence >= 1 or self.exceeds):
            self.requires += (evidence,)

    def _evidence(self, doc, blocks) -> int:
        """The evidence count (matches, or distinct matched strings): one pass per pattern over
        the joined view, or block by block when it cannot be used (lint.kinds.joined)."""
        found = None
        view = self.evidence_twins.view(doc, blocks)
        if view is not None:
            found = []
            try:
                for vrx in self.evidence_twins.regexes:
                    for m in vrx.finditer(view.text):
                        view.locate(*m.span())
                        found.append(m.group(0))
            except joined.Crossed:
                found = None
        if found is None:
            found = [m.group(0) for block in blocks for rx in self.evidence for m in rx.finditer(block.text)]
        return len(set(found)) if self.distinct else len(found)

    @gate.opens_with_gated_out  # nothing without the hits of Pattern.check, which opens with it
    def check(self, doc, blocks):
        hits = list(super().check(doc, blocks))
        if not hits or len(hits) < self.min_hits or (self.max_hits is not None and len(hits) > self.max_hits):
            return
        if self.evidence:
            need = max(self.min_evidence, len(hits) + 1 if self.exceeds else 0)
            if self._evidence(doc, blocks) < need:
                return
        yield from hits
