"""``script``: sentences written mostly in another script than the document (left untranslated).

A sentence is reported when at least ``min_letters`` (default 12) of its letters are outside
the Latin script, those letters make up at least ``min_share`` (default 0.6) of its letters,
and the document as a whole is mostly Latin (``document_share``, default 0.8, of its letters).
Han, kana and Hangul characters count ``cjk_weight`` (default 2) letters each, since one
character carries a word. Names and short phrases in another script inside an English
sentence ("the site стопкоронавирус.рф reports") stay below the share and are not reported.
The hit's ``script`` variable names the script (CYRILLIC, CJK, ARABIC, GREEK, …).
"""
from __future__ import annotations

import unicodedata
from collections import Counter

from ..document.sentences import sentences
from .base import Hit, Kind, compile_regex

# compiled in setup(), so that they are stored with the rule (lint.rulecache): the large
# character classes cost milliseconds in Python's regex compiler on every run otherwise
_LATIN = r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]"
_NONLATIN = r"[^\W\d_A-Za-z\u00C0-\u024F\u1E00-\u1EFF]"
_CJK_END = r"(?<=[。！？])\s*"
_CJK = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"


class Script(Kind):
    OPTIONS = {"min_letters": int, "min_share": (int, float), "document_share": (int, float),
               "cjk_weight": int, "lists": dict}

    def setup(self, data):
        self.min_letters = data.get("min_letters", 12)
        self.min_share = float(data.get("min_share", 0.6))
        self.doc_share = float(data.get("document_share", 0.8))
        self.cjk_weight = data.get("cjk_weight", 2)
        self._latin, self._nonlatin = compile_regex(_LATIN), compile_regex(_NONLATIN)
        self._cjk_end, self._cjk = compile_regex(_CJK_END), compile_regex(_CJK)

    def _count(self, text: str) -> tuple[int, int]:
        latin = len(self._latin.findall(text))
        foreign = self._nonlatin.findall(text)
        cjk = sum(1 for c in foreign if self._cjk.match(c))
        return latin, len(foreign) + cjk * (self.cjk_weight - 1)

    def _sentences(self, text: str):
        """The engine's sentences, also split after CJK full stops (。！？)."""
        for s, e in sentences(text):
            start = s
            for m in self._cjk_end.finditer(text, s, e):
                if m.start() > start and m.start() < e:
                    yield start, m.start()
                    start = m.end()
            if start < e:
                yield start, e

    def check(self, doc, blocks):
        # a letter outside the Latin script is not ASCII: an ASCII block (str.isascii is a flag
        # of the string, no scan) needs no search
        nonlatin = self._nonlatin.search
        candidates = [b for b in blocks if not b.text.isascii() and nonlatin(b.text)]
        if not candidates:
            return
        latin = foreign = 0
        for b in doc.blocks:
            la, fo = self._count(b.text)
            latin += la
            foreign += fo
        if latin + foreign == 0 or latin / (latin + foreign) < self.doc_share:
            return
        for block in candidates:
            text = block.text
            for s, e in self._sentences(text):
                sent = text[s:e]
                la, fo = self._count(sent)
                if fo < self.min_letters or fo / (la + fo) < self.min_share:
                    continue
                scripts = Counter(unicodedata.name(c, "?").split(" ")[0] for c in self._nonlatin.findall(sent))
                yield Hit(block, s, e, {"match": sent, "script": scripts.most_common(1)[0][0]})
