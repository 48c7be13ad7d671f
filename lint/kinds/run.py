"""``run``: the run of short, headline-like blocks that follows a header block.

Related-article widgets print a header ("You may also like", "More:", "Popular on …") and then
a list of headlines, one per line. The headlines themselves look like any short line, so they
are only reported when they follow a header: a block matched whole by the header lexicon
(``lists``, compared normalised) or by one of ``patterns``. From the next block on, every
block that looks like a headline is reported, until the first one that does not (a real
paragraph ends the run).

A headline-like block has ``min_words`` to ``max_words`` words, starts with a capital, a digit,
a quotation mark or a symbol (emoji), and does not end like a sentence or a lead-in (a final
period, colon, semicolon or comma; "?" and "!" are allowed, headlines ask questions). At most
``max_items`` blocks are reported after one header. A block that is itself a header starts a
new run. ``header_max_words`` bounds the header line. Table cells are neither headers nor
headlines, and end a run.
"""
from __future__ import annotations

import re

from .. import regex
from .base import Hit, Kind, compile_regex, normalise

# compiled in setup(), so that they are stored with the rule (lint.rulecache)
_END = r"[.,;:…]\s*$|\.[\"'”’)\]]\s*$"
_START = r"[^\W\da-z_]|\d|[\"'“‘«]|[^\w\s]"


class Run(Kind):
    OPTIONS = {"lists": dict, "patterns": list, "ignorecase": bool, "max_words": int,
               "min_words": int, "max_items": int, "header_max_words": int}

    def setup(self, data):
        self.lexicon = {normalise(e) for entries in self.lists.values() for e in entries}
        ic = data.get("ignorecase", True)
        self.patterns = [compile_regex(self.expand(p), ic) for p in data.get("patterns", [])]
        if not self.lexicon and not self.patterns:
            raise ValueError("a run rule needs header 'lists' or 'patterns'")
        self.max_words = data.get("max_words", 18)
        self.min_words = data.get("min_words", 2)
        self.max_items = data.get("max_items", 10)
        self.header_max_words = data.get("header_max_words", 8)
        self._end, self._start = regex.compile(_END), regex.compile(_START, re.UNICODE)

    def is_header(self, text: str, n_words: int | None = None) -> bool:
        """``n_words``: ``len(text.split())`` when the caller has it (Block.n_words)."""
        if (len(text.split()) if n_words is None else n_words) > self.header_max_words:
            return False
        if normalise(text) in self.lexicon:
            return True
        stripped = text.strip()
        return any(p.fullmatch(stripped) for p in self.patterns)

    def is_item(self, text: str) -> bool:
        text = text.strip()
        n = len(text.split())
        if n < self.min_words or n > self.max_words:
            return False
        if self._end.search(text):
            return False
        return bool(self._start.match(text))

    def check(self, doc, blocks):
        items = -1  # -1: not inside a run
        prev = None
        for block in blocks:
            text = block.text
            if prev is not None and block.index != prev + 1:
                items = -1  # a block of another zone came between: the run is broken
            prev = block.index
            if block.kind.startswith("table"):
                items = -1
                continue
            if self.is_header(text, block.n_words):
                items = 0
                continue
            if items < 0:
                continue
            if items < self.max_items and self.is_item(text):
                items += 1
                s = len(text) - len(text.lstrip())
                e = len(text.rstrip())
                yield Hit(block, s, e, {"match": text[s:e]}, edits=[(s, e, "")])
                continue
            items = -1
