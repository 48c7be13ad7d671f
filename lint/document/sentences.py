"""Sentence and quotation boundaries inside a block's text (offsets into that text)."""
from __future__ import annotations

import re
from functools import lru_cache

# Words that end with a period without ending a sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm gov sen rep rev hon pres
    vs etc inc ltd co corp bros no nos vol fig al approx dept est jan feb mar apr jun jul aug
    sep sept oct nov dec mon tue wed thu fri sat sun u.s u.k u.n e.g i.e a.m p.m""".split()
)

_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+|$)")


_LAST_WORD = re.compile(r"([^\s(\"“‘]+)\.$")
_INITIALS = re.compile(r"(?:[a-z]\.)+[a-z]")
_NEXT = re.compile(r"\S")
_WINDOW = 40


@lru_cache(maxsize=4096)
def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of sentences (trimmed of surrounding whitespace)."""
    spans = []
    start = 0
    for m in _END.finditer(text):
        end = m.end()
        mark = m.group(0)
        if mark[0] == "." and len(mark.rstrip("\"'”’)]")) == 1:
            # the word before the period: searched in the last 40 characters first (a search
            # from the sentence's start tries every position of it, for every period); a match
            # that starts after the window's start is the whole word, as the long search finds
            j = m.start() + 1
            window = j - _WINDOW if j - _WINDOW > start else start
            word = _LAST_WORD.search(text, window, j)
            if word is not None and word.start() == window and window > start:
                word = _LAST_WORD.search(text, start, j)  # the word may begin before the window
            if word:
                w = word.group(1).lower()
                if w in ABBREVIATIONS or (len(w) == 1 and w.isalpha()) or _INITIALS.fullmatch(w):
                    continue
        nxt = _NEXT.search(text, end)
        if nxt and nxt.group().islower():
            continue
        spans.append((start, end))
        start = end
    if start < len(text):
        spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return tuple(out)


_QUOTED = re.compile(r'“[^”]*”?|«[^»]*»?|„[^“]*“?|"[^"]*"?')


@lru_cache(maxsize=4096)
def quotations(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of quoted passages, marks included: curly, guillemet and straight double quotes.
    An unclosed quotation runs to the end of the block (news quotes span paragraphs)."""
    if '"' not in text and "“" not in text and "«" not in text and "„" not in text:
        return ()
    return tuple(m.span() for m in _QUOTED.finditer(text))


def inside(spans, start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)
