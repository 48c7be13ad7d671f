"""Plain text: every non-empty line is a block, except lines that continue a hard-wrapped
sentence (the next line starts in lower case), which are joined with a space."""
from __future__ import annotations

import re

from . import Block, Document
from .textmap import TextMap

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r|$)")
_TERMINAL = re.compile(r"[.!?:;…\"”’)\]]\s*$")
# the number of a numbered list item that opens a line ("1. ", "2) "): markup, not text, so that
# an item that is all leftover ("1. Play the video.") is the whole block and goes with its number
# (rules read "1." as a sentence of its own, and deleting the rest left "1." behind). Bullets
# ("- ", "• ") stay text: rules that find leftover lines take them into their spans
_MARKER = re.compile(r"[ \t]*\d{1,3}[.)][ \t]+(?=\S)")


def _lines(source: str):
    pos = 0
    for m in _LINE.finditer(source):
        if m.start() == len(source) and m.end() == m.start():
            break
        raw = m.group(0)
        body = raw.rstrip("\r\n")
        yield pos, pos + len(body), body
        pos = m.end()


def _lf_lines(source: str) -> list:
    """:func:`_lines` of a text without CR, by one split."""
    parts = source.split("\n")
    if not parts[-1]:
        parts.pop()  # after the last line break (or an empty text): no line
    out = []
    pos = 0
    for body in parts:
        end = pos + len(body)
        out.append((pos, end, body))
        pos = end + 1
    return out


def parse_plain(doc: Document) -> None:
    source = doc.source
    blocks = doc.blocks
    current: list[tuple[int, int, str]] = []
    # the line (1-based) the current block starts on: its Block.first_line (the lines here are
    # the document's lines, as lint.model.LineIndex counts them)
    first_line = 0

    def flush() -> None:
        start, end, body = current[0]
        c = body[0]
        if len(current) == 1 and not c.isspace() and not "0" <= c <= "9" and not body[-1].isspace():
            # the commonest block: one line, its text the whole line (no blank at either end, no
            # item number: _MARKER needs a blank or a digit first)
            blocks.append(Block("paragraph", body, TextMap.one_literal(body, start, start, end, end), start, end,
                                first_line=first_line))
            current.clear()
            return
        m = _MARKER.match(body)
        lead = m.end() if m else len(body) - len(body.lstrip())
        trail = len(body.rstrip())
        if len(current) == 1:  # one line (its text is not blank)
            text = body[lead:trail]
            blocks.append(Block("paragraph", text, TextMap.one_literal(text, start, start + lead, start + trail,
                                                                      start + trail), start, end,
                                first_line=first_line))
            current.clear()
            return
        tm = TextMap()
        for i, (start, end, body) in enumerate(current):
            if i:
                lead = len(body) - len(body.lstrip())
                trail = len(body.rstrip())
                tm.entity(" ", tm.src_end, start + lead)
            else:
                tm.gap(start, start + lead)
            tm.literal(source, start + lead, start + trail)
        blocks.append(Block("paragraph", tm.text(), tm, current[0][0], current[-1][1], first_line=first_line))
        current.clear()

    line = 0
    for start, end, body in _lf_lines(source) if "\r" not in source else _lines(source):
        line += 1
        if body and not body[0].isspace():
            first = body[0]  # (body.strip()[:1], without the copy)
        else:
            stripped = body.strip()
            if not stripped:
                if current:
                    flush()
                continue
            first = stripped[0]
        if current and first.islower() and not _TERMINAL.search(current[-1][2]):
            current.append((start, end, body))
            continue
        if current:
            flush()
        current.append((start, end, body))
        first_line = line
    if current:
        flush()
