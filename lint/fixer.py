"""Applying fixes: the one place where source text is changed."""
from __future__ import annotations

from .model import Applicability, Diagnostic, Edit


def select_edits(diags: list[Diagnostic], minimum: Applicability = Applicability.SAFE) -> list[Edit]:
    """Edits of every fix at or above ``minimum``, skipping a fix that overlaps one already taken
    (it is reconsidered on the next pass of the fix loop)."""
    taken: list[Edit] = []
    for d in sorted(diags, key=lambda d: (d.start, d.end, d.code)):
        if d.fix is None or d.fix.applicability < minimum:
            continue
        if any(_overlaps(e, t) for e in d.fix.edits for t in taken):
            continue
        taken.extend(d.fix.edits)
    return sorted(taken, key=lambda e: (e.start, e.end))


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.start == a.end or b.start == b.end:  # insertions conflict only at the same point
        return a.start == b.start or (a.start < b.end and b.start < a.end)
    return a.start < b.end and b.start < a.end


def apply_edits(source: str, edits: list[Edit]) -> str:
    out, pos = [], 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos:
            raise ValueError(f"overlapping edits at offset {e.start}")
        out.append(source[pos:e.start])
        out.append(e.content)
        pos = e.end
    out.append(source[pos:])
    return "".join(out)
