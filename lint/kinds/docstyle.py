"""``docstyle``: a ``docpattern`` for a habit that is only a fault where the article never shows
the other style.

"3000 square meters" is one house style and "3,000 square meters" another; an article that
groups one large number and not the next is a consistency question, but an article that
groups none of its several large numbers has copied a source's bare digits. All
``docpattern`` options apply, plus:

``absent`` (list of regexes, ``{{list}}`` allowed, required): report nothing in a document in
which any of them matches in the rule's blocks (the other style is present).
``defer_to`` (a file name of a ``docpattern`` rule in the same folder): what that rule reports
in the document is left to it, so one number is never reported twice by two rules.
"""
from __future__ import annotations

from types import SimpleNamespace

from ..packs import load_yaml
from ..regex import gate
from .base import compile_regex
from .docpattern import DocPattern


class DocStyle(DocPattern):
    OPTIONS = {**DocPattern.OPTIONS, "absent": list, "defer_to": str}

    def setup(self, data):
        super().setup(data)
        ic = data.get("ignorecase", False)
        self.absent = [compile_regex(self.expand(p), ic) for p in data.get("absent", [])]
        if not self.absent:
            raise ValueError("a docstyle rule needs 'absent' (the other style's patterns)")
        self.defer = None
        if "defer_to" in data:
            other = self.path.parent / data["defer_to"]
            if other.parent != self.path.parent or not other.is_file():
                raise ValueError(f"defer_to: no rule file {data['defer_to']!r} beside this one")
            spec = load_yaml(other)
            if not isinstance(spec, dict) or spec.get("kind") != "docpattern":
                raise ValueError(f"defer_to: {data['defer_to']!r} is not a docpattern rule")
            self.defer = DocPattern(SimpleNamespace(code=spec.get("code", "")), other, spec)

    @gate.opens_with_gated_out  # nothing without the hits of Pattern.check, which opens with it
    def check(self, doc, blocks):
        hits = list(super().check(doc, blocks))
        if not hits or any(rx.search(block.text) for block in blocks for rx in self.absent):
            return
        if self.defer is not None:
            theirs = [(h.block, h.start, h.end) for h in self.defer.check(doc, blocks)]
            hits = [h for h in hits
                    if not any(b is h.block and s < h.end and h.start < e for b, s, e in theirs)]
        yield from hits
