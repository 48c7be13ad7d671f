"""Plain-text parsing (lint.document.plain) with its one-line blocks' maps built at once and a text
without CR split in one call gives the Documents the former line-by-line code gave (kept here as
the reference): random texts with CR, CR LF, numbered-item markers, Unicode blanks."""
from __future__ import annotations

import random
import re

from lint.document import Block, Document, TextMap, parse
from lint.document.plain import _MARKER, _TERMINAL

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r|$)")


def reference_blocks(source: str) -> list:
    """The former parse_plain."""
    doc = Document(path="x.txt", source=source, format="text")
    current: list = []

    def lines():
        pos = 0
        for m in _LINE.finditer(source):
            if m.start() == len(source) and m.end() == m.start():
                break
            body = m.group(0).rstrip("\r\n")
            yield pos, pos + len(body), body
            pos = m.end()

    def flush() -> None:
        if not current:
            return
        tm = TextMap()
        for i, (start, _end, body) in enumerate(current):
            lead = len(body) - len(body.lstrip())
            if not i:
                m = _MARKER.match(body)
                lead = m.end() if m else lead
            trail = len(body.rstrip())
            if i:
                tm.entity(" ", tm.src_end, start + lead)
            else:
                tm.gap(start, start + lead)
            tm.literal(source, start + lead, start + trail)
        doc.blocks.append(Block("paragraph", tm.text(), tm, current[0][0], current[-1][1]))
        current.clear()

    for start, end, body in lines():
        stripped = body.strip()
        if not stripped:
            flush()
            continue
        if current and stripped[:1].islower() and not _TERMINAL.search(current[-1][2]):
            current.append((start, end, body))
            continue
        flush()
        current.append((start, end, body))
    flush()
    return [view(b) for b in doc.blocks]


def view(b) -> tuple:
    return (b.kind, b.text, b.src_start, b.src_end, list(b.map.parts), list(b.map._text), list(b.map._tstarts))


PIECES = ["a", "The", "end.", "lower", "Upper", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\r", "1. ", "12) ", "  3. x",
          "1.", "\u00a0", "\u3000", "\x1c", "\x85", "\u2028", "”", ")", "]", ":", "…", "x\n", "\n \n", "é", "2024."]


def test_plain_blocks_are_the_former_ones():
    r = random.Random(11)
    for _ in range(20000):
        source = "".join(r.choice(PIECES) for _ in range(r.randint(0, 30)))
        assert [view(b) for b in parse(source, "x.txt").blocks] == reference_blocks(source), source
