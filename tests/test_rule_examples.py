"""The one parametrised test: every rule's own examples, straight from its YAML file."""
from __future__ import annotations

from pathlib import Path

import pytest

from lint.model import Applicability
from lint.packs import load_rules, load_yaml
from lint.runner import fix_text, lint_source

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


def fix_applicability(rule, index):
    """The applicability a fix example is written for: the rule's own, or ``unsafe`` when the
    example says so (a safe rule's example that only ``fix --unsafe-fixes`` writes)."""
    raw = load_yaml(Path(rule.meta.path))["examples"]["fix"][index]
    return Applicability.parse(raw["applicability"]) if "applicability" in raw else rule.meta.fix_applicability


def real_fix(rule, example, minimum):
    """What ``copydesk fix`` (``--unsafe-fixes`` when ``minimum`` is unsafe) writes for the
    example's text with only ``rule`` selected: the runner's fix loop, every round of it."""
    result = fix_text(example.text, _fmt(example), [rule], minimum=minimum)
    assert result.error is None, result.error
    return example.text if result.fixed is None else result.fixed


@pytest.mark.parametrize("rule,example", list(_cases("fix")))
def test_fix_example_is_what_copydesk_fix_writes(rule, example):
    assert rule.meta.fix_applicability is not None, "a fix example needs a 'fix' section"
    minimum = fix_applicability(rule, rule.meta.fixes.index(example))
    assert minimum in (Applicability.SAFE, Applicability.UNSAFE), "display-only fixes are never written"
    assert example.fixed != example.text, "a fix example must change its text"
    fixed = real_fix(rule, example, minimum)
    assert fixed == example.fixed
    # the loop is done: fixing what it wrote changes nothing
    assert fix_text(fixed, _fmt(example), [rule], minimum=minimum).fixed is None
    if minimum == Applicability.UNSAFE and rule.meta.fix_applicability == Applicability.SAFE:
        # marked unsafe in a safe rule: plain `copydesk fix` must indeed not write it (once it
        # does, the mark goes)
        assert real_fix(rule, example, Applicability.SAFE) != example.fixed


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


def _explain(code):
    from click.testing import CliRunner

    from lint.cli import main

    result = CliRunner().invoke(main, ["explain", code])
    assert result.exit_code == 0, result.output
    return result.output


def test_explain_shows_the_fix_example_copydesk_fix_writes():
    rule = next(r for r in RULES if r.meta.code == "FOOT001")
    example = rule.meta.fixes[0]
    written = real_fix(rule, example, rule.meta.fix_applicability)
    assert written == "The bridge reopened on Monday.\n"  # the line goes, and its line break with it
    out = _explain("FOOT001")
    fixed = out[out.index("Fixed:\n"):out.index("Defined in")]
    assert fixed == f"Fixed:\n  {example.text}\n  → {written}\n\n"
    assert "Monday.\n\n\n\n" not in out  # the old example: a blank line left where the footer was


@pytest.mark.parametrize("code", sorted({r.meta.code for r in RULES if r.meta.fixes}))
def test_explain_shows_every_fix_example_as_written(code):
    rule = next(r for r in RULES if r.meta.code == code)
    out = _explain(code)
    for i, example in enumerate(rule.meta.fixes):
        written = real_fix(rule, example, fix_applicability(rule, i))
        assert f"  {example.text}\n  → {written}\n" in out
