"""lint.kinds.joined: one regex pass over a rule's joined blocks gives exactly the findings of
one pass per block."""
from __future__ import annotations

import re

import pytest

from lint.kinds import joined
from lint.kinds.joined import prepare
from lint.packs import load_rules
from lint.runner import lint_source

from helpers import bundled, one_pattern_rule
from test_literals import TEXTS, default_findings, findings

RULES = load_rules().rules


@pytest.mark.parametrize("pattern,twin", [
    (r"\bfoo\s+bar", "same"),                       # \s may take the separator: checked per match
    (r"a[^.!?]{0,120}b", "same"),
    (r"(?<![\w.])\d{4}(?![\w,]|\.\d)", "same"),      # lookarounds that cannot match "\n"
    (r"(?=[(\[])x", "same"),
    (r".(?<=[a-z]{3}[.!?])", "same"),
    (r"^foo", "multiline"),                          # line anchors: the MULTILINE twin
    (r"(?=[^\n]{3,}$)x", "multiline"),
    (r"(?<![\w.])\d{4}(?!\s*million)", None),        # a lookahead that could read past the block
    (r"(?<!\s)x", None),
    (r"\Afoo", None),
    (r"foo\Z", None),
    (r"(?>a+)b", None),
    (r"a++b", None),
    (r"x?", None),                                   # empty matches
    (r"(?s:a(?=.b))", None),                         # DOTALL dot in a lookaround
])
def test_prepare(pattern, twin):
    rx = re.compile(pattern)
    out = prepare(rx)
    if twin is None:
        assert out is None
    elif twin == "same":
        assert out is rx
    else:
        assert out.pattern == pattern and out.flags & re.MULTILINE


PATHS = ("a.txt", "a.md", "a.html")


def test_joined_runs_change_no_result(monkeypatch):
    """Every finding (span, message, severity, fix) of every rule over the fixtures, every
    rule's examples (ten to a document) and generated articles, as text, Markdown and HTML:
    the same with joined runs (the default settings' report, shared with
    tests/test_literals.py) and without."""
    texts = bundled(TEXTS)  # the rules' examples ten to a document
    assert len(texts) < len(TEXTS) / 3 and sum(map(len, texts)) >= sum(len(t.strip("\n")) for t in TEXTS)
    assert joined.ENABLED  # the default: the reference below runs joined
    fast = [default_findings(path) for path in PATHS]
    monkeypatch.setattr(joined, "ENABLED", False)
    assert [findings(path) for path in PATHS] == fast
    assert sum(len(f) for by_path in fast for f in by_path) > 1000  # the texts exercise the rules


def test_most_pattern_rules_run_joined():
    kinds = [r.impl for r in RULES if r.meta.kind in ("pattern", "docpattern")]
    assert sum(1 for k in kinds if k.twins.regexes is not None) * 2 > len(kinds)


def _rule(tmp_path, pattern, fail):
    return one_pattern_rule(tmp_path, pattern, fail)


def test_a_match_across_blocks_sends_the_rule_back_to_block_by_block(tmp_path):
    rule = _rule(tmp_path, r"stop\s+here", "⟦stop here⟧")
    assert rule.impl.twins.regexes is not None
    text = "We stop\n\nhere the tour begins.\n\nWe stop here.\n"
    found = [text[d.start:d.end] for d in lint_source(text, "a.txt", [rule]).diagnostics]
    assert found == ["stop here"] and lint_source(text, "a.txt", [rule]).diagnostics[0].start == text.index("stop here")


def test_anchors_in_a_block_with_its_own_newlines_go_block_by_block(tmp_path):
    rule = _rule(tmp_path, r"^here", "⟦here⟧ we are")
    assert rule.impl.twins.regexes is not None and rule.impl.twins.anchored
    text = "We stop\nhere for lunch.\n\nhere we go again.\n"  # Markdown: one paragraph holds a newline
    found = [(text[d.start:d.end], d.start) for d in lint_source(text, "a.md", [rule]).diagnostics]
    assert found == [("here", text.index("here we go"))]
