"""Issue 19, per-block gating of ``pattern`` rules (lint.kinds.pattern): a pattern that runs block
by block is tried only on the blocks that hold one string of each of its small requirement sets.
The findings never change; the pattern is not run where it cannot match."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from lint import literals
from lint.kinds import pattern as pattern_kind
from lint.kinds.pattern import BLOCK_SET_MAX, Pattern
from lint.literals import requirements
from lint.packs import load_rules
from lint.runner import lint_source

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules().rules
PATTERNS = [r for r in RULES if isinstance(r.impl, Pattern)]

# my own prose: straight quotes with a space inside (SEG004's first pattern needs a '"'),
# curly quotes, a caption-like line, plain paragraphs with no quote at all
TEXT = """The council met on Tuesday to discuss the new bridge.

Residents said the plan was " too expensive " and asked for a second survey.

Nobody at the meeting mentioned the ferry, which still runs twice a day.

The mayor called it “ a fair compromise ” before the vote.

Engineers expect the work to take three years.
"""


def _diagnostics(texts, rules=RULES):
    out = []
    for i, text in enumerate(texts):
        for path in (f"a{i}.txt", f"a{i}.md"):
            out.append([(d.code, d.start, d.end, d.message, str(d.severity), repr(d.fix))
                        for d in lint_source(text, path, rules).diagnostics])
    return out


def _corpus(tmp_path, n=30):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from corpus import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return [p.read_text(encoding="utf-8") for p in generate(tmp_path / "c", n, seed=7)]


def test_block_sets_are_the_patterns_own_small_requirement_sets():
    seen_single = False
    for rule in PATTERNS:
        impl = rule.impl
        assert set(impl.block_reqs) == set(impl.regexes)
        for rx in impl.regexes:
            full = requirements(rx.pattern, rx.flags) or ()
            for s in impl.block_reqs[rx]:
                assert s in full and len(s) <= BLOCK_SET_MAX, (rule.meta.code, rx.pattern[:60])
                seen_single |= any(len(x) == 1 for x in s)
    # single characters (a '"', a '©') count block by block, unlike the document-level sets
    assert seen_single


def test_a_pattern_runs_only_on_blocks_holding_its_literals(monkeypatch):
    rule = next(r for r in PATTERNS if r.meta.code == "SEG004")
    impl = rule.impl
    straight = next(rx for rx in impl.regexes if impl.block_reqs[rx] == (frozenset({'"'}),))
    assert impl.twins.regexes is None  # the rule runs block by block (the path gated here)
    ran = []
    real = Pattern.block_hits

    def spy(self, block, active=None):
        if self is impl:
            ran.append((block.text, [rx for rx, _ in active]))
        return real(self, block, active)

    monkeypatch.setattr(Pattern, "block_hits", spy)
    found = [d for d in lint_source(TEXT, "a.txt", RULES).diagnostics if d.code == "SEG004"]
    with_straight = [t for t, rxs in ran if straight in rxs]
    assert with_straight and all('"' in t for t in with_straight)
    assert len(with_straight) == 1  # one paragraph of five has a straight quote
    assert len(found) == 2  # the spaced straight quote and the spaced curly one
    # with the filters off, the pattern runs on every block and finds the same
    ran.clear()
    monkeypatch.setattr(literals, "ENABLED", False)
    again = [d for d in lint_source(TEXT, "a.txt", RULES).diagnostics if d.code == "SEG004"]
    assert [(d.start, d.end, d.message) for d in again] == [(d.start, d.end, d.message) for d in found]
    assert len([t for t, rxs in ran if straight in rxs]) == 5


def test_block_gating_never_changes_a_result(tmp_path, monkeypatch):
    # 30 generated articles (was 60: half the time): the same 11 rules find something in
    # them, 7 of them pattern rules (the kind gated here), with over 100 findings
    texts = [TEXT] + _corpus(tmp_path)
    gated = _diagnostics(texts)
    assert sum(map(len, gated)) > 100  # the texts exercise the rules
    found = {f[0] for by_doc in gated for f in by_doc}
    assert len(found & {r.meta.code for r in PATTERNS}) >= 7, found  # ... pattern rules among them
    for rule in PATTERNS:  # every pattern on every block, as before the block sets
        monkeypatch.setattr(rule.impl, "block_reqs", {rx: () for rx in rule.impl.regexes})
    assert _diagnostics(texts) == gated


def test_a_stored_rule_set_without_block_sets_makes_them(monkeypatch):
    impl = next(r for r in PATTERNS if r.meta.code == "SEG004").impl
    state = dict(impl.__dict__)
    del state["block_reqs"]
    twin = Pattern.__new__(Pattern)
    twin.__setstate__(state)
    assert twin.block_reqs == impl.block_reqs


@pytest.mark.parametrize("blocks_text", [["a \"b\"", "c", "“x” b"], ["ÄRGER \" x", "İb", ""]])
def test_block_bits_answer_as_substring_tests_do(blocks_text):
    class B:
        def __init__(self, text):
            self.text = text
            self.folded = literals.fold(text)  # as lint.document.Block keeps it

    class D:
        pass

    doc = D()
    doc.memo = {}
    blocks = [B(t) for t in blocks_text]
    has = pattern_kind._Blocks.of(doc, blocks)
    assert pattern_kind._Blocks.of(doc, blocks) is has  # memoised per document and list
    assert pattern_kind._Blocks.of(doc, list(blocks)) is not has  # another list: its own
    for s in ['"', "b", "i", "ärger", "“", "zz"]:
        want = sum(1 << i for i, t in enumerate(blocks_text) if s in literals.fold(t))
        assert has.has(s) == want, s
    for sets in [(), (frozenset({'"'}),), (frozenset({'"', "“"}), frozenset({"b"})),
                 (frozenset({"zz"}), frozenset({"b"}))]:
        want = [all(any(x in literals.fold(t) for x in st) for st in sets) for t in blocks_text]
        got = has.mask(sets)
        assert [bool(got >> i & 1) for i in range(len(blocks_text))] == want, sets
