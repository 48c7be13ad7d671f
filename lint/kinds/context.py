"""``context``: a ``pattern`` hit that only counts next to (or away from) certain blocks.

Some leftovers look like ordinary lines on their own and are told apart by their neighbours:
a byline is normal at the top of an article, but a byline beside a web timestamp
("Updated 4:12 pm EST") is page furniture; a one-sentence line is prose, but the line right
after a video player's "Duration: 38 seconds" is the video's caption; a paragraph that is
wholly a quotation is fine when the next paragraph says who said it.

Options: ``patterns`` (regexes over each block's text, ``{{list}}`` expands a data list),
``group``, ``ignorecase``, ``exceptions`` and ``lists`` as in ``pattern``; ``max_words``
(blocks with more words are skipped); the context: ``near`` (regexes searched in the
``window`` blocks on either side), ``before`` (only in the preceding blocks), ``after`` (only
in the following blocks), ``include_self`` (``near`` is also searched in the block itself),
``context_ignorecase`` (default true); ``require``: ``any`` (default: report only when some
context pattern matches) or ``none`` (report only when none does); ``min_near`` (default 1):
how many neighbouring blocks must match (a run of three share-bar labels: each label has two
matching blocks within a window of two). Neighbours are the document's blocks in order,
whatever their zone.
"""
from __future__ import annotations

from .. import literals
from ..regex import gate
from .base import compile_regex
from .pattern import Pattern


class Context(Pattern):
    OPTIONS = {**Pattern.OPTIONS, "max_words": int, "near": list, "before": list,
               "after": list, "window": int, "include_self": bool, "context_ignorecase": bool,
               "require": str, "min_near": int}
    REQUIRED = ("patterns",)

    def setup(self, data):
        super().setup(data)  # patterns, exceptions, group, replace
        self.max_words = data.get("max_words")
        cic = data.get("context_ignorecase", True)
        self.near = [compile_regex(self.expand(p), cic) for p in data.get("near", [])]
        self.before = [compile_regex(self.expand(p), cic) for p in data.get("before", [])]
        self.after = [compile_regex(self.expand(p), cic) for p in data.get("after", [])]
        if not (self.near or self.before or self.after):
            raise ValueError("a context rule needs 'near', 'before' or 'after'")
        self.window = data.get("window", 1)
        if self.window < 1:
            raise ValueError("'window' must be at least 1")
        self.include_self = data.get("include_self", False)
        self.min_near = data.get("min_near", 1)
        if self.min_near < 1:
            raise ValueError("'min_near' must be at least 1")
        self.require = data.get("require", "any")
        if self.require not in ("any", "none"):
            raise ValueError("'require' must be 'any' or 'none'")
        # a hit needs some context pattern to match somewhere in the document: one without
        # their literal strings (lint.literals) is not tried at all
        context = literals.for_patterns(self.near + self.before + self.after)[0]
        if self.require == "any" and context is not None:
            self.requires += (context,)

    def _context(self, doc, block) -> bool:
        """Does any context pattern match around ``block``?"""
        i = block.index
        all_blocks = doc.blocks
        prev = [b.text for b in all_blocks[max(0, i - self.window):i]]
        nxt = [b.text for b in all_blocks[i + 1:i + 1 + self.window]]
        if self.include_self and any(rx.search(block.text) for rx in self.near):
            return True
        found = 0  # neighbouring blocks that match (each counted once)
        for texts, regexes in ((prev, self.near + self.before), (nxt, self.near + self.after)):
            if regexes:
                found += sum(1 for t in texts if any(rx.search(t) for rx in regexes))
                if found >= self.min_near:
                    return True
        return False

    @gate.opens_with_gated_out
    def check(self, doc, blocks):
        if self.gated_out(doc):
            return
        active = self.active(doc)
        if not active:
            return
        for block in blocks:
            if self.max_words is not None and block.n_words > self.max_words:
                continue
            context = None
            for hit in self.block_hits(block, active):
                if context is None:
                    context = self._context(doc, block)
                if context != (self.require == "any"):
                    break  # the context is the block's: no hit of this block can pass
                yield hit
