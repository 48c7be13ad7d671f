"""Markdown: CommonMark (plus GFM tables, strikethrough and footnotes) parsed by markdown-it-py,
its tokens mapped back to exact source offsets.

markdown-it-py gives the structure: blocks with their lines (``token.map``), and per block of
prose the inline content it parsed (the block's lines without container markup, joined by
``\\n``) and its inline tokens. The mapping is in two steps (:mod:`lint.document.mdalign` does
the first):

1. every character of the inline content is placed in the source (``pos``): a content line is
   the end of its source line (or, in a heading or table cell, a slice of it);
2. the inline tokens are aligned with the content: every inline rule of markdown-it-py is
   wrapped to record the span it consumed (code, links, images, HTML, entities, escapes),
   and a text token is found from where the previous token ended.

A token whose text cannot be placed exactly (markdown-it-py expanded a tab, replaced a NUL) is
written as an *entity* segment: its findings stay display-only (``TextMap.is_exact``); a block
whose lines cannot be placed is one entity (none in the 652 CommonMark spec examples).

Speed: markdown-it-py's core inline rule is off; a block is parsed inline only when its text
has a character that can start an inline construct (most paragraphs are one literal), and its
line scan is replaced by C string searches (a line nested 3,200 levels deep is 6,400 columns).
Parsing costs about 1.75x the CPU of the hand-written parser it replaced (issue 17), most of
it markdown-it-py's block parser. A simple document (ATX headings, paragraphs, bullet lists,
fenced code; code spans and inline links) is read by a scan of its own here, which finds the
blocks markdown-it-py would (:func:`_fast_scan`; as tokens, :func:`_fast_tokens`,
:func:`_fast_children`), and its blocks are made from the scan without tokens
(:meth:`_Parser.simple_blocks`, :func:`_line_map`): about a third of the time.

Not linted: front matter (except its ``title``), code (fenced and indented), HTML blocks
(except ``<figcaption>`` text and text after a comment on its last line), reference
definitions, thematic breaks.
"""
from __future__ import annotations

import re
import unicodedata

from . import Block, Document
from .._record import Record, record
from ..regex import static
from .mdalign import Aligner
from .textmap import ENTITY, GAP, LITERAL, MASK, MASKED, TextMap

__all__ = ["parse_markdown", "MAX_NESTING", "NestingTooDeep"]

#: containers (list items, block quotes, footnote definitions) one inside another that a
#: document may have; deeper files are refused with one line. markdown-it-py's own limit
#: (``maxNesting``, which silently drops the rest of a file) is set above what this many
#: containers can reach, so it only ever trips on a file that is refused anyway.
MAX_NESTING = 64
#: markdown-it-py levels: a list is two (list and item), a quote one, the paragraph one more
_MDIT_MAX_NESTING = 2 * MAX_NESTING + 8


class NestingTooDeep(RecursionError):
    """Containers nested deeper than :data:`MAX_NESTING` (a RecursionError: the runner reports
    the file as nested too deeply to lint, on one line, and the run goes on)."""


# a line: leading blanks, content (group 1), the line break (front matter only)
_LINE = static(r"[ \t]*([^\r\n]*)(?:\r\n|\n|\r)?")
_YAML_TITLE = static(r"title[ \t]*:(?:[ \t]+|$)")
_TOML_TITLE = static(r"title[ \t]*=[ \t]*")
_BLOCK_SCALAR = static(r"[|>][+-]?[0-9]?[+-]?[ \t]*(?:#.*)?$")
_DQ_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "b": "\b", "f": "\f", "e": "\x1b", "_": "\xa0"}

# a comment ends at its first "-->" (atomic: a comment is never stretched over the next one)
_ONLY_COMMENTS = static(r"(?:[ \t]*(?><!--(?:>|->|[\s\S]*?-->)))*[ \t]*$")
_FIGCAPTION_OPEN = static(r"<figcaption(?=[\s>/])", re.I)
_FIGCAPTION_CLOSE = static(r"</figcaption\s*>", re.I)
_TAG_NAME = static(r"</?([A-Za-z][A-Za-z0-9-]*)")
# content without a character that starts an inline construct of markdown-it-py (code, emphasis,
# strikethrough, links, images, footnotes, autolinks, HTML, entities, escapes, line breaks)
# (tested by C substring searches, each far faster than a regular expression's character class:
# the first two regular expressions say the same)
_NO_INLINE = static(r"[^\\`*_~\[<&\n]*")
_INLINE_CHARS = ("\\", "`", "*", "_", "~", "[", "<", "&", "\n")
# the same, on one line with text at both ends, nothing masked, no e-mail address
_PLAIN_LINE = static(r"[^\\`*_~\[<&\n\s@\ufffc](?:[^\\`*_~\[<&\n@\ufffc]*[^\\`*_~\[<&\n\s@\ufffc])?")
_NOT_PLAIN_CHARS = _INLINE_CHARS + ("@", "\ufffc")


def _no_inline(text: str) -> bool:
    """``_NO_INLINE.fullmatch(text)``: none of :data:`_INLINE_CHARS` in ``text``."""
    for ch in _INLINE_CHARS:
        if ch in text:
            return False
    return True


def _plain_line(text: str) -> bool:
    """``_PLAIN_LINE.fullmatch(text)``: text at both ends, none of :data:`_NOT_PLAIN_CHARS`."""
    if not text or text[0].isspace() or text[-1].isspace():
        return False
    for ch in _NOT_PLAIN_CHARS:
        if ch in text:
            return False
    return True


def _plain_no_url(text: str) -> bool:
    """``_plain_line(text) and _first_url_start(text) < 0``, in one call (the test of every
    paragraph and heading: tests/test_speed_parse.py)."""
    return (text != "" and not text[0].isspace() and not text[-1].isspace() and "\\" not in text
            and "`" not in text and "*" not in text and "_" not in text and "~" not in text and "[" not in text
            and "<" not in text and "&" not in text and "\n" not in text and "@" not in text
            and "\ufffc" not in text and "://" not in text and _first_www(text) < 0)


_TASK = static(r"\[[ xX]\][ \t]+(?=\S)")
# bare URLs (GFM "extended autolinks") and e-mail addresses
_BARE_URL = static(r"(?<![^\s*_~(\[\"'“‘])(?:https?://|www\.)[\w\-]+(?:\.[\w\-]+)*[^\s<]*", re.I)
_BARE_EMAIL = static(r"(?<![\w.+\-@/])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_FOOTNOTE_REF = static(r"\[\^[^\]\s]+\]")
_TRAILING_ENTITY = static(r"&[A-Za-z0-9]+;$")


def _first_www(text: str) -> int:
    """Where "www." first starts in ``text`` in any case (only w and W match "w" under re.I),
    or -1: found from its "w." by C searches."""
    find = text.find
    a, b = find("w."), find("W.")
    while a >= 0 or b >= 0:
        i = a if b < 0 or 0 <= a < b else b
        if i >= 2 and text[i - 2] in "wW" and text[i - 1] in "wW":
            return i - 2
        if i == a:
            a = find("w.", a + 1)
        else:
            b = find("W.", b + 1)
    return -1


def _first_url_start(text: str) -> int:
    """The first offset where :data:`_BARE_URL` could match in ``text``, or -1 if nowhere: a
    match has "://" after "http" or "https", or starts with "www."."""
    k = text.find("://")
    w = _first_www(text)
    if w < 0:
        return max(0, k - len("https")) if k >= 0 else -1
    return w if k < 0 else min(w, max(0, k - len("https")))


# == markdown-it-py ==================================================================================

_MD = None


#: inline rules whose tokens need no span: text (pending text only), line breaks (found by
#: their LF), emphasis and strikethrough delimiters (markup between texts)
_UNRECORDED = frozenset({"text", "newline", "emphasis", "strikethrough"})


def _record(fn):
    """Wrap an inline rule: every token it pushes (other than text) remembers the span of the
    content it consumed, ``meta["cd"] = (start, end)`` (the innermost rule's span wins)."""
    def rule(state, silent):
        if silent:
            return fn(state, silent)
        p0 = state.pos
        n0 = len(state.tokens)
        ok = fn(state, silent)
        if ok:
            toks = state.tokens
            p1 = state.pos
            for k in range(n0, len(toks)):
                t = toks[k]
                if t.type != "text" and "cd" not in t.meta:
                    t.meta["cd"] = (p0, p1)
        return ok
    rule.__name__ = getattr(fn, "__name__", "rule")
    return rule


_BLANKS = static(r"[ \t]*")


def _line_marks(src: str):
    """markdown-it-py's line markers, found by C string searches (a list nested 3,200 levels
    deep has lines 6,400 columns wide): where each line starts (``bMarks``), ends (``eMarks``),
    its indentation in characters (``tShift``) and in columns (``sCount``), each with one
    marker more for the end; and the number of lines."""
    bm, em, ts, sc = [], [], [], []
    start, length = 0, len(src)
    find, blanks = src.find, _BLANKS.match
    while start < length:
        end = find("\n", start)
        if end < 0:
            end = length
        pos = blanks(src, start, end).end() if start < end and src[start] in " \t" else start
        if pos == end == length:
            break  # a last line of blanks without a line break: no marker (as upstream)
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
    bm.append(length)
    em.append(length)
    ts.append(0)
    sc.append(0)
    return bm, em, ts, sc, n


def _fast_block_parse(md):
    """markdown-it-py's block parse, with the line markers found by :func:`_line_marks`."""
    from markdown_it.rules_block.state_block import StateBlock

    class _State(StateBlock):
        def __init__(self, src, md, env, tokens):
            super().__init__("", md, env, tokens)
            self.src = src
            bm, em, ts, sc, n = _line_marks(src)
            self.bMarks, self.eMarks, self.tShift, self.sCount = bm, em, ts, sc
            self.bsCount = [0] * (n + 1)
            self.lineMax = n
            if isinstance(env, dict):
                env["copydesk.lines"] = (bm, em)  # for the Aligner

    def parse(src, md, env, out_tokens):
        if not src:
            return None
        state = _State(src, md, env, out_tokens)
        md.block.tokenize(state, state.line, state.lineMax)
        return state.tokens

    return parse


def markdown_it():
    """The shared parser: CommonMark, GFM tables and strikethrough, footnotes; text tokens are
    not joined (escapes and entities stay tokens of their own), inline rules record spans."""
    global _MD
    if _MD is None:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.footnote import footnote_plugin

        md = MarkdownIt("commonmark", {"maxNesting": _MDIT_MAX_NESTING})
        md.enable(["table", "strikethrough"])
        md.use(footnote_plugin)
        # hrefs are never read: no percent-encoding or punycode of link destinations
        md.normalizeLink = md.normalizeLinkText = lambda url: url
        md.core.ruler.disable("text_join")
        # inline parsing runs per block (_Parser.children), only where the text has markup;
        # footnote definitions stay where they are in the source (footnote_tail would move
        # them to the end, and drop those it saw no reference to)
        md.core.ruler.disable(["inline", "footnote_tail"])
        for r in md.inline.ruler.__rules__:
            if r.name not in _UNRECORDED:
                r.fn = _record(r.fn)
        md.inline.ruler.__cache__ = None
        md.block.parse = _fast_block_parse(md)
        _MD = md
    return _MD


# == simple documents without markdown-it-py ===========================================================
#
# Most articles are headings, paragraphs, bullet lists and fenced code, with code spans and inline
# links for markup. For those, what the parser reads of the tokens is found here, the same as
# markdown-it-py's (type; an inline token's content and lines; a heading's markup; inline tokens'
# type, content, spans, info and markup): such a document parses in about half the time (c1k's
# Markdown articles, all simple: 774 -> 436 M instructions for 200), and in about a third when
# its blocks are made straight from the scan (_Parser.simple_blocks: 571 -> 398 M for c1k's 535;
# tests/test_speed_parse_blocks.py compares them with the tokens' blocks). Anything else
# (indentation, quotes, tables, HTML, emphasis, escapes, entities, reference definitions …) is
# left to markdown-it-py: a whole document when its blocks are not all of these kinds, a block's
# inline content when it has other markup. tests/test_speed_parse_simple.py checks the tokens and
# the Documents against markdown-it-py's on many documents.

#: set to False to parse everything with markdown-it-py, and a heading of plain text by the
#: general path (tests)
FAST = True

_NO_META: dict = {}


class _Tok:
    """A token as markdown-it-py's, with what the parser reads of it."""

    __slots__ = ("type", "map", "content", "markup", "info", "meta")

    def __init__(self, type_: str, map_=None, content: str = "", markup: str = "", meta: dict = _NO_META):
        self.type = type_
        self.map = map_
        self.content = content
        self.markup = markup
        self.info = ""
        self.meta = meta


#: tokens the parser reads only the type of (shared: never changed); a paragraph_open's lines
#: are not read (its inline token's are)
_SHARED = {t: _Tok(t) for t in ("paragraph_open", "paragraph_close", "heading_close", "fence", "bullet_list_open",
                                "bullet_list_close", "ordered_list_open", "ordered_list_close", "list_item_open",
                                "list_item_close", "softbreak", "hardbreak")}

#: what markdown-it-py's mdTrim strips (markdown_it.common.utils.MD_TRIM_CHARS, as of 4.3.0;
#: tests/test_speed_parse_simple.py compares them)
_MD_TRIM = ("\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
            "\u200a\u2028\u2029\u202f\u205f\u3000")
# the start of a line (no indentation) that opens a block other than a paragraph, or may
_UNSAFE_START = frozenset("#>*-+_=`~<|[ \t0123456789")
_ORDERED = static(r"[0-9]{1,9}[.)](?:[ \t]|$)")
_ATX = static(r"#{1,6}(?:[ \t]|$)")
_ITEM = static(r"[-*+] (?=\S)")
_ORDERED_ITEM = static(r"[0-9]{1,9}[.)] (?=\S)")
_OPEN_FENCE = static(r"(`{3,}|~{3,})")


def _para_start(norm: str, s: int, e: int) -> bool:
    """Whether a line from ``s`` (not indentation) to ``e`` can only be paragraph text, as the
    first line of a paragraph or a later one."""
    c = norm[s]
    if c not in _UNSAFE_START:
        return True
    if c == "[":
        # a reference definition needs "]:" after its label, a footnote definition "[^"
        if norm.startswith("[^", s):
            return False
        k = norm.find("]", s, e)
        return k > 0 and norm[k - 1] != "\\" and (k + 1 == e or norm[k + 1] != ":")
    if "0" <= c <= "9":
        return _ORDERED.match(norm, s, e) is None
    return False


def _line_kind(norm: str, s: int, e: int) -> str | None:
    """What a line without indentation starts: "h" an ATX heading, "f" a fence, "i" a bullet
    list item, "1" an ordered list item numbered 1, "o" one numbered otherwise (it cannot end a
    paragraph), "p" paragraph text, None anything else."""
    if norm.find("|", s, e) >= 0:
        return None  # a table's header row has one
    c = norm[s]
    if c not in _UNSAFE_START:
        return "p"
    if c == "#":
        return "h" if _ATX.match(norm, s, e) else None
    if c == "`" or c == "~":
        m = _OPEN_FENCE.match(norm, s, e)
        if m is None or (c == "`" and norm.find("`", m.end(), e) >= 0):
            return "p"  # not a fence: text
        return "f"
    if c in "-*+":
        return "i" if _ITEM.match(norm, s, e) and _para_start(norm, s + 2, e) else None
    if "0" <= c <= "9":
        m = _ORDERED_ITEM.match(norm, s, e)
        if m is not None:
            if not _para_start(norm, m.end(), e):
                return None
            return "1" if int(norm[s:m.end() - 2]) == 1 else "o"
    return "p" if _para_start(norm, s, e) else None


def _fast_scan(norm: str):
    """The blocks of a document of ATX headings, paragraphs, fenced code and lists (bulleted or
    numbered) of one paragraph per item (every line but fenced ones unindented, no "|"), as
    markdown-it-py has them: ``(items, bm, em)`` with the line markers of :func:`_line_marks` and
    per block, in source order, a tuple ``(tag, a, b, content)``:

    - ``("p", first line, end line, inline content)``: a paragraph;
    - ``("i", first line, end line, inline content)``: a list item (its one paragraph);
    - ``("h", line, level, inline content)``: an ATX heading;
    - ``("f", 0, 0, "")``: fenced code;
    - ``("l", ordered, 0, "")`` and ``("L", ordered, 0, "")``: a list opens, closes.

    None for any other document. (The parser makes its blocks from these directly; the tokens
    markdown-it-py would give are :func:`_fast_tokens`'s.)"""
    bm, em, ts, sc, n = _line_marks(norm)
    toks: list = []
    push = toks.append
    size = len(norm)
    i = 0
    while i < n:
        s, e = bm[i], em[i]
        if s + ts[i] >= e:
            i += 1  # blank
            continue
        if ts[i]:
            return None
        kind = _line_kind(norm, s, e)
        if kind == "p":
            j = i + 1
            while j < n:
                s2, e2 = bm[j], em[j]
                if s2 + ts[j] >= e2:
                    break
                if ts[j]:
                    return None
                k2 = _line_kind(norm, s2, e2)
                if k2 is None or k2 == "o":
                    return None  # (an item numbered other than 1 would be paragraph text)
                if k2 != "p":
                    break  # headings, fences and lists end a paragraph
                j += 1
            push(("p", i, j, norm[s:em[j - 1]].strip(_MD_TRIM)))
            i = j
        elif kind == "h":
            p = s
            while p < e and norm[p] == "#":
                p += 1
            level = p - s
            mx = e
            while mx > p and norm[mx - 1] in " \t":
                mx -= 1
            tmp = mx
            while tmp > p and norm[tmp - 1] == "#":
                tmp -= 1
            if tmp < mx and tmp > p and norm[tmp - 1] in " \t":
                mx = tmp
            push(("h", i, level, norm[p:mx].strip(_MD_TRIM)))
            i += 1
        elif kind == "f":
            marker = norm[s]
            length = _OPEN_FENCE.match(norm, s, e).end() - s
            j = i + 1
            closed = False
            while j < n:
                p = bm[j] + ts[j]
                if p >= size:
                    break
                if norm[p] == marker and sc[j] < 4:
                    q = p
                    while q < size and norm[q] == marker:
                        q += 1
                    if q - p >= length:
                        while q < size and norm[q] in " \t":
                            q += 1
                        if q >= em[j]:
                            closed = True
                            break
                j += 1
            push(_FENCE)
            i = j + 1 if closed else j
        elif kind == "i" or kind == "1" or kind == "o":
            ordered = kind != "i"
            # the character that must stay the same from item to item: the bullet, or the
            # delimiter after the number
            if ordered:
                m = _ORDERED_ITEM.match(norm, s, e)
                marker, width = norm[m.end() - 2], m.end() - s
            else:
                marker, width = norm[s], 2
            push(("l", ordered, 0, ""))
            while True:
                s = bm[i]
                j = i + 1
                indented = False
                while j < n and bm[j] + ts[j] < em[j]:
                    # no blank line: text continues the item's paragraph, unindented (lazily) or
                    # indented as the item's text is; another item, a heading or a fence ends it
                    if ts[j]:
                        if ts[j] != width or sc[j] != width or _line_kind(norm, bm[j] + width, em[j]) != "p":
                            return None
                        indented = True
                        j += 1
                        continue
                    k2 = _line_kind(norm, bm[j], em[j])
                    if k2 is None:
                        return None
                    if k2 != "p":
                        break
                    j += 1
                if indented:  # the indentation is not the item's text
                    content = "\n".join([norm[s + width:em[i]]] + [
                        norm[bm[k] + ts[k]:em[k]] for k in range(i + 1, j)])
                else:
                    content = norm[s + width:em[j - 1]]
                push(("i", i, j, content.strip(_MD_TRIM)))
                i = j
                if not (i < n and bm[i] + ts[i] < em[i]):
                    while i < n and bm[i] + ts[i] >= em[i]:
                        i += 1  # blanks
                # (otherwise another item, or the end of the list at a heading or fence)
                if i >= n or ts[i]:
                    break
                c = norm[bm[i]]
                if ordered:
                    if "0" <= c <= "9" and _line_kind(norm, bm[i], em[i]) in ("1", "o"):
                        m = _ORDERED_ITEM.match(norm, bm[i], em[i])
                        if norm[m.end() - 2] == marker:
                            width = m.end() - bm[i]
                            continue
                elif c == marker and _line_kind(norm, bm[i], em[i]) == "i":
                    continue
                break
            push(("L", ordered, 0, ""))
        else:
            return None
    return toks, bm, em


_FENCE = ("f", 0, 0, "")


def _fast_tokens(norm: str, env: dict) -> list | None:
    """markdown-it-py's block tokens for a document :func:`_fast_scan` takes (None for any other
    document): what the scan says, as tokens (tests/test_speed_parse_simple.py compares them
    with markdown-it-py's)."""
    scan = _fast_scan(norm)
    if scan is None:
        return None
    items, bm, em = scan
    toks: list = []
    push = toks.append
    p_open, p_close = _SHARED["paragraph_open"], _SHARED["paragraph_close"]
    for tag, a, b, content in items:
        if tag == "p":
            push(p_open)
            push(_Tok("inline", [a, b], content))
            push(p_close)
        elif tag == "i":
            push(_SHARED["list_item_open"])
            push(p_open)
            push(_Tok("inline", [a, b], content))
            push(p_close)
            push(_SHARED["list_item_close"])
        elif tag == "h":
            lines = [a, a + 1]
            push(_Tok("heading_open", lines, markup="#" * b))
            push(_Tok("inline", lines, content))
            push(_SHARED["heading_close"])
        elif tag == "f":
            push(_SHARED["fence"])
        else:
            kind = "ordered_list" if a else "bullet_list"
            push(_SHARED[kind + ("_open" if tag == "l" else "_close")])
    env["copydesk.lines"] = (bm, em)
    return toks


# text up to the next character that may start or end an inline construct other than text
_INLINE_STOP = static(r"[`\[\]\n\\*_~<&^!]")
# a link destination of plain characters, its closing parenthesis next
_DEST = static(r"[^\s()<>\\`&\x00-\x1f\x7f]+(?=\))")
_BAD_PROTO = static(r"(?:vbscript|javascript|file|data):", re.I)


def _code_span_end(v: str, j: int) -> int | None:
    """The end of the single-backtick code span that opens at ``v[j]``, or None: unmatched, or a
    longer run of backticks (not for the fast paths)."""
    k = v.find("`", j + 1)
    if k < 0 or v.startswith("`", j + 1) or v.startswith("`", k + 1):
        return None
    return k + 1


def _break_end(v: str, ps: int, j: int) -> tuple[int, str]:
    """Where the text before a line break at ``j`` ends (the text starts at ``ps``), and the
    break's kind, as markdown-it-py's newline rule has them: two or more trailing spaces make a
    hard break and are all dropped; one is dropped, and the break is soft."""
    e = j
    if e > ps and v[e - 1] == " ":
        if e - 1 > ps and v[e - 2] == " ":
            while e > ps and v[e - 1] == " ":
                e -= 1
            return e, "hardbreak"
        return e - 1, "softbreak"
    return e, "softbreak"


def _fast_children(v: str) -> list | None:
    """markdown-it-py's inline tokens for content of text, code spans in single backticks and
    inline links ``[text](destination)`` (text and destination without markup), with the spans
    the parser records; None for any other content."""
    toks: list = []
    push = toks.append
    n = len(v)
    i = ps = 0  # where the text not yet pushed starts
    search = _INLINE_STOP.search
    while True:
        m = search(v, i)
        if m is None:
            break
        j = m.start()
        c = v[j]
        if c == "`":
            e = _code_span_end(v, j)
            if e is None:
                return None
            if j > ps:
                push(_Tok("text", content=v[ps:j]))
            push(_Tok("code_inline", markup="`", meta={"cd": (j, e)}))
            i = ps = e
        elif c == "[":
            m2 = search(v, j + 1)
            if m2 is None or v[m2.start()] != "]":
                return None
            le = m2.start()
            if not v.startswith("(", le + 1):
                return None
            d = _DEST.match(v, le + 2)
            if d is None or _BAD_PROTO.match(v, le + 2):
                return None
            end = d.end() + 1
            if j > ps:
                push(_Tok("text", content=v[ps:j]))
            span = {"cd": (j, end)}
            push(_Tok("link_open", meta=span))
            if le > j + 1:
                push(_Tok("text", content=v[j + 1:le]))
            push(_Tok("link_close", meta=span))
            i = ps = end
        elif c == "\n":
            e, brk = _break_end(v, ps, j)
            if e > ps:
                push(_Tok("text", content=v[ps:e]))
            push(_SHARED[brk])
            i = j + 1
            while i < n and v[i] in " \t":
                i += 1
            ps = i
        elif c == "!" and not v.startswith("[", j + 1):
            i = j + 1  # text
        else:
            return None
    if n > ps:
        push(_Tok("text", content=v[ps:n]))
    return toks


_STOP_CHARS = ("`", "[", "]", "\n", "\\", "*", "_", "~", "<", "&", "^", "!")  # _INLINE_STOP's


def _stop_marks(v: str) -> list:
    """Where :data:`_INLINE_STOP` matches in ``v``, in order: found by C searches for each
    character (a regular expression's character class costs some 60 instructions a character
    scanned, a search for one character a fraction of one)."""
    marks: list = []
    find = v.find
    push = marks.append
    for ch in _STOP_CHARS:
        k = find(ch)
        while k >= 0:
            push(k)
            k = find(ch, k + 1)
    marks.sort()
    return marks


def _fast_atoms(v: str) -> list | None:
    """What :meth:`_Parser.inline_atoms` makes of :func:`_fast_children`'s tokens before bare links
    are found (its atoms in content offsets), made in the same scan without the tokens; None
    when :func:`_fast_children` gives None. (Each text token there starts where the token
    before it ended, so inline_atoms finds it where it was cut; tests/test_speed_parse.py
    compares the two.)"""
    marks = _stop_marks(v)
    atoms: list = []
    push = atoms.append
    n = len(v)
    i = ps = 0  # where the text not yet pushed starts
    mi, nm = 0, len(marks)
    while True:
        while mi < nm and marks[mi] < i:
            mi += 1
        if mi == nm:
            break
        j = marks[mi]
        c = v[j]
        if c == "`":
            e = _code_span_end(v, j)
            if e is None:
                return None
            if j > ps:
                push(("lit", ps, j, v[ps:j]))
            push(("mask", j, e, MASK))
            i = ps = e
        elif c == "[":
            if mi + 1 == nm or v[marks[mi + 1]] != "]":
                return None
            le = marks[mi + 1]
            if not v.startswith("(", le + 1):
                return None
            d = _DEST.match(v, le + 2)
            if d is None or _BAD_PROTO.match(v, le + 2):
                return None
            if j > ps:
                push(("lit", ps, j, v[ps:j]))
            if le > j + 1:
                push(("lit", j + 1, le, v[j + 1:le]))
            i = ps = d.end() + 1
        elif c == "\n":
            # _fast_children's text before the break, then inline_atoms' break: from the line's
            # trailing blanks to the next line's text
            e = _break_end(v, ps, j)[0]
            a = j
            while a > ps and v[a - 1] in " \t":
                a -= 1
            if e > ps:
                if a < e:
                    if a > ps:
                        push(("lit", ps, a, v[ps:a]))
                else:
                    push(("lit", ps, e, v[ps:e]))
            q = j + 1
            while q < n and v[q] in " \t":
                q += 1
            push(("ent", a, q, " "))
            i = ps = q
        elif c == "!" and not v.startswith("[", j + 1):
            i = j + 1  # text
        else:
            return None
    if n > ps:
        push(("lit", ps, n, v[ps:n]))
    return atoms


@record
class _Line(Record):
    """A source line: its start, its end, and the offset of its first character that is not
    indentation."""
    s: int
    e: int
    first: int

    def __init__(self, s: int, e: int, first: int):
        self.s = s
        self.e = e
        self.first = first


class _FrontMatter:
    """YAML (``---``) and TOML (``+++``) front matter: where it ends and its ``title``."""

    def __init__(self, src: str) -> None:
        self.src = src
        self.items: list = []

    def lines(self) -> list[_Line]:
        closers = ("---", "...") if self.src.startswith("---") else ("+++",)
        out = []
        for m in _LINE.finditer(self.src):
            if m.start() == len(self.src):
                break
            out.append(_Line(m.start(), m.end(1), m.start(1)))
            if len(out) > 1 and self.src[m.start():m.end(1)].rstrip(" \t") in closers:
                break  # the closer (front_matter reads no further)
        return out

    def blank(self, ln: _Line) -> bool:
        return not self.src[ln.s:ln.e].strip(" \t")

    def run(self) -> int:
        """Source offset where the front matter ends (0: none)."""
        if not self.src.startswith(("---", "+++")):
            return 0
        lines = self.lines()
        n = self.front_matter(lines)
        if not n:
            return 0
        return lines[n - 1].e

    def front_matter(self, lines: list[_Line]) -> int:
        if not lines:
            return 0
        src = self.src
        opener = src[lines[0].s:lines[0].e].rstrip(" \t")
        if opener == "---":
            closers, yaml = ("---", "..."), True
        elif opener == "+++":
            closers, yaml = ("+++",), False
        else:
            return 0
        for j in range(1, len(lines)):
            if src[lines[j].s:lines[j].e].rstrip(" \t") in closers:
                break
        else:
            return 0
        body = lines[1:j]
        for k, ln in enumerate(body):
            m = (_YAML_TITLE if yaml else _TOML_TITLE).match(src, ln.s, ln.e)
            if not m:
                if not yaml and src.startswith("[", ln.s):
                    break  # a TOML table: later keys are not top-level
                continue
            self.front_matter_title(body, k, m.end(), yaml)
            break
        return j + 1

    def front_matter_title(self, body: list[_Line], k: int, v: int, yaml: bool) -> None:
        src = self.src
        ln = body[k]
        e = ln.e
        while e > v and src[e - 1] in " \t":
            e -= 1
        tm = TextMap()
        end = e
        if v < e and src[v] in "\"'":
            q = src[v]
            i = v + 1
            tm.gap(ln.s, i)
            while i < e:
                c = src[i]
                if c == q:
                    if q == "'" and yaml and i + 1 < e and src[i + 1] == "'":
                        tm.gap(i, i + 1)
                        tm.literal(src, i + 1, i + 2)
                        i += 2
                        continue
                    break
                if c == "\\" and q == '"' and i + 1 < e:
                    nxt = src[i + 1]
                    if nxt == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", src[i + 2:i + 6]):
                        tm.entity(chr(int(src[i + 2:i + 6], 16)), i, i + 6)
                        i += 6
                    elif nxt in _DQ_ESCAPES:
                        tm.entity(" " if _DQ_ESCAPES[nxt].isspace() else _DQ_ESCAPES[nxt], i, i + 2)
                        i += 2
                    else:
                        tm.gap(i, i + 1)
                        tm.literal(src, i + 1, i + 2)
                        i += 2
                    continue
                j = i
                while j < e and src[j] != q and not (src[j] == "\\" and q == '"'):
                    j += 1
                tm.literal(src, i, j)
                i = j
            else:
                return  # unterminated (multi-line) quoted title: not supported
            tm.gap(i, i + 1)
            end = i + 1
        elif yaml and (v >= e or _BLOCK_SCALAR.match(src, v, e)):
            # block scalar (| or >) or a plain scalar continued on indented lines
            parts = []
            for ln2 in body[k + 1:]:
                if self.blank(ln2):
                    continue
                if src[ln2.s] not in " \t":
                    break
                parts.append(ln2)
            if not parts:
                return
            if v >= e and any(re.match(r"(?:[\w-]+[ \t]*:(?:[ \t]|$)|-[ \t])", src[x.first:x.e]) for x in parts):
                return  # a nested mapping or sequence, not a title string
            tm.gap(ln.s, parts[0].first)
            for n, ln2 in enumerate(parts):
                if n:
                    tm.entity(" ", tm.src_end, ln2.first)
                le = ln2.e
                while le > ln2.first and src[le - 1] in " \t":
                    le -= 1
                tm.literal(src, ln2.first, le)
            end = parts[-1].e
        else:
            if yaml:
                hash_ = re.search(r"[ \t]#", src[v:e])
                if hash_:
                    e = v + hash_.start()
                    while e > v and src[e - 1] in " \t":
                        e -= 1
                # a plain scalar may continue on more-indented lines
                tm.gap(ln.s, v)
                tm.literal(src, v, e)
                for ln2 in body[k + 1:]:
                    if self.blank(ln2) or src[ln2.s] not in " \t" or ":" in src[ln2.first:ln2.e]:
                        break
                    le = ln2.e
                    while le > ln2.first and src[le - 1] in " \t":
                        le -= 1
                    tm.entity(" ", tm.src_end, ln2.first)
                    tm.literal(src, ln2.first, le)
                    end = ln2.e
                end = max(end, e)
            else:
                return  # TOML values must be quoted
        text = tm.text()
        if not text.strip():
            return
        tm.gap(tm.src_end, end)
        self.items.append(Block("frontmatter.title", text, tm, ln.s, end))



# == blocks ==========================================================================================

_CONTAINERS = {"blockquote_open": "blockquote", "list_item_open": "list.item",
               "footnote_reference_open": "paragraph"}
_CLOSERS = {"blockquote_close", "list_item_close", "footnote_reference_close"}


class _Parser:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.src = doc.source
        self.items: list[Block] = []
        self.comments: list[tuple[int, int, str]] = []
        self.in_figcaption = False

    def parse(self) -> None:
        src = self.src
        fm = _FrontMatter(src)
        fm_end = fm.run()
        self.items.extend(fm.items)
        text = src
        if fm_end:  # front matter: blanks for markdown-it-py (offsets unchanged)
            head = re.sub(r"[^\r\n]", " ", src[:fm_end])
            text = head + src[fm_end:]
        self.al = al = Aligner(text)
        self.env: dict = {}  # reference and footnote definitions, for the inline parses
        tokens = []
        if al.norm.strip():
            scan = _fast_scan(al.norm) if FAST else None
            if scan is not None:
                items, bm, em = scan
                al.set_lines(bm, em)
                self.simple_blocks(items)
                self.finish()
                return
            tokens = markdown_it().parse(al.norm, self.env)
        al.set_lines(*self.env.get("copydesk.lines", ([], [])))
        self.walk(tokens)
        self.finish()

    def walk(self, tokens: list) -> None:
        """The blocks of markdown-it-py's block tokens."""
        al = self.al
        stack: list[str] = []
        depth = 0
        first_para = False  # the next paragraph is a list item's first (a task checkbox)
        n = len(tokens)
        i = 0
        while i < n:
            t = tokens[i]
            typ = t.type
            if typ in _CONTAINERS:
                depth += 1
                if depth > MAX_NESTING:
                    raise NestingTooDeep(f"more than {MAX_NESTING} lists or block quotes one inside another")
                stack.append(_CONTAINERS[typ])
                first_para = typ == "list_item_open"
            elif typ in _CLOSERS:
                depth -= 1
                stack.pop()
            elif typ == "inline":
                prev = tokens[i - 1].type
                if prev == "paragraph_open":
                    kind = "caption" if self.in_figcaption else (stack[-1] if stack else "paragraph")
                    self.paragraph(t, kind, task=first_para and kind == "list.item")
                elif prev == "heading_open":
                    self.heading(t, tokens[i - 1])
                elif prev in ("th_open", "td_open"):
                    self.cell(t)
                first_para = False
            elif typ == "heading_open":
                first_para = False
                if t.markup in ("=", "-"):  # setext: the paragraph's lines and the underline
                    self.paragraph(tokens[i + 1], "heading", t.map[1])
                    i += 3
                    continue
            elif typ == "tr_open":
                s, _e = al.line(t.map[0])
                self.row = [s, al.line(t.map[0])[1]]
            elif typ == "html_block":
                self.html_block(t, stack)
            elif typ in ("fence", "code_block", "hr"):
                first_para = False
            i += 1

    def finish(self) -> None:
        self.items.sort(key=lambda b: b.src_start)
        self.doc.blocks.extend(self.items)
        self.comments.sort()
        self.doc.comments.extend(self.comments)

    def simple_blocks(self, items: list) -> None:
        """The blocks of a simple document from :func:`_fast_scan`'s items, without tokens: what
        the token loop of :meth:`parse`, :meth:`paragraph` and :meth:`heading` make of
        :func:`_fast_tokens`'s (tests/test_speed_parse_blocks.py). Every line that opens a block
        here is unindented (its first character is the block's start), no block is inside a
        figure caption (a simple document has no HTML), and a list item is its item's first
        paragraph (a task checkbox is looked for)."""
        al = self.al
        norm = al.norm
        src = self.src
        same = al.same
        bm, em = al.starts, al.ends
        append = self.items.append
        one_literal = TextMap.one_literal
        for tag, a, b, c in items:
            if tag == "p" or tag == "i":
                kind = "paragraph" if tag == "p" else "list.item"
                s = bm[a]
                e = em[b - 1]
                if b - a == 1 and same and norm.endswith(c, s, e):
                    if _plain_no_url(c):
                        # one line of plain text ending its line (as paragraph())
                        append(Block(kind, c, one_literal(c, s, e - len(c), e, e), s, e, first_line=a + 1))
                        continue
                    # one line of text, code spans and links (as emit())
                    made = _line_map(c, src, e - len(c), s, e, tag == "i") if c else None
                    if made is not None:
                        append(Block(kind, made[0], made[1], s, e, first_line=a + 1))
                        continue
                self.emit(_Inline(c), kind, al.paragraph(c, a) if c else None, s, e, tag == "i")
            elif tag == "h" and c:
                s = bm[a]
                e = em[a]
                if same and _plain_no_url(c):  # (as heading())
                    k = norm.find(c, s + b, e)
                    if k >= 0:
                        append(Block("heading", c, one_literal(c, s, k, k + len(c), e), s, e, first_line=a + 1))
                        continue
                self.emit(_Inline(c), "heading", al.slice(c, s + b, e), s, e)

    # -- block kinds -------------------------------------------------------------------------------
    def paragraph(self, t, kind: str, setext: int = 0, task: bool = False) -> None:
        al = self.al
        l0, l1 = t.map
        src_start = al.first_nonblank(l0)
        _s, src_end = al.line((setext or l1) - 1)  # a setext heading ends with its underline
        c = t.content
        # (no task checkbox: the line has no "[")
        if l1 - l0 == 1 and al.same and _plain_no_url(c) and al.norm.endswith(c, src_start, src_end):
            # the commonest block: one line of plain text, ending its line (what emit makes of it);
            # the source's lines are markdown-it-py's (al.same)
            e = src_end
            tm = TextMap.one_literal(c, src_start, e - len(c), e, e)
            self.items.append(Block(kind, c, tm, src_start, e, first_line=l0 + 1))
            return
        pos = al.paragraph(c, l0) if c else None
        self.emit(t, kind, pos, src_start, src_end, task)

    def heading(self, t, open_tok) -> None:
        al = self.al
        ln = open_tok.map[0]
        s, e = al.line(ln)
        first = al.first_nonblank(ln)
        c = t.content
        if not c:
            return
        if FAST and al.same and _plain_no_url(c):
            # plain text: what emit makes of it, one literal
            k = al.norm.find(c, first + len(open_tok.markup), e)
            if k >= 0:
                self.items.append(Block("heading", c, TextMap.one_literal(c, first, k, k + len(c), e), first, e,
                                        first_line=ln + 1))
                return
        pos = al.slice(c, first + len(open_tok.markup), e)
        self.emit(t, "heading", pos, first, e)

    def cell(self, t) -> None:
        c = t.content
        row = self.row
        if not c:
            return
        pos = self.al.slice(c, row[0], row[1], " \t|")
        if pos is None:
            self.emit(t, "table.cell", None, row[0], row[1])
            return
        row[0] = pos[-1]
        self.emit(t, "table.cell", pos, pos[0], pos[-1])

    def html_block(self, t, stack) -> None:
        al = self.al
        l0, l1 = t.map
        start = al.first_nonblank(l0)
        _s, end = al.line(l1 - 1)
        norm = al.norm
        if norm.startswith("<!--", start):
            k = norm.find("-->", start + 4)
            e_line = al.line(al.line_of(k))[1] if k >= 0 else end
            if k >= 0 and k + 3 < e_line and not _ONLY_COMMENTS.match(norm, k + 3, e_line):
                # text after the comment on its last line: linted as the start of a paragraph
                self.html_region(start, k + 3)
                rest = k + 3
                while rest < e_line and norm[rest] in " \t":
                    rest += 1
                r_end = e_line
                while r_end > rest and norm[r_end - 1] in " \t":
                    r_end -= 1
                content = norm[rest:r_end]
                kind = "caption" if self.in_figcaption else (stack[-1] if stack else "paragraph")
                self.emit(_Inline(content), kind, range(rest, r_end + 1), rest, e_line)
                return
        self.html_region(start, end)

    def html_region(self, start: int, end: int) -> None:
        from .html import extract_html

        al = self.al
        s, e = al.to_source(start), al.to_source(end)
        blocks, comments = extract_html(self.src, s, e, body_only=False)
        # a comment the block's end cut (an HTML block ends with its list item or quote)
        # is not a comment
        self.comments.extend(c for c in comments if c[1] - c[0] >= 7 and self.src.endswith("-->", c[0], c[1]))
        for b in blocks:
            if b.kind == "caption":
                self.items.append(b)
        chunk = self.src[s:e]
        opens = len(_FIGCAPTION_OPEN.findall(chunk))
        closes = len(_FIGCAPTION_CLOSE.findall(chunk))
        if opens > closes:
            self.in_figcaption = True
        elif closes > opens:
            self.in_figcaption = False

    # -- inline ------------------------------------------------------------------------------------
    def emit(self, t, kind: str, pos, src_start: int, src_end: int, task: bool = False) -> None:
        al = self.al
        to_src = al.to_source
        if pos is None:
            # not placed: markdown-it-py's text, as one inexact stretch of the block's source
            text = _plain_text(self.children(t.content) or [])
            text = " ".join(text.split())
            if not text.replace(MASK, "").strip():
                return
            s, e = to_src(src_start), to_src(src_end)
            tm = TextMap()
            tm.entity(text, s, e)
            self.items.append(Block(kind, text, tm, s, e))
            return
        v = t.content
        if _no_inline(v):
            # nothing markdown-it-py's inline rules would act on: the whole content is text
            atoms = self.placed(v, pos, [("lit", 0, len(v), v)] if v else [])
        else:
            atoms = _fast_atoms(v) if FAST else None
            if atoms is not None:  # (what inline_atoms makes of _fast_children's tokens)
                atoms = self.placed(v, pos, atoms)
            else:
                atoms = self.inline_atoms(v, self.children(v), pos)
        if atoms is None:
            self.emit(t, kind, None, src_start, src_end)
            return
        if task and atoms and atoms[0][0] == "lit":
            m = _TASK.match(atoms[0][3])
            if m:  # a GFM task list checkbox is markup
                k, s, e, text = atoms[0]
                atoms[0] = ("lit", s + m.end(), e, text[m.end():])
                atoms.insert(0, ("gap", s, s + m.end(), ""))
        if len(atoms) > 1:
            atoms = _spacing(atoms)
        tm = self.build(atoms, to_src(src_start), to_src(src_end))
        if tm is not None:
            self.items.append(Block(kind, tm.text(), tm, to_src(src_start), to_src(src_end)))

    def children(self, content: str) -> list:
        """markdown-it-py's inline tokens for a block's content (the core inline rule is off:
        blocks of plain text skip it)."""
        tokens: list = []
        if content:
            fast = _fast_children(content) if FAST else None
            if fast is not None:
                return fast
            md = markdown_it()
            md.inline.parse(content, md, self.env, tokens)
        return tokens

    def inline_atoms(self, v: str, children, pos: list[int]) -> list | None:
        """(kind, source start, source end, text) for the inline tokens, in source order; None
        when a text token is not where it should be."""
        atoms: list = []  # in content offsets first
        cur = 0
        link_ends: list[int] = []
        skip_until = None
        comments = self.comments
        to_src = self.al.to_source
        k = 0
        nchild = len(children)
        while k < nchild:
            c = children[k]
            k += 1
            typ = c.type
            if skip_until is not None:
                if c is skip_until:
                    skip_until = None
                continue
            if typ == "text":
                content = c.content
                if not content:
                    continue
                a = v.find(content, cur)
                if a < 0:
                    return None
                atoms.append(("lit", a, a + len(content), content))
                cur = a + len(content)
                continue
            span = c.meta.get("cd")
            if typ == "softbreak" or typ == "hardbreak":
                j = v.find("\n", cur)
                if j < 0:
                    continue  # a hard break by backslash at the very end cannot happen
                # the break starts at the line's trailing blanks (after any markup closing it)
                last_lit = atoms[-1] if atoms and atoms[-1][0] == "lit" and atoms[-1][2] == cur else None
                lower = last_lit[1] if last_lit else cur
                a = j
                while a > lower and v[a - 1] in " \t":
                    a -= 1
                if last_lit and a < last_lit[2]:
                    atoms.pop()
                    if a > last_lit[1]:
                        atoms.append(("lit", last_lit[1], a, v[last_lit[1]:a]))
                j += 1
                while j < len(v) and v[j] in " \t":
                    j += 1
                atoms.append(("ent", a, j, " "))
                cur = j
                continue
            if span is None:
                continue  # emphasis and other markup: gaps between the texts
            a, b = span
            if typ == "text_special":
                if c.info == "escape" and c.content != c.markup:
                    atoms.append(("gap", a, a + 1, ""))
                    atoms.append(("lit", a + 1, b, v[a + 1:b]))
                elif c.info == "escape":  # a backslash before a letter is text
                    atoms.append(("lit", a, b, v[a:b]))
                else:
                    atoms.append(("ent", a, b, c.content))
                cur = b
            elif typ in ("code_inline", "image", "footnote_ref"):
                atoms.append(("mask", a, b, MASK))
                cur = b
            elif typ == "link_open":
                if c.markup == "autolink" or c.info == "auto":
                    atoms.append(("mask", a, b, MASK))
                    cur = b
                    # skip to the matching close
                    level = 1
                    while k < nchild and level:
                        tt = children[k].type
                        level += tt == "link_open"
                        level -= tt == "link_close"
                        k += 1
                else:
                    link_ends.append(b)
                    cur = max(cur, a + 1)
            elif typ == "link_close":
                if link_ends:
                    cur = max(cur, link_ends.pop())
            elif typ == "html_inline":
                html = c.content
                if html.startswith("<!--"):
                    s, e = to_src(pos[a]), to_src(_end(v, pos, b))
                    comments.append((s, e, self.src[s + 4:max(s + 4, e - 3)]))
                    atoms.append(("gap", a, b, ""))
                else:
                    m = _TAG_NAME.match(html)
                    name = m.group(1).lower() if m else ""
                    if name == "br":
                        atoms.append(("br", a, b, " "))
                    elif name == "code" and not html.startswith("</"):
                        close = None
                        for kk in range(k, nchild):
                            cc = children[kk]
                            if cc.type == "html_inline" and re.match(r"</code\s*>", cc.content, re.I):
                                close = cc
                                break
                        if close is not None and "cd" in close.meta:
                            b = close.meta["cd"][1]
                            atoms.append(("mask", a, b, MASK))
                            skip_until = close
                        else:
                            atoms.append(("gap", a, b, ""))
                    else:
                        atoms.append(("gap", a, b, ""))
                cur = b
        return self.placed(v, pos, atoms)

    def placed(self, v: str, pos, atoms: list) -> list:
        """Content atoms with bare links masked (:func:`_bare_links`), in source offsets."""
        if "@" in v or "[^" in v or _may_link(atoms):
            atoms = _bare_links(v, atoms)
        return self.to_source_atoms(v, pos, atoms)

    def to_source_atoms(self, v: str, pos: list[int], atoms: list) -> list:
        al = self.al
        to_src = al.to_source
        src = self.src
        out = []
        for kind, a, b, text in atoms:
            if kind == "lit":
                if pos[b - 1] - pos[a] == b - 1 - a:  # consecutive source characters
                    s = to_src(pos[a])
                    e = to_src(pos[b - 1]) + 1
                    if src.startswith(text, s) and e - s == b - a:
                        out.append(("lit", s, e, text))
                    else:
                        _unequal(src, s, e, text, out)
                    continue
                # in runs of consecutive source characters (a table cell's "\|" is not)
                r = a
                while r < b:
                    q = r + 1
                    while q < b and pos[q] == pos[q - 1] + 1:
                        q += 1
                    s = to_src(pos[r])
                    e = to_src(pos[q - 1]) + 1
                    piece = v[r:q]
                    if src[s:e] == piece:
                        out.append(("lit", s, e, piece))
                    else:
                        _unequal(src, s, e, piece, out)
                    r = q
            else:
                out.append((kind, to_src(pos[a]), to_src(_end(v, pos, b)), text))
        return out

    def build(self, atoms: list, src_start: int, src_end: int) -> TextMap | None:
        if len(atoms) == 1 and atoms[0][0] == "lit":  # the commonest block: one literal
            _k, s, e, text = atoms[0]
            if text and not text[0].isspace() and not text[-1].isspace() and text.replace(MASK, ""):
                return TextMap.one_literal(self.src[s:e], src_start, s, e, src_end)
        # trim leading and trailing whitespace
        lo, hi = 0, len(atoms)
        while lo < hi:
            kind, s, e, text = atoms[lo]
            if kind == "gap":
                lo += 1
            elif kind in ("lit", "ent") and text.isspace():
                lo += 1
            elif kind == "lit" and text[:1].isspace():
                strip = len(text) - len(text.lstrip())
                atoms[lo] = (kind, s + strip, e, text[strip:])
                break
            else:
                break
        while hi > lo:
            kind, s, e, text = atoms[hi - 1]
            if kind == "gap" or (kind in ("lit", "ent") and text.isspace()):
                hi -= 1
            elif kind == "lit" and text[-1:].isspace():
                keep = len(text.rstrip())
                atoms[hi - 1] = (kind, s, s + keep, text[:keep])
                break
            else:
                break
        body: list = []
        for a in atoms[lo:hi]:
            if a[0] == "gap":
                continue
            if a[0] == "lit" and body and body[-1][0] == "lit" and body[-1][2] == a[1]:
                p = body[-1]  # adjacent literals (a text token and an escaped character): one
                body[-1] = ("lit", p[1], a[2], p[3] + a[3])
                continue
            body.append(a)
        for a in body:
            if a[3].strip().replace(MASK, ""):
                break
        else:
            return None  # nothing but blanks and masks
        # the map TextMap's gap(), literal(), entity() and masked() make of these, in one pass:
        # a literal's text is its source slice, a gap fills the source between two segments
        src = self.src
        parts: list = []
        texts: list = []
        t0 = 0
        end = None  # where the last segment ends in the source (None: no segment yet)
        first = body[0][1]
        if first > src_start:
            parts.append((0, 0, src_start, first, GAP))
            texts.append("")
            end = first
        last = src_start
        for kind, s, e, text in body:
            if s < last:  # overlapping (should not happen): keep the map going forward
                return None
            last = e
            if kind == "lit":
                if e <= s:
                    continue
                text, seg = src[s:e], LITERAL
            elif kind == "ent":
                seg = ENTITY
            else:
                text, seg = MASK, MASKED
            if end is not None:
                if s < end:
                    raise ValueError("segments must be added in source order")
                if s > end:
                    parts.append((t0, t0, end, s, GAP))  # (a gap _add makes has no text entry)
            t1 = t0 + len(text)
            parts.append((t0, t1, s, e, seg))
            texts.append(text)
            t0, end = t1, e
        if end is None:
            end = 0
        if src_end > end:
            parts.append((t0, t0, end, src_end, GAP))
            texts.append("")
        return TextMap.of(parts, texts)


def _line_map(v: str, src: str, off: int, start: int, end: int, task: bool):
    """``(text, map)`` of the block :meth:`_Parser.emit` makes of content ``v`` placed at source
    offset ``off`` (one line, ending the block's source ``[start, end)``; the source's characters
    are the normalized text's) when :func:`_fast_atoms` takes it and it has no bare link, no task
    checkbox, no spacing to mend, no blank at either end and not only blanks: then emit's atoms
    are _fast_atoms' shifted by ``off`` (consecutive characters, no line break), only literal
    and masked, and build() keeps them all (tests/test_speed_parse_blocks.py). None otherwise
    (emit decides)."""
    if "@" in v or "[^" in v or not src.startswith(v, off):
        return None
    atoms = [("lit", 0, len(v), v)] if _no_inline(v) else _fast_atoms(v)
    if not atoms or _may_link(atoms):
        return None
    first, last = atoms[0], atoms[-1]
    if first[0] == "lit" and (first[3][0].isspace() or (task and _TASK.match(first[3]))):
        return None
    if last[0] == "lit" and last[3][-1].isspace():
        return None
    if len(atoms) > 1 and _spacing(atoms) is not atoms:
        return None
    for a in atoms:
        if a[3].strip().replace(MASK, ""):
            break
    else:
        return None  # nothing but blanks and masks
    # build()'s map: adjacent literals joined, gaps between segments
    parts: list = []
    texts: list = []
    t0 = 0
    at = off + first[1]
    if at > start:
        parts.append((0, 0, start, at, GAP))
        texts.append("")
    pkind = None
    for kind, a, b, text in atoms:
        s = off + a
        if s > at:
            parts.append((t0, t0, at, s, GAP))
        elif pkind == "lit" and kind == "lit":  # adjacent literals: one
            t0 = parts[-1][0]
            s = parts.pop()[2]
            text = texts.pop() + text
        t1 = t0 + len(text)
        at = off + b
        parts.append((t0, t1, s, at, LITERAL if kind == "lit" else MASKED))
        texts.append(text)
        t0 = t1
        pkind = kind
    if end > at:
        parts.append((t0, t0, at, end, GAP))
        texts.append("")
    return "".join(texts), TextMap.of(parts, texts)


class _Inline:
    """An inline block made here (text after a comment), as markdown-it-py's inline token."""

    __slots__ = ("content",)

    def __init__(self, content: str) -> None:
        self.content = content


def _unequal(src: str, s: int, e: int, text: str, out: list) -> None:
    """A text that differs from its source ``[s, e)`` (a NUL markdown-it-py read as U+FFFD):
    the equal characters literal, the others entities (one whole entity if the lengths
    differ)."""
    if e - s != len(text):
        out.append(("ent", s, e, text))
        return
    k = 0
    while k < len(text):
        eq = src[s + k] == text[k]
        j = k + 1
        while j < len(text) and (src[s + j] == text[j]) == eq:
            j += 1
        out.append(("lit" if eq else "ent", s + k, s + j, text[k:j]))
        k = j


def _end(v: str, pos: list[int], i: int) -> int:
    """Normalized offset just after content character ``i - 1``."""
    if i == 0:
        return pos[0]
    if v[i - 1] == "\n":
        return pos[i]
    return pos[i - 1] + 1


def _plain_text(children) -> str:
    out = []
    for c in children:
        if c.type in ("text", "text_special"):
            out.append(c.content)
        elif c.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif c.type in ("code_inline", "image", "footnote_ref"):
            out.append(MASK)
    return "".join(out)


def _may_link(atoms: list) -> bool:
    """Whether a bare URL could start in a literal atom (else :func:`_bare_links` masks no URL):
    its text has "://" or "www." in it, or it follows another literal atom directly (an
    escaped letter: "\\h" then "ttp://…"). A URL that starts anywhere else is never masked, as
    the position it starts at is not literal text (only then can the URLs it swallows be)."""
    prev_end = -1
    for kind, s, e, text in atoms:
        if kind == "lit":
            if s == prev_end or "://" in text or _first_www(text) >= 0:
                return True
            prev_end = e
        else:
            prev_end = -1
    return False


def _bare_links(v: str, atoms: list) -> list:
    """Bare URLs and e-mail addresses in the text (GFM extended autolinks) and footnote
    references without a definition become masks, where the whole of one is literal text (or
    emphasis markers)."""
    found: list[tuple[int, int]] = []
    url_from = _first_url_start(v)
    for m in _BARE_URL.finditer(v, url_from) if url_from >= 0 else ():
        url = m.group(0)
        while url:
            if url[-1] in "?!.,:*_~'\"":
                url = url[:-1]
            elif url[-1] == ")" and url.count(")") > url.count("("):
                url = url[:-1]
            elif url[-1] == ";" and _TRAILING_ENTITY.search(url):
                url = url[:_TRAILING_ENTITY.search(url).start()]
            else:
                break
        if len(url) > (4 if url[:1] in "wW" else 8):
            found.append((m.start(), m.start() + len(url)))
    if "@" in v:
        for m in _BARE_EMAIL.finditer(v):
            s, e = m.span()
            while e > s and v[e - 1] in "-_.":
                e -= 1
            if not any(t0 <= s < t1 for t0, t1 in found) and "@" in v[s:e]:
                found.append((s, e))
    if "[^" in v:  # a footnote reference without a definition is still not prose
        found.extend(m.span() for m in _FOOTNOTE_REF.finditer(v))
    if not found:
        return atoms
    found.sort()
    for s, e in found:
        inside = [x for x in atoms if x[1] < e and x[2] > s]
        if not inside or any(x[0] != "lit" for x in inside):
            continue
        covered = set()
        for x in inside:
            covered.update(range(max(s, x[1]), min(e, x[2])))
        if any(k not in covered and v[k] not in "*_~" for k in range(s, e)):
            continue
        out = []
        for x in atoms:
            if x[1] < e and x[2] > s:
                if x[1] < s:
                    out.append(("lit", x[1], s, v[x[1]:s]))
                if x is inside[0]:
                    out.append(("mask", s, e, MASK))
                if x[2] > e:
                    out.append(("lit", e, x[2], v[e:x[2]]))
            else:
                out.append(x)
        atoms = out
    return atoms


def _spacing(out: list) -> list:
    """``<br>``: a space, unless whitespace is already next to it; markup that vanishes between
    two spaces ("a <!-- x --> b") leaves one space, not two."""
    prev = ""
    for kind, _s, _e, text in out:
        if kind == "br":
            break
        if kind != "gap":
            if text[:1].isspace() and prev[-1:].isspace():
                break
            prev = text
    else:
        return out  # no <br>, and no text opens with a blank after one that ends with one: unchanged
    for k, atom in enumerate(out):
        if atom[0] != "br":
            continue
        prev = next((x for x in reversed(out[:k]) if x[0] != "gap"), None)
        nxt = next((x for x in out[k + 1:] if x[0] != "gap"), None)
        spaced = (prev is not None and prev[3][-1:].isspace()) or (nxt is not None and nxt[3][:1].isspace())
        out[k] = ("gap", atom[1], atom[2], "") if spaced or prev is None or nxt is None else (
            "ent", atom[1], atom[2], " ")
    result: list = []
    gap_since = False
    prev_end = None
    for atom in out:
        kind, s, e, text = atom
        if kind == "gap" or (prev_end is not None and s > prev_end):
            gap_since = True
        prev_end = e
        if kind == "gap":
            result.append(atom)
            continue
        last = None
        if gap_since and text[:1].isspace():
            last = next((x for x in reversed(result) if x[0] != "gap"), None)
        if last is not None and last[3][-1:].isspace():
            if kind == "lit":
                keep = text.lstrip()
                s += len(text) - len(keep)
                atom = (kind, s, e, keep) if keep else ("gap", s, e, "")
            elif text == " ":
                atom = ("gap", s, e, "")
        gap_since = False
        result.append(atom)
    return result


def parse_markdown(doc: Document) -> None:
    _Parser(doc).parse()
