"""``docstyle``: a ``docpattern`` for a habit that is only a fault where the article never shows
the other style.

"3000 square meters" is one house style and "3,000 square meters" another; an article that
groups one large number and not the next is a consistency question, but an article that
groups none of its several large numbers has copied a source's bare digits. All
``docpattern`` options apply, plus:

``absent`` (list of regexes, ``{{list}}`` allowed, required): report nothing in a document in
which any of them matches in the rule's blocks (the other style is present).
"""
from __future__ import annotations

from .base import compile_regex
from .docpattern import DocPattern


class DocStyle(DocPattern):
    OPTIONS = {**DocPattern.OPTIONS, "absent": list}

    def setup(self, data):
        super().setup(data)
        ic = data.get("ignorecase", False)
        self.absent = [compile_regex(self.expand(p), ic) for p in data.get("absent", [])]
        if not self.absent:
            raise ValueError("a docstyle rule needs 'absent' (the other style's patterns)")

    def check(self, doc, blocks):
        hits = list(super().check(doc, blocks))
        if not hits or any(rx.search(block.text) for block in blocks for rx in self.absent):
            return
        yield from hits
