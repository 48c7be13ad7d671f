"""``edge``: a ``standalone`` line that is only interface text where pages put it: at the top.

Page furniture such as "Updated 1:39 am EST, Wednesday, November 20, 2019" sits between the
headline and the first paragraph, or at the very end. The same line in the middle of a
document usually separates the items of a news digest, where it belongs to the text. So a
line is compared (exactly as ``standalone`` does: ``lists``, ``patterns``, ``max_words``,
``whole_block``) only in the first ``head`` blocks of the document or in its ``tail`` zone
(the run of short blocks after the last full paragraph). Table cells are never compared: a
one-word cell ("Share", "Contact") is data, not a leftover label.
"""
from __future__ import annotations

from .standalone import Standalone


class Edge(Standalone):
    OPTIONS = {**Standalone.OPTIONS, "head": int}

    def setup(self, data):
        super().setup(data)
        self.head = data.get("head", 4)

    def compared(self, doc, blocks):
        """The edge blocks: made once per document for the edge rules of the same ``head``
        (the linter passes the rules of the same zones the same list)."""
        key = ("edge", self.head)
        hit = doc.memo.get(key)
        if hit is None or hit[0] is not blocks:
            head = self.head
            hit = doc.memo[key] = (blocks, [b for b in blocks if (b.index < head or b.zone == "tail")
                                            and not b.kind.startswith("table")])
        return hit[1]
