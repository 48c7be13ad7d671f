"""How a rule that fires again and again in one document is reported: ``demote_after`` (a
systematic cause is a few warnings, not dozens) and standalone runs (consecutive leftover
sentences are one finding)."""
from __future__ import annotations

from lint.fixer import apply_edits, select_edits
from lint.model import Applicability, Severity
from lint.packs import load_rules
from lint.runner import lint_source

from helpers import one_pattern_rule

RULES = load_rules()

EXTRA = """demote_after: 2
replace: 'y'
fix:
  applicability: safe
  safety: test
"""


def _rule(tmp_path, extra=EXTRA):
    return one_pattern_rule(tmp_path, "x+", "a ⟦xx⟧ b", extra)


def test_findings_after_the_limit_are_info_in_document_order(tmp_path):
    text = "x a xx b xxx\n\nc xxxx d x\n"
    diags = lint_source(text, "a.txt", [_rule(tmp_path)]).diagnostics
    assert [(text[d.start:d.end], str(d.severity)) for d in diags] == [
        ("x", "warning"), ("xx", "warning"), ("xxx", "info"), ("xxxx", "info"), ("x", "info")]
    assert diags[1].message.endswith("(3 more like it in this file, reported as info)")
    assert "more like it" not in diags[0].message


def test_demoted_findings_keep_their_fixes(tmp_path):
    text = "x a xx b xxx c x\n"
    result = lint_source(text, "a.txt", [_rule(tmp_path)])
    assert all(d.fix for d in result.diagnostics)
    edits = select_edits(result.diagnostics, Applicability.SAFE)
    assert apply_edits(text, edits) == "y a y b y c y\n"


def test_at_or_below_the_limit_nothing_changes(tmp_path):
    diags = lint_source("x a xx\n", "a.txt", [_rule(tmp_path)]).diagnostics
    assert [str(d.severity) for d in diags] == ["warning", "warning"]
    assert not any("more like it" in d.message for d in diags)


def test_without_the_option_every_finding_keeps_its_severity(tmp_path):
    rule = _rule(tmp_path, EXTRA.replace("demote_after: 2\n", ""))
    diags = lint_source("x a xx b xxx c x\n", "a.txt", [rule]).diagnostics
    assert {d.severity for d in diags} == {Severity.WARNING} and len(diags) == 4


def test_a_tokenised_document_gets_two_warnings_from_space_before_punctuation():
    text = "Prices rose , and wages fell , but rents stayed flat , and then , finally , fell .\n"
    diags = [d for d in lint_source(text, "a.txt", [RULES.find("SEG011")]).diagnostics]
    assert len(diags) == 6
    assert [str(d.severity) for d in diags].count("warning") == 2


def test_consecutive_leftover_sentences_are_one_finding():
    rule = RULES.find("UI014")
    text = "The council met on Monday.\n\nYour email address will not be published. Required fields are marked *\n"
    diags = lint_source(text, "a.txt", [rule]).diagnostics
    assert len(diags) == 1
    assert text[diags[0].start:diags[0].end] == \
        "Your email address will not be published. Required fields are marked *"


def test_leftover_sentences_apart_are_two_findings():
    rule = RULES.find("UI014")
    text = ("Your email address will not be published. The council met on Monday. "
            "Required fields are marked *\n")
    spans = [text[d.start:d.end] for d in lint_source(text, "a.txt", [rule]).diagnostics]
    assert spans == ["Your email address will not be published.", "Required fields are marked *"]
