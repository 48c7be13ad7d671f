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
    monkeypatch.setattr(joined, "PIVOT_SPACING", 1)
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
        monkeypatch.setattr(joined, "PIVOT_SPACING", min(spacing, joined.PIVOT_SPACING))
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


@pytest.mark.parametrize("pattern,expected", [
    (r"(?<=[^\W_])[ \t]+(?P<p>[,;?!]|\.(?![ \t]*\.))(?=\s|$)", ("\t ", "!,.;?", True)),
    (r"(?P<gap>\.)(?<=[a-z]{2}\.)(?=[(\[])", (".", "([", False)),
    (r"(?P<g>[.!?])(?=(?:(?:Meanwhile|H(?:owever|e))|During)\s)", ("!.?", "DHM", False)),
    (r"a+b", ("a", "b", True)),
    (r"a+?(?<!x)c", ("a", "c", True)),
    (r"(a)b", ("a", "b", True)),
    (r"a(?:b|c)", ("a", "bc", False)),
    (r"a(?!b)(?=c|d)", ("a", "cd", False)),
    (r"a(?=(?:c|d)e|f)", ("a", "cdf", False)),
    (r"a*b", None),                    # the first item optional
    (r"a{2}b", None),                  # counted
    (r"a++b", None),                   # possessive
    (r"(a+)b", None),                  # a run inside a group
    (r"(?:ab)c", None),
    (r"ab?", None),                    # the second optional
    (r"a(?:b|c)?", None),
    (r"a(?:b|)", None),                # an empty branch
    (r"a(b|c|\d)", None),
    (r"a(?=b?)c", None),
    (r"a(?=c|$)", None),
    (r"\s+x", None),
    (r"a|b", None),
    (r"^ab", None),
])
def test_pivot(pattern, expected):
    assert joined.pivot(pattern) == expected


def _has_pair(text, start, pair):
    before, after, _ = pair
    return any(text[q] in before and text[q + 1] in after for q in range(start, len(text) - 1))


def test_builtin_pivots_hold():
    """Every built-in pattern with a pivot: each of its matches in each block of varied
    documents has the pivot's pair from its start on, inside the block."""
    pivoted = {}
    for r in load_rules(cache=True).rules:
        for rx, pair in zip(getattr(r.impl, "regexes", ()), getattr(r.impl, "pivots", ())):
            assert pair == joined.pivot(rx.pattern, rx.flags)
            if pair:
                pivoted[rx] = pair
    assert len(pivoted) >= 5
    checked = 0
    for doc in varied_documents(13):
        for block in doc.blocks:
            for rx, pair in pivoted.items():
                for m in rx.finditer(block.text):
                    assert _has_pair(block.text, m.start(), pair), (rx.pattern, block.text)
                    checked += 1
    assert checked > 50


@pytest.mark.parametrize("pattern", [
    r"(?<=[^\W_])[ \t]+(?P<p>[,;?!]|\.(?![ \t]*\.))(?=\s|$)",
    r"(?P<gap>\.)(?<=[a-z]{2}\.)(?=[(\[])",
    r"(?P<g>[.!?])(?=(?:(?:ab|b(?:c|a))|c)\s)",
    r"a+?(?<!x)c",
    r"(a)b",
    r"[ab]+b",
    r"a(?!b)(?=c|;)",
])
def test_pivot_random_texts(pattern):
    rx = re.compile(pattern)
    pair = joined.pivot(pattern)
    assert pair
    rng = random.Random(pattern)
    alphabet = "aabbc .,;!?()\t\nxyzMHD[a."
    found = 0
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        for m in rx.finditer(text):
            assert _has_pair(text, m.start(), pair), text
            found += 1
    assert found > 10


def test_pivot_path_changes_no_hit(monkeypatch):
    """Every built-in pattern rule over varied documents, each zone set's blocks and a sample
    of blocks: the same hits with the pivot path (Pattern._found_at_pivots) as without, for
    views with any density of the pivots' characters."""
    from lint.kinds.pattern import Pattern

    monkeypatch.setattr(joined, "PIVOT_SPACING", 1)
    rules = [r.impl for r in load_rules(cache=True).rules
             if isinstance(r.impl, Pattern) and any(getattr(r.impl, "pivots", ()))]
    assert rules
    rng = random.Random(3)
    plain = Pattern._found_at_pivots
    used = 0

    def hits(impl, doc, blocks):
        return [(h.block.index, h.start, h.end, h.vars, h.edits, h.message, h.fix_cap) for h in impl.check(doc, blocks)]

    for doc in varied_documents(17, markdown_examples=True):
        all_blocks = list(doc.blocks)
        samples = [all_blocks] + ([rng.sample(all_blocks, len(all_blocks) // 2)] if len(all_blocks) > 3 else [])
        for blocks in samples:
            blocks.sort(key=lambda b: b.index)
            for impl in rules:
                monkeypatch.setattr(Pattern, "_found_at_pivots", plain)
                fast = hits(impl, doc, blocks)
                if impl.twins.regexes is None and all(impl.pivots):
                    used += 1
                monkeypatch.setattr(Pattern, "_found_at_pivots", lambda *a: None)
                assert hits(impl, doc, blocks) == fast, impl.meta.code
    assert used > 50
