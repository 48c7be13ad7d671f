"""``balance``: brackets that are opened and never closed, or closed and never opened, within a block.

Options: ``pairs`` (list of two-character strings, e.g. ``["()", "[]"]``); ``ignore`` (regexes:
a stray closing mark inside one of their matches is not reported, e.g. list enumerators "a)"
or emoticons ":)"). Brackets are matched with a stack, so nesting is handled; a closing mark
of the wrong kind counts as stray. Each unmatched mark is one hit.
"""
from __future__ import annotations

from .base import Hit, Kind, compile_regex


class Balance(Kind):
    OPTIONS = {"pairs": list, "ignore": list, "lists": dict}
    REQUIRED = ("pairs",)

    def setup(self, data):
        pairs = data["pairs"]
        if not pairs or not all(isinstance(p, str) and len(p) == 2 for p in pairs):
            raise ValueError("'pairs' must be a list of two-character strings such as '()'")
        self.opening = {p[0]: p[1] for p in pairs}
        self.closing = {p[1]: p[0] for p in pairs}
        self.chars = set(self.opening) | set(self.closing)
        self.ignore = [compile_regex(self.expand(p)) for p in data.get("ignore", [])]

    def check(self, doc, blocks):
        for block in blocks:
            text = block.text
            if not any(c in text for c in self.chars):
                continue
            stack, stray = [], []
            for i, ch in enumerate(text):
                if ch in self.opening:
                    stack.append(i)
                elif ch in self.closing:
                    if stack and text[stack[-1]] == self.closing[ch]:
                        stack.pop()
                    else:
                        stray.append(i)
            if stray and self.ignore:
                spans = [m.span() for rx in self.ignore for m in rx.finditer(text)]
                stray = [i for i in stray if not any(a <= i < b for a, b in spans)]
            for i in sorted(stack + stray):
                yield Hit(block, i, i + 1, {"match": text[i]})
