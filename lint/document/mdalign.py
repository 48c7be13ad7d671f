"""Where markdown-it-py's text is in the source.

markdown-it-py parses a normalized copy of the source (CR LF and lone CR become LF, NUL becomes
U+FFFD) and gives, per block of prose, its inline *content*: the block's lines without the
container markup (``>`` markers, list indentation) joined by ``\\n``, the whole stripped. An
:class:`Aligner` places every character of such a content string in the original source:

- a paragraph's (or setext heading's) content line is the end of its source line (the last one
  without its trailing blanks);
- an ATX heading's content and a table cell's content are a slice of the line, found from a
  cursor (a table cell may have lost the backslash of ``\\|``: found character by character,
  skipping blanks, backslashes and pipes).

A line that cannot be placed (markdown-it-py replaced a tab it split with spaces) gives None:
the caller writes that block's text as an inexact entity.
"""
from __future__ import annotations

import bisect
import re

_CR = re.compile(r"\r\n?")


class Aligner:
    __slots__ = ("source", "norm", "orig", "starts", "ends", "same")

    def __init__(self, source: str) -> None:
        self.source = source
        orig = None
        norm = source
        if "\r" in source:
            # offsets of the normalized text in the source: CR LF and a lone CR are one LF,
            # placed at the CR
            orig = []
            parts = []
            at = 0
            for m in _CR.finditer(source):
                s = m.start()
                orig.extend(range(at, s))
                orig.append(s)
                parts.append(source[at:s])
                parts.append("\n")
                at = m.end()
            orig.extend(range(at, len(source) + 1))
            parts.append(source[at:])
            norm = "".join(parts)
        if "\x00" in norm:
            norm = norm.replace("\x00", "\ufffd")
        self.norm = norm
        self.orig = orig
        #: the normalized text is the source (no CR, no NUL)
        self.same = norm is source
        self.starts: list[int] = []
        self.ends: list[int] = []

    def set_lines(self, starts: list[int], ends: list[int]) -> None:
        """Where lines start and end (markdown-it-py's ``bMarks`` and ``eMarks``, read by its
        block parser anyway)."""
        self.starts, self.ends = starts, ends

    # -- lines ------------------------------------------------------------------------------------
    def line(self, n: int) -> tuple[int, int]:
        """(start, end) of normalized line ``n`` (end before its LF)."""
        if n < len(self.starts):
            return self.starts[n], self.ends[n]
        return len(self.norm), len(self.norm)

    def first_nonblank(self, n: int) -> int:
        s, e = self.line(n)
        norm = self.norm
        while s < e and norm[s] in " \t":
            s += 1
        return s

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def to_source(self, offset: int) -> int:
        """Normalized offset -> source offset."""
        return offset if self.orig is None else self.orig[offset]

    # -- content -----------------------------------------------------------------------------------
    def paragraph(self, content: str, first_line: int):
        """Normalized offsets of ``content`` (a paragraph's lines, stripped), one per character
        and one more for its end (a list, or a range when they are consecutive); a LF stands at
        the end of its line's content."""
        norm = self.norm
        if "\n" not in content:  # one line: a range (no list of offsets)
            s, e = self.line(first_line)
            if norm.endswith(content, s, e):
                return range(e - len(content), e + 1)
        pos: list[int] = []
        lines = content.split("\n")
        last = len(lines) - 1
        for i, c in enumerate(lines):
            s, e = self.line(first_line + i)
            if norm.endswith(c, s, e):
                off = e - len(c)
            else:
                r = e
                while r > s and norm[r - 1].isspace():
                    r -= 1
                if i == last and norm.endswith(c, s, r):
                    off = r - len(c)
                else:
                    got = self.greedy(c, s, e, " \t>")
                    if got is None:
                        return None
                    pos.extend(got)
                    pos.append(e if i < last else (got[-1] + 1 if got else s))
                    continue
            pos.extend(range(off, off + len(c)))
            pos.append(off + len(c))  # the LF after it (or the end)
        return pos

    def slice(self, content: str, start: int, end: int, skip: str = " \t"):
        """Normalized offsets of ``content`` found in ``[start, end)`` (plus its end)."""
        k = self.norm.find(content, start, end)
        if k >= 0:
            return range(k, k + len(content) + 1)
        got = self.greedy(content, start, end, skip)
        if got is None:
            return None
        got.append(got[-1] + 1 if got else start)
        return got

    def greedy(self, content: str, start: int, end: int, skip: str) -> list[int] | None:
        """Each character of ``content`` at the next equal character of the source, passing
        over only characters in ``skip`` (and backslashes)."""
        norm = self.norm
        out = []
        j = start
        for ch in content:
            while j < end and norm[j] != ch:
                if norm[j] not in skip and norm[j] != "\\":
                    return None
                j += 1
            if j >= end:
                return None
            out.append(j)
            j += 1
        return out
