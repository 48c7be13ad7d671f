"""The ``menu`` kind (UI023): a run of flattened menu links is one finding."""
from __future__ import annotations

import pytest

from lint.packs import PackError, load_rule, load_rules
from lint.runner import lint_source

UI023 = load_rules().find("UI023")


def _found(text, path="a.txt"):
    return [(text[d.start:d.end], d.message) for d in lint_source(text, path, [UI023]).diagnostics]


def test_a_menu_is_one_finding_with_its_line_count():
    text = "Home\nNews\nHarbour Works\nSports\nOpinion\nSubscribe\nThe ferry runs again from Monday, the council said.\n"
    [(span, message)] = _found(text)
    assert span == "Home\nNews\nHarbour Works\nSports\nOpinion\nSubscribe"
    assert "(6 lines)" in message and "'Home · News · Harbour Works · Sports …'" in message


def test_lines_set_off_by_an_empty_line_without_menu_words_stay_out():
    text = ("The ferry runs again from Monday, the council said.\n\nSource link\nPVA / son\n\n"
            "Home\nRegion\nBusiness\nSport\nOpinion\nContact Us\n\nHarbour Trust\n")
    [(span, _)] = _found(text)
    assert span == "Home\nRegion\nBusiness\nSport\nOpinion\nContact Us"


def test_lines_joined_to_the_menu_without_an_empty_line_are_part_of_it():
    text = "The ferry runs again from Monday, the council said.\n\nHarbour Trust\nHome\nNews\nSports\nOpinion\n"
    [(span, _)] = _found(text)
    assert span == "Harbour Trust\nHome\nNews\nSports\nOpinion"


@pytest.mark.parametrize("text", [
    "The magazine has five sections:\nNews\nPeople\nSafety\nSport\nCareers\n",  # a list it introduces
    "Home\nNews\nSports\nThe ferry runs again from Monday, the council said.\nOpinion\nSubscribe\n",  # broken
    "Harwick\nMillbrook\nSouth Fenby\nOldcastle\nPenmore\nNews\n",  # one menu word is not enough
    "Home\nNews\n10:30 Sports\nOpinion\n",  # too short once the timed line breaks it
])
def test_not_a_menu(text):
    assert _found(text) == []


def test_markdown_list_items_are_the_articles_structure():
    assert _found("Intro paragraph here.\n\n- Home\n- News\n- Sports\n- Opinion\n- Subscribe\n", "a.md") == []


def test_bad_options_are_pack_errors(tmp_path):
    path = tmp_path / "UI901-test-menu.yaml"
    path.write_text("""code: UI901
name: test-menu
kind: menu
category: ui-leftover
severity: warning
summary: "menu {match}"
why: because
lists:
  words: [home, news]
min_blocks: 1
examples:
  fail: ["⟦Home\nNews⟧"]
  pass: ["a b"]
""", encoding="utf-8")
    with pytest.raises(PackError, match="min_blocks"):
        load_rule(path)
