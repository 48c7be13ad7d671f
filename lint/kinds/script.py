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

import re
import unicodedata
from collections import Counter

from ..document.sentences import sentences
from .base import Hit, Kind

_LETTER = re.compile(r"[^\W\d_]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")
_NONLATIN = re.compile(r"[^\W\d_A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")
_CJK_END = re.compile(r"(?<=[。！？])\s*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


class Script(Kind):
    OPTIONS = {"min_letters": int, "min_share": (int, float), "document_share": (int, float),
               "cjk_weight": int, "lists": dict}

    def setup(self, data):
        self.min_letters = data.get("min_letters", 12)
        self.min_share = float(data.get("min_share", 0.6))
        self.doc_share = float(data.get("document_share", 0.8))
        self.cjk_weight = data.get("cjk_weight", 2)

    def _count(self, text: str) -> tuple[int, int]:
        latin = len(_LATIN.findall(text))
        foreign = _NONLATIN.findall(text)
        cjk = sum(1 for c in foreign if _CJK.match(c))
        return latin, len(foreign) + cjk * (self.cjk_weight - 1)

    @staticmethod
    def _sentences(text: str):
        """The engine's sentences, also split after CJK full stops (。！？)."""
        for s, e in sentences(text):
            start = s
            for m in _CJK_END.finditer(text, s, e):
                if m.start() > start and m.start() < e:
                    yield start, m.start()
                    start = m.end()
            if start < e:
                yield start, e

    def check(self, doc, blocks):
        candidates = [b for b in blocks if _NONLATIN.search(b.text)]
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
                scripts = Counter(unicodedata.name(c, "?").split(" ")[0] for c in _NONLATIN.findall(sent))
                yield Hit(block, s, e, {"match": sent, "script": scripts.most_common(1)[0][0]})
