"""lint.regex._stored._shift: patterns that open with lookarounds are reordered to open with a character
(the regex engine then skips ahead in C). The matches must be exactly those of re.compile."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from lint import regex
from lint.packs import load_rules
from lint.runner import lint_source

pytestmark = pytest.mark.skipif(not regex.stored(),
                                reason="the private regex compiler API is not usable on this interpreter")

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

TEXT = ("Of 1,250 and 01,250 and 3,100,200 x1,000. The end . . Yes ,no. said.The 4404 boats "
        "and 18250 sheds; «Très» bien — naïve café. ÉCOLE école 2nd 10000 a-the b--c Mr. Smith, "
        "(AP: Jane Doe) 1.000.000 and 2 500 000 per cent; ΑΒΓ Αthens x\u00a0.\n\tnew line 0123")

CASES = [
    r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\w,]|\.\d)",  # a repeated class after a lookbehind
    r"(?<![\w.,:;/#+=\-–—$€£¥\"])(?<!\) )(?<!\d )(?!0)\d{5,9}(?![\w\-–/\"]|[.,:]\w| \d)",  # lookahead too
    r"(?<=[^\W_]|[)\"”’])\.(?P<stray>[ \t\u00a0]+\.)(?![.\w])",  # a literal; a group after it
    r"(?<=[^\W\d_])--(?=[^\W\d_])",
    r"(?<![\w.,])\d{1,3}(?:\.\d{3}){2,}(?![\w,]|\.\d)|(?<![\w.,])\d{1,3}(?: \d{3}){2,}",  # alternatives
    r"(?<=[a-z,;] )[A-Z][\w.'’-]*\s\d+",
    r"(?<=[a-z] )X+?",  # a lazy repeat
    r"(?<![\w'’-])(?:écoles?|écolier)(?![\w'’-])",  # cased, with IGNORECASE below
    r"(?<![^\W\d_])[αβγΑΒΓ]+",
]


def _spans(rx, text):
    return [(m.span(), m.groups(), m.groupdict()) for m in rx.finditer(text)]


@pytest.mark.parametrize("pattern", CASES)
@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_a_reordered_pattern_matches_what_re_compile_matches(pattern, flags):
    shifted = regex._stored.build(pattern, flags, shift=True)
    plain = re.compile(pattern, flags)
    assert shifted.pattern == plain.pattern and shifted.groupindex == plain.groupindex
    assert shifted != plain, "expected the pattern to be reordered"
    for text in (TEXT, TEXT.upper(), TEXT.lower(), TEXT[1:], ""):
        assert _spans(shifted, text) == _spans(plain, text)
        for pos in (0, 3, 5, 40):  # also from an offset (a lookbehind then sees real text)
            assert [m.span() for m in shifted.finditer(text, pos)] == [m.span() for m in plain.finditer(text, pos)]


@pytest.mark.parametrize("pattern", [
    r"\b(?:Mr|Mrs)\.",  # no lookaround in front
    r"(?=\w\w)ab",  # a lookahead two characters wide
    r"(?<!a)(x)y",  # the first character is in a capture group: spans would move
    r"(?<!a)(?:xy|z)",  # alternatives after the guard
    r"(?<!a)x*y",  # the first item may match nothing
])
def test_patterns_it_does_not_apply_to_are_left_alone(pattern):
    plain = re.compile(pattern)
    built = regex._stored.build(pattern, 0, shift=True)
    assert built == plain


#: the built-in rule set with the reordering on (the default): the session's shared one
#: (tests/conftest.py keys it by the setting too), so the test below builds only the other
SHIFTED = load_rules().rules if regex.SHIFT else None


@pytest.mark.fresh_rules  # the set without reordering is built anew (never the shared one)
def test_findings_are_the_same_with_and_without_reordering(monkeypatch):
    """Every built-in rule over the fixture articles: identical findings with the reordering
    off (patterns as re.compile makes them) and on."""
    articles = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".txt", ".md", ".html"))
    texts = [(str(p), p.read_text(encoding="utf-8")) for p in articles]

    def findings(rules):
        out = []
        for path, text in texts:
            r = lint_source(text, path, rules)
            out.append([(d.code, d.start, d.end, d.message) for d in r.diagnostics])
        return out, rules

    assert regex.SHIFT and SHIFTED is not None  # the default setting: SHIFTED was built with it
    on, rules_on = findings(SHIFTED)
    monkeypatch.setattr(regex, "SHIFT", False)
    monkeypatch.setattr(regex, "_BUILT", {})
    off, rules_off = findings(load_rules().rules)
    assert off == on
    assert sum(map(len, on)) > 20
    # and the reordering did apply to many of the rule patterns
    changed = 0
    for a, b in zip(rules_off, rules_on):
        for x, y in zip(vars(a.impl).values(), vars(b.impl).values()):
            if isinstance(x, list):
                changed += sum(1 for p, q in zip(x, y) if isinstance(p, re.Pattern) and p != q)
    assert changed >= 5
