"""The Markdown parser: blocks, kinds, texts, and the exactness of the text <-> source maps."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lint.document import MASK, parse
from lint.document.textmap import GAP, LITERAL, MASKED


def md(source: str):
    doc = parse(source, "x.md")
    check_maps(doc)
    return doc


def kt(source: str) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in md(source).blocks]


def texts(source: str) -> list[str]:
    return [b.text for b in md(source).blocks]


def check_maps(doc) -> None:
    """Literal segments equal their source, segments tile the text, sources only go forward."""
    src = doc.source
    last_start = -1
    for b in doc.blocks:
        tm = b.map
        assert b.text == tm.text()
        assert b.text.strip(), b
        assert "\r" not in b.text
        assert b.text == b.text.strip(), repr(b.text)
        t = 0
        s_prev = None
        for t0, t1, s0, s1, kind in tm.parts:
            assert t0 == t, tm.parts
            assert t0 <= t1 and s0 <= s1, tm.parts
            if s_prev is not None:
                assert s0 == s_prev, tm.parts
            if kind == LITERAL:
                assert b.text[t0:t1] == src[s0:s1]
            elif kind == GAP:
                assert t0 == t1
            elif kind == MASKED:
                assert b.text[t0:t1] == MASK and s1 > s0
            t, s_prev = t1, s1
        assert t == len(b.text)
        assert 0 <= b.src_start <= tm.src_start <= tm.src_end <= b.src_end <= len(src)
        assert b.src_start > last_start  # blocks come in source order
        last_start = b.src_start
    for s, e, inner in doc.comments:
        assert src[s:e].startswith("<!--") and src[s:e].endswith("-->")
        assert src[s + 4:e - 3] == inner


def word_at(doc, word: str, nth: int = 0) -> tuple[int, int]:
    """Source span of the ``nth`` occurrence of ``word`` in the blocks' texts."""
    seen = 0
    for b in doc.blocks:
        i = b.text.find(word)
        while i >= 0:
            if seen == nth:
                return b.to_source(i, i + len(word))
            seen += 1
            i = b.text.find(word, i + 1)
    raise AssertionError(f"{word!r} not in {[b.text for b in doc.blocks]}")


# == block constructs ==================================================================================

def test_yaml_front_matter_only_title_is_a_block():
    doc = md('---\ntitle: "The Title"\nauthor: Someone Else\ntags: [a, b]\n---\n\nBody text.\n')
    assert [(b.kind, b.text) for b in doc.blocks] == [("frontmatter.title", "The Title"), ("paragraph", "Body text.")]
    b = doc.blocks[0]
    assert doc.source[b.src_start:b.src_end] == 'title: "The Title"'
    assert [p[4] for p in b.map.parts if p[0] != p[1]] == [LITERAL]


@pytest.mark.parametrize("line, text", [
    ("title: Plain title here", "Plain title here"),
    ("title: 'It''s single'", "It's single"),
    ('title: "Say \\"hi\\""', 'Say "hi"'),
    ("title: Plain # a comment", "Plain"),
])
def test_yaml_title_values(line, text):
    assert kt(f"---\n{line}\n---\nx\n")[0] == ("frontmatter.title", text)


def test_yaml_block_scalar_title_and_dots_closer():
    assert kt("---\ntitle: >-\n  A folded\n  title\nx: 1\n...\nBody\n") == [
        ("frontmatter.title", "A folded title"), ("paragraph", "Body")]


def test_yaml_front_matter_without_title_and_nested_title():
    assert kt("---\nauthor: Me\n---\nBody\n") == [("paragraph", "Body")]
    assert kt("---\ntitle:\n  en: English\n---\nBody\n") == [("paragraph", "Body")]


def test_toml_front_matter():
    assert kt('+++\ndate = 2020-01-01\ntitle = "TOML title"\n[params]\ntitle = "no"\n+++\nBody\n') == [
        ("frontmatter.title", "TOML title"), ("paragraph", "Body")]


def test_unclosed_front_matter_is_not_front_matter():
    # "---" then text with no closer: a thematic break and a paragraph
    assert kt("---\ntitle: x\n") == [("paragraph", "title: x")]


def test_atx_headings():
    doc = md("# One\n## Two ##\n###   Three   ###   \n#### Four#\n#5 not heading\n")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "One"), ("heading", "Two"), ("heading", "Three"), ("heading", "Four#"),
        ("paragraph", "#5 not heading")]
    two = doc.blocks[1]
    assert doc.source[two.src_start:two.src_end] == "## Two ##"
    assert two.map.src_start == two.src_start and two.map.src_end == two.src_end  # "## " and " ##" are gaps


def test_setext_headings():
    doc = md("Big title\n=========\n\nSmaller\none\n---\n\nPara\n")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "Big title"), ("heading", "Smaller one"), ("paragraph", "Para")]
    assert doc.source[doc.blocks[0].src_start:doc.blocks[0].src_end] == "Big title\n========="


def test_paragraph_soft_breaks_are_entities():
    doc = md("First line\n   second line\nthird.\n\nNext para.\n")
    assert texts(doc.source) == ["First line second line third.", "Next para."]
    b = doc.blocks[0]
    ents = [(p[2], p[3]) for p in b.map.parts if p[4] == "entity"]
    assert [doc.source[s:e] for s, e in ents] == ["\n   ", "\n"]


def test_hard_line_breaks():
    assert texts("two spaces  \nbackslash\\\nend") == ["two spaces backslash end"]


def test_bullet_and_ordered_list_items():
    doc = md("- one\n* two\n  continued\n+ three\n\n1. first\n2) second\n10. tenth\n")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("list.item", "one"), ("list.item", "two continued"), ("list.item", "three"),
        ("list.item", "first"), ("list.item", "second"), ("list.item", "tenth")]
    two = doc.blocks[1]
    assert doc.source[two.src_start:two.src_end] == "* two\n  continued"
    assert two.map.parts[0][4] == GAP and doc.source[two.map.parts[0][2]:two.map.parts[0][3]] == "* "


def test_nested_lists_and_lazy_continuation():
    src = "- outer\n  - inner\n    more inner\n- second\nlazy line\n\n  Second paragraph of item.\n"
    assert kt(src) == [("list.item", "outer"), ("list.item", "inner more inner"),
                       ("list.item", "second lazy line"), ("list.item", "Second paragraph of item.")]


def test_list_item_indentation_and_code():
    # continuation at the item's content column is prose; four more columns is indented code
    # (CommonMark; the hand-written parser linted such code)
    assert kt("- item\n\n  still prose\n") == [("list.item", "item"), ("list.item", "still prose")]
    assert kt("- item\n\n      run --until end. .\n") == [("list.item", "item")]


def test_blockquotes_nested_and_lazy():
    doc = md("> Quoted *text*\n> continues\n>\n> > Nested\nlazy\n\n>Tight\n")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("blockquote", "Quoted text continues"), ("blockquote", "Nested lazy"), ("blockquote", "Tight")]
    first = doc.blocks[0]
    assert doc.source[first.src_start:first.src_end] == "> Quoted *text*\n> continues"
    ent = [p for p in first.map.parts if p[4] == "entity"][0]
    assert doc.source[ent[2]:ent[3]] == "\n> "


def test_blockquote_with_list_and_heading():
    assert kt("> # Title\n> - item\n") == [("heading", "Title"), ("list.item", "item")]


def test_table_cells():
    doc = md("| Name | Value |\n|:-----|------:|\n| *a* | b \\| c |\n| `x` |\n\nAfter\n")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("table.cell", "Name"), ("table.cell", "Value"), ("table.cell", "a"), ("table.cell", "b | c"),
        ("paragraph", "After")]
    assert doc.source[doc.blocks[2].src_start:doc.blocks[2].src_end] == "*a*"


def test_table_without_outer_pipes_and_not_a_table():
    assert kt("a | b\n--|--\nc | d\n") == [("table.cell", t) for t in "abcd"]
    # column count mismatch: a paragraph and a setext heading
    assert kt("a | b\n---\n") == [("heading", "a | b")]


def test_fenced_code_is_skipped():
    src = "Before\n\n```python\nprint('code')\n```\n\n~~~~\n~~~\nstill code\n~~~~\n\n`````\nunclosed\n"
    assert texts(src) == ["Before"]


def test_fence_interrupts_paragraph_and_info_with_backtick_is_not_a_fence():
    assert texts("Para\n```\ncode\n```\nAfter") == ["Para", "After"]
    assert texts("``` not `a` fence\ntext") == [f"``` not {MASK} fence text"]


def test_indented_code_is_skipped():
    assert texts("Para\n\n    code line\n\tmore code\n\nAfter\n") == ["Para", "After"]
    # an indented line cannot interrupt a paragraph
    assert texts("Para\n    continued\n") == ["Para continued"]


def test_html_blocks_are_skipped_except_figcaption():
    src = ('<div class="x">\n<p>Not linted</p>\n</div>\n\n'
           '<figure>\n  <img src="a.png" alt="Alt text">\n  <figcaption>A <em>fine</em> caption &amp; more'
           '</figcaption>\n</figure>\n\n<script>\nvar x = 1;\n\nvar y = "<p>";\n</script>\n\n'
           '<style>\np { color: red }\n</style>\nAfter\n')
    doc = md(src)
    assert [(b.kind, b.text) for b in doc.blocks] == [("caption", "A fine caption & more"), ("paragraph", "After")]
    cap = doc.blocks[0]
    assert doc.source[cap.src_start:cap.src_end].startswith("<figcaption>")
    assert doc.source[cap.src_start:cap.src_end].endswith("</figcaption>")


def test_figcaption_with_markdown_inside():
    src = "<figure>\n<figcaption>\n\nA *caption* in Markdown.\n\n</figcaption>\n</figure>\n\nBody\n"
    assert kt(src) == [("caption", "A caption in Markdown."), ("paragraph", "Body")]


def test_html_comments_recorded():
    src = ("<!-- copydesk-disable TYPO -->\nText <!-- inline --> here.\n\n<!--\nmulti\nline\n-->\n\n"
           "<!-- a --> trailing text\n")
    doc = md(src)
    assert [b.text for b in doc.blocks] == ["Text here.", "trailing text"]
    assert [c[2] for c in doc.comments] == [" copydesk-disable TYPO ", " inline ", "\nmulti\nline\n", " a "]
    for s, e, _ in doc.comments:
        assert doc.source[s:s + 4] == "<!--" and doc.source[e - 3:e] == "-->"


def test_multiline_comment_followed_by_text():
    doc = md("<!--\nnote\n--> Then prose.\n")
    assert texts(doc.source) == ["Then prose."]
    assert [c[2] for c in doc.comments] == ["\nnote\n"]


def test_thematic_breaks_and_reference_definitions_give_nothing():
    assert texts("***\n- - -\n___\n\n[ref]: http://example.com \"Title\"\n[other]: <http://x.y>\n\nText\n") == ["Text"]


def test_reference_definition_title_on_next_line():
    assert texts('[r]: http://x\n  "Its title"\n\nSee [r].\n') == ["See r."]


def test_empty_atx_headings_are_dropped():
    assert kt("### ###\n#\n## C# ##\n") == [("heading", "C#")]


def test_task_list_checkbox_is_markup():
    doc = md("- [ ] todo\n- [x] done\n")
    assert [b.text for b in doc.blocks] == ["todo", "done"]
    assert doc.source[doc.blocks[0].map.parts[0][2]:doc.blocks[0].map.parts[0][3]] == "- [ ] "


# == inline constructs =================================================================================

def test_code_spans_are_masked():
    doc = md("Use `x = 1` or ``a ` b`` here; `unclosed")
    assert doc.blocks[0].text == f"Use {MASK} or {MASK} here; `unclosed"
    masked = [doc.source[p[2]:p[3]] for p in doc.blocks[0].map.parts if p[4] == MASKED]
    assert masked == ["`x = 1`", "``a ` b``"]


def test_autolinks_bare_urls_and_emails_are_masked():
    doc = md("See <https://a.example/x> and https://b.example/path_(x)_y?q=1&r=2. "
             "Also www.c.example, (http://d.example) and me@mail.example.org.")
    b = doc.blocks[0]
    assert b.text == f"See {MASK} and {MASK}. Also {MASK}, ({MASK}) and {MASK}."
    masked = [doc.source[p[2]:p[3]] for p in b.map.parts if p[4] == MASKED]
    assert masked == ["<https://a.example/x>", "https://b.example/path_(x)_y?q=1&r=2", "www.c.example",
                      "http://d.example", "me@mail.example.org"]


def test_inline_links_and_reference_links():
    src = ('A [link text](http://x.example/a "Title") and [*emph* link](</my url>) and '
           "[ref][r1], [collapsed][], [r1] and [not a ref].\n\n[r1]: http://r.example\n[collapsed]: /c\n")
    doc = md(src)
    b = doc.blocks[0]
    assert b.text == "A link text and emph link and ref, collapsed, r1 and [not a ref]."
    gaps = [doc.source[p[2]:p[3]] for p in b.map.parts if p[4] == GAP and p[3] > p[2]]
    assert '](http://x.example/a "Title")' in gaps and "][r1]" in gaps and "[" in gaps


def test_link_with_nested_brackets_and_parentheses():
    assert texts("[a [b] c](http://x/(y)) end") == ["a [b] c end"]


def test_images_are_one_mask():
    doc = md("An ![alt *text*](img.png \"t\") here and ![ref image][r].\n\n[r]: i.png\n")
    b = doc.blocks[0]
    assert b.text == f"An {MASK} here and {MASK}."
    assert [doc.source[p[2]:p[3]] for p in b.map.parts if p[4] == MASKED] == [
        '![alt *text*](img.png "t")', "![ref image][r]"]


def test_emphasis_markers_are_gaps_only_when_real():
    assert texts("*em* **strong** _u_ __uu__ ~~del~~ ***both***") == ["em strong u uu del both"]
    assert texts("2 * 3 * 4 and snake_case_name and a_b") == ["2 * 3 * 4 and snake_case_name and a_b"]
    assert texts("un*frigging*believable and **bold*") == ["unfriggingbelievable and *bold"]
    assert texts("*a **b** c*") == ["a b c"]
    assert texts("_not closed and *also not") == ["_not closed and *also not"]


def test_inline_html_tags_are_gaps():
    doc = md('Text <span class="x">inside</span> and <kbd>Ctrl</kbd>.')
    assert doc.blocks[0].text == "Text inside and Ctrl."
    assert texts("Line<br>break and <br/> again") == ["Line break and again"]
    assert texts("Inline <code>x < y</code> code") == [f"Inline {MASK} code"]


def test_entities_decode():
    doc = md("AT&amp;T &#8217; &#x2019; a&nbsp;b &bogus; & alone")
    b = doc.blocks[0]
    assert b.text == "AT&T ’ ’ a\xa0b &bogus; & alone"
    ents = [(doc.source[p[2]:p[3]], b.text[p[0]:p[1]]) for p in b.map.parts if p[4] == "entity"]
    assert ents == [("&amp;", "&"), ("&#8217;", "’"), ("&#x2019;", "’"), ("&nbsp;", "\xa0")]


def test_backslash_escapes():
    doc = md(r"Not \*emphasis\* and \_x\_ and \[not a link\](x) and \\ and \a")
    b = doc.blocks[0]
    assert b.text == r"Not *emphasis* and _x_ and [not a link](x) and \ and \a"
    first_gap = [p for p in b.map.parts if p[4] == GAP and p[3] > p[2]][0]
    assert doc.source[first_gap[2]:first_gap[3]] == "\\"


def test_footnote_reference_masked():
    assert texts("Claim[^1] here.") == [f"Claim{MASK} here."]


def test_crlf():
    src = "# Title\r\n\r\nLine one\r\nline two  \r\nend\r\n\r\n- item\r\n  more\r\n> quote\r\n"
    doc = md(src)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "Title"), ("paragraph", "Line one line two end"), ("list.item", "item more"),
        ("blockquote", "quote")]
    for b in doc.blocks:
        assert not doc.source[b.src_end - 1:b.src_end].isspace()


def test_lone_cr_line_endings():
    assert texts("one\rtwo\r\rthree") == ["one two", "three"]


# == word -> source mapping ============================================================================

@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("prefix", ["", "🙂 日本語 ", "Ünïcödé 👩‍👩‍👧 "])
def test_words_map_back_to_source(newline, prefix):
    src = newline.join([
        f"# {prefix}Heading *hwordA*",
        "",
        f"{prefix}A [link](http://x.example) wordB after &amp; wordC then **bold** wordD `code` wordE",
        "second line wordF <span>x</span> wordG www.example.com wordH &#8217;wordI",
        "",
        f"- {prefix}item ~~gone~~ wordJ",
        f"> {prefix}quote [ref] wordK",
        "",
        f"| {prefix}cell | **wordL** |",
        "|---|---|",
        "",
        "[ref]: /x",
    ])
    doc = md(src)
    for word in ["hwordA", "wordB", "wordC", "wordD", "wordE", "wordF", "wordG", "wordH", "wordI",
                 "wordJ", "wordK", "wordL", "Heading", "link", "bold", "second", "gone", "ref"]:
        s, e = word_at(doc, word)
        assert doc.source[s:e] == word, word
    if prefix:
        s, e = word_at(doc, prefix.strip())
        assert doc.source[s:e] == prefix.strip()


def test_multi_word_span_across_soft_break_maps_to_whole_source():
    doc = md("alpha beta\n  gamma delta")
    b = doc.blocks[0]
    i = b.text.index("beta")
    s, e = b.to_source(i, b.text.index("gamma") + 5)
    assert doc.source[s:e] == "beta\n  gamma"


def test_insertion_point_at_end_of_text_is_before_closing_markup():
    doc = md("# Title ##\n\nSome **bold**\n")
    for b in doc.blocks:
        n = len(b.text)
        assert b.to_source(n, n)[0] == b.to_source(0, n)[1]


# == properties ========================================================================================

WORDS = ["alpha", "beta", "gamma", "delta", "naïve", "café", "日本語", "🙂", "Ωmega", "it's", "x", "A1"]
FORBIDDEN = ["zqcode", "zqlink", "zqcomment", "zqurl", "zqimg", "zqfence", "zqfront", "zqref", "zqhtml"]

word = st.sampled_from(WORDS)


INLINE = [
    "{w}",
    "*{w}*",
    "**{w}**",
    "_{w}_",
    "~~{w}~~",
    "`zqcode {w}`",
    '[{w}](http://zqlink.example/{w} "zqlink title")',
    "[{w}][r]",
    "&amp; {w}",
    "&#8217;{w}",
    "<!-- zqcomment {w} -->",
    "https://zqurl.example/a_b_{w}",
    "![zqimg {w}](zqimg.png)",
    "\\*{w}",
    "2 * {w}",
    "snake_{w}_case",
    '<span class="zqhtml">{w}</span>',
    "{w}  ",  # trailing spaces: a hard break when at the end of a line
]
BLOCKS = [
    "{l1}\n{l2}\n{l3}",
    "{hashes} {l1}",
    "- {l1}\n* {l2}\n1. {l3}",
    "> {l1}\n> {l2}\n{l3}",
    "{fence}zqfence info\nzqfence *code* [x](y) {l1}\n{fence}",
    "<!--\nzqcomment {l1}\n-->",
    "| {w1} | {w2} |\n|---|---|\n| {l1} | {w2} |",
    # a paragraph first, so that the code cannot be read as the continuation of a list item
    "{w1}\n\n    zqfence indented {w2}",
    '<div class="zqhtml">\nzqhtml {w1}\n</div>',
    "{l1}\n",
]
inline = st.builds(lambda pattern, w: pattern.format(w=w), st.sampled_from(INLINE), word)
prose_line = st.lists(inline, min_size=1, max_size=4).map(" ".join)
block = st.builds(
    lambda pattern, l1, l2, l3, w1, w2, hashes, fence: pattern.format(
        l1=l1, l2=l2, l3=l3, w1=w1, w2=w2, hashes=hashes, fence=fence),
    st.sampled_from(BLOCKS), prose_line, prose_line, prose_line, word, word,
    st.sampled_from(["#", "##", "######"]), st.sampled_from(["```", "~~~", "````"]))


@st.composite
def document(draw):
    parts = []
    if draw(st.booleans()):
        parts.append(f"---\ntitle: {draw(word)} {draw(word)}\nzqfront: zqfront value\n---")
    parts.extend(draw(st.lists(block, min_size=1, max_size=6)))
    parts.append("[r]: http://zqref.example")
    source = "\n\n".join(parts) + "\n"
    if draw(st.booleans()):
        source = source.replace("\n", "\r\n")
    return source


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document())
def test_random_documents_keep_maps_exact(source):
    doc = md(source)
    joined = "\n".join(b.text for b in doc.blocks)
    for marker in FORBIDDEN:
        assert marker not in joined, (marker, joined)
    for b in doc.blocks:
        for t0, t1, s0, s1, kind in b.map.parts:
            for i in (t0, t1):
                assert b.src_start <= b.to_source(i, i)[0] <= b.src_end
            if kind == LITERAL:
                assert b.to_source(t0, t1) == (s0, s1)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(word, st.sampled_from(["", "*", "**", "_", "`", "[", "]", "(", ")", "&amp;", "<b>", "\\",
                                                 " ", "  ", "\n", "\n\n", "\n> ", "\n- ", "\n# ", "|", "\r\n",
                                                 "<!--", "-->", "http://", "~~", "!["])), max_size=30))
def test_arbitrary_soup_never_breaks_invariants(pieces):
    md("".join(w + sep for w, sep in pieces))


# == issue 17: what the hand-written parser got wrong ======================================================

def test_the_fixer_leaves_indented_code_in_a_list_item_alone():
    """The hand-written parser linted indented code inside list items, and fix rewrote
    ``run --until end. .`` there; CommonMark reads it as code."""
    from lint.fixer import fix_source
    from lint.packs import load_rules
    from lint.runner import lint_source

    rules = [r for r in load_rules().rules if r.meta.default_enabled]

    def lint(text):
        r = lint_source(text, "x.md", rules)
        return r.document, r.diagnostics

    source = ("The harbour reopened on Friday after the storm. .\n\n"
              "- Run the tool:\n\n      run --until end. .\n\n- Then wait.\n")
    fixed = fix_source(source, lint).fixed
    assert "      run --until end. .\n" in fixed  # the code is untouched
    assert fixed.startswith("The harbour reopened on Friday after the storm.\n")  # the prose is fixed


def test_multi_line_reference_definitions_are_not_prose():
    assert texts('[ref]:\n  /url\n  "the title"\n\nSee [ref].\n') == ["See ref."]
    assert texts("[a\nb]: /url\n\nText [a b].\n") == ["Text a b."]


def test_footnote_definitions_are_prose_without_their_label():
    doc = md("A claim.[^1]\n\n[^1]: The source of the claim.\n    More of the note.\n")
    assert [b.text for b in doc.blocks] == [f"A claim.{MASK}", "The source of the claim. More of the note."]
    note = doc.blocks[1]
    assert doc.source[note.map.parts[0][2]:note.map.parts[0][3]] == "[^1]: "


def test_links_take_precedence_over_emphasis_as_commonmark_says():
    assert texts("*[foo*](/u)") == ["*foo*"]
    assert texts("[a *b](/u)* c") == ["a *b* c"]
    assert texts("**a [b** c](/u) d") == ["**a b** c d"]


def test_single_tildes_are_text():
    # GFM strikethrough is "~~"; "10~20 yuan (150~300 yen)" is a range, not deleted text
    assert texts("10~20 yuan (150~300 yen)") == ["10~20 yuan (150~300 yen)"]


def test_tabs_markdown_it_expands_stay_display_only():
    """A tab that markdown-it-py splits into spaces cannot be placed exactly: that block is
    one entity (its findings display-only), its text is still markdown-it-py's."""
    doc = md("- a\n \tb\n\nNext.\n")  # the continuation's tab is split: "  b" in markdown-it-py
    assert [b.text for b in doc.blocks] == ["a b", "Next."]
    item = doc.blocks[0]
    assert [p[4] for p in item.map.parts if p[0] < p[1]] == ["entity"]
    assert item.to_source(2, 3) == (item.src_start, item.src_end)  # widened to the whole block
    assert not item.map.is_exact(2, 3)
    assert doc.blocks[1].map.is_exact(0, 5)


def test_most_text_is_placed_exactly_on_generated_articles():
    """On articles like the ones Copydesk lints, every block's words are literal segments."""
    import random

    rnd = random.Random(17)
    words = ["alpha", "beta", "*gamma*", "`code`", "[link](http://x.example/a)", "&amp;", "delta.",
             "**bold**", "www.example.org", "<span>x</span>", "e\\*scaped", "~~gone~~"]
    for _ in range(30):
        paras = []
        for _k in range(rnd.randrange(1, 6)):
            line = " ".join(rnd.choice(words) for _ in range(rnd.randrange(3, 12)))
            paras.append(rnd.choice(["", "- ", "> ", "## ", "1. "]) + line)
        doc = md("\n\n".join(paras) + "\n")
        for b in doc.blocks:
            assert all(p[4] != "entity" or b.text[p[0]:p[1]] in (" ", "&", "*") for p in b.map.parts), b.map.parts


def test_nul_and_cr_keep_literals_equal_to_the_source():
    # markdown-it-py reads NUL as U+FFFD and CR / CR LF as LF: those are never literal text
    for source in ("a\x00b plain line\n", "one\x00 *two*\r\nthree\r\n", "x\ry\x00z\n\n- i\x00tem\r"):
        doc = md(source)
        assert doc.blocks
        for b in doc.blocks:
            for t0, t1, s0, s1, kind in b.map.parts:
                if kind == "entity" and "\ufffd" in b.text[t0:t1]:
                    assert doc.source[s0:s1] == "\x00"
