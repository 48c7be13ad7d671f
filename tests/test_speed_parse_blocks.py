"""A simple Markdown document's blocks are made straight from the scan (lint.document.markdown:
_fast_scan, _Parser.simple_blocks, _line_map) without tokens: the same Document, field by field
(kinds, texts, spans, zones, indexes, lines, every map segment, comments, suppressions), as
_fast_tokens' tokens walked by the token loop (the former path) and as markdown-it-py's (FAST
off). Checked on the simple-path edge cases, the CommonMark spec examples, seeded random
documents (near-simple and hostile, and lines of inline markup at _line_map's edges), the fuzz
test's articles, the varied documents and the generated corpus, each parsed as Markdown."""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lint.document import _PARSERS, parse
from lint.document import markdown as M

from fuzz_gen import articles, soups
from helpers import varied_documents
from test_speed_parse_simple import EDGES, INLINE, ODD, SIMPLE_INLINE, WORDS, random_document

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "data" / "commonmark" / "spec-0.31.2.json"


class _TokenParser(M._Parser):
    """The former simple path: _fast_tokens' tokens through the token loop."""

    def simple_blocks(self, items: list) -> None:
        self.walk(M._fast_tokens(self.al.norm, {}))


def _via_tokens(doc) -> None:
    _TokenParser(doc).parse()


def view(d) -> tuple:
    return ([(b.kind, b.text, b.src_start, b.src_end, b.zone, b.index, b.first_line, list(b.map.parts),
              list(b.map._text), list(b.map._tstarts)) for b in d.blocks],
            list(d.comments), [(s.codes, s.start, s.end, s.line) for s in d.suppressions], d.format)


def check(source: str) -> bool:
    """The three paths agree on ``source`` parsed as Markdown; whether the simple path took it."""
    fast = parse(source, "x.md")
    parse("", "x.md")  # (the parser is registered)
    plain = _PARSERS["markdown"]
    try:
        _PARSERS["markdown"] = _via_tokens
        tokens = parse(source, "x.md")
    finally:
        _PARSERS["markdown"] = plain
    try:
        M.FAST = False
        without = parse(source, "x.md")
    finally:
        M.FAST = True
    assert view(fast) == view(tokens), source
    assert view(fast) == view(without), source
    norm = M.Aligner(source).norm
    return bool(norm.strip()) and M._fast_scan(norm) is not None


def test_edges():
    for source in EDGES:
        check(source)


def test_spec_examples():
    examples = json.loads(SPEC.read_text(encoding="utf-8"))
    assert sum(check(ex["markdown"]) for ex in examples) > 150


@pytest.mark.parametrize("simple", [True, False])
def test_random_documents(simple):
    taken = sum(check(random_document(seed, simple)) for seed in range(1500))
    assert taken > (300 if simple else 150)


# lines of text, code spans and links at _line_map's edges: blanks and other whitespace at either
# end, task checkboxes, masks, bare links and e-mail addresses, empty links, spacing to mend
EDGE_PIECES = WORDS + SIMPLE_INLINE + ["[ a ](b)", "[a ](b)", "[ a](b)", "[](u)", "`x`", "` `", "[x] ", "[ ] ", "[X]\t",
                                       "\ufffc", "\x1c", "\x85", "\u2028", "\u00a0", "\u3000", "\t", "  ", "www.a.b",
                                       "http://x.y", "a@b.co", "[^1]", "a!", "![", "\\h", "ttp://x.y", "W.", "wWw.x"]


def line_document(seed: int) -> str:
    r = random.Random(seed)
    lines = []
    for _ in range(r.randint(1, 8)):
        pre = r.choice(["", "", "# ", "## ", "- ", "* ", "1. ", "- [ ] ", "- [x] ", "2) "])
        body = r.choice(["", " ", "  "]).join(r.choice(EDGE_PIECES) for _ in range(r.randint(1, 6)))
        lines.append(pre + body + r.choice(["", "", " ", "  ", "\t", " #"]))
        if r.random() < 0.6:
            lines.append("")
    text = r.choice(["\n"] * 6 + ["\r\n"]).join(lines) + r.choice(["", "\n"])
    if r.random() < 0.1:
        text = "---\ntitle: T\n---\n" + text
    return text


def test_inline_lines():
    taken = 0
    for seed in range(3000):
        taken += check(line_document(seed))
    assert taken > 1200


def test_line_map_is_used():
    """The typical article's paragraph of text, a link and a code span is made by _line_map."""
    calls = []
    real = M._line_map

    def spy(*args):
        got = real(*args)
        calls.append(got is not None)
        return got

    M._line_map = spy
    try:
        assert check("# T\n\nSee [the report](https://example.org/r/1) and `data-1.csv`.\n\n- a `b` c\n")
    finally:
        M._line_map = real
    assert calls and all(calls)


def test_varied_documents_and_corpus():
    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import article

    sources = [d.source for d in varied_documents(11, markdown_examples=True)]
    rng = random.Random(3)
    sources += [article(rng, True) for _ in range(200)]
    taken = sum(check(s) for s in sources)
    assert taken > 200


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(articles(formats=("markdown",)), soups(formats=("markdown",))))
def test_fuzz_articles(article):
    check(article[1])


def test_odd_and_inline_pieces_alone():
    for piece in ODD + INLINE:
        for pre in ("", "- ", "# "):
            check(pre + piece + "\n")
            check(pre + "a " + piece + " b\n")
