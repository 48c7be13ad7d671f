"""The HTML parser: blocks, kinds, texts, and the exactness of the text <-> source maps."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lint.document import MASK, parse
from lint.document.textmap import ENTITY, GAP, LITERAL, MASKED


def html(source: str):
    doc = parse(source, "x.html")
    check_maps(doc)
    return doc


def kt(source: str) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in html(source).blocks]


def texts(source: str) -> list[str]:
    return [b.text for b in html(source).blocks]


def span(doc, block) -> str:
    return doc.source[block.src_start:block.src_end]


def check_maps(doc) -> None:
    """Literal segments equal their source, segments tile the text, sources only go forward."""
    src = doc.source
    last_start = -1
    for b in doc.blocks:
        tm = b.map
        assert b.text == tm.text()
        assert b.text.replace(MASK, "").strip(), b
        assert "\r" not in b.text
        assert b.text == b.text.strip(" \t\n\r\f"), repr(b.text)
        assert "  " not in b.text.replace("\xa0", "x")  # whitespace collapses
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
        assert b.src_start > last_start
        last_start = b.src_start
    for s, e, inner in doc.comments:
        assert src[s:s + 4] == "<!--" and src[e - 1] == ">"
        assert src[s + 4:s + 4 + len(inner)] == inner


def word_at(doc, word: str) -> tuple[int, int]:
    for b in doc.blocks:
        i = b.text.find(word)
        if i >= 0:
            return b.to_source(i, i + len(word))
    raise AssertionError(f"{word!r} not in {[b.text for b in doc.blocks]}")


# == structure =========================================================================================

def test_only_body_is_read():
    src = ("<!DOCTYPE html>\n<html>\n<head>\n<title>Head title</title>\n<meta charset=utf-8>\n"
           "<style>p { color: red }</style>\n<script>var s = '<p>not text</p>';</script>\n</head>\n"
           "<body>\n<p>Body text.</p>\n</body>\n</html>\n")
    assert kt(src) == [("paragraph", "Body text.")]


def test_whole_document_without_body():
    assert kt("Loose text\n<p>Para</p>\nmore loose") == [
        ("paragraph", "Loose text"), ("paragraph", "Para"), ("paragraph", "more loose")]
    assert kt("<head><title>T</title></head><h1>Title</h1>") == [("heading", "Title")]


def test_block_kinds():
    src = """<body>
<h1>Main</h1><h6>Small</h6>
<p>Para</p>
<ul><li>One</li><li>Two</li></ul>
<ol><li>Three</ol>
<blockquote><p>Quoted para</p>Quoted text</blockquote>
<table><caption>Table cap</caption><tr><th>Head</th><td>Cell</td></tr></table>
<figure><img src="a.png" alt="Alt text is not linted"><figcaption>Fig cap</figcaption></figure>
<dl><dt>Term</dt><dd>Definition</dd></dl>
<div>Div text</div><section>Section text</section><article>Article text</article>
</body>"""
    assert kt(src) == [
        ("heading", "Main"), ("heading", "Small"), ("paragraph", "Para"), ("list.item", "One"),
        ("list.item", "Two"), ("list.item", "Three"), ("blockquote", "Quoted para"),
        ("blockquote", "Quoted text"), ("caption", "Table cap"), ("table.cell", "Head"),
        ("table.cell", "Cell"), ("caption", "Fig cap"), ("paragraph", "Term"),
        ("paragraph", "Definition"), ("paragraph", "Div text"), ("paragraph", "Section text"),
        ("paragraph", "Article text")]


def test_container_text_runs_split_around_child_blocks():
    doc = html("<div>Before <p>inner</p> after <b>bold</b></div>")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("paragraph", "Before"), ("paragraph", "inner"), ("paragraph", "after bold")]
    assert [span(doc, b) for b in doc.blocks] == ["Before", "<p>inner</p>", "after <b>bold</b>"]


def test_nested_list_items():
    doc = html("<ul><li>Outer <ul><li>inner</li></ul> tail</li><li>Next</ul>")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("list.item", "Outer"), ("list.item", "inner"), ("list.item", "tail"), ("list.item", "Next")]


def test_implied_end_tags():
    doc = html("<p>One<p>Two<ul><li>A<li>B</ul><table><tr><td>C<td>D<tr><td>E</table><dl><dt>T<dd>U</dl>")
    assert [b.text for b in doc.blocks] == ["One", "Two", "A", "B", "C", "D", "E", "T", "U"]
    assert [span(doc, b) for b in doc.blocks[:3]] == ["<p>One", "<p>Two", "<li>A"]


def test_block_source_spans():
    doc = html('<body>\n  <p class="x">Hello <em>world</em>.</p>\n  <h2 id=a>Title</h2 >\n  <p>Unclosed\n</body>')
    assert [span(doc, b) for b in doc.blocks] == [
        '<p class="x">Hello <em>world</em>.</p>', "<h2 id=a>Title</h2 >", "<p>Unclosed"]
    first = doc.blocks[0]
    assert first.map.src_start == first.src_start and first.map.src_end == first.src_end


def test_skipped_elements():
    src = ("<p>Keep</p><pre>pre text</pre><p>x <code>code text</code> y</p><template><p>tpl</p></template>"
           "<noscript><p>nos</p></noscript><p>icon <svg><text>svg text</text></svg>done</p>"
           "<script>document.write('<p>js</p>')</script><style>.a{}</style><p>End</p>")
    doc = html(src)
    assert [b.text for b in doc.blocks] == ["Keep", f"x {MASK} y", "icon done", "End"]
    masked = [p for p in doc.blocks[1].map.parts if p[4] == MASKED]
    assert [doc.source[p[2]:p[3]] for p in masked] == ["<code>code text</code>"]


def test_pre_splits_a_paragraph_and_code_alone_is_dropped():
    assert texts("<div>before<pre>code</pre>after</div><p><code>only code</code></p>") == ["before", "after"]


def test_inline_tags_are_gaps():
    doc = html('<p>A <a href="http://x.example/">link</a>, <strong>strong</strong>, <span class="c">span</span>'
               "<i>i</i><b>b</b>.</p>")
    b = doc.blocks[0]
    assert b.text == "A link, strong, spanib."
    gaps = [doc.source[p[2]:p[3]] for p in b.map.parts if p[4] == GAP and p[3] > p[2]]
    assert '<a href="http://x.example/">' in gaps and "</a>" in gaps


def test_br_is_a_space_entity():
    doc = html("<p>one<br>two<br/>three <br> four<br>\nfive<br></p>")
    b = doc.blocks[0]
    assert b.text == "one two three four five"
    ents = [doc.source[p[2]:p[3]] for p in b.map.parts if p[4] == ENTITY]
    assert ents == ["<br>", "<br/>", "<br>"]


def test_whitespace_collapses():
    doc = html("<p>\n   one two  three\n\tfour\r\n   five <b> six</b>   </p>")
    b = doc.blocks[0]
    assert b.text == "one two three four five six"
    spaces = [(doc.source[p[2]:p[3]], p[4]) for p in b.map.parts if b.text[p[0]:p[1]] == " "]
    assert spaces == [(" ", LITERAL), ("  ", ENTITY), ("\n\t", ENTITY), ("\r\n   ", ENTITY), (" ", LITERAL)]


def test_entities():
    # like a browser: a legacy name without ";" decodes as a prefix (&notit; -> ¬it;), unknown names stay
    doc = html("<p>AT&amp;T &#8217; &#x2019; &#X2019 a&nbsp;b &amp no semi &copy2024 &bogus; &ampx; &notit;</p>")
    b = doc.blocks[0]
    assert b.text == "AT&T ’ ’ ’ a\xa0b & no semi ©2024 &bogus; &x; ¬it;"
    ents = [(doc.source[p[2]:p[3]], b.text[p[0]:p[1]]) for p in b.map.parts if p[4] == ENTITY]
    assert ents == [("&amp;", "&"), ("&#8217;", "’"), ("&#x2019;", "’"), ("&#X2019", "’"), ("&nbsp;", "\xa0"),
                    ("&amp", "&"), ("&copy", "©"), ("&amp", "&"), ("&not", "¬")]


def test_broken_character_references_stay_text():
    assert texts("<p>a &#x b &#; c &</p><p>still parsed</p>") == ["a &#x b &#; c &", "still parsed"]


def test_image_alt_not_linted_and_empty_blocks_dropped():
    assert kt('<p><img src="a.png" alt="Alternative text"></p><p>   </p><p><!-- c --></p><div></div><p>x</p>') == [
        ("paragraph", "x")]


def test_comments_recorded():
    src = ("<head><!-- in head --></head><body><!-- copydesk-disable X -->\n<p>Text <!-- inline --> here.</p>"
           "<!--\nmulti\nline\n--><p>End</p><!--unclosed <p>hidden</p>")
    doc = html(src)
    assert [b.text for b in doc.blocks] == ["Text here.", "End"]
    assert [c[2] for c in doc.comments] == [" in head ", " copydesk-disable X ", " inline ", "\nmulti\nline\n"]
    for s, e, inner in doc.comments:
        assert doc.source[s:e] == f"<!--{inner}-->"


def test_comment_inner_keeps_ampersands():
    doc = html("<!-- a &amp; b --><p>x</p>")
    assert doc.comments[0][2] == " a &amp; b "


def test_crlf_offsets():
    src = '<body>\r\n<p\r\n  class="x">One\r\n  two</p>\r\n<p>Three &amp;\r\n four</p>\r\n</body>\r\n'
    doc = html(src)
    assert [b.text for b in doc.blocks] == ["One two", "Three & four"]
    assert [span(doc, b) for b in doc.blocks] == ['<p\r\n  class="x">One\r\n  two</p>', "<p>Three &amp;\r\n four</p>"]


# == word -> source mapping ============================================================================

@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("prefix", ["", "🙂 日本語 ", "Ünïcödé 👩‍👩‍👧 "])
def test_words_map_back_to_source(newline, prefix):
    src = newline.join([
        "<html><head><title>x</title></head><body>",
        f"<h1>{prefix}Heading <em>hwordA</em></h1>",
        f'<p>{prefix}A <a href="http://x.example">link</a> wordB after &amp; wordC then <b>bold</b> wordD',
        "   <code>code</code> wordE<br>wordF &#8217;wordG &nbsp;wordH <span",
        '  class="multi-line tag">wordI</span></p>',
        f"<ul><li>{prefix}item wordJ<li>wordK</ul>",
        f"<table><tr><td>{prefix}cell <i>wordL</i></td></tr></table>",
        "</body></html>",
    ])
    doc = html(src)
    for word in ["hwordA", "Heading", "link", "wordB", "wordC", "bold", "wordD", "wordE", "wordF", "wordG",
                 "wordH", "wordI", "wordJ", "wordK", "wordL"]:
        s, e = word_at(doc, word)
        assert doc.source[s:e] == word, word
    if prefix:
        s, e = word_at(doc, prefix.strip())
        assert doc.source[s:e] == prefix.strip()


def test_insertion_point_at_end_of_text_is_inside_the_element():
    doc = html("<p>Some text</p>")
    b = doc.blocks[0]
    assert b.to_source(len(b.text), len(b.text))[0] == doc.source.index("</p>")


# == properties ========================================================================================

WORDS = ["alpha", "beta", "gamma", "naïve", "café", "日本語", "🙂", "it's", "x", "A1"]
FORBIDDEN = ["zqcode", "zqlink", "zqcomment", "zqpre", "zqscript", "zqstyle", "zqhead", "zqalt", "zqattr"]
word = st.sampled_from(WORDS)
space = st.sampled_from([" ", " ", "  ", "\n", "\n  ", "\t", ""])


INLINE = [
    "{w}",
    "<em>{w}</em>",
    "<strong>{w}</strong>",
    '<a href="http://zqlink.example/{w}" title="zqattr">{w}</a>',
    "<code>zqcode {w}</code>",
    "&amp;{w}",
    "&#8217;{w}",
    "&#x2019;{w}",
    "{w}&nbsp;",
    "&amp {w}",
    "<!-- zqcomment {w} -->",
    "{w}<br>",
    '<img src="zqlink.png" alt="zqalt {w}">',
    '<span\n  class="zqattr">{w}</span>',
    "<script>zqscript('<p>{w}</p>')</script>",
]
BLOCKS = [
    "<p>{r}</p>",
    '<p class="zqattr">{r}',
    "<h2>{r}</h2>",
    "<ul><li>{r}</li><li>{r2}</ul>",
    "<blockquote><p>{r}</p></blockquote>",
    "<table><tr><td>{r}<td>{r2}</table>",
    '<figure><img alt="zqalt"><figcaption>{r}</figcaption></figure>',
    "<div>{r}<p>{r2}</p>{r}</div>",
    "<pre>zqpre {r}</pre>",
    "<style>zqstyle {{}}</style>",
    "<!--\nzqcomment {r}\n-->",
    "{r}",
]
inline = st.builds(lambda pattern, w: pattern.format(w=w), st.sampled_from(INLINE), word)
run = st.lists(st.tuples(inline, space), min_size=1, max_size=6).map(lambda items: "".join(a + b for a, b in items))
block = st.builds(lambda pattern, r, r2: pattern.format(r=r, r2=r2), st.sampled_from(BLOCKS), run, run)


@st.composite
def document(draw):
    body = "\n".join(draw(st.lists(block, min_size=1, max_size=6)))
    if draw(st.booleans()):
        body = f"<!DOCTYPE html>\n<html><head><title>zqhead</title></head>\n<body>\n{body}\n</body></html>\n"
    if draw(st.booleans()):
        body = body.replace("\n", "\r\n")
    return body


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document())
def test_random_documents_keep_maps_exact(source):
    doc = html(source)
    joined = "\n".join(b.text for b in doc.blocks)
    for marker in FORBIDDEN:
        assert marker not in joined, (marker, joined)
    for b in doc.blocks:
        for t0, t1, s0, s1, kind in b.map.parts:
            if kind == LITERAL:
                assert b.to_source(t0, t1) == (s0, s1)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(word, st.sampled_from([
    "", "<p>", "</p>", "<b>", "</b>", "<li>", "<ul>", "</ul>", "<br>", "&amp", "&", "&#", ";", "<", ">", "<!--", "-->",
    "\r\n", "\n", " ", "<td>", "<code>", "</code>", "<pre>", "<body>", "</body>", "<div>", "\"", "<h1>", "</h2>",
    "<script>", "</script>", "<!", "</", "<?"])), max_size=30))
def test_arbitrary_soup_never_breaks_invariants(pieces):
    html("".join(w + sep for w, sep in pieces))


def _kind_by_walking_the_stack(self) -> str:
    """The block kind as it was found before frames carried it: the nearest heading or
    kind-giving tag, looked up from the top of the stack."""
    from lint.document.html import HEADINGS, INHERITED_KINDS

    for frame in reversed(self.stack):
        if frame.tag in HEADINGS:
            return "heading"
        if frame.tag in INHERITED_KINDS:
            return INHERITED_KINDS[frame.tag]
    return "paragraph"


_NEST_TAGS = ["div", "p", "li", "ul", "blockquote", "h2", "td", "table", "tr", "section", "span", "figcaption"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["open", "close", "text"]), st.sampled_from(_NEST_TAGS)), max_size=30))
def test_kinds_carried_by_frames_are_the_kinds_found_by_walking_the_stack(steps):
    from lint.document import html as html_module

    source = "".join(f"<{t}>" if op == "open" else f"</{t}>" if op == "close" else f"Words {t}. "
                     for op, t in steps)
    fast = kt(source)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(html_module._Builder, "kind", _kind_by_walking_the_stack)
        assert kt(source) == fast
