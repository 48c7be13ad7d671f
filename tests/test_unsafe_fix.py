"""`fix --unsafe-fixes` never takes a real sentence with a leftover (issue 16).

A prompt or link line glued to the next sentence without a stop ("Click here to read more The
vote was 7-2 …") is reported and fixed as the prompt only, and the fixer refuses any unsafe
deletion that would still remove a glued sentence with a finite verb, a number or a quotation.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lint.clauses import finite_verb, glued_starts
from lint.fixer import _select, _widen, fix_source, unsafe_loss
from lint.model import Applicability, Edit
from lint.packs import load_rules
from lint.runner import lint_source

RULES = [r for r in load_rules().rules if r.meta.default_enabled]
ALL_RULES = load_rules().rules
UNSAFE = Applicability.UNSAFE


def lint_fn(path="x.txt", rules=RULES):
    def lint(text):
        r = lint_source(text, path, rules)
        return r.document, r.diagnostics
    return lint


def fix(text, path="x.txt"):
    return fix_source(text, lint_fn(path), UNSAFE).fixed


def spans(text, code, path="x.txt"):
    return [text[d.start:d.end] for d in lint_source(text, path, RULES).diagnostics if d.code == code]


# -- the three reports of issue 16 ---------------------------------------------------------------

def test_click_here_glued_to_a_sentence_keeps_the_sentence():
    text = ("Click here to read more The vote was 7-2 in favour of the motion. "
            "The company said growth was 12 per cent.\n")
    assert spans(text, "UI017") == ["Click here to read more"]
    assert fix(text) == "The vote was 7-2 in favour of the motion. The company said growth was 12 per cent.\n"


def test_read_more_line_glued_to_a_sentence_keeps_the_sentence():
    text = "Read more: Floods hit the region The colour of the flag was changed in 1998 .\n"
    assert spans(text, "UI008") == ["Read more: Floods hit the region"]
    assert fix(text) == "The colour of the flag was changed in 1998 .\n"


def test_click_here_glued_to_a_sentence_before_an_ellipsis_keeps_it_whole():
    text = "Click here to read more She paused . . . and then spoke again.\n"
    assert spans(text, "UI017") == ["Click here to read more"]
    assert fix(text) == "She paused . . . and then spoke again.\n"


def test_a_prose_sentence_glued_before_the_prompt_is_kept():
    text = "The vote was close Click here to read more\n"
    assert spans(text, "UI017") == ["Click here to read more"]
    assert fix(text) == "The vote was close\n"


# -- the guard in the fixer ----------------------------------------------------------------------

@pytest.mark.parametrize("text,verb", [
    ("The vote was 7-2.", "was"),
    ("She paused and spoke.", "paused"),
    ("Police arrested two men on Monday.", "arrested"),
    ("The company said growth was slow.", "said"),
    ("It says the plan is dead.", "says"),
    ("They will meet again.", "will"),
    ("Harbour scheme faces fresh delay", None),   # a headline: no subject the heuristics know
    ("Click here for more information.", None),   # an imperative is not a finite clause here
    ("For breaking news, download the Ledger app.", None),
])
def test_finite_verb_heuristics(text, verb):
    assert finite_verb(text) == verb


def test_glued_starts_need_a_lowercase_word_that_can_end_a_phrase():
    assert glued_starts("Click here to read more The vote was 7-2") == [24]
    assert glued_starts("Download the Ledger app for iOS") == []       # after 'the', 'for'
    assert glued_starts("Read more: Harbour Scheme Faces Delay") == []  # title case, after a colon
    assert glued_starts("CLICK HERE TO GET THE APP") == []


def test_an_unsafe_deletion_of_a_glued_sentence_is_dropped_and_the_rest_kept():
    # a rule that still reports the whole line (as UI017 did): its fix is refused, the finding
    # stays, and the other fixes of the file are applied
    text = "Click here to read more The vote was 7-2 in favour.\n\nThe region. .\n"
    whole = Edit(0, text.index("\n"), "")
    assert unsafe_loss(text, whole) == "The vote was 7-2 in favour."
    assert unsafe_loss(text, Edit(0, 23, "")) is None

    def lint(t):
        doc, diags = lint_fn()(t)
        import dataclasses
        from lint.model import Fix
        out = []
        for d in diags:
            if d.code == "UI017":
                end = t.index("\n")
                d = dataclasses.replace(d, end=end, fix=Fix((Edit(d.start, end, ""),), UNSAFE, "delete"))
            out.append(d)
        return doc, out

    outcome = fix_source(text, lint, UNSAFE)
    assert outcome.fixed == "Click here to read more The vote was 7-2 in favour.\n\nThe region.\n"
    assert [c for c, _ in outcome.skipped] == ["UI017"]


def test_every_unsafe_rule_fix_example_passes_the_guard():
    n = 0
    for rule in ALL_RULES:
        if rule.meta.fix_applicability != UNSAFE:
            continue
        for ex in rule.meta.fixes:
            path = {"text": "x.txt", "markdown": "x.md", "html": "x.html"}[ex.format]
            diags = lint_source(ex.text, path, [rule]).diagnostics
            for d in diags:
                for e in d.fix.edits:
                    assert unsafe_loss(ex.text, e) is None, (rule.meta.code, ex.text)
                    n += 1
    assert n >= 15


# -- property: generated articles with leftovers, some glued to the next sentence --------------

PROSE = [
    "The vote was 7-2 in favour of the motion.",
    "She paused . . . and then spoke again.",
    "The company said growth was 12 per cent.",
    "Police arrested two men on Monday night.",
    "He told reporters: “We will not give up.”",
    "The colour of the flag was changed in 1998.",
    "They expected the ferry to run again by June.",
    "It rained for 40 days, the council said.",
    "The minister has resigned.",
    "“It is over,” said the coach.",
]
LEFTOVERS = [
    "Click here to read more",
    "Click here for more information.",
    "Read more: Floods hit the region",
    "Read more: Harbour scheme faces fresh delay",
    "Related: Ten ways the storm changed the coast",
    "Follow us on Twitter and Facebook.",
    "This website uses cookies to improve your experience.",
    "Download the Ledger app for iOS and Android.",
    "Subscribe",
]
_WORDS = re.compile(r"[\w’'“”\"]+")


def _words(text):
    return _WORDS.findall(text)


def _contains(haystack, needle):
    n = len(needle)
    return any(haystack[i:i + n] == needle for i in range(len(haystack) - n + 1))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(LEFTOVERS + PROSE), st.sampled_from([" ", "\n", "\n\n", "glue"])),
                min_size=1, max_size=8))
def test_unsafe_fixes_never_lose_a_sentence_and_touch_only_reported_text(parts):
    text = ""
    for part, sep in parts:
        if sep == "glue":  # the leftover's stop lost, the next sentence glued on
            text += part.rstrip(".") + " "
        else:
            text += part + sep
    text = text.rstrip(" ") + "\n"
    lint = lint_fn()
    once = fix_source(text, lint, UNSAFE).fixed
    # no sentence with a finite verb, a number or a quotation disappears
    words = _words(once)
    for s in PROSE:
        if s.rstrip(".") in text:
            assert _contains(words, _words(s.rstrip("."))), (s, text, once)
    # fixing again changes nothing
    assert fix_source(once, lint, UNSAFE).fixed == once
    # the first pass changes only reported spans (and the spaces around them)
    doc, diags = lint(text)
    flagged = [(d.start, d.end) for d in diags if d.fix and d.fix.applicability >= UNSAFE]
    for d, e in _widen(doc, _select(diags, UNSAFE)):
        for i in range(e.start, e.end):
            assert text[i].isspace() or any(a <= i < b for a, b in flagged), (d.code, text[e.start:e.end])
