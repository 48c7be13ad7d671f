"""Inline suppression comments in Markdown and HTML.

``<!-- copydesk-disable CODE[,CODE] -->`` … ``<!-- copydesk-enable [CODE] -->`` silences a
range (no code: every rule); ``<!-- copydesk-disable-next-line CODE -->`` silences the next
non-blank line. Codes may also be rule names.
"""
from __future__ import annotations

import re

from .document import Document, Suppression

_DIRECTIVE = re.compile(r"^\s*copydesk-(disable-next-line|disable|enable)\b\s*([\w\s,:-]*?)\s*$")


def _codes(raw: str) -> frozenset[str]:
    return frozenset(c for c in re.split(r"[\s,]+", raw.strip()) if c)


def collect(doc: Document) -> list[Suppression]:
    out: list[Suppression] = []
    open_ranges: list[tuple[frozenset[str], int, int]] = []  # codes, start, line
    for start, end, inner in doc.comments:
        m = _DIRECTIVE.match(inner)
        if not m:
            continue
        action, codes = m.group(1), _codes(m.group(2))
        line = doc.lines.position(start)[0]
        if action == "disable":
            open_ranges.append((codes, end, line))
        elif action == "enable":
            keep = []
            for c, s, ln in open_ranges:
                if not codes or c == codes or (c and c <= codes):
                    out.append(Suppression(c, s, start, ln))
                elif c and codes & c:
                    out.append(Suppression(c & codes, s, start, ln))
                    keep.append((c - codes, start, ln))
                else:
                    keep.append((c, s, ln))
            open_ranges = keep
        else:
            # the next non-blank line after the comment
            nl = doc.lines
            target = line + 1
            while target <= len(nl.starts):
                s, e = nl.line_bounds(target, doc.source)
                if doc.source[s:e].strip():
                    out.append(Suppression(codes, s, e, line))
                    break
                target += 1
    for c, s, ln in open_ranges:
        out.append(Suppression(c, s, len(doc.source), ln))
    return out


def is_suppressed(suppressions: list[Suppression], code: str, name: str, start: int, end: int) -> Suppression | None:
    for sup in suppressions:
        if sup.start <= start and end <= sup.end + 1 and (not sup.codes or code in sup.codes or name in sup.codes):
            return sup
    return None
