"""Issue 19: lint.linter decides, before calling any rule's check, which rules can match a document
(lint.linter._Plan, made once per rule list and gate): the literal requirement sets of every rule
at once from the accelerator's pass (lint.literals.doc_met's answers), and the question a
``pattern`` or ``context`` check asks the Hyperscan gate first (lint.regex.gate.GATED_CHECKS).
The findings must be those of asking each rule in turn, and of calling every check."""
from __future__ import annotations

import pytest

from lint import linter
from lint.packs import load_rules
from lint.regex import gate

from helpers import varied_documents


def _rules():
    return [r for r in load_rules(cache=True).rules if getattr(r.impl, "diagnostics", None) is None]


def _key(diags):
    return [(d.code, d.start, d.end, d.message, str(d.severity), d.fix) for d in diags]


def test_deciding_at_once_finds_what_every_check_finds(monkeypatch):
    rules = _rules()
    if not gate.prebuild():
        pytest.skip("Hyperscan is not installed here: there is no gate to ask")
    monkeypatch.setattr(gate, "_DOCS", [10])  # every document gated, the first one too
    decided = []
    real_runs = linter._Plan.runs

    def counted(self, present, g):
        out = real_runs(self, present, g)
        decided.append(None if out is None else bin(out & ((1 << len(self.entries)) - 1)).count("1"))
        return out

    monkeypatch.setattr(linter._Plan, "runs", counted)
    docs = varied_documents(11)
    for doc in docs:
        fast = linter.lint_document(doc, rules)
        with monkeypatch.context() as m:  # each rule asked in turn (doc_met, rules_out)
            m.setattr(linter._Plan, "runs", lambda self, present, g: None)
            m.setattr(linter, "_PLANS", {})
            one_by_one = linter.lint_document(doc, rules)
        with monkeypatch.context() as m:  # and every check called, each asking the gate itself
            m.setattr(linter._Plan, "runs", lambda self, present, g: None)
            m.setattr(linter, "GATED_CHECKS", frozenset())
            m.setattr(linter, "_PLANS", {})
            plain = linter.lint_document(doc, rules)
        assert _key(fast) == _key(one_by_one) == _key(plain), doc.path
    ran = [n for n in decided if n is not None]
    assert len(ran) > len(docs) // 2  # decided at once for most documents (a reused one is not)
    assert min(ran) < len(rules) and max(ran) > 0  # rules were skipped, and others were run


class _Needs:
    """A kind that reports the document's first block when asked: its requirement sets are what
    the plan must honour (several sets: each must be met)."""

    def __init__(self, requires):
        self.requires = requires

    def check(self, doc, blocks):
        from lint.kinds.base import Hit

        yield Hit(blocks[0], 0, 1, {"match": blocks[0].text[:1]})


def test_rules_of_several_requirement_sets(monkeypatch):
    from lint import literals
    from lint.document import parse
    from lint.packs import Rule

    base = _rules()[0]
    sets = {"none": (), "one": (frozenset({"zebra", "quokka"}),),
            "both": (frozenset({"zebra"}), frozenset({"okapi", "tapir"})),
            "never": (frozenset({"zebra"}), frozenset({"narwhal"}))}
    rules = []
    for name, requires in sets.items():
        meta = type(base.meta)(**{**base.meta.__dict__, "code": "T" + name.upper(), "name": name, "zones": ()})
        rules.append(Rule(meta, _Needs(requires)))
    monkeypatch.setattr(literals, "VOCABULARY", literals._Vocabulary())
    monkeypatch.setattr(literals, "ACCEL", True)
    codes = lambda text: sorted(d.code for d in linter.lint_document(parse(text, "a.txt"), rules))  # noqa: E731
    assert codes("A zebra met a tapir.") == ["TBOTH", "TNONE", "TONE"]
    assert codes("A quokka.") == ["TNONE", "TONE"]
    assert codes("An okapi and a zebra, and a narwhal.") == ["TBOTH", "TNEVER", "TNONE", "TONE"]
    assert codes("Nothing here.") == ["TNONE"]
    # decided at once, from the pass (the rules' bits: none, one, both, never)
    plan = linter._plan(rules, None)
    assert plan.runs(parse("A zebra.", "a.txt").present, None) is None or plan.seen  # a plan's first document:
    plan.seen = True  # asked rule by rule (a one-file run builds no automaton); then at once
    assert plan.runs(parse("An okapi and a zebra.", "a.txt").present, None) == 0b0111
    assert plan.runs(parse("A narwhal.", "a.txt").present, None) == 0b0001
    monkeypatch.setattr(literals, "ACCEL", False)  # no pass: each rule is asked in turn
    assert plan.runs(parse("A zebra.", "a.txt").present, None) is None
    assert codes("A zebra met a tapir.") == ["TBOTH", "TNONE", "TONE"]


def test_the_plan_follows_its_list_and_its_gate():
    rules = _rules()
    g = gate.current() if gate.prebuild() else None
    plan = linter._plan(rules, g)
    assert [e[0] for e in plan.entries] == rules
    assert linter._plan(rules, g) is plan  # the same list and gate: the same plan
    fewer = rules[:-1]
    assert [e[0] for e in linter._plan(fewer, g).entries] == fewer
    rules.pop()  # a list changed in place is planned again
    assert [e[0] for e in linter._plan(rules, g).entries] == rules
    # without a gate nothing is asked first
    assert all(e[4] is None for e in linter._plan(rules, None).entries)
    if g is not None:  # with one, the pattern rules are (their check opens with the same test)
        assert any(e[4] is not None for e in linter._plan(rules, g).entries)


def test_the_gate_of_the_last_documents_patterns_is_reused(monkeypatch):
    """lint.regex.gate.for_document asks for the gate (hashing the key of every registered
    pattern) only when the patterns differ from the last document's: a new registry gets its own."""
    from lint.document import parse

    _rules()
    if not gate.prebuild():
        pytest.skip("Hyperscan is not installed here: there is no gate to ask")
    monkeypatch.setattr(gate, "_DOCS", [10])
    monkeypatch.setattr(gate, "_LAST", [None, None])
    asked = []
    real = gate.current
    monkeypatch.setattr(gate, "current", lambda build=False: asked.append(build) or real(build))
    docs = [parse(f"Article {i}. Source link", "a.txt") for i in range(5)]
    gates = [gate.for_document(d) for d in docs]
    assert len(asked) == 1 and all(g is not None and g.gate is gates[0].gate for g in gates)
    assert [g.text for g in gates] == ["\n".join(b.text for b in d.blocks) for d in docs]
    monkeypatch.setattr(gate, "_SORTED", None)  # the registry's key made again: a new object
    assert gate.for_document(docs[0]).gate is gates[0].gate and len(asked) == 2


def test_warming_before_a_fork_changes_no_finding(monkeypatch):
    """lint.linter.warm (run by lint.runner before it forks workers): the plan is made and its
    first document counted as seen, the gate serves from the next document on, the literal
    automaton is built; the findings are those of a process that was not warmed."""
    from lint import literals

    rules = _rules()
    docs = varied_documents(7)
    monkeypatch.setattr(linter, "_PLANS", {})
    monkeypatch.setattr(gate, "_DOCS", [0])
    monkeypatch.setattr(literals, "VOCABULARY", literals._Vocabulary())
    cold = [_key(linter.lint_document(doc, rules)) for doc in docs]
    monkeypatch.setattr(linter, "_PLANS", {})
    monkeypatch.setattr(gate, "_DOCS", [0])
    monkeypatch.setattr(literals, "VOCABULARY", literals._Vocabulary())
    gated = gate.prebuild()
    linter.warm([rules])
    plan = linter._plan(rules, gate.current())
    assert plan.seen
    if literals.ACCEL and literals._ahocorasick() is not None:
        assert literals.VOCABULARY.automaton is not None and not literals.VOCABULARY.pending
        assert plan.vocabulary is literals.VOCABULARY
    if gated:
        assert gate._DOCS[0] == 1  # the next document is a process's second: it gets the gate
    warm = [_key(linter.lint_document(doc, rules)) for doc in varied_documents(7)]
    assert warm == cold
