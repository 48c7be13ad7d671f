"""``pattern``: regular expressions over each block's text (Vale's existence/substitution).

Options: ``patterns`` (list of regexes; ``{{list}}`` expands a data list), ``ignorecase``,
``group`` (the group whose span is reported; default the whole match), ``exceptions``
(regexes: a hit inside one of their matches is dropped, e.g. a spaced ellipsis), ``replace``
(a fix: the reported span becomes this template, with ``\\g<name>`` references), ``lists``.
"""
from __future__ import annotations

from .base import Hit, Kind, compile_regex


class Pattern(Kind):
    OPTIONS = {"patterns": list, "ignorecase": bool, "group": (str, int), "exceptions": list,
               "replace": str, "lists": dict}
    REQUIRED = ("patterns",)

    def setup(self, data):
        ic = data.get("ignorecase", False)
        self.regexes = [compile_regex(self.expand(p), ic) for p in data["patterns"]]
        self.exceptions = [compile_regex(self.expand(p), ic) for p in data.get("exceptions", [])]
        self.group = data.get("group", 0)
        self.replace = data.get("replace")

    def check(self, doc, blocks):
        for block in blocks:
            text = block.text
            excepted = None
            for rx in self.regexes:
                for m in rx.finditer(text):
                    try:
                        s, e = m.span(self.group)
                    except IndexError:
                        raise ValueError(f"{self.meta.code}: pattern has no group {self.group!r}") from None
                    if s < 0:
                        continue
                    if self.exceptions:
                        if excepted is None:
                            excepted = [x.span() for ex in self.exceptions for x in ex.finditer(text)]
                        if any(a <= s and e <= b for a, b in excepted):
                            continue
                    edits = None
                    if self.replace is not None:
                        edits = [(s, e, m.expand(self.replace))]
                    yield Hit(block, s, e, {"match": text[s:e]}, edits)
