"""The one parametrised test: every rule's own examples, straight from its YAML file."""
from __future__ import annotations

import pytest

from lint.fixer import apply_edits, select_edits
from lint.model import Applicability
from lint.packs import load_rules
from lint.runner import lint_source

RULES = load_rules().rules


def _fmt(ex):
    return {"text": "x.txt", "markdown": "x.md", "html": "x.html"}[ex.format]


def _cases(kind):
    for rule in (r for r in RULES if kind != "fail" or not getattr(r.impl, "RUN_LEVEL", False)):  # run-level: test_crossdoc
        examples = {"fail": rule.meta.fail, "pass": rule.meta.passes, "fix": rule.meta.fixes}[kind]
        for i, ex in enumerate(examples):
            yield pytest.param(rule, ex, id=f"{rule.meta.code}-{kind}-{i + 1}")


def _spans(rule, text, path):
    return sorted((d.start, d.end) for d in lint_source(text, path, [rule]).diagnostics)


@pytest.mark.parametrize("rule,example", list(_cases("fail")))
def test_fail_example_reports_exactly_the_marked_spans(rule, example):
    assert _spans(rule, example.text, _fmt(example)) == sorted(example.spans)


@pytest.mark.parametrize("rule,example", list(_cases("pass")))
def test_pass_example_reports_nothing(rule, example):
    assert _spans(rule, example.text, _fmt(example)) == []


@pytest.mark.parametrize("rule,example", list(_cases("fix")))
def test_fix_example(rule, example):
    assert rule.meta.fix_applicability is not None, "a fix example needs a 'fix' section"
    diags = lint_source(example.text, _fmt(example), [rule]).diagnostics
    edits = select_edits(diags, Applicability.UNSAFE)
    assert edits, "the fix example produced no fix"
    assert apply_edits(example.text, edits) == example.fixed


def _entry_cases():
    for rule in RULES:
        for entry in getattr(rule.impl, "entries", []):
            for kind in ("fail", "pass"):
                for i, sentence in enumerate(entry[kind]):
                    yield pytest.param(rule, kind, sentence, id=f"{rule.meta.code}-{entry['idiom']}-{kind}-{i + 1}")


@pytest.mark.parametrize("rule,kind,sentence", list(_entry_cases()))
def test_phrase_entry_examples(rule, kind, sentence):
    if kind == "fail":
        text, spans = sentence
        assert _spans(rule, text, "x.txt") == sorted(spans)
    else:
        assert _spans(rule, sentence, "x.txt") == []
