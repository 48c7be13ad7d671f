"""The Markdown parser's simple-document path (lint.document.markdown: _fast_tokens,
_fast_children) makes the tokens markdown-it-py would, so a document parsed without
markdown-it-py is the same Document, field by field: block kinds, texts, spans, zones, indexes,
lines, every map segment, comments. Checked on hand-written documents at the path's edges, the
CommonMark spec examples, the fixtures, seeded random documents (near-simple and hostile) and the
fuzz test's articles."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lint.document import markdown as M
from lint.document import parse
from lint.document.mdalign import Aligner

from fuzz_gen import articles, soups

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "data" / "commonmark" / "spec-0.31.2.json"


def block_view(tokens) -> list:
    out = []
    for t in tokens:
        row: tuple = (t.type,)
        if t.type == "inline":  # (a paragraph_open's lines are not read: the inline token's are)
            row += (list(t.map), t.content)
        elif t.type == "heading_open":
            row += (list(t.map), t.markup)
        out.append(row)
    return out


def inline_view(tokens) -> list:
    return [(t.type, t.content if t.type in ("text", "text_special") else None, (t.meta or {}).get("cd"), t.info,
             t.markup if t.type in ("link_open", "text_special") else None) for t in tokens]


def doc_view(source: str) -> tuple:
    d = parse(source, "x.md")
    return ([(b.kind, b.text, b.src_start, b.src_end, b.zone, b.index, b.first_line, list(b.map.parts),
              list(b.map._text), list(b.map._tstarts)) for b in d.blocks], list(d.comments), d.format)


def differences(source: str, monkeypatch=None) -> tuple[list[str], bool]:
    """What differs between the simple path and markdown-it-py (empty: nothing), and whether the
    simple path took the whole document."""
    md = M.markdown_it()
    norm = Aligner(source).norm
    bad = []
    fast = None
    if norm.strip():
        env: dict = {}
        fast = M._fast_tokens(norm, env)
        if fast is not None:
            env2: dict = {}
            if block_view(fast) != block_view(md.parse(norm, env2)):
                bad.append("block tokens")
            if env != env2:
                bad.append("env")
    env = {}
    for t in md.parse(norm, env) if norm.strip() else []:
        if t.type == "inline" and t.content:
            mine = M._fast_children(t.content)
            if mine is not None:
                theirs: list = []
                md.inline.parse(t.content, md, env, theirs)
                if inline_view(mine) != inline_view(theirs):
                    bad.append(f"inline tokens of {t.content!r}")
    with_fast = doc_view(source)
    try:
        M.FAST = False
        without = doc_view(source)
    finally:
        M.FAST = True
    if with_fast != without:
        bad.append("document")
    return bad, fast is not None


EDGES = [
    "# Title\n\nText with [a link](https://example.org/x) and `code`.\n\n- one\n- two\n",
    "# Title #\n## Sub ##  \n### a # b ###\n#### #\n##### ##\n###### x\n####### seven\n#\n# \n",
    "#tag\n", "#\ttab heading\n", "text\n# heading\nmore\n",
    "```\ncode\n```\n\n~~~py\n```\n~~~\n\n````\n```\n````\n", "```\nunclosed\n\n- item\n",
    "``` `x`\ntext\n", "``\ntext\n", "text\n```\ncode\n```\n", "   ```\nx\n   ```\n", "```\n    ```\n```\n",
    "```\n```  \t\nafter\n", "~~~\n~~~~\n",
    "- a\n- b\n\n- c\n\n\n- d\nafter\n", "- a\n* b\n+ c\n", "- a\nlazy\nlines\n- b\n", "- a\n# h\n", "- a\n```\nx\n```\n",
    "- a\n\ntext\n", "text\n- a\n", "- [ ] task\n- [x] done\n", "- [a](b) link item\n", "-  two spaces\n", "-\tx\n",
    "- # h\n", "- > q\n", "- - x\n", "- 1. x\n", "* * *\n", "- \u00a0x\n", "-\n", "- ```\n",
    "1. one\n", "1) one\n", "2024. A year\n", "1. a\n2. b\n\n3. c\n", "1. a\n1) b\n", "2. a\n- b\n", "- a\n2. b\n",
    "text\n1. a\n", "text\n2. a\n", "1. a\nlazy\n2. b\n", "1. a\n# h\n", "1. a\n\ntext\n", "10. ten\n11. eleven\n",
    "1.  two spaces\n", "1.\tx\n", "1. # h\n", "1. - x\n", "1. 2. x\n", "1234567890. x\n", "0. zero\n", "007. x\n",
    "# h\n2. x\n", "```\nx\n```\n3. x\n", "1. [x](y) `z`\n",
    "- a\n  b\n  c\n- d\n", "- a\n  b\nc\n  d\n", "- a\n   b\n", "- a\n b\n", "- a\n  - b\n", "- a\n  # b\n",
    "- a\n  1. b\n", "- a\n  > b\n", "- a\n  ```\n", "- a\n\t b\n", "- a\n \tb\n", "1. a\n   b\n", "10. a\n    b\n",
    "10. a\n   b\n", "- a  \n  b\n", "- a\n  [x]: y\n", "- a\n  b | c\n", "- a\n\n  b\n", "- a\n  \u00a0b\n", "2024 was a year\n", "3.5 percent\n", "text\n2. not a list\n",
    "[a]: /url\n", "[a] text\n", "[a](b) text\n", "[a]\n", "[^1]: note\n", "[a\\]: b\n", "text\n[a]: b\n",
    "> quote\n", "<div>\n", "a | b\n--|--\n", "a | b\n", "===\n", "text\n===\n", "text\n---\n", "***\n", "___\n",
    "    code\n", " text\n", "text\n  indented\n", "\ttext\n", "\u00a0text\n", "\u3000\n", "text\n\u3000\nmore\n",
    "a `b` c `d` e\n", "a `b\n", "a ``b`` c\n", "a `b`` c\n", "`x`\n", "a `[x](y)` b\n", "a `<b>` b\n",
    "a [x](y)[z](w) b\n", "a [](u) b\n", "a [ x ](y) b\n", "a [x] (y) b\n", "a [x](y z) b\n", "a [x](<y>) b\n",
    "a [x](javascript:y) b\n", "a [x](JAVASCRIPT:y) b\n", "a [x](data:image/png;b) b\n", "a [x](y(z)) b\n",
    "a ![x](y) b\n", "a! b!\n", "a ^[x] b\n", "a [^x] b\n", "a [x`y](z) b\n", "a [x!y](z) b\n",
    "line one  \nline two \nline three\t\nfour\\\nfive\n", "a  \n  b\n", "`a`  \nb\n", "[a](b) \nc\n",
    "text\r\nwith CRLF\r\n\r\n- item\r\n", "lone\rCR\r", "nul \x00 here\n", "---\ntitle: T\n---\n# H\n\ntext\n",
    "a\x1c\n", "\x85a\n", "a\u2028\n", "a *b* c\n", "a _b_ c\n", "a ~~b~~ c\n", "a <b> c\n", "a &amp; c\n", "a \\* c\n",
    "x@y.org and www.example.com and https://example.org.\n", "", "\n\n", "  \n\t\n",
]


@pytest.mark.parametrize("source", EDGES)
def test_edges(source):
    assert differences(source)[0] == []


def test_typical_articles_take_the_simple_path():
    article = ("# The council warned\n\nTeachers said it. See [the report](https://example.org/r/1) and "
               "`data-2.csv`.\n\n## Background\n\n- A spokesperson declined.\n- Critics said.\n\n```\ncode\n```\n")
    assert M._fast_tokens(Aligner(article).norm, {}) is not None
    assert M._fast_children("See [the report](https://example.org/r/1) and `data-2.csv`.") is not None
    assert differences(article) == ([], True)


def test_trim_characters_are_markdown_its():
    from markdown_it.common.utils import MD_TRIM_CHARS

    assert M._MD_TRIM == MD_TRIM_CHARS


def test_spec_examples():
    examples = json.loads(SPEC.read_text(encoding="utf-8"))
    taken = 0
    for ex in examples:
        bad, fast = differences(ex["markdown"])
        assert bad == [], ex["example"]
        taken += fast
    assert taken > 150  # the path is exercised, not skipped


def test_fixtures():
    for path in sorted((ROOT / "fixtures").rglob("*.md")):
        assert differences(path.read_text(encoding="utf-8"))[0] == [], path


# -- seeded random documents --------------------------------------------------------------------------

WORDS = ["The", "minister", "said", "prices", "rose", "a", "b", "café", "naïve", "北京", "2024", "3.5", "e-mail",
         "x@y.org", "www.example.com", "https://example.org/a", "now.", "w.", "(see)", "it's"]
ODD = ["\"quoted\"", "—", "…", "!", "?", ":", "50%", "#tag", "a#", "-", "+", "=", "~", "*", "_", "&", "&amp;", "<b>",
       "\\", "^", "]", "[", "`", "``", "!!", "\x1c", "\x85", "\u2028", "\u2009", "\ufeff", "\u00a0"]
INLINE = ["`code`", "`a b`", "` x `", "`[x]`", "`<div>`", "`a\\b`", "``two``", "`", "[the report](https://example.org/r/1)",
          "[x](y)", "[](url)", "[ a ](b)", "[a] (b)", "[a](b c)", "[a](<b>)", "[a](javascript:x)", "[a](JavaScript:x)",
          "[a](data:image/png;x)", "[a](b(c))", "[a](b)c", "![img](x.png)", "[a][b]", "[^1]", "^[note]", "[a`b](c)",
          "[a!b](c)", "[a\nb](c)", "[a](b \"t\")", "*em*", "_em_", "**st**", "~~del~~", "<http://a.b>", "&copy;", "\\*",
          "[a](b)[c](d)", "`x``", "`x` `y`", "!", "a!", "![", "[a](b\tc)", "[a](b&c)", "[a](https://x.org/?q=1&r=2)"]
PREFIXES = ["# ", "## ", "###### ", "####### ", "#", "#\t", "- ", "* ", "+ ", "-  ", "-\t", "1. ", "1) ", "2. ", "2024. ",
            "> ", "    ", "   ", " ", "\t", "[a]: ", "[^1]: ", "| ", "=", "---", "***", "___", "- - -", "<div>",
            "<!-- c -->", "[x](y) ", "[x]", "[x\\]: ", "\u00a0", "\u3000", "- [ ] ", "- [x] ", "- # ", "- > ", "- 1. ",
            "- ```", "-", "- \u00a0"]
FENCES = ["```", "```py", "~~~", "````", "``` `x`", "   ```", "    ```", "``", "~~~~ ", "```  ", "\t```", " ~~~"]
SIMPLE_INLINE = ["`code`", "[the report](https://example.org/r/1)", "[x](y)", "`data-1.csv`", "[](u)", "[ a ](b)", "a!",
                 "!", "`[x]`", "`<b>`", "`a*b*`", "\x1c", "\x85", "\u2028", "\u00a0"]


def _inline(r: random.Random, simple: bool, newlines: bool) -> str:
    parts = []
    for _ in range(r.randint(1 if simple else 0, 8)):
        x = r.random()
        if x < (0.7 if simple else 0.6):
            parts.append(r.choice(WORDS) if simple or r.random() < 0.8 else r.choice(ODD))
        elif x < (0.93 if simple else 0.9):
            parts.append(r.choice(SIMPLE_INLINE if simple else INLINE))
        else:
            parts.append(r.choice(["  \n", " \n", "\n", "\t\n", "\n  ", "   "]) if newlines else " ")
    return r.choice([" ", " ", " ", "", "  "]).join(parts)


def _line(r: random.Random) -> str:
    x = r.random()
    if x < 0.12:
        return r.choice(["", "", " ", "\t", "  \t "])
    if x < 0.17:
        return r.choice(FENCES)
    pre = r.choice(PREFIXES) if r.random() < 0.5 else ""
    suf = r.choice(["", "", "", " #", " ##", "#", " # ", "  ", " ", "\t", " \\"]) if r.random() < 0.2 else ""
    return pre + _inline(r, False, False) + suf


def random_document(seed: int, simple: bool) -> str:
    """A hostile document (simple False), or a simple one with an odd line or piece here and there."""
    r = random.Random(seed)
    lines = []
    for _ in range(r.randint(1, 16)):
        x = r.random()
        if not simple:
            lines.append(_inline(r, False, True) if x < 0.3 else _line(r))
        elif x < 0.03:
            lines.append(_line(r))
        elif x < 0.08:
            lines.append(r.choice(["```", "~~~", "```py", "````"]))
        elif x < 0.13:
            lines.append(r.choice(["", " ", "\t"]))
        else:
            pre = r.choice(["", "", "", "", "# ", "## ", "- ", "- ", "* ", "+ ", "1. ", "2. ", "1) ", "10. ", "3) "])
            body = _inline(r, True, not pre)
            if r.random() < 0.03:
                body += r.choice(INLINE)
            if r.random() < 0.03:
                body = r.choice(INLINE) + body
            if pre and pre[0] in "-*+0123456789" and r.random() < 0.3:  # continued, indented as the text
                body += r.choice(["\n", "  \n"]) + " " * (len(pre) - r.choice([0, 0, 0, 1, -1])) + _inline(r, True, False)
            suf = r.choice(["", "", "", " #", " ##", "#", "  ", " "]) if r.random() < 0.1 else ""
            lines.append(pre + body + suf)
        if r.random() < (0.5 if simple else 0.4):
            lines.append("")
    nl = r.choice(["\n"] * 8 + ["\r\n", "\r"])
    text = nl.join(lines)
    if r.random() < 0.5:
        text += nl
    if r.random() < 0.04:
        text = text.replace("a", "\x00", 1)
    if r.random() < 0.05:
        text = "---\ntitle: T\n---\n" + text
    return text


@pytest.mark.parametrize("simple", [True, False])
def test_random_documents(simple):
    taken = 0
    for seed in range(1500):
        source = random_document(seed, simple)
        bad, fast = differences(source)
        assert bad == [], (seed, source)
        taken += fast
    assert taken > (300 if simple else 150)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(articles(formats=("markdown",)), soups(formats=("markdown",))))
def test_fuzz_articles(article):
    assert differences(article[1])[0] == []


# -- the C-search tests that replace regular expressions ------------------------------------------------

PIECES = ["a", "W", "w", "ww", "www.", "WwW.", "wwww.", "w.", ".", "x.org", "://", "http://a.b", "https://x.y/z",
          "@", "a@b.co", " ", "\t", "\n", "\u00a0", "\u3000", "\x1c", "\x85", "\ufffc", "\\", "`", "*", "_", "~", "[",
          "]", "<", "&", "(", "é", "İ", "K"]


def random_strings(n: int):
    r = random.Random(7)
    for _ in range(n):
        yield "".join(r.choice(PIECES) for _ in range(r.randint(0, 12)))


def test_character_tests_match_the_regular_expressions():
    import re

    www = re.compile(r"[wW]{3}\.")
    for text in random_strings(20000):
        assert M._no_inline(text) == bool(M._NO_INLINE.fullmatch(text)), text
        assert M._plain_line(text) == bool(M._PLAIN_LINE.fullmatch(text)), text
        m = www.search(text)
        assert M._first_www(text) == (m.start() if m else -1), text
        start = M._first_url_start(text)
        urls = [x.span() for x in M._BARE_URL.finditer(text)]
        if urls:
            assert 0 <= start <= urls[0][0], text
        if start >= 0:
            assert [x.span() for x in M._BARE_URL.finditer(text, start)] == urls, text
        else:
            assert urls == [], text


def reference_line_marks(src: str):
    """The former line-by-line scan of markdown.py's line markers."""
    bm, em, ts, sc = [], [], [], []
    start, length = 0, len(src)
    find = src.find
    while start < length:
        end = find("\n", start)
        if end < 0:
            end = length
        pos = start
        while pos < end and src[pos] in " \t":
            pos += 1
        if pos == end == length:
            break
        indent = pos - start
        offset = indent
        if indent and find("\t", start, pos) >= 0:
            ws = src[start:pos]
            offset = 4 * indent if " " not in ws else 0
            for ch in ws if " " in ws else ():
                offset = offset + 4 - offset % 4 if ch == "\t" else offset + 1
        bm.append(start)
        em.append(end)
        ts.append(indent)
        sc.append(offset)
        start = end + 1 if end < length else length
    n = len(bm)
    return bm + [length], em + [length], ts + [0], sc + [0], n


def test_line_marks_are_the_former_ones():
    r = random.Random(5)
    pieces = ["a", " ", "  ", "\t", "\n", "\n\n", " \t", "\t ", "- ", "#", "\u00a0"]
    for _ in range(20000):
        src = "".join(r.choice(pieces) for _ in range(r.randint(0, 14)))
        assert M._line_marks(src) == reference_line_marks(src), src
