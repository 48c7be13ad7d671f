"""The prose Copydesk extracts from Markdown agrees with CommonMark: for every example of the
CommonMark 0.31.2 spec (tests/data/commonmark, CC-BY-SA 4.0), the texts of the blocks equal
what markdown-it-py's token stream says is prose, except the differences listed in
``INTENDED`` (each with its reason)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from lint.document import MASK, parse
from lint.document.textmap import LITERAL

SPEC = Path(__file__).parent / "data" / "commonmark" / "spec-0.31.2.json"
EXAMPLES = json.loads(SPEC.read_text(encoding="utf-8"))

_BR = re.compile(r"<br\s*/?>", re.I)
# a markdown-it-py of its own (not Copydesk's, whose inline rules are wrapped): CommonMark with
# the extensions Copydesk reads
_REFERENCE = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(footnote_plugin)


def _norm(text: str) -> str:
    return " ".join(text.split())


def reference_prose(markdown: str) -> list[str]:
    """Prose by markdown-it-py's tokens: every paragraph, heading and table cell outside HTML
    blocks, its text and escaped or entity characters; code, images, autolinks and footnote
    references as one placeholder; inline HTML as nothing (a ``<br>`` as a space). Written
    apart from lint/document/markdown.py on purpose: the oracle shares no code with what it
    checks."""
    out = []
    tokens = _REFERENCE.parse(markdown)
    for k, t in enumerate(tokens):
        if t.type != "inline" or tokens[k - 1].type not in ("paragraph_open", "heading_open", "th_open", "td_open"):
            continue
        parts = []
        auto = 0
        for c in t.children or []:
            if c.type == "link_open" and c.markup == "autolink":
                auto += 1
                parts.append(MASK)
            elif c.type == "link_close" and auto:
                auto -= 1
            elif auto:
                continue
            elif c.type in ("text", "text_special"):
                parts.append(c.content)
            elif c.type in ("softbreak", "hardbreak"):
                parts.append(" ")
            elif c.type in ("code_inline", "image", "footnote_ref"):
                parts.append(MASK)
            elif c.type == "html_inline" and _BR.fullmatch(c.content):
                parts.append(" ")
        text = _norm("".join(parts))
        if text.replace(MASK, "").strip():
            out.append(text)
    return out


def copydesk_prose(markdown: str, doc=None) -> list[str]:
    doc = doc if doc is not None else parse(markdown, "spec.md")
    return [_norm(b.text) for b in doc.blocks if b.kind not in ("frontmatter.title", "caption")]


#: example number -> why Copydesk's prose differs from markdown-it-py's on purpose
INTENDED: dict[int, str] = {
    96: "a file that starts with '---' lines closed by '---' is front matter (Jekyll, Hugo), not a thematic break and a setext heading",
    177: "text after an HTML comment on the comment's last line is linted (an HTML block in CommonMark)",
    606: "bare e-mail addresses are masked (GFM extended autolink), also inside text CommonMark leaves alone",
    608: "bare URLs are masked (GFM extended autolink), also between '<' and '>' with spaces",
    611: "bare URLs are masked (GFM extended autolink)",
    612: "bare e-mail addresses are masked (GFM extended autolink)",
}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: str(e["example"]))
def test_spec_example(example):
    """Each spec example, parsed once: every literal segment of its blocks equals its source
    (most text is literal: placed exactly), and its prose is markdown-it-py's, apart from the
    INTENDED differences (one test per example rather than two: half the per-test overhead
    of 652 examples, and one parse)."""
    md = example["markdown"]
    doc = parse(md, "spec.md")
    for b in doc.blocks:
        assert b.text == b.map.text()
        for t0, t1, s0, s1, kind in b.map.parts:
            if kind == LITERAL:
                assert b.text[t0:t1] == md[s0:s1]
    got, want = copydesk_prose(md, doc), reference_prose(md)
    if example["example"] in INTENDED:
        assert got != want, f"example {example['example']} now agrees: remove it from INTENDED"
        return
    assert got == want, (example["section"], md)


def test_the_examples_are_all_there():
    assert len(EXAMPLES) == 652 and EXAMPLES[0]["example"] == 1 and EXAMPLES[-1]["example"] == 652
