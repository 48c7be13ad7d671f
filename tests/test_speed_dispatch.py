"""Issue 19: lint.linter asks the Hyperscan gate, before calling a rule's check, the question the
check would ask first (lint.regex.gate.GATED_CHECKS: ``pattern`` and ``context`` rules whose
patterns the document's scan rules out are not called at all), from a plan made once per rule
list (lint.linter._plan). The findings must be those of calling every check."""
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


def test_asking_the_gate_first_finds_what_every_check_finds(monkeypatch):
    rules = _rules()
    if not gate.prebuild():
        pytest.skip("Hyperscan is not installed here: there is no gate to ask")
    monkeypatch.setattr(gate, "_DOCS", [10])  # every document gated, the first one too
    asked = []

    def counted(form, found):
        out = gate.rules_out(form, found)
        asked.append(out)
        return out

    monkeypatch.setattr(linter, "rules_out", counted)
    docs = varied_documents(11)
    for doc in docs:
        fast = linter.lint_document(doc, rules)
        with monkeypatch.context() as m:  # every check called, each asking the gate itself
            m.setattr(linter, "GATED_CHECKS", frozenset())
            m.setattr(linter, "_PLANS", {})
            plain = linter.lint_document(doc, rules)
        assert _key(fast) == _key(plain), doc.path
    assert any(asked) and not all(asked)  # rules were skipped here, and others were not


def test_the_plan_follows_its_list_and_its_gate():
    rules = _rules()
    g = gate.current() if gate.prebuild() else None
    plan = linter._plan(rules, g)
    assert [e[0] for e in plan] == rules
    assert linter._plan(rules, g) is plan  # the same list and gate: the same plan
    fewer = rules[:-1]
    assert [e[0] for e in linter._plan(fewer, g)] == fewer
    rules.pop()  # a list changed in place is planned again
    assert [e[0] for e in linter._plan(rules, g)] == rules
    # without a gate nothing is asked first
    assert all(e[4] is None for e in linter._plan(rules, None))
    if g is not None:  # with one, the pattern rules are (their check opens with the same test)
        assert any(e[4] is not None for e in linter._plan(rules, g))
