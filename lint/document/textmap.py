"""A map between a block's extracted text and the source it came from.

The extracted text is built piece by piece. Each piece is a *segment*:

- ``literal``: text equal to its source slice (1:1 offsets);
- ``entity``: text that stands for a different source slice (``&amp;`` -> ``&``, a joined
  line break -> a space);
- ``masked``: one placeholder character standing for code, a URL, inline HTML (rules never
  edit inside it);
- ``gap``: source with no text at all (markup syntax such as ``**`` or ``](url)``).

Literal segments equal their source slices and the segments tile both strings.
"""
from __future__ import annotations

import bisect

MASK = "\ufffc"  # OBJECT REPLACEMENT CHARACTER: one placeholder for masked source

LITERAL, ENTITY, MASKED, GAP = "literal", "entity", "masked", "gap"


class TextMap:
    __slots__ = ("parts", "_tstarts", "_text")

    def __init__(self) -> None:
        # (text_start, text_end, src_start, src_end, kind)
        self.parts: list[tuple[int, int, int, int, str]] = []
        self._tstarts: list[int] = []
        self._text: list[str] = []

    # -- building -------------------------------------------------------------------------
    def _add(self, text: str, src_start: int, src_end: int, kind: str) -> None:
        t0 = self.text_length
        if self.parts and src_start < self.parts[-1][3]:
            raise ValueError("segments must be added in source order")
        if self.parts and src_start > self.parts[-1][3]:
            # unrecorded source between segments is a gap
            p = self.parts[-1]
            self.parts.append((t0, t0, p[3], src_start, GAP))
            self._tstarts.append(t0)
        self.parts.append((t0, t0 + len(text), src_start, src_end, kind))
        self._tstarts.append(t0)
        self._text.append(text)

    def literal(self, source: str, start: int, end: int) -> None:
        if end > start:
            self._add(source[start:end], start, end, LITERAL)

    def entity(self, text: str, start: int, end: int) -> None:
        self._add(text, start, end, ENTITY)

    def masked(self, start: int, end: int) -> None:
        self._add(MASK, start, end, MASKED)

    def gap(self, start: int, end: int) -> None:
        if end > start:
            self._add("", start, end, GAP)

    @classmethod
    def one_literal(cls, text: str, src_start: int, start: int, end: int, src_end: int) -> "TextMap":
        """The map ``gap(src_start, start)``, ``literal(source, start, end)``, ``gap(end,
        src_end)`` make, built at once: ``text`` is the source's ``[start, end)``, not empty (the
        commonest block, one literal)."""
        tm = cls.__new__(cls)
        n = len(text)
        if start > src_start:
            tm.parts = [(0, 0, src_start, start, GAP), (0, n, start, end, LITERAL)]
            tm._tstarts = [0, 0]
            tm._text = ["", text]
        else:
            tm.parts = [(0, n, start, end, LITERAL)]
            tm._tstarts = [0]
            tm._text = [text]
        if src_end > end:
            tm.parts.append((n, n, end, src_end, GAP))
            tm._tstarts.append(n)
            tm._text.append("")
        return tm

    @classmethod
    def of(cls, parts: list, texts: list) -> "TextMap":
        """The map of ``parts`` (as :attr:`parts`, tiling text and source) and their texts."""
        tm = cls.__new__(cls)
        tm.parts = parts
        tm._tstarts = [p[0] for p in parts]
        tm._text = texts
        return tm

    # -- reading ---------------------------------------------------------------------------
    @property
    def text_length(self) -> int:
        return self.parts[-1][1] if self.parts else 0

    def text(self) -> str:
        return "".join(self._text)

    @property
    def src_start(self) -> int:
        return self.parts[0][2] if self.parts else 0

    @property
    def src_end(self) -> int:
        return self.parts[-1][3] if self.parts else 0

    def _segment_at(self, offset: int, prefer_end: bool) -> tuple[int, int, int, int, str]:
        """The non-empty segment containing ``offset`` (for an end offset, the one before it)."""
        i = bisect.bisect_right(self._tstarts, offset - (1 if prefer_end else 0)) - 1
        i = max(0, min(i, len(self.parts) - 1))
        # skip zero-width gaps
        step = -1 if prefer_end else 1
        while 0 <= i < len(self.parts) and self.parts[i][0] == self.parts[i][1]:
            i += step
        i = max(0, min(i, len(self.parts) - 1))
        return self.parts[i]

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Source span covering text ``[start, end)``; non-literal segments widen to their whole source."""
        if not self.parts:
            return 0, 0
        if end <= start and start > 0:
            # an empty range sits right after the character before it (inside closing markup)
            t0, t1, s0, s1, kind = self._segment_at(start, prefer_end=True)
            pos = s0 + (start - t0) if kind == LITERAL else (s1 if start > t0 else s0)
            return pos, pos
        t0, t1, s0, s1, kind = self._segment_at(start, prefer_end=False)
        src_start = s0 + (start - t0) if kind == LITERAL else (s0 if start < t1 else s1)
        if end <= start:
            return src_start, src_start
        t0, t1, s0, s1, kind = self._segment_at(end, prefer_end=True)
        src_end = s0 + (end - t0) if kind == LITERAL else (s1 if end > t0 else s0)
        return src_start, max(src_start, src_end)

    def is_exact(self, start: int, end: int) -> bool:
        """True when text ``[start, end)`` can be edited in the source without touching markup:
        every segment it touches is literal or lies wholly inside the range."""
        for t0, t1, _s0, _s1, kind in self.parts:
            if kind == LITERAL:
                continue
            if t0 == t1:  # zero-width markup: editing across it would destroy it
                if start < t0 < end:
                    return False
            elif t0 < end and t1 > start and not (start <= t0 and t1 <= end):
                return False
        return True
