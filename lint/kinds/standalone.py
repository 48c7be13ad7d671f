"""``standalone``: short lines that are wholly interface or scraper text.

A block of at most ``max_words`` words is split into sentences; every sentence whose
normalised form is in the lexicon (``lists``), or that one of ``patterns`` matches whole, is
reported. Leftover UI is a line of its own; the same words inside a sentence are prose.
"""
from __future__ import annotations

from ..document.sentences import sentences
from .base import Hit, Kind, compile_regex, normalise


class Standalone(Kind):
    OPTIONS = {"lists": dict, "patterns": list, "max_words": int, "whole_block": bool,
               "ignorecase": bool}

    def setup(self, data):
        self.lexicon = {normalise(e) for entries in self.lists.values() for e in entries}
        ic = data.get("ignorecase", True)
        self.patterns = [compile_regex(self.expand(p), ic) for p in data.get("patterns", [])]
        # one alternation, tried in C, instead of a Python loop over the patterns (fullmatch
        # backtracks into every branch, so the result is the same); patterns that cannot be
        # combined (repeated group names, global inline flags) stay a list
        if len(self.patterns) > 1:
            try:
                self.patterns = [compile_regex("|".join(f"(?:{p.pattern})" for p in self.patterns), ic)]
            except ValueError:
                pass
        self.max_words = data.get("max_words", 12)
        self.whole_block = data.get("whole_block", False)
        if not self.lexicon and not self.patterns:
            raise ValueError("a standalone rule needs 'lists' or 'patterns'")

    def matches(self, text: str) -> bool:
        if normalise(text) in self.lexicon:
            return True
        stripped = text.strip()
        return any(p.fullmatch(stripped) for p in self.patterns)

    def check(self, doc, blocks):
        for block in blocks:
            if len(block.text.split()) > self.max_words:
                continue
            spans = [(0, len(block.text))] if self.whole_block else sentences(block.text)
            for s, e in spans:
                seg = block.text[s:e]
                if self.matches(seg):
                    yield Hit(block, s, e, {"match": seg}, edits=[(s, e, "")])
