"""Markdown: a hand-written, line-based parser for CommonMark plus the common GFM extensions.

Two passes. The block pass walks the lines, strips container markup (``>`` quote markers,
list markers and their indentation) and produces *leaves*: a kind, the source spans of the
leaf's lines (each from its first non-blank character to the end of the line) and the source
span of the whole block. The inline pass (after every reference definition is known) reads a
leaf's lines joined by ``\\n`` into a virtual string, tokenizes it (code spans, autolinks,
inline HTML, links, images, entities, escapes, emphasis delimiters, bare URLs) and writes the
tokens into a :class:`TextMap`.

Not linted: front matter (except its ``title``), code (fenced and indented), HTML blocks
(except ``<figcaption>`` text), reference definitions, thematic breaks.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from html import unescape
from html.entities import html5

from . import Block, Document
from ..regexcache import static
from .textmap import MASK, TextMap

__all__ = ["parse_markdown"]

# a line: leading blanks, content (group 1), the line break
_LINE = static(r"[ \t]*([^\r\n]*)(?:\r\n|\n|\r)?")

# -- block patterns (matched at the first non-blank character of a line, endpos = line end) --
_FENCE = static(r"(`{3,}|~{3,})(.*)$")
_ATX = static(r"(#{1,6})(?=[ \t]|$)")
_ATX_CLOSE = static(r"[ \t]+#+[ \t]*$")
_ATX_ONLY_CLOSE = static(r"#+[ \t]*$")
_HR = static(r"([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SETEXT = static(r"(?:=+|-+)[ \t]*$")
_BULLET = static(r"[-*+](?=[ \t]|$)")
_ORDERED = static(r"(\d{1,9})[.)](?=[ \t]|$)")
_REFDEF = static(
    r"\[((?:[^\[\]\\]|\\.){1,999})\]:[ \t]*(?:<[^<>\n]*>|[^\s<][^\s]*)"
    r"([ \t]+(?:\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?[ \t]*$"
)
_REFDEF_TITLE = static(r"[ \t]*(?:\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\))[ \t]*$")
_TASK = static(r"\[[ xX]\][ \t]+(?=\S)")
_DELIM_CELL = static(r"[ \t]*:?-+:?[ \t]*$")
# the first character of every block start above (fences, headings, thematic breaks, quotes,
# HTML, list markers, reference definitions); a line starting otherwise is a table or text
_BLOCK_START = static(r"[`~#*_>+<\[\d-]")

_HTML_BLOCK_TAGS = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|"
    "dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h1|h2|h3|h4|h5|"
    "h6|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|"
    "option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul"
)
_ATTRS = r"(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)*"
_HTML_STARTS = (
    (1, static(r"<(?:script|pre|style|textarea)(?=[\s>]|$)", re.I)),
    (2, static(r"<!--")),
    (3, static(r"<\?")),
    (5, static(r"<!\[CDATA\[")),
    (4, static(r"<![A-Za-z]")),
    (6, static(r"</?(?:%s)(?=[\s>]|/>|$)" % _HTML_BLOCK_TAGS, re.I)),
    (7, static(r"(?:<(?!(?:script|style|pre|textarea)\b)[A-Za-z][A-Za-z0-9-]*" + _ATTRS
                   + r"\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)[ \t]*$", re.I)),
)
_HTML_ENDS = {
    1: static(r"</(?:script|pre|style|textarea)\s*>", re.I),
    2: static(r"-->"),
    3: static(r"\?>"),
    4: static(r">"),
    5: static(r"\]\]>"),
}
# a comment ends at its first "-->" (atomic: a comment is never stretched over the next one,
# which made a line of many comments and then text take exponential time)
_ONLY_COMMENTS = static(r"(?:[ \t]*(?><!--(?:>|->|[\s\S]*?-->)))*[ \t]*$")
_FIGCAPTION_OPEN = static(r"<figcaption(?=[\s>/])", re.I)
_FIGCAPTION_CLOSE = static(r"</figcaption\s*>", re.I)

# -- inline patterns (matched on the virtual string of a leaf) --------------------------------
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_AUTOLINK = static(r"<[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*>")
_AUTOMAIL = static(
    r"<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>"
)
_COMMENT = static(r"<!--(?:>|->|[\s\S]*?-->)")
_OPEN_TAG = static(r"<([A-Za-z][A-Za-z0-9-]*)" + _ATTRS + r"\s*/?>")
_CLOSE_TAG = static(r"</([A-Za-z][A-Za-z0-9-]*)\s*>")
_OTHER_HTML = static(r"<\?[\s\S]*?\?>|<![A-Za-z][^>]*>|<!\[CDATA\[[\s\S]*?\]\]>")
_CODE_CLOSE = static(r"</code\s*>", re.I)
_ENTITY = static(r"&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|([A-Za-z][A-Za-z0-9]{1,31}));")
_FOOTNOTE_REF = static(r"\[\^[^\]\s]+\]")
_LINK_LABEL = static(r"\[((?:[^\[\]\\]|\\.){0,999})\]")
# bare URLs (GFM "extended autolinks") and e-mail addresses
_BARE_URL = static(r"(?<![^\s*_~(\[\"'“‘])(?:https?://|www\.)[\w\-]+(?:\.[\w\-]+)*[^\s<]*", re.I)
_BARE_EMAIL = static(r"(?<![\w.+\-@/])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_TRAILING_ENTITY = static(r"&[A-Za-z0-9]+;$")
# text in which the tokenizer has nothing to do: no character that can start a token (spaces
# and tabs are text too, unless they end a line or the whole string)
_PLAIN_RUN = static(r"[^\\`*_~!\[<&\n]+")
# runs that bracket_close and inline_destination skip in one step (\s is exactly str.isspace)
_BRACKET_RUN = static(r"[^\\`<\[\]]+")
_DEST_RUN = static(r"[^\\\s()\x00-\x1f]+")

# -- front matter -------------------------------------------------------------------------------
_YAML_TITLE = static(r"title[ \t]*:(?:[ \t]+|$)")
_TOML_TITLE = static(r"title[ \t]*=[ \t]*")
_BLOCK_SCALAR = static(r"[|>][+-]?[0-9]?[+-]?[ \t]*(?:#.*)?$")
_DQ_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "b": "\b", "f": "\f", "e": "\x1b", "_": "\xa0"}


def _norm_label(label: str) -> str:
    return " ".join(label.split()).casefold()


def _is_punct(ch: str) -> bool:
    return ch in _ASCII_PUNCT or unicodedata.category(ch)[0] in "PS"


def _first_url_start(text: str) -> int:
    """The first offset where :data:`_BARE_URL` could match in ``text``, or -1 if nowhere: a
    match has "://" after "http" or "https", or starts with "www." (only w and W match "w"
    under re.I)."""
    starts = []
    k = text.find("://")
    if k >= 0:
        starts.append(max(0, k - len("https")))
    for w in ("w.", "W."):
        k = text.find(w)
        if k >= 0:
            starts.append(max(0, k - len("ww")))
    return min(starts, default=-1)


@dataclass
class _Line:
    """A line as seen by the current container: content ``[s, e)``; ``first`` is the first
    non-blank character of the physical line (where a block starting on it starts)."""

    s: int
    e: int
    first: int
    lazy: bool = False


@dataclass
class _Leaf:
    kind: str
    spans: list  # [(start, end)] one per line, from the first non-blank character
    src_start: int
    src_end: int


@dataclass
class _Delim:
    s: int
    n: int
    ch: str
    can_open: bool
    can_close: bool
    count: int = 0
    left: int = 0  # characters consumed as a closer (from the left)
    right: int = 0  # characters consumed as an opener (from the right)
    active: bool = True


#: containers (list items and block quotes) one inside another that a document may have. Each
#: level re-reads the lines of the level around it, so a parse costs (lines x depth): with the
#: depth bounded it is linear in the document. The limit is checked on entering a container,
#: before its lines are read; real articles nest a few levels.
MAX_NESTING = 64


class NestingTooDeep(RecursionError):
    """Containers nested deeper than :data:`MAX_NESTING` (a RecursionError: the runner reports
    the file as nested too deeply to lint, on one line, and the run goes on)."""


_BLANKS = static(r"[ \t]*")
#: an indentation of this many columns or more is only compared, never measured exactly (every
#: decision compares a line's columns with 4 or with a list item's content width, at most
#: 3 + 10 + 4 columns: a marker's indentation, "123456789." and four blanks)
_WIDE = 64


class _Parser:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.src = doc.source
        self.items: list = []  # _Leaf or ready Block, in source order
        self.refs: set[str] = set()
        self.comments: list[tuple[int, int, str]] = []
        self.in_figcaption = False
        self.depth = 0  # containers open around the lines being read (see MAX_NESTING)
        self.tabbed: set[int] = set()  # ``first`` of the physical lines whose indentation has a tab

    def enter(self) -> None:
        """One container deeper; raises :class:`NestingTooDeep` past :data:`MAX_NESTING`."""
        if self.depth >= MAX_NESTING:
            raise NestingTooDeep(f"more than {MAX_NESTING} lists or block quotes one inside another")
        self.depth += 1

    # == lines ==================================================================================
    def lines(self) -> list[_Line]:
        out = [_Line(m.start(), m.end(1), m.start(1)) for m in _LINE.finditer(self.src)]
        out.pop()  # the empty match at the end of the source
        if "\t" in self.src:
            find = self.src.find
            self.tabbed = {ln.first for ln in out if find("\t", ln.s, ln.first) >= 0}
        return out

    def indent(self, ln: _Line) -> tuple[int, int]:
        """(columns of leading blanks, index of the first non-blank character)."""
        s, f = ln.s, ln.first
        if s < f:
            # what is left of the physical line's indentation: all blanks up to its first
            # non-blank character (or its end). Known without reading it, which a line nested
            # hundreds of columns deep would cost at every level
            if f not in self.tabbed:
                return f - s, f
            if f - s >= _WIDE:  # at least _WIDE columns: exactly how many changes no decision
                return f - s, f
        src = self.src
        col = 0
        i = s
        while i < ln.e and src[i] in " \t":
            col = col + 4 - col % 4 if src[i] == "\t" else col + 1
            i += 1
        return col, i

    def deindent(self, ln: _Line, width: int) -> _Line:
        if ln.s < ln.first and ln.first not in self.tabbed:  # spaces up to ``first``
            return _Line(min(ln.s + width, ln.first), ln.e, ln.first, ln.lazy)
        src = self.src
        col = 0
        i = ln.s
        while i < ln.e and col < width and src[i] in " \t":
            col = col + 4 - col % 4 if src[i] == "\t" else col + 1
            i += 1
        return _Line(i, ln.e, ln.first, ln.lazy)

    def blank(self, ln: _Line) -> bool:
        if ln.s < ln.first:  # blanks up to the physical line's first non-blank character
            return ln.first >= ln.e
        return _BLANKS.match(self.src, ln.s, ln.e).end() == ln.e

    # == block starts =============================================================================
    def fence_open(self, p: int, e: int):
        m = _FENCE.match(self.src, p, e)
        if not m:
            return None
        if m.group(1)[0] == "`" and "`" in m.group(2):
            return None
        return m.group(1)[0], len(m.group(1))

    def html_start(self, p: int, e: int) -> int:
        if not self.src.startswith("<", p, e):
            return 0
        for kind, pat in _HTML_STARTS:
            if pat.match(self.src, p, e):
                return kind
        return 0

    def list_marker(self, p: int, e: int):
        return _BULLET.match(self.src, p, e) or _ORDERED.match(self.src, p, e)

    def interrupts(self, ln: _Line) -> bool:
        """Can this line interrupt a paragraph (or end a lazy continuation)?"""
        if self.blank(ln):
            return True
        col, p = self.indent(ln)
        if col >= 4:
            return False
        src, e = self.src, ln.e
        if self.fence_open(p, e) or _ATX.match(src, p, e) or _HR.match(src, p, e):
            return True
        if src[p] == ">":
            return True
        html = self.html_start(p, e)
        if html == 2:  # a comment followed by text on its line is inline, in a paragraph
            m = _HTML_ENDS[2].search(src, p + 2, e)
            return not m or bool(_ONLY_COMMENTS.match(src, m.end(), e))
        if html in (1, 3, 4, 5, 6):
            return True
        m = self.list_marker(p, e)
        if m and src[m.end():e].strip(" \t"):
            return m.re is not _ORDERED or int(m.group(1)) == 1
        return False

    def table_at(self, lines: list[_Line], i: int) -> bool:
        if i + 1 >= len(lines):
            return False
        head, delim = lines[i], lines[i + 1]
        if head.lazy or delim.lazy or "|" not in self.src[head.s:head.e]:
            return False
        if self.indent(head)[0] >= 4 or self.indent(delim)[0] >= 4:
            return False
        dcells = self.cells(delim.s, delim.e)
        if not all(_DELIM_CELL.match(self.src, s, e) for s, e in dcells):
            return False
        if "|" not in self.src[delim.s:delim.e] and len(dcells) == 1:
            return False
        return len(dcells) == len(self.cells(head.s, head.e))

    def cells(self, s: int, e: int) -> list[tuple[int, int]]:
        src = self.src
        while s < e and src[s] in " \t":
            s += 1
        while e > s and src[e - 1] in " \t":
            e -= 1
        if s < e and src[s] == "|":
            s += 1
        if e > s and src[e - 1] == "|" and (e - 2 < s or src[e - 2] != "\\"):
            e -= 1
        out = []
        start = i = s
        while i < e:
            c = src[i]
            if c == "\\":
                i += 2
                continue
            if c == "|":
                out.append((start, i))
                start = i + 1
            i += 1
        out.append((start, e))
        return out

    # == front matter ===============================================================================
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

    # == blocks ===================================================================================
    def parse(self) -> None:
        lines = self.lines()
        start = self.front_matter(lines)
        self.blocks(lines[start:], "paragraph", False)
        for item in self.items:
            block = item if isinstance(item, Block) else self.inline_block(item)
            if block is not None:
                self.doc.blocks.append(block)
        self.comments.sort()
        self.doc.comments.extend(self.comments)

    def blocks(self, lines: list[_Line], kind: str, in_list: bool) -> None:
        src = self.src
        lines = list(lines)
        n = len(lines)
        i = 0
        while i < n:
            ln = lines[i]
            if self.blank(ln):
                i += 1
                continue
            col, p = self.indent(ln)
            e = ln.e
            if col >= 4 and not in_list and not ln.lazy:
                # indented code: runs until a non-blank line with less indentation
                while i < n and (self.blank(lines[i]) or self.indent(lines[i])[0] >= 4):
                    i += 1
                continue
            if col < 4 and _BLOCK_START.match(src, p, e):
                fence = self.fence_open(p, e)
                if fence:
                    i = self.skip_fence(lines, i + 1, fence)
                    continue
                m = _ATX.match(src, p, e)
                if m:
                    self.atx(ln, m.end())
                    i += 1
                    continue
                if _HR.match(src, p, e):
                    i += 1
                    continue
                if src[p] == ">":
                    i = self.blockquote(lines, i)
                    continue
                html = self.html_start(p, e)
                if html:
                    nxt = self.html_block(lines, i, html)
                    if nxt is not None:
                        i = nxt
                        continue
                if self.list_marker(p, e):
                    i = self.list_item(lines, i)
                    continue
                m = _REFDEF.match(src, p, e)
                if m and not m.group(1).startswith("^"):
                    self.refs.add(_norm_label(m.group(1)))
                    i += 1
                    if i < n and not m.group(2) and _REFDEF_TITLE.match(src, lines[i].s, lines[i].e):
                        i += 1  # the title on the next line
                    continue
            if self.table_at(lines, i):
                i = self.table(lines, i)
                continue
            i = self.paragraph(lines, i, "caption" if self.in_figcaption else kind)

    def skip_fence(self, lines: list[_Line], i: int, fence) -> int:
        ch, length = fence
        close = re.compile(re.escape(ch) + "{%d,}[ \t]*$" % length)
        while i < len(lines):
            col, p = self.indent(lines[i])
            i += 1
            if col < 4 and close.match(self.src, p, lines[i - 1].e):
                break
        return i

    def atx(self, ln: _Line, after: int) -> None:
        src = self.src
        s, e = after, ln.e
        while s < e and src[s] in " \t":
            s += 1
        if _ATX_ONLY_CLOSE.match(src, s, e):
            ce = s  # "### ###": an empty heading
        else:
            m = _ATX_CLOSE.search(src, s, e)
            ce = m.start() if m else e
        while ce > s and src[ce - 1] in " \t":
            ce -= 1
        self.items.append(_Leaf("heading", [(s, ce)], ln.first, ln.e))

    def blockquote(self, lines: list[_Line], i: int) -> int:
        self.enter()
        src = self.src
        inner: list[_Line] = []
        fence = None
        para = False
        while i < len(lines):
            ln = lines[i]
            col, p = self.indent(ln)
            if col < 4 and p < ln.e and src[p] == ">":
                q = p + 1
                if q < ln.e and src[q] in " \t":
                    q += 1
                line = _Line(q, ln.e, ln.first)
                inner.append(line)
                fence, para = self.track(line, fence)
                i += 1
                continue
            if para and not fence and not self.interrupts(ln):
                inner.append(_Line(ln.s, ln.e, ln.first, lazy=True))
                i += 1
                continue
            break
        self.blocks(inner, "blockquote", False)
        self.depth -= 1
        return i

    def track(self, ln: _Line, fence):
        """Follow open fences and paragraphs through a container's lines, for laziness."""
        col, p = self.indent(ln)
        src, e = self.src, ln.e
        if fence:
            ch, length = fence
            if col < 4 and re.compile(re.escape(ch) + "{%d,}[ \t]*$" % length).match(src, p, e):
                return None, False
            return fence, False
        if self.blank(ln):
            return None, False
        if col < 4:
            f = self.fence_open(p, e)
            if f:
                return f, False
            if _ATX.match(src, p, e) or _HR.match(src, p, e) or self.html_start(p, e):
                return None, False
        return None, True

    def list_item(self, lines: list[_Line], i: int) -> int:
        self.enter()
        src = self.src
        ln = lines[i]
        col, p = self.indent(ln)
        m = self.list_marker(p, ln.e)
        q = m.end()
        c = col + (q - p)
        after = 0
        while q < ln.e and src[q] in " \t":
            step = 4 - (c + after) % 4 if src[q] == "\t" else 1
            after += step
            q += 1
        marker_cols = col + (m.end() - p)
        if q >= ln.e or after > 4:
            width = marker_cols + 1
        else:
            width = marker_cols + after
        first = _Line(q if q < ln.e else ln.e, ln.e, ln.first)
        if after > 4 and q < ln.e:
            first = _Line(m.end() + 1, ln.e, ln.first)
        task = _TASK.match(src, first.s, first.e)
        if task:  # a GFM task list checkbox is markup
            first = _Line(task.end(), first.e, first.first)
        item = [first]
        empty_start = self.blank(first)
        fence, para = self.track(first, None)
        prev_blank = False
        i += 1
        while i < len(lines):
            lj = lines[i]
            if self.blank(lj):
                if empty_start and len(item) == 1:
                    break
                item.append(lj)
                prev_blank = True
                fence, para = (fence, False) if fence else (None, False)
                i += 1
                continue
            cj, pj = self.indent(lj)
            if cj >= width:
                line = self.deindent(lj, width)
                item.append(line)
                fence, para = self.track(line, fence)
                prev_blank = False
                i += 1
                continue
            if (para and not prev_blank and not fence and not self.interrupts(lj)
                    and not self.list_marker(pj, lj.e)):
                item.append(_Line(lj.s, lj.e, lj.first, lazy=True))
                i += 1
                continue
            break
        self.blocks(item, "list.item", True)
        self.depth -= 1
        return i

    def html_block(self, lines: list[_Line], i: int, kind: int):
        src = self.src
        ln = lines[i]
        _col, p = self.indent(ln)
        j = i
        if kind <= 5:
            pat = _HTML_ENDS[kind]
            start = p + (1 if kind == 1 else 2)
            while j < len(lines):
                lj = lines[j]
                m = pat.search(src, start if j == i else lj.s, lj.e)
                if m:
                    break
                j += 1
            else:
                j = len(lines) - 1
                m = None
            end = lines[j].e
            if kind == 2 and m and not _ONLY_COMMENTS.match(src, m.end(), lines[j].e):
                # text after the comment: lint it as the start of a paragraph
                if j == i:
                    return None
                self.html_region(p, m.end())
                lines[j] = _Line(m.end(), lines[j].e, m.end())
                return j
            self.html_region(p, end)
            return j + 1
        # kinds 6 and 7 run to the next blank line
        while j < len(lines) and not self.blank(lines[j]):
            j += 1
        self.html_region(p, lines[j - 1].e)
        return j

    def html_region(self, start: int, end: int) -> None:
        from .html import extract_html

        blocks, comments = extract_html(self.src, start, end, body_only=False)
        self.comments.extend(comments)
        for b in blocks:
            if b.kind == "caption":
                self.items.append(b)
        chunk = self.src[start:end]
        opens = len(_FIGCAPTION_OPEN.findall(chunk))
        closes = len(_FIGCAPTION_CLOSE.findall(chunk))
        if opens > closes:
            self.in_figcaption = True
        elif closes > opens:
            self.in_figcaption = False

    def table(self, lines: list[_Line], i: int) -> int:
        head = lines[i]
        ncols = len(self.cells(head.s, head.e))
        rows = [head]
        j = i + 2
        while j < len(lines):
            lj = lines[j]
            if self.blank(lj) or self.interrupts(lj) or lj.lazy:
                break
            rows.append(lj)
            j += 1
        src = self.src
        for row in rows:
            for s, e in self.cells(row.s, row.e)[:ncols]:
                while s < e and src[s] in " \t":
                    s += 1
                while e > s and src[e - 1] in " \t":
                    e -= 1
                if s < e:
                    self.items.append(_Leaf("table.cell", [(s, e)], s, e))
        return j

    def paragraph(self, lines: list[_Line], i: int, kind: str) -> int:
        src = self.src
        para = [lines[i]]
        j = i + 1
        end = None
        while j < len(lines):
            lj = lines[j]
            if self.blank(lj):
                break
            col, p = self.indent(lj)
            if not lj.lazy and col < 4 and _SETEXT.match(src, p, lj.e):
                kind = "heading"
                end = lj.e
                j += 1
                break
            if self.interrupts(lj) or self.table_at(lines, j):
                break
            para.append(lj)
            j += 1
        spans = []
        for ln in para:
            s = ln.s
            if s < ln.first:  # blanks up to the physical line's first non-blank character
                s = ln.first
            while s < ln.e and src[s] in " \t":
                s += 1
            spans.append((s, ln.e))
        self.items.append(_Leaf(kind, spans, para[0].first, end if end is not None else para[-1].e))
        return j

    # == inlines ==================================================================================
    def inline_block(self, leaf: _Leaf) -> Block | None:
        src = self.src
        if len(leaf.spans) == 1:  # one line: virtual offsets are source offsets shifted
            s, e = leaf.spans[0]
            self.v, self.pos = src[s:e], range(s, e + 1)
            self._closes = {}
        else:
            parts = []
            pos: list[int] = []
            for k, (s, e) in enumerate(leaf.spans):
                if k:
                    parts.append("\n")
                    pos.append(leaf.spans[k - 1][1])
                parts.append(src[s:e])
                pos.extend(range(s, e))
            pos.append(leaf.spans[-1][1])
            self.v, self.pos = "".join(parts), pos
            self._closes = {}
        v = self.v
        if _PLAIN_RUN.fullmatch(v) and not self.bare_links(0, len(v)):
            # nothing to tokenize: one literal, what tokens() and atoms() would make of it
            text = v.rstrip(" \t")
            atoms = [("lit", self.pos[0], self.pos[0] + len(text), text)] if text else []
        else:
            atoms = self.atoms(self.tokens(0, len(v)))
        tm = self.build(atoms, leaf.src_start, leaf.src_end)
        if tm is None:
            return None
        return Block(leaf.kind, tm.text(), tm, leaf.src_start, leaf.src_end)

    def abs_end(self, i: int) -> int:
        """Source offset just after virtual character ``i - 1``."""
        if i == 0:
            return self.pos[0]
        if self.v[i - 1] == "\n":
            return self.pos[i]
        return self.pos[i - 1] + 1

    def code_span_end(self, i: int, b: int) -> tuple[int, int]:
        """(run length, end of the code span or -1) for the backtick run at ``i``."""
        v = self.v
        j = i
        while j < b and v[j] == "`":
            j += 1
        n = j - i
        k = j
        while True:
            k = v.find("`" * n, k, b)
            if k < 0:
                return n, -1
            r = k
            while r < b and v[r] == "`":
                r += 1
            if r - k == n:
                return n, r
            k = r

    def html_at(self, i: int, b: int):
        """A match for an autolink or an inline HTML construct at ``i`` (a ``<``)."""
        v = self.v
        for pat in (_AUTOLINK, _AUTOMAIL, _COMMENT, _OPEN_TAG, _CLOSE_TAG, _OTHER_HTML):
            m = pat.match(v, i, b)
            if m:
                return m
        return None

    def bracket_close(self, i: int, b: int) -> int:
        """The ``]`` that closes the ``[`` at ``i`` (-1: none before ``b``). One scan also settles
        every ``[`` it passes: the scan's next position depends only on the position (and
        ``b``), so a scan from such a ``[`` would visit the same tail. Remembered per block, so
        thousands of unclosed brackets cost one scan, not one each (it was quadratic)."""
        closes = self._closes
        known = closes.get((i, b))
        if known is not None:
            return known
        v = self.v
        stack: list[int] = []
        k = i
        while k < b:
            m = _BRACKET_RUN.match(v, k, b)
            if m:
                k = m.end()
                continue
            c = v[k]
            if c == "\\":
                k += 2
                continue
            if c == "`":
                n, end = self.code_span_end(k, b)
                k = end if end >= 0 else k + n
                continue
            if c == "<":
                m = self.html_at(k, b)
                if m:
                    k = m.end()
                    continue
            if c == "[":
                stack.append(k)
            elif c == "]" and stack:
                closes[stack.pop(), b] = k
                if not stack:
                    return k
            k += 1
        for p in stack:
            closes[p, b] = -1
        return -1

    def inline_destination(self, k: int, b: int) -> int:
        """End of ``(destination "title")`` starting at ``k`` (a ``(``), or -1."""
        v = self.v

        def skip_ws(p: int) -> int:
            newlines = 0
            while p < b and v[p] in " \t\n":
                if v[p] == "\n":
                    newlines += 1
                    if newlines > 1:
                        return -1
                p += 1
            return p

        p = skip_ws(k + 1)
        if p < 0 or p >= b:
            return -1
        if v[p] == "<":
            q = p + 1
            while q < b and v[q] not in "<>\n":
                q += 2 if v[q] == "\\" else 1
            if q >= b or v[q] != ">":
                return -1
            p = q + 1
        else:
            depth = 0
            q = p
            while q < b:
                m = _DEST_RUN.match(v, q, b)
                if m:
                    q = m.end()
                    continue
                c = v[q]
                if c == "\\" and q + 1 < b:
                    q += 2
                    continue
                if c.isspace() or ord(c) < 32:
                    break
                if c == "(":
                    depth += 1
                elif c == ")":
                    if depth == 0:
                        break
                    depth -= 1
                q += 1
            if depth:
                return -1
            p = q
        q = skip_ws(p)
        if q < 0 or q >= b:
            return -1
        if q > p and v[q] in "\"'(":
            close = ")" if v[q] == "(" else v[q]
            r = q + 1
            while r < b and v[r] != close:
                r += 2 if v[r] == "\\" else 1
            if r >= b:
                return -1
            q = skip_ws(r + 1)
            if q < 0 or q >= b:
                return -1
        return q + 1 if v[q] == ")" else -1

    def link_at(self, i: int, b: int) -> tuple[int, int]:
        """(index of the closing ``]``, end of the link) for a link starting at ``i`` (a ``[``)."""
        j = self.bracket_close(i, b)
        if j < 0:
            return -1, -1
        v = self.v
        k = j + 1
        if k < b and v[k] == "(":
            end = self.inline_destination(k, b)
            if end > 0:
                return j, end
        if k < b and v[k] == "[":
            m = _LINK_LABEL.match(v, k, b)
            if m:
                label = m.group(1) if m.group(1).strip() else v[i + 1:j]
                if _norm_label(label) in self.refs:
                    return j, m.end()
                return -1, -1
        if _norm_label(v[i + 1:j]) in self.refs:
            return j, j + 1
        return -1, -1

    def bare_links(self, a: int, b: int) -> dict[int, int]:
        v = self.v
        found: dict[int, int] = {}
        taken: list[tuple[int, int]] = []
        seg = v[a:b]
        # cheap pre-checks: no URL can start before the first place where one could (else the
        # regex tries every position), and an e-mail address needs an "@"
        url_from = _first_url_start(seg)
        for m in _BARE_URL.finditer(v, a + url_from, b) if url_from >= 0 else ():
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
                found[m.start()] = m.start() + len(url)
                taken.append((m.start(), m.start() + len(url)))
        for m in _BARE_EMAIL.finditer(v, a, b) if "@" in seg else ():
            s, e = m.span()
            while e > s and v[e - 1] in "-_.":
                e -= 1
            if not any(t0 <= s < t1 for t0, t1 in taken) and "@" in v[s:e]:
                found[s] = e
        return found

    def tokens(self, a: int, b: int) -> list:
        v = self.v
        toks: list = []
        links = self.bare_links(a, b)
        lit = -1

        def flush(at: int) -> None:
            nonlocal lit
            if lit >= 0 and at > lit:
                toks.append(("lit", lit, at))
            lit = -1

        starts = sorted(links)  # where bare links begin: ordinary runs stop there
        nxt = 0
        stop = b
        i = a
        while i < b:
            if starts:
                while nxt < len(starts) and starts[nxt] < i:
                    nxt += 1
                stop = starts[nxt] if nxt < len(starts) else b
            m = _PLAIN_RUN.match(v, i, stop)
            if m:  # a run of ordinary text: one step instead of one per character
                e = m.end()
                if e == len(v) or (e < b and v[e] == "\n"):
                    while e > i and v[e - 1] in " \t":
                        e -= 1  # trailing blanks: left to the " \t" case below
                if e > i:
                    if lit < 0:
                        lit = i
                    i = e
                    continue
            c = v[i]
            if i in links:
                flush(i)
                toks.append(("mask", i, links[i]))
                i = links[i]
                continue
            if c == "\\" and i + 1 < b:
                if v[i + 1] == "\n":
                    flush(i)
                    toks.append(("brk", i, i + 2))
                    i += 2
                    continue
                if v[i + 1] in _ASCII_PUNCT:
                    flush(i)
                    toks.append(("gap", i, i + 1))
                    lit = i + 1
                    i += 2
                    continue
            elif c == "`":
                n, end = self.code_span_end(i, b)
                if end >= 0:
                    flush(i)
                    toks.append(("mask", i, end))
                    i = end
                else:
                    if lit < 0:
                        lit = i
                    i += n
                continue
            elif c in "*_~":
                flush(i)
                j = i
                while j < b and v[j] == c:
                    j += 1
                toks.append(self.delim(i, j - i, c))
                i = j
                continue
            elif c == "!" and i + 1 < b and v[i + 1] == "[":
                _j, end = self.link_at(i + 1, b)
                if end > 0:
                    flush(i)
                    toks.append(("mask", i, end))
                    i = end
                    continue
            elif c == "[":
                m = _FOOTNOTE_REF.match(v, i, b)
                if m:
                    flush(i)
                    toks.append(("mask", i, m.end()))
                    i = m.end()
                    continue
                j, end = self.link_at(i, b)
                if end > 0:
                    flush(i)
                    toks.append(("gap", i, i + 1))
                    toks.extend(self.tokens(i + 1, j))
                    toks.append(("gap", j, end))
                    i = end
                    continue
            elif c == "<":
                m = self.html_at(i, b)
                if m:
                    flush(i)
                    pat = m.re
                    if pat is _AUTOLINK or pat is _AUTOMAIL:
                        toks.append(("mask", i, m.end()))
                        i = m.end()
                    elif pat is _COMMENT:
                        cs, ce = self.pos[i], self.abs_end(m.end())
                        self.comments.append((cs, ce, self.src[cs + 4:max(cs + 4, ce - 3)]))
                        toks.append(("gap", i, m.end()))
                        i = m.end()
                    elif pat is _OPEN_TAG and m.group(1).lower() == "code":
                        close = _CODE_CLOSE.search(v, m.end(), b)
                        end = close.end() if close else m.end()
                        toks.append(("mask" if close else "gap", i, end))
                        i = end
                    elif pat in (_OPEN_TAG, _CLOSE_TAG) and m.group(1).lower() == "br":
                        toks.append(("br", i, m.end()))
                        i = m.end()
                    else:
                        toks.append(("gap", i, m.end()))
                        i = m.end()
                    continue
            elif c == "&":
                m = _ENTITY.match(v, i, b)
                if m:
                    name = m.group(1)
                    text = html5.get(name + ";") if name else unescape(m.group(0))
                    if text is not None:
                        flush(i)
                        toks.append(("ent", i, m.end(), text))
                        i = m.end()
                        continue
            elif c in " \t":
                j = i
                while j < b and v[j] in " \t":
                    j += 1
                if j < b and v[j] == "\n":
                    flush(i)
                    toks.append(("brk", i, j + 1))
                    i = j + 1
                    continue
                if j >= len(v):
                    flush(i)
                    i = j
                    continue
                if lit < 0:
                    lit = i
                i = j
                continue
            elif c == "\n":
                flush(i)
                toks.append(("brk", i, i + 1))
                i += 1
                continue
            if lit < 0:
                lit = i
            i += 1
        flush(b)
        self.emphasis([t for t in toks if isinstance(t, _Delim)])
        return toks

    def delim(self, i: int, n: int, ch: str) -> _Delim:
        v = self.v
        before = v[i - 1] if i > 0 else "\n"
        after = v[i + n] if i + n < len(v) else "\n"
        left = not after.isspace() and (not _is_punct(after) or before.isspace() or _is_punct(before))
        right = not before.isspace() and (not _is_punct(before) or after.isspace() or _is_punct(after))
        if ch == "_":
            can_open = left and (not right or _is_punct(before))
            can_close = right and (not left or _is_punct(after))
        else:
            can_open, can_close = left, right
        if ch == "~" and n > 2:
            can_open = can_close = False
        return _Delim(i, n, ch, can_open, can_close, count=n)

    @staticmethod
    def emphasis(ds: list[_Delim]) -> None:
        for ci, closer in enumerate(ds):
            while closer.count and closer.can_close and closer.active:
                found = -1
                for oi in range(ci - 1, -1, -1):
                    o = ds[oi]
                    if not o.active or not o.count or not o.can_open or o.ch != closer.ch:
                        continue
                    if closer.ch == "~":
                        if o.count != closer.count:
                            continue
                    elif ((o.can_close or closer.can_open) and (o.n + closer.n) % 3 == 0
                          and not (o.n % 3 == 0 and closer.n % 3 == 0)):
                        continue
                    found = oi
                    break
                if found < 0:
                    break
                o = ds[found]
                use = closer.count if closer.ch == "~" else (2 if o.count >= 2 and closer.count >= 2 else 1)
                o.count -= use
                o.right += use
                closer.count -= use
                closer.left += use
                for k in range(found + 1, ci):
                    ds[k].active = False

    def atoms(self, toks: list) -> list:
        """Tokens -> (kind, src_start, src_end, text) in source order."""
        pos, v = self.pos, self.v
        out = []
        for t in toks:
            if isinstance(t, _Delim):
                s = pos[t.s]
                if t.left:
                    out.append(("gap", s, s + t.left, ""))
                if t.n - t.left - t.right > 0:
                    out.append(("lit", s + t.left, s + t.n - t.right, v[t.s + t.left:t.s + t.n - t.right]))
                if t.right:
                    out.append(("gap", s + t.n - t.right, s + t.n, ""))
                continue
            kind, a, b = t[0], t[1], t[2]
            s, e = pos[a], self.abs_end(b)
            if kind == "lit":
                out.append(("lit", s, s + (b - a), v[a:b]))
            elif kind == "ent":
                out.append(("ent", s, e, t[3]))
            elif kind == "brk":
                out.append(("ent", s, e, " "))
            elif kind == "br":
                out.append(("br", s, e, " "))
            else:
                out.append((kind, s, e, MASK if kind == "mask" else ""))
        # <br>: a space, unless whitespace is already next to it
        for k, atom in enumerate(out):
            if atom[0] != "br":
                continue
            prev = next((x for x in reversed(out[:k]) if x[0] != "gap"), None)
            nxt = next((x for x in out[k + 1:] if x[0] != "gap"), None)
            spaced = (prev is not None and prev[3][-1:].isspace()) or (nxt is not None and nxt[3][:1].isspace())
            out[k] = ("gap", atom[1], atom[2], "") if spaced or prev is None or nxt is None else (
                "ent", atom[1], atom[2], " ")
        # markup that vanishes between two spaces ("a <!-- x --> b") leaves one space, not two
        result: list = []
        gap_since = False
        for atom in out:
            kind, s, e, text = atom
            if kind == "gap":
                gap_since = True
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

    def build(self, atoms: list, src_start: int, src_end: int) -> TextMap | None:
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
        body = [a for a in atoms[lo:hi] if a[0] != "gap"]
        for a in body:
            if a[3].strip().replace(MASK, ""):
                break
        else:
            return None  # nothing but blanks and masks
        tm = TextMap()
        tm.gap(src_start, body[0][1])
        for kind, s, e, text in body:
            if kind == "lit":
                tm.literal(self.src, s, e)
            elif kind == "ent":
                tm.entity(text, s, e)
            else:
                tm.masked(s, e)
        tm.gap(tm.src_end, src_end)
        return tm


def parse_markdown(doc: Document) -> None:
    _Parser(doc).parse()
