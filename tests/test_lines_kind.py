"""The ``lines`` kind (UI024): a line classifier for leftover page text."""
from __future__ import annotations

import pytest

from lint.fixer import apply_edits, select_edits
from lint.model import Applicability
from lint.packs import PackError, load_rule, load_rules
from lint.runner import lint_source

UI024 = load_rules().find("UI024")

P1 = "The ferry will run again from Monday, the council said after a long meeting on Tuesday night."
P2 = "The new timetable adds two crossings in the morning and one late in the evening, it said."
P3 = "Islanders have asked for the service since the old boat was sold off in the spring of last year."


def _found(text, path="a.txt"):
    return [(text[d.start:d.end], d.message) for d in lint_source(text, path, [UI024]).diagnostics]


def test_a_run_of_headlines_after_the_article_is_one_finding_that_says_why():
    text = f"{P1}\n{P2}\nHarbour Works Begin on East Quay\nNew Market Hall Opens Its Doors\nWho Pays for the Sea Wall?\n"
    [(span, message)] = _found(text)
    assert span == "Harbour Works Begin on East Quay\nNew Market Hall Opens Its Doors\nWho Pays for the Sea Wall?"
    assert "(3 lines)" in message
    assert "a run of 3 short lines without a final stop after the article's last paragraph" in message
    assert "3 title-case" in message


def test_a_run_between_paragraphs_says_so():
    text = f"{P1}\nBusiness\nFood and Drink\nNorth of England\nSmall Business\n{P2}\n"
    [(span, message)] = _found(text)
    assert span.startswith("Business") and span.endswith("Small Business")
    assert "between paragraphs" in message


def test_a_comment_section_chrome_is_found_and_the_comments_are_left():
    text = (f"{P1}\n{P2}\n3 comments\nMara Lind\nMarch 12, 2021 at 8:14 am\n"
            "I use the early boat every day, so this is good news for everyone who works in town.\n"
            "Reply\nTom Hale says:\nMarch 12, 2021 at 9:30 am\n"
            "About time too, the winter gap was far too long for the island families.\nReply\n")
    spans = [s for s, _ in _found(text)]
    assert spans == ["3 comments\nMara Lind\nMarch 12, 2021 at 8:14 am",
                     "Reply\nTom Hale says:\nMarch 12, 2021 at 9:30 am", "Reply"]
    messages = [m for _, m in _found(text)]
    assert all("comment-section chrome" in m and "after '3 comments'" in m for m in messages)


def test_short_lines_in_comments_without_any_chrome_are_the_comments_text():
    text = f"{P1}\n{P2}\n2 comments\n{P3}\nThanks!\nJoe\n{P3}\n"
    assert [s for s, _ in _found(text)] == ["2 comments"]


def test_a_comment_link_above_the_article_opens_no_comment_section():
    text = f"Comments\n{P1}\nBy the Harbour\nJoe\n{P2}\n"
    assert [s for s, _ in _found(text)] == ["Comments"]  # the label itself is chrome


@pytest.mark.parametrize("line,why", [
    ("Posted by Ann Reyes on March 3, 2021 at 9:12 am", "post-info line"),
    ("Updated 27 minutes ago", "post-info line"),
    ("27 minutes ago", "timestamp line"),
    ("Advertise | AdChoices", "joined by '|'"),
    ("Follow @harbourtrust", "social-media handle"),
    ("Tweet", "button or widget label"),
])
def test_single_chrome_lines_between_paragraphs(line, why):
    [(span, message)] = _found(f"{P1}\n{line}\n{P2}\n")
    assert span == line and why in message


def test_a_caption_and_its_credit_are_one_finding():
    text = f"{P1}\nThe new ferry at the east quay\nPhotograph: Tom Ellery for the Courier\n{P2}\n"
    [(span, message)] = _found(text)
    assert span == "The new ferry at the east quay\nPhotograph: Tom Ellery for the Courier"
    assert "caption and its credit" in message


@pytest.mark.parametrize("text", [
    # a list the article introduces
    f"{P1}\nThe new crossings are:\nEarly Morning Boat\nMidday Service\nLate Evening Boat\n{P2}\n",
    # one subhead between paragraphs
    f"{P1}\nWhat Changes Next\n{P2}\n",
    # short sentences are prose, not leftovers
    f"{P1}\nShe said the timetable was fixed.\nIt starts next week.\nNobody asked.\n{P2}\n",
    # a table of the article's own data shares one skeleton
    f"{P1}\nAug. 30 -- Pier Hall, Keldby\nSept. 2 -- Town Hall, Orton\nSept. 5 -- Corn Exchange, Stainby\n{P2}\n",
    # headline, byline and dateline before the first paragraph
    f"Ferry Returns to the Island\nBy Ann Reyes\nKeldby Courier\n{P1}\n{P2}\n",
    # practical information after the article: lines with figures (dates, hours, an address)
    f"{P1}\n{P2}\nHarbour Festival Week\nOpen daily 10am to 6pm\nTickets from 5 pounds\nPier Road 12, Keldby\n",
    # a date range is not a button bar
    f"{P1}\n29 November 2018 | 20 January 2019\n{P2}\n",
    # no prose at all: nothing to tell leftovers from
    "Home\nNews\nSports\nOpinion\n",
])
def test_quiet_on_the_articles_own_lines(text):
    assert _found(text) == []


def test_list_items_headings_and_tables_never_join_a_run():
    md = f"{P1}\n\n- Early Morning Boat\n- Midday Service\n- Late Evening Boat\n- Night Crossing\n\n{P2}\n"
    assert _found(md, "a.md") == []
    md = f"{P1}\n\n## Early Boat\n\n## Midday Service\n\n## Late Boat\n\n{P2}\n"
    assert _found(md, "a.md") == []


def test_a_long_run_is_reported_in_pieces():
    lines = "\n".join(f"Section Number {chr(65 + i)}" for i in range(15))
    found = _found(f"{P1}\n{P2}\n{lines}\n")
    assert [s.count("\n") + 1 for s, _ in found] == [8, 7]
    assert "lines 1–8 of it" in found[0][1] and "lines 9–15 of it" in found[1][1]


def test_the_fix_deletes_the_run_and_is_unsafe():
    text = f"{P1}\n{P2}\nHarbour Works Begin on East Quay\nNew Market Hall Opens Its Doors\nWho Pays for the Sea Wall?\n"
    diags = lint_source(text, "a.txt", [UI024]).diagnostics
    assert not select_edits(diags, Applicability.SAFE)
    assert apply_edits(text, select_edits(diags, Applicability.UNSAFE)) == f"{P1}\n{P2}\n\n"


def test_html_paragraphs_are_lines():
    html = (f"<html><body><p>{P1}</p><p>{P2}</p><p>Harbour Works Begin on East Quay</p>"
            "<p>New Market Hall Opens Its Doors</p><p>Ten Walks Along the Old Coast Road</p></body></html>")
    [(span, _)] = _found(html, "a.html")
    assert span.startswith("<p>Harbour Works") and span.endswith("Coast Road</p>")


def _rule(tmp_path, extra):
    path = tmp_path / "UI901-test-lines.yaml"
    path.write_text(f"""code: UI901
name: test-lines
kind: lines
category: ui-leftover
severity: warning
summary: "leftover {{why}}"
why: because
lists:
  stopwords: [the, a, of]
shapes:
  date: '\\d{{4}}'
comment_start: ['comments']
{extra}
examples:
  fail: ["a ⟦2020⟧"]
  pass: ["b"]
""", encoding="utf-8")
    return path


@pytest.mark.parametrize("extra,error", [
    ("min_run: 1", "min_run"),
    ("comment_shapes: [nope]", "unknown shapes"),
    ("max_words: many", "max_words"),
])
def test_bad_options_are_pack_errors(tmp_path, extra, error):
    with pytest.raises(PackError, match=error):
        load_rule(_rule(tmp_path, extra))


def test_stopwords_are_required(tmp_path):
    path = _rule(tmp_path, "")
    path.write_text(path.read_text().replace("stopwords: [the, a, of]", "words: [the]"), encoding="utf-8")
    with pytest.raises(PackError, match="stopwords"):
        load_rule(path)
