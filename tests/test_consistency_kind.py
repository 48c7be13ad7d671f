"""The ``consistency`` kind: a variant is searched only while two variants can still be found."""
from __future__ import annotations

import copy

import pytest

from lint.packs import load_rules
from lint.runner import lint_source

RULES = load_rules()


class _Spy:
    """A compiled regex that records whether it was searched."""

    def __init__(self, rx):
        self.rx, self.used = rx, False
        self.pattern, self.flags = rx.pattern, rx.flags

    def finditer(self, *args):
        self.used = True
        return self.rx.finditer(*args)


def _spied(code):
    rule = copy.deepcopy(RULES.find(code))
    impl = rule.impl
    spies = [_Spy(rx) for _, rx in impl.variants]
    impl.variants = [(name, spy) for (name, _), spy in zip(impl.variants, spies)]
    if impl.twins.regexes is not None:  # the joined-view twins (lint.kinds.joined), when it has them
        impl.twins.regexes = [_Spy(rx) for rx in impl.twins.regexes]
    return rule, spies, impl.twins.regexes or spies


@pytest.fixture(autouse=True)
def _no_gate(monkeypatch):
    """The search order is tested without the Hyperscan gate (lint.regex.gate), which may rule
    variants out before any search (test_a_variant_the_gate_rules_out_is_not_searched)."""
    from lint.regex import gate

    monkeypatch.setattr(gate, "ENABLED", False)


def _found(rule, text):
    return [text[d.start:d.end] for d in lint_source(text, "a.txt", [rule]).diagnostics]


def test_the_last_variant_is_not_searched_when_the_others_found_nothing():
    # CONS006 has three variants; no comma- or space-grouped number: the third cannot pair
    rule, spies, twins = _spied("CONS006")
    assert _found(rule, "The port handled 272.000 tonnes and 1.500.000 crates.") == []
    used = [a.used or b.used for a, b in zip(spies, twins)]
    assert used == [True, True, False]


def test_every_variant_is_searched_when_one_found_something():
    rule, spies, twins = _spied("CONS006")
    text = "Some 1,250 boats and 3,400 crew left; 272.000 people watched."
    assert _found(rule, text) == ["272.000"]  # the third variant, after an empty second one
    assert all(a.used or b.used for a, b in zip(spies, twins))


@pytest.mark.parametrize("text, expected", [
    ("Mr Smith spoke first. Mr Jones replied. Later Mr. Brown agreed.", ["Mr. Brown"]),
    ("Mr. Smith spoke first. Mr. Jones replied. Later Mr Brown agreed.", ["Mr Brown"]),
    ("Mr Smith spoke first. Mr Jones replied.", []),
    ("Mr. Smith spoke first. Mr. Jones replied.", []),
])
def test_two_variant_rule_reports_the_minority_whichever_comes_first(text, expected):
    assert _found(RULES.find("CONS001"), text) == expected


class _Gate:
    """A document gate (lint.regex.gate.DocGate) that rules out the patterns it is given."""

    def __init__(self, out):
        self.out = {(rx.pattern, rx.flags) for rx in out}

    def may_match(self, rx):
        return (rx.pattern, rx.flags) not in self.out


def test_a_variant_the_gate_rules_out_is_not_searched():
    from lint.document import parse

    text = "Some 1,250 boats and 3,400 crew left; 272.000 people watched."
    rule, spies, twins = _spied("CONS006")
    doc = parse(text, "a.txt", "text")
    doc.memo["gate"] = _Gate([spies[1].rx])  # the space-grouping variant cannot match
    hits = list(rule.impl.check(doc, doc.blocks))
    assert [doc.blocks[0].text[h.start:h.end] for h in hits] == ["272.000"]
    used = [a.used or b.used for a, b in zip(spies, twins)]
    assert used == [True, False, True]
    # two variants ruled out: one is left, which cannot pair: nothing is searched
    rule, spies, twins = _spied("CONS006")
    doc = parse(text, "a.txt", "text")
    doc.memo["gate"] = _Gate([spies[0].rx, spies[1].rx])
    assert list(rule.impl.check(doc, doc.blocks)) == []
    assert not any(a.used or b.used for a, b in zip(spies, twins))
