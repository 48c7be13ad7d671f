"""The document-level verdict: "likely machine-translated or spun".

One odd sentence proves nothing; a document verdict needs at least two independent families
of evidence (DESIGN.md §5). Each family's findings count up to a cap, weighted by how
specific the family is to machine translation or spinning; leftover UI and captions are
evidence of scraping, not of translation, and do not count.
"""
from __future__ import annotations

import re

from .model import Severity

#: family -> (weight per finding, cap on findings counted)
WEIGHTS = {
    "CALQ": (1.0, 3),   # literal idioms: the most specific MT evidence
    "LANG": (1.5, 2),   # homoglyphs, mojibake, untranslated sentences
    "ATTR": (1.0, 1),   # mangled credits ("ABC / son")
    "SEG": (0.5, 4),    # joined-segment punctuation
    "CONS": (0.5, 2),   # style mixes within one document
}
MIN_FAMILIES = 2
MIN_SCORE = 2.0
_FAMILY = re.compile(r"^[A-Z]+")


def family_of(code: str) -> str:
    m = _FAMILY.match(code)
    return m.group(0) if m else code


def verdict(diagnostics) -> dict:
    """``{"likely_mt": bool, "score": float, "families": [...], "evidence": [...]}``."""
    per_family: dict[str, list] = {}
    for d in diagnostics:
        fam = family_of(d.code)
        if fam in WEIGHTS and d.severity >= Severity.WARNING:
            per_family.setdefault(fam, []).append(d)
    score = 0.0
    evidence = []
    for fam, diags in sorted(per_family.items()):
        weight, cap = WEIGHTS[fam]
        score += weight * min(len(diags), cap)
        for d in diags[:cap]:
            evidence.append({"family": fam, "code": d.code, "start": d.start, "end": d.end})
    families = sorted(per_family)
    return {
        "likely_mt": len(families) >= MIN_FAMILIES and score >= MIN_SCORE,
        "score": round(score, 2),
        "families": families,
        "evidence": evidence,
    }
