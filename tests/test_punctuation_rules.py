"""Punctuation rules beyond their own examples: curly quotes, full-width marks, misplaced spaces,
and the ``pattern`` kind's per-pattern ``replace`` and ``translate`` that they use."""
from __future__ import annotations

import pytest

from lint.fixer import apply_edits, select_edits
from lint.kinds.pattern import Pattern
from lint.model import Applicability
from lint.packs import load_rules
from lint.runner import lint_source

RULES = {r.meta.code: r for r in load_rules().rules}


def _found(code, text, path="x.txt"):
    return [text[d.start:d.end] for d in lint_source(text, path, [RULES[code]]).diagnostics
            if d.severity.name.lower() != "info"]


def _fixed(codes, text, level=Applicability.SAFE):
    diags = lint_source(text, "x.txt", [RULES[c] for c in codes]).diagnostics
    return apply_edits(text, select_edits(diags, level))


# -- the pattern kind: per-pattern replace, translate ------------------------------------------

def _kind(data):
    k = Pattern.__new__(Pattern)
    k.lists = {}
    k.meta = type("M", (), {"code": "T001"})()
    k.expand = lambda p: p
    k.setup(data)
    return k


def test_a_pattern_mapping_may_carry_its_own_replacement():
    k = _kind({"patterns": [{"pattern": "a(?=b)", "replace": "A"}, "c"], "replace": "C"})
    assert k.pattern_replace == {k.regexes[0]: "A"}


@pytest.mark.parametrize("bad", [{"patterns": [{"pattern": "a", "replace": 3}]},
                                 {"patterns": ["a"], "translate": {"ab": "x"}},
                                 {"patterns": [{"pattern": "a", "other": 1}]}])
def test_bad_replace_or_translate_is_an_error(bad):
    with pytest.raises(ValueError):
        _kind(bad)


# -- curly quotes ----------------------------------------------------------------------------

def test_curly_quotes_spaced_inside_count_as_space_inside_quotes():
    text = "The film “ Chinese Doctor ” opens, and “The Long Road ” follows."
    assert _found("SEG004", text) == ["“ Chinese Doctor ”", "“The Long Road ”"]


def test_a_closing_mark_typed_the_wrong_way_round_is_not_a_free_opening_mark():
    # '“…areas. “ Zhao' and 'fat, “ said' are closing marks in the wrong direction, not quotations
    text = ("“Bees cannot live in polluted areas. “ Zhao Wei said.\nIt is low in fat, “ said Li Na.\n"
            "“ We will rebuild,” she said. “ The bridge opens in May.")
    assert _found("SEG004", text) == ["“ We will rebuild,”", "“ "]


def test_paragraph_final_closing_mark_needs_a_tokeniser_signature():
    plain = "“We will act now. ”\nThe talks resume today.\n“The bridge opens in May. ”"
    assert _found("SEG015", plain) == []
    signed = "The planet’ s future is at stake.\n" + plain
    assert _found("SEG015", signed) == [" ”", " ”"]


def test_stray_closing_mark_after_the_attribution_is_not_fixed_safely():
    text = "The planet’ s future is at stake.\n“We will act,” she said. ”"
    assert _fixed(["SEG015"], text) == text
    assert _fixed(["SEG015"], text, Applicability.DISPLAY_ONLY) == "The planet’ s future is at stake.\n“We will act,” she said."


@pytest.mark.parametrize("text,fixed", [
    ("The planet’ s oceans", "The planet’s oceans"),
    ("We don' t know", "We don't know"),
    ("Garrett ’s snaps", "Garrett’s snaps"),
])
def test_split_contractions_are_rejoined(text, fixed):
    assert _fixed(["SEG016"], text) == fixed


@pytest.mark.parametrize("text", ["the scientists’ report", "the 'cloud' back", "rock 'n' roll", "’s-Hertogenbosch"])
def test_apostrophes_that_belong_where_they_are(text):
    assert _found("SEG016", text) == []


def test_inverted_straight_quotes_and_lone_marks():
    assert _found("SEG017", 'Li agreed and Wang" waits "for the signature.') == ['" waits "']
    assert _found("SEG017", "The talks went on.\n”\nThe end.") == ["”"]
    assert _found("SEG017", 'He said "yes" and she said "no".') == []


# -- full-width marks ------------------------------------------------------------------------

def test_full_width_marks_in_latin_text_become_ascii_with_a_space():
    text = "BEIJING， July 26（Xinhua）The talks ended。Prices rose：oil、gas；coal！"
    assert _fixed(["SEG018"], text) == "BEIJING, July 26 (Xinhua) The talks ended. Prices rose: oil, gas; coal!"


@pytest.mark.parametrize("text", ["The slogan “中国，加油” was painted.", "加油！ they chanted.",
                                  "The sign read 北京（東城）。", "東京、大阪 and Kyoto"])
def test_full_width_marks_in_cjk_text_are_left_alone(text):
    assert _found("SEG018", text) == []


# -- spaces on the wrong side; clock times ---------------------------------------------------

@pytest.mark.parametrize("text,fixed", [
    ("They began to sing :My country", "They began to sing: My country"),
    ("He walked quickly ,and left", "He walked quickly, and left"),
    ("prices rose ;wages fell", "prices rose; wages fell"),
])
def test_space_before_the_mark_moves_after_it(text, fixed):
    assert _fixed(["SEG019"], text) == fixed


@pytest.mark.parametrize("text", ["Il a dit : non.", "It was 3 :2.", "Kickoff 10 :30.", "See you :D",
                                  "Use std ::vector.", "Wink ;) ok", "a list: x , y"])
def test_legitimate_spacing_around_marks(text):
    assert _found("SEG019", text) == []


@pytest.mark.parametrize("text,n", [("from 22: 00 to 23: 00 on Monday", 2), ("at 7: 30 a.m.", 1),
                                    ("as of 24: 00 on July 25", 1), ("until 4: 30 in the morning", 1),
                                    ("Part 2: 20 years later", 0), ("Chapter 3: 15 ways", 0),
                                    ("Genesis 1: 27 says", 0), ("at 10:30 on Monday", 0)])
def test_spaced_clock_times(text, n):
    assert len(_found("SEG020", text)) == n


def test_fixture_fixes_are_idempotent():
    from pathlib import Path
    text = (Path(__file__).resolve().parent.parent / "fixtures" / "curly-quote-mt.txt").read_text(encoding="utf-8")
    codes = ["SEG015", "SEG016", "SEG018", "SEG019", "SEG020"]
    once = _fixed(codes, text)
    assert once != text
    assert _fixed(codes, once) == once


# -- hyphens standing for dashes (SEG021-SEG023) ---------------------------------------------

def test_hyphen_before_a_name_finds_a_glued_source_and_a_glued_list():
    text = ("Relief work goes on in the flooded county-Xinhua\n"
            "The countries on the left are all fairly equal-Japan, Finland and Norway.")
    assert _found("SEG021", text) == ["county-Xinhua", "equal-Japan"]


@pytest.mark.parametrize("text", [
    "The anti-Brexit march, the mid-July heat and the pro-Russia rebels.",
    "The then-President and his step-Father met an ex-Soviet officer and al-Assad.",
    "A trans-Atlantic flight from Stratford-upon-Avon.",
    "Relief work goes on in the flooded county - Xinhua",
    "The Rolls-Royce plant and Sino-US talks.",
])
def test_hyphen_before_a_name_leaves_prefixes_particles_and_names_alone(text):
    assert _found("SEG021", text) == []


def test_hyphen_before_a_number_finds_a_clause_that_starts_with_a_figure():
    text = "It takes us into space-2.5 million parts. It came closer-40000 years ago."
    assert _found("SEG022", text) == ["space-2.5", "closer-40000"]


@pytest.mark.parametrize("text", [
    "The COVID-19 ward, the top-10 list, the under-18 team and the post-2008 slump.",
    "Take exit-12 and call room-204; the flight-370 search went on.",
    "A near-50:50 split and a near-50/50 chance.",
    "The level-3 alert and the grade-2 listing.",
])
def test_hyphen_before_a_number_leaves_labels_prefixes_and_ratios_alone(text):
    assert _found("SEG022", text) == []


def test_hyphen_before_an_adverb_complements_hyphen_as_dash():
    text = "We have no other light source-therefore, it must shine. Two black holes-each ten times heavier."
    assert _found("SEG023", text) == ["source-therefore", "holes-each"]
    # SEG006 has its own words; the two rules never report the same hyphen
    assert _found("SEG006", text) == []
    assert _found("SEG023", "Seen under a microscope-it is different.") == []


@pytest.mark.parametrize("text", ["A thank-you note.", "An odd-even scheme and a break-even year.",
                                  "A do-it-yourself kit.", "Sold as-is.", "A so-so match."])
def test_hyphen_before_an_adverb_leaves_compounds_alone(text):
    assert _found("SEG023", text) == []


# -- ungrouped counts in an article that groups nothing (SEG024, kind docstyle) ----------------

def test_two_different_ungrouped_counts_in_an_ungrouped_article_are_reported():
    text = ("The number of returning antelopes was 4860, an increase of 338.\n"
            "A total of 2045 cases were confirmed (1455 cases were discharged).")
    assert _found("SEG024", text) == ["4860", "2045", "1455"]


def test_one_grouped_number_anywhere_turns_the_rule_off():
    text = ("The number of returning antelopes was 4860, an increase of 338.\n"
            "A total of 2045 cases were confirmed (1455 cases were discharged).\n"
            "The reserve covers 45,000 square kilometres.")
    assert _found("SEG024", text) == []


def test_a_single_ungrouped_count_is_a_house_style_not_a_habit():
    assert _found("SEG024", "The number of returning antelopes was 4860, an increase of 338.") == []
    # the same number twice (a headline and its lead) is one piece of evidence
    assert _found("SEG024", "Antelopes reach 4860, a record\nThe herd reached 4860, a record.") == []


def test_years_labels_and_times_are_not_counts():
    text = "In 1712 the ship sailed, in 1725 it was retired.\nRoad 1230 and Room 4411 were closed; 2300 GMT."
    assert _found("SEG024", text) == []


def test_what_seg014_reports_is_left_to_it():
    text = "The council counted 4404 fishermen and 2600 sheds; the herd was 4860, a record."
    assert _found("SEG014", text) == ["4404", "2600"]
    assert _found("SEG024", text) == ["4860"]


def _docstyle(tmp_path, extra):
    from lint.kinds.docstyle import DocStyle
    path = tmp_path / "T001-x.yaml"
    path.write_text("code: T001\n", encoding="utf-8")
    data = {"patterns": [r"\d{4}"], **extra}
    return DocStyle(type("M", (), {"code": "T001"})(), path, data)


def test_docstyle_needs_absent_and_a_real_docpattern_to_defer_to(tmp_path):
    with pytest.raises(ValueError, match="absent"):
        _docstyle(tmp_path, {})
    with pytest.raises(ValueError, match="defer_to"):
        _docstyle(tmp_path, {"absent": [","], "defer_to": "nope.yaml"})
    (tmp_path / "T002-y.yaml").write_text("code: T002\nkind: pattern\npatterns: ['a']\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a docpattern"):
        _docstyle(tmp_path, {"absent": [","], "defer_to": "T002-y.yaml"})
    with pytest.raises(ValueError, match="defer_to"):
        _docstyle(tmp_path, {"absent": [","], "defer_to": "../T002-y.yaml"})
