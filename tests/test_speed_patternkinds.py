"""The pattern kinds' fast paths find what the plain ones find: lint.kinds.joined.lead (the
characters every match opens with) and View.spans (a regex tried at those characters instead
of searched for)."""
from __future__ import annotations

import random
import re

import pytest

from lint.kinds import joined
from lint.kinds.joined import View, lead
from lint.packs import load_rules

from helpers import varied_documents


@pytest.mark.parametrize("pattern,flags,expected", [
    (r"abc", 0, "a"),
    (r"[2-9]\d{3}", 0, "23456789"),
    (r"(?<![\w.])(?<!\d )[2-9]\d{3}(?!\d)", 0, "23456789"),
    (r"(?=[(\[])\(x", 0, "("),
    (r"(?P<join>\.(?<=\w\.)[ \t]+),", 0, "."),
    (r"(?:\(|x)", 0, None),            # alternation in the first group
    (r"a|b", 0, None),                 # top-level alternation
    (r"(?:a|b)c", 0, None),
    (r"a?b", 0, None),                 # optional first item
    (r"a*b", 0, None),
    (r"a{0,2}b", 0, None),
    (r"a{,2}b", 0, None),
    (r"a{2}b", 0, "a"),
    (r"(a)?b", 0, None),
    (r"(?:a?)b", 0, None),
    (r"a+?b", 0, "a"),
    (r"[^a]b", 0, None),               # negated class
    (r"\db", 0, None),                 # class escapes
    (r"\nb", 0, None),
    (r"\u00a0b", 0, None),
    (r"\.b", 0, "."),
    (r"\tb", 0, "\t"),
    (r".b", 0, None),
    (r"^b", 0, None),
    (r"\bb", 0, None),
    (r"(?i)ab", 0, None),              # inline flags
    (r"ab", re.IGNORECASE, None),      # letters fold (K and the Kelvin sign)
    (r"[.,]x", re.IGNORECASE, ",."),
    (r"’x", re.IGNORECASE, None),      # not ASCII
    (r"’x", 0, "’"),
    (r"a b", re.VERBOSE, None),
    (r"(?#c)ab", 0, None),
    (r"[a-z]x", 0, None),              # too many characters
    (r"[]a]x", 0, "]a"),
    (r"[a-]x", 0, "-a"),
    (r"(?=a)", 0, None),               # only lookarounds: empty matches
    (r"(?P=x)a", 0, None),
    (r"(?>ab)", 0, None),
])
def test_lead(pattern, flags, expected):
    assert lead(pattern, flags) == expected


def _builtin_twins():
    out = {}
    for r in load_rules(cache=True).rules:
        impl = r.impl
        for attr in ("twins", "evidence_twins"):
            twins = getattr(impl, attr, None)
            if twins is not None and twins.regexes is not None:
                for vrx, ld in zip(twins.regexes, twins.leads):
                    assert ld == lead(vrx.pattern, vrx.flags)
                    out[vrx] = ld
    return out


def test_builtin_leads_are_found():
    """The built-in rules hold patterns with leads (else the fast path is dead code)."""
    assert sum(1 for ld in _builtin_twins().values() if ld) >= 5


def test_spans_match_finditer(monkeypatch):
    """Every built-in pattern with a lead: every match over varied documents' joined blocks
    opens with a lead character, and View.spans gives finditer's spans (tried everywhere a
    lead character is, however dense)."""
    monkeypatch.setattr(joined, "LEAD_SPACING", 1)
    twins = [(vrx, ld) for vrx, ld in _builtin_twins().items() if ld]
    rng = random.Random(5)
    docs = varied_documents(11)
    texts = []
    for doc in docs:
        blocks = list(doc.blocks)
        texts.append(View(blocks))
        if len(blocks) > 3:
            texts.append(View(rng.sample(blocks, len(blocks) // 2)))
    checked = 0
    for v in texts:
        for vrx, ld in twins:
            plain = [m.span() for m in vrx.finditer(v.text)]
            for s, e in plain:
                assert e > s and v.text[s] in ld, (vrx.pattern, v.text[s:e])
            assert v.spans(vrx, ld) == plain, vrx.pattern
            checked += len(plain)
    assert checked > 100


@pytest.mark.parametrize("pattern", [
    r"(?<![\w.])[2-9]\d{3}(?![\w,]|\.\d)",
    r"\.(?P<s>[ \t]+\.)(?![.\w])",
    r"(?<=[^\W_])\.[ ]",
    r"(?=\()\([^)]*\)",
    r"[.,;][.,;]+",
    r"a(?:b|c)?",
    r"a+\b",
])
def test_spans_random_texts(pattern, monkeypatch):
    """Overlapping and adjacent candidates, lookbehinds reading before the start, dense and
    sparse lead characters: the same spans as finditer."""
    rx = re.compile(pattern)
    ld = lead(pattern)
    assert ld
    rng = random.Random(pattern)
    alphabet = "aabc .,;()\t2349x\n"
    for spacing in (1, joined.LEAD_SPACING):
        monkeypatch.setattr(joined, "LEAD_SPACING", spacing)
        for _ in range(300):
            v = View([])
            v.text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 80)))
            v._at = None
            got = v.spans(rx, ld)
            plain = [m.span() for m in rx.finditer(v.text)]
            if got is None:
                assert spacing != 1 and v.text  # too dense: the caller runs finditer
            else:
                assert got == plain, v.text
