"""lint.crossdoc: boilerplate by frequency across the documents of a run (UI025 repeated-line)."""
from __future__ import annotations

import random
from collections import Counter

import pytest

from lint import crossdoc
from lint.fixer import apply_edits
from lint.model import Applicability, Severity
from lint.packs import load_rules

RULES = load_rules().rules
UI025 = next(r for r in RULES if r.meta.code == "UI025")

PROSE = [
    "The harbour board met on Tuesday and agreed to repair the north pier before winter.",
    "Fishing crews said the delay had cost them most of the autumn season, a loss they put at thousands.",
    "A spokesperson for the board said contractors would start work within a fortnight of the vote.",
    "Residents of the old quarter have asked for a footbridge since the floods of the previous decade.",
    "The council expects the new timetable to be published once the consultation has closed next month.",
]


def _own(n) -> str:
    """A long line of prose only article ``n`` has (its fingerprint: see document_fingerprint)."""
    tag = "".join("abcdefghij"[int(c)] for c in str(n))  # digits are masked in keys: letters differ
    return (f"In the session the harbour board heard from more witnesses than expected, among them "
            f"pilot {tag.title()}, engineers and owners of the small boats moored along the quay.")


def _article(rng: random.Random, furniture: list[str], n=None) -> str:
    lines = rng.sample(PROSE, 3) + [_own(n if n is not None else rng.randrange(10**9))]
    for f in furniture:
        lines.insert(rng.randrange(len(lines) + 1), f)
    return "\n".join(lines) + "\n"


def test_normalise_folds_case_digits_spacing_and_edge_punctuation():
    assert crossdoc.normalise("  Share   THIS: ") == crossdoc.normalise("share this") == "share this"
    assert crossdoc.normalise("Posted 3 hours ago") == crossdoc.normalise("Posted 12 hours ago")
    assert crossdoc.normalise("Posted 3 hours ago") != crossdoc.normalise("Posted 3 days ago")
    assert crossdoc.normalise("« Previous | Next »") == "previous | next"


@pytest.mark.parametrize("line,expected", [
    ("Share this", True),
    ("Comments are closed.", True),
    ("All rights reserved.", True),
    ("Copyright 2024 Harbour Gazette. All rights reserved.", False),  # 7 words and a stop: read as prose
    ("The council will meet again on Monday to vote on the plan.", False),  # a sentence of prose
    ("one two three four five six seven eight nine ten eleven twelve thirteen", False),  # too long
    ("12", False),  # no letters
    ("—", False),
])
def test_is_candidate(line, expected):
    assert crossdoc.is_candidate(line) is expected


@pytest.mark.parametrize("fmt,text", [
    ("text", "Harbour news\nShare this\nThe harbour board met on Tuesday and agreed to repair the pier.\n"),
    ("markdown", "# Harbour news\n\n- **Share this**\n\nThe harbour board met on Tuesday and agreed to repair it.\n\n"
                 "```\nShare code\n```\n\n| Share cell |\n|---|\n| x |\n"),
    ("html", "<html><body><h1>Harbour news</h1><p>Share <b>this</b></p><script>Share script</script>"
             "<p>The harbour board met on Tuesday and agreed to repair the pier.</p></body></html>"),
])
def test_candidates_are_short_lines_with_source_offsets(fmt, text):
    cands = crossdoc.candidates(text, fmt)
    keys = [k for k, _, _ in cands]
    # no prose, code, script, table cell, nor a marked-up heading (a plain line may be anything)
    assert keys == (["harbour news"] if fmt == "text" else []) + ["share this"]
    for key, s, e in cands:
        assert crossdoc.normalise(text[s:e].replace("<b>", "").replace("</b>", "")) == key
    if fmt == "markdown":  # the markers are not part of the span
        assert [text[s:e] for _, s, e in cands] == ["Share this"]


def test_a_document_counts_a_key_once_and_counters_add():
    docs = [["a", "a", "b"], ["b"], ["c", "b"]]
    assert crossdoc.count(docs) == Counter({"b": 3, "a": 1, "c": 1})
    assert crossdoc.count(docs[:1]) + crossdoc.count(docs[1:]) == crossdoc.count(docs)


def test_frequent_needs_min_docs_and_min_share():
    c = Counter({"x": 5, "y": 4, "z": 3})
    assert crossdoc.frequent(c, 10, min_docs=4, min_share=0.0) == {"x", "y"}
    assert crossdoc.frequent(c, 100, min_docs=4, min_share=0.05) == {"x"}
    assert crossdoc.frequent(c, 1000, min_docs=2, min_share=0.01) == frozenset()


def test_run_reports_furniture_in_every_document_and_nothing_else():
    rng = random.Random(3)
    texts = [_article(rng, ["Share this story", "Comments are closed."] if i % 2 == 0 else ["Sign up today"], n=i)
             for i in range(12)]
    texts += [_article(rng, ["A line only this page has"])]
    res = crossdoc.run([(t, "text") for t in texts], min_docs=4, min_share=0.1)
    for text, diags in zip(texts, res):
        found = sorted(text[d.start:d.end] for d in diags)
        want = sorted(x for x in ("Share this story", "Comments are closed.", "Sign up today") if x in text)
        assert found == want
        for d in diags:
            assert (d.code, d.name, d.category, d.severity) == ("UI025", "repeated-line", "ui-leftover", Severity.WARNING)
            assert "in 6 of 13 documents" in d.message  # six even and six odd pages
            assert d.fix.applicability == Applicability.UNSAFE


def test_result_does_not_depend_on_order_or_partitions():
    rng = random.Random(5)
    texts = [(_article(rng, rng.sample(["Share this", "Print", "Reply", "Read more"], 2)), "text") for _ in range(20)]
    whole = crossdoc.run(texts)
    parts = [texts[:7], texts[7:13], texts[13:]]
    counter = sum((crossdoc.count((k for k, _, _ in crossdoc.candidates(t, f)) for t, f in p) for p in parts), Counter())
    keys = crossdoc.frequent(counter, len(texts))
    again = [crossdoc.findings(crossdoc.candidates(t, f), keys, len(texts), counts=counter, source=t) for t, f in texts]
    assert [[(d.start, d.end, d.message) for d in x] for x in again] == [[(d.start, d.end, d.message) for d in x] for x in whole]
    assert any(whole)
    shuffled = list(reversed(texts))
    back = list(reversed(crossdoc.run(shuffled)))
    assert [[(d.start, d.end) for d in x] for x in back] == [[(d.start, d.end) for d in x] for x in whole]


@pytest.mark.parametrize("fmt,text,fixed", [
    ("text", "Share this\nThe pier reopens.\n", "The pier reopens.\n"),
    ("text", "The pier reopens.\nShare this", "The pier reopens."),
    ("markdown", "The pier reopens.\n\n- Share this\n- Two\n", "The pier reopens.\n\n- Two\n"),
    ("html", "<p>The pier reopens.</p>\n<p>Share this</p>\n<p>End.</p>\n", "<p>The pier reopens.</p>\n<p>End.</p>\n"),
    ("text", "Note: Share this\n", "Note: \n"),  # other text on the line: only the span goes
])
def test_fix_deletes_the_whole_line_when_nothing_else_is_text(fmt, text, fixed):
    cands = [c for c in crossdoc.candidates(text, fmt) if c[0] == "share this" or c[0].endswith("share this")]
    cands = [(k, s, e) for k, s, e in cands]
    assert cands
    if fmt == "text" and text.startswith("Note"):
        s = text.index("Share")
        cands = [("share this", s, s + len("Share this"))]
    diags = crossdoc.findings(cands, frozenset(k for k, _, _ in cands), 9, counts={k: 9 for k, _, _ in cands}, source=text)
    assert apply_edits(text, [e for d in diags for e in d.fix.edits]) == fixed


def test_suppression_comment_silences_it():
    from lint.document import parse

    text = "<!-- copydesk-disable-next-line UI025 -->\nShare this\n\nShare this\n"
    doc = parse(text, "a.md", "markdown")
    cands = crossdoc.document_candidates(doc)
    diags = crossdoc.findings(cands, frozenset({"share this"}), 5, source=text)
    assert len(diags) == 2
    kept = crossdoc.suppressed(diags, doc)
    assert [text[d.start:d.end] for d in kept] == ["Share this"] and kept[0].start == text.rindex("Share")


# -- the rule file: meta for select/ignore/explain; its examples, placed in a run -----------

def test_rule_meta_and_per_document_check_is_silent():
    m = UI025.meta
    assert (m.kind, m.category, m.severity, m.fix_applicability) == ("repeats", "ui-leftover", Severity.WARNING,
                                                                      Applicability.UNSAFE)
    assert UI025.impl.min_docs == crossdoc.MIN_DOCS and UI025.impl.min_share == crossdoc.MIN_SHARE
    from lint.runner import lint_source

    assert lint_source("Share this\n" * 3, "a.txt", [UI025]).diagnostics == []


@pytest.mark.parametrize("i", range(len(UI025.meta.fail)))
def test_fail_example_placed_in_a_run_reports_exactly_the_marked_spans(i):
    ex = UI025.meta.fail[i]
    n = UI025.impl.min_docs
    docs = [(ex.text + "\n\n" + _own(k) + "\n", ex.format) for k in range(n)]  # n distinct articles
    for diags in crossdoc.run(docs, min_docs=n, min_share=UI025.impl.min_share):
        assert sorted((d.start, d.end) for d in diags) == sorted(ex.spans)
    assert not any(crossdoc.run(docs[:-1], min_docs=n, min_share=UI025.impl.min_share))
    # copies of one article are one document
    assert not any(crossdoc.run([docs[0]] * n, min_docs=n, min_share=UI025.impl.min_share))


@pytest.mark.parametrize("i", range(len(UI025.meta.passes)))
def test_pass_example_placed_in_a_run_reports_nothing(i):
    ex = UI025.meta.passes[i]
    assert not any(crossdoc.run([(ex.text + "\n\n" + _own(k) + "\n", ex.format) for k in range(10)]))


def test_copies_of_an_article_count_once():
    rng = random.Random(8)
    body = _article(rng, ["The bottom line"], n=1)  # the article's own subheading
    copies = [body.replace("\n", "\nShare this page\n", 1) if k % 2 else body for k in range(6)]
    others = [_article(rng, ["Share this page"], n=k) for k in range(2, 6)]
    texts = [(t, "text") for t in copies + others]
    res = crossdoc.run(texts, min_docs=5, min_share=0.0)
    found = {t[d.start:d.end] for (t, _), ds in zip(texts, res) for d in ds}
    # "The bottom line" stands in six copies of one article; "Share this page" in 4 others + the copies
    assert found == {"Share this page"}
    fps = {crossdoc.fingerprint(t) for t in copies}
    assert len(fps) == 1 and crossdoc.fingerprint(others[0]) not in fps


# -- house style by majority ------------------------------------------------------------------

def test_house_style_reports_the_minority_form_of_the_run():
    from lint.document import parse

    srules = crossdoc.style_rules(RULES)
    assert "CONS001" in [r[0] for r in srules]
    docs = [f"Mr Smith{k} spoke first. The council met.\n" for k in range(6)] + \
           ["Mr. Brown spoke first. The council met.\n", "Mr. Brown and Mr Smith met.\n"]
    counter = Counter()
    for t in docs:
        counter.update(crossdoc.style_usage(parse(t, "a.txt", "text"), srules))
    major = crossdoc.majorities(counter, min_docs=5)
    m, n, total = major["CONS001"]
    assert (n, total) == (7, 8) and "undotted" in srules[[r[0] for r in srules].index("CONS001")][5][m][0]
    found = crossdoc.style_findings(parse(docs[6], "a.txt", "text"), srules, major)
    assert [(d.code, docs[6][d.start:d.end]) for d in found] == [("CONS001", "Mr. Brown")]
    assert "7 of the 8 documents" in found[0].message
    # a span the document's own rule reported is not reported twice
    assert crossdoc.style_findings(parse(docs[6], "a.txt", "text"), srules, major, existing=found) == []
    # no majority: fewer than min_docs, or no form used by more than half
    assert crossdoc.majorities(counter, min_docs=8) == {}
    assert crossdoc.majorities(Counter({("CONS001", 0): 5, ("CONS001", 1): 5})) == {}
