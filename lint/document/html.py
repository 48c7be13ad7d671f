"""HTML: blocks of prose from the ``<body>`` (or the whole document when there is none).

:class:`html.parser.HTMLParser` finds the markup; every event is placed in the source from
``getpos()`` through a table of line starts (HTMLParser counts lines by ``\\n`` only, which is
exactly what the table counts, so CRLF input maps right). The parser is fed a copy of the
source in which every ``&`` is replaced by a character of the same length: it then never
reports (or mangles) character references, and this module decodes them itself, so that each
entity becomes an exact ``entity`` segment and the text between stays literal.
"""
from __future__ import annotations

import re
from html import unescape
from html.entities import html5
from html.parser import HTMLParser

from . import Block, Document
from .textmap import MASK, TextMap

__all__ = ["parse_html", "extract_html"]

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: elements whose text is a block of their own, and its kind
LEAF_KINDS = {
    "p": "paragraph", "li": "list.item", "blockquote": "blockquote", "td": "table.cell",
    "th": "table.cell", "figcaption": "caption", "caption": "caption", "dt": "paragraph",
    "dd": "paragraph", **{h: "heading" for h in HEADINGS},
}
#: elements whose kind carries over to the paragraphs and text runs inside them
INHERITED_KINDS = {"li": "list.item", "blockquote": "blockquote", "td": "table.cell",
                   "th": "table.cell", "figcaption": "caption", "caption": "caption"}
#: other block-level elements: they end the text run around them, their own text is a paragraph
CONTAINERS = frozenset("""address article aside body center colgroup details dialog dir div dl
    fieldset figure footer form frameset header hgroup html legend main menu nav noframes ol
    optgroup option search section summary table tbody tfoot thead tr ul""".split())
BLOCK_TAGS = frozenset(LEAF_KINDS) | CONTAINERS
#: void elements that break a text run
VOID_BLOCKS = frozenset({"hr"})
#: elements whose content is not prose; ``pre`` is also a block boundary
SKIPPED = frozenset("""head title script style pre template noscript svg math textarea select
    iframe object canvas audio video""".split())
#: a <p> is closed by the start of any of these
P_CLOSERS = frozenset("""address article aside blockquote center details dialog dir div dl dd dt
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p
    pre section search summary table ul""".split())
ROOTISH = frozenset({None, "html", "body"})
# containers that only group blocks: one holding a single block and nothing but tags that frame
# it goes with that block when the block is deleted (_Builder.wrap)
WRAPPERS = frozenset({"blockquote", "ul", "ol", "li", "dl", "dd", "dt", "div", "section", "aside", "header",
                      "footer", "nav", "center"})
_FRAMING_ONLY = re.compile(r"(?:\s|</?(?:a|abbr|aside|b|big|blockquote|center|cite|dd|div|dl|dt|em|footer|"
                           r"header|i|label|li|mark|nav|ol|p|q|s|section|small|span|strike|strong|sub|sup|u|ul)"
                           r"\b[^<>]*>)*", re.I)

_WS = " \t\n\r\f"
_ENTITY = re.compile(r"&(?:#[xX][0-9a-fA-F]+;?|#[0-9]+;?|([A-Za-z][A-Za-z0-9]*)(;?))")
_COMMENT_CLOSE = re.compile(r"--!?\s*>")
_AMP_STANDIN = "~"  # same length as "&", means nothing to HTMLParser


class _Scanner(HTMLParser):
    """Records every event as [type, tag-or-data, start, end-or-None] with source offsets."""

    def __init__(self, base: int, line_starts: list[int]) -> None:
        super().__init__(convert_charrefs=False)
        self.base = base
        self.line_starts = line_starts
        self.events: list[list] = []

    def _at(self) -> int:
        line, col = self.getpos()
        return self.base + self.line_starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        s = self._at()
        self.events.append(["start", tag, s, s + len(self.get_starttag_text())])

    def handle_startendtag(self, tag, attrs):
        s = self._at()
        self.events.append(["startend", tag, s, s + len(self.get_starttag_text())])

    def handle_endtag(self, tag):
        self.events.append(["end", tag, self._at(), None])

    def handle_data(self, data):
        s = self._at()
        # the tag slot says whether this is raw <script>/<style> content
        self.events.append(["data", self.cdata_elem, s, s + len(data)])

    def handle_comment(self, data):
        self.events.append(["comment", data, self._at(), None])

    def handle_entityref(self, name):  # not expected: "&" is hidden from the parser
        self.events.append(["data", None, self._at(), None])

    handle_charref = handle_entityref

    def handle_decl(self, decl):
        self.events.append(["other", None, self._at(), None])

    def handle_pi(self, data):
        self.events.append(["other", None, self._at(), None])

    def unknown_decl(self, data):
        self.events.append(["other", None, self._at(), None])

    def parse_html_declaration(self, i):
        """``<![`` not followed by a known marked-section keyword (``<![^1]: x``) makes the
        stdlib parser raise AssertionError; HTML reads it as a bogus comment up to ``>``."""
        pos = self.lineno, self.offset
        try:
            return super().parse_html_declaration(i)
        except AssertionError:  # it may have moved the position before raising
            self.lineno, self.offset = pos
            return self.parse_bogus_comment(i)


def _scan(source: str, start: int, end: int) -> list[list]:
    chunk = source[start:end]
    line_starts = [0]
    i = chunk.find("\n")
    while i >= 0:
        line_starts.append(i + 1)
        i = chunk.find("\n", i + 1)
    scanner = _Scanner(start, line_starts)
    scanner.feed(chunk.replace("&", _AMP_STANDIN))
    scanner.close()
    events = scanner.events
    for k, ev in enumerate(events):
        if ev[0] == "data" and not ev[1] and source.startswith("<!--", ev[2]) and ev[3] is not None:
            # an unclosed comment: HTMLParser passes its "<" on as text; it runs to the end
            del events[k:]
            events.append(["other", None, ev[2], end])
            break
    for k, ev in enumerate(events):
        nxt = events[k + 1][2] if k + 1 < len(events) else end
        typ, s = ev[0], ev[2]
        if typ == "comment":
            if source.startswith("<!--", s):
                m = _COMMENT_CLOSE.match(source, s + 4 + len(ev[1]), end)
                ev[3] = m.end() if m else nxt
                ev[1] = source[s + 4:s + 4 + len(ev[1])]  # the inner text, with its real "&"s
            else:  # a "bogus comment" such as <!x> or </ x>: markup, but not a comment
                ev[0], ev[1] = "other", None
        elif typ == "end":
            gt = source.find(">", s + 1, nxt)
            ev[3] = gt + 1 if gt >= 0 else nxt
        if ev[3] is None:
            ev[3] = nxt
    return events


def _decode_entity(source: str, m: re.Match) -> tuple[int, str] | None:
    """(end, decoded text) for the character reference matched at ``m``, or None."""
    name = m.group(1)
    if name is None:  # numeric
        return m.end(), unescape(m.group(0))
    if m.group(2) and name + ";" in html5:
        return m.end(), html5[name + ";"]
    # a legacy reference without its semicolon (&amp, &copy): the longest known prefix
    for k in range(len(name), 1, -1):
        if name[:k] in html5:
            return m.start() + 1 + k, html5[name[:k]]
    return None


class _Frame:
    __slots__ = ("tag", "start", "split", "kind", "blocks")

    def __init__(self, tag: str | None, start: int, parent: "_Frame | None" = None) -> None:
        self.tag = tag
        self.start = start
        self.split = False  # a child block broke its text into several runs
        self.blocks = 0  # blocks made before this element opened (see _Builder.wrap)
        # the kind of text inside: the nearest heading or kind-giving tag's, outward (set once
        # here: looking up the stack on every run was quadratic in the nesting depth)
        if tag in HEADINGS:
            self.kind = "heading"
        elif tag in INHERITED_KINDS:
            self.kind = INHERITED_KINDS[tag]
        else:
            self.kind = parent.kind if parent is not None else "paragraph"


class _Run:
    __slots__ = ("frame", "kind", "atoms", "at_open")

    def __init__(self, frame: _Frame, kind: str, at_open: bool) -> None:
        self.frame = frame
        self.kind = kind
        self.atoms: list[tuple] = []  # (type, start, end, decoded-text)
        self.at_open = at_open


class _Builder:
    def __init__(self, source: str, collecting: bool) -> None:
        self.src = source
        self.blocks: list[Block] = []
        self.comments: list[tuple[int, int, str]] = []
        self.stack = [_Frame(None, -1)]
        self.run = _Run(self.stack[0], "paragraph", False)
        self.collecting = collecting
        self.skip: list | None = None  # [tag, depth]
        self.mask: list | None = None  # [start, depth]
        self.last_end = 0

    # -- structure ----------------------------------------------------------------------------
    def kind(self) -> str:
        return self.stack[-1].kind

    def find(self, tags, stop=()) -> int:
        for k in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[k].tag
            if tag in tags:
                return k
            if tag in stop:
                return -1
        return -1

    def close_to(self, k: int, close_end: int | None = None) -> None:
        """Close stack[k] and everything above it; ``close_end`` ends stack[k]'s closing tag."""
        self.flush(close_end if k == len(self.stack) - 1 else None)
        if close_end is not None:
            self.wrap(self.stack[k], close_end)
        del self.stack[k:]
        self.run = _Run(self.stack[-1], self.kind(), False)

    def implied_close(self, tag: str) -> None:
        top = self.stack[-1].tag
        if tag in P_CLOSERS and top == "p":
            self.close_to(len(self.stack) - 1)
        if tag in HEADINGS and self.stack[-1].tag in HEADINGS:
            self.close_to(len(self.stack) - 1)
        rules = {
            "li": ({"li"}, {"ul", "ol", "menu", "table"}),
            "dt": ({"dt", "dd"}, {"dl", "table"}),
            "dd": ({"dt", "dd"}, {"dl", "table"}),
            "td": ({"td", "th"}, {"tr", "table"}),
            "th": ({"td", "th"}, {"tr", "table"}),
            "tr": ({"tr"}, {"table", "thead", "tbody", "tfoot"}),
            "thead": ({"thead", "tbody", "tfoot"}, {"table"}),
            "tbody": ({"thead", "tbody", "tfoot"}, {"table"}),
            "tfoot": ({"thead", "tbody", "tfoot"}, {"table"}),
        }
        if tag in rules:
            k = self.find(*rules[tag])
            if k > 0:
                self.close_to(k)

    def wrap(self, frame: _Frame, close_end: int) -> None:
        """A container (``<blockquote>``, ``<ul>``, ``<div>`` …) whose only content is one block
        and the tags that frame it: that block's source span takes the container in, so that
        deleting the block (a leftover line) leaves no empty ``<blockquote></blockquote>`` or
        ``<ul></ul>``."""
        if frame.tag not in WRAPPERS or len(self.blocks) != frame.blocks + 1:
            return
        block = self.blocks[-1]
        if frame.start < block.src_start and block.src_end <= close_end and \
                _FRAMING_ONLY.fullmatch(self.src, frame.start, block.src_start) and \
                _FRAMING_ONLY.fullmatch(self.src, block.src_end, close_end):
            block.src_start, block.src_end = frame.start, close_end

    def open_block(self, tag: str, start: int, end: int) -> None:
        self.implied_close(tag)
        self.flush(None, child=True)
        self.stack[-1].split = True
        if tag in VOID_BLOCKS:
            self.run = _Run(self.stack[-1], self.kind(), False)
            return
        frame = _Frame(tag, start, self.stack[-1])
        frame.blocks = len(self.blocks)
        self.stack.append(frame)
        self.run = _Run(frame, self.kind(), True)

    def close_block(self, tag: str, start: int, end: int) -> None:
        k = self.find({tag})
        if k < 0 and tag in HEADINGS:
            k = self.find(HEADINGS)
        if k > 0:
            self.close_to(k, end)
        if tag == "body":
            self.flush(None)
            del self.stack[1:]
            self.run = _Run(self.stack[0], "paragraph", False)
            self.collecting = False

    # -- text ------------------------------------------------------------------------------------
    def data(self, s: int, e: int) -> None:
        src, atoms = self.src, self.run.atoms
        i = text = s
        while i < e:
            c = src[i]
            if c in _WS:
                if text < i:
                    atoms.append(("text", text, i, ""))
                j = i
                while j < e and src[j] in _WS:
                    j += 1
                atoms.append(("ws", i, j, " "))
                i = text = j
                continue
            if c == "&":
                m = _ENTITY.match(src, i, e)
                decoded = _decode_entity(src, m) if m else None
                if decoded:
                    if text < i:
                        atoms.append(("text", text, i, ""))
                    atoms.append(("ent", i, decoded[0], decoded[1]))
                    i = text = decoded[0]
                    continue
            i += 1
        if text < e:
            atoms.append(("text", text, e, ""))

    def flush(self, close_end: int | None, child: bool = False) -> None:
        run = self.run
        self.run = _Run(run.frame, run.kind, False)
        content = [a for a in run.atoms if a[0] not in ("ws", "br")]
        if not content:
            return
        frame = run.frame
        whole = run.at_open and not child and not frame.split and frame.tag not in ROOTISH
        src_start = frame.start if whole else content[0][1]
        src_end = close_end if whole and close_end is not None else content[-1][2]
        tm = TextMap()
        first = True
        pending = None
        src = self.src
        for typ, s, e, text in run.atoms:
            if typ in ("ws", "br"):
                if not first and pending is None:
                    pending = (typ, s, e)
                continue
            if typ == "gap":
                continue
            if first:
                tm.gap(src_start, s)
                first = False
            elif pending:
                ptyp, ps, pe = pending
                if ptyp == "ws" and src[ps:pe] == " ":
                    tm.literal(src, ps, pe)
                else:
                    tm.entity(" ", ps, pe)
            pending = None
            if typ == "text":
                tm.literal(src, s, e)
            elif typ == "ent":
                tm.entity(text, s, e)
            else:
                tm.masked(s, e)
        text = tm.text()
        if not text.replace(MASK, "").strip():
            return
        tm.gap(tm.src_end, src_end)
        self.blocks.append(Block(run.kind, text, tm, src_start, src_end))

    # -- events ------------------------------------------------------------------------------
    def event(self, typ: str, tag, s: int, e: int) -> None:
        last, self.last_end = self.last_end, e
        if typ == "comment":
            self.comments.append((s, e, tag))
            if self.collecting and not self.skip and self.mask is None:
                self.run.atoms.append(("gap", s, e, ""))
            return
        if self.skip:
            if tag == self.skip[0]:
                if typ == "start":
                    self.skip[1] += 1
                elif typ == "end":
                    self.skip[1] -= 1
                    if not self.skip[1]:
                        self.skip = None
            return
        if not self.collecting:
            if typ in ("start", "startend") and tag == "body":
                self.collecting = True
                self.open_block(tag, s, e)
            return
        if self.mask is not None:
            if tag == "code" and typ == "start":
                self.mask[1] += 1
                return
            if tag == "code" and typ == "end":
                self.mask[1] -= 1
                if not self.mask[1]:
                    self.run.atoms.append(("mask", self.mask[0], e, MASK))
                    self.mask = None
                return
            if not (tag in BLOCK_TAGS or tag in VOID_BLOCKS or tag == "pre"):
                return
            self.run.atoms.append(("mask", self.mask[0], last, MASK))
            self.mask = None
        if typ == "data":
            self.data(s, e)
        elif typ == "start":
            if tag in SKIPPED:
                if tag == "pre":  # a block: it ends the text run around it
                    self.implied_close(tag)
                    self.flush(None, child=True)
                    self.stack[-1].split = True
                self.skip = [tag, 1]
            elif tag == "code":
                self.mask = [s, 1]
            elif tag in BLOCK_TAGS or tag in VOID_BLOCKS:
                self.open_block(tag, s, e)
            elif tag == "br":
                self.run.atoms.append(("br", s, e, " "))
            else:
                self.run.atoms.append(("gap", s, e, ""))
        elif typ == "startend":
            if tag in VOID_BLOCKS or (tag in BLOCK_TAGS and tag not in ROOTISH):
                self.open_block(tag, s, e)
            elif tag == "br":
                self.run.atoms.append(("br", s, e, " "))
            else:
                self.run.atoms.append(("gap", s, e, ""))
        elif typ == "end":
            if tag in BLOCK_TAGS:
                self.close_block(tag, s, e)
            elif tag == "br":  # </br> is read as <br>
                self.run.atoms.append(("br", s, e, " "))
            else:
                self.run.atoms.append(("gap", s, e, ""))
        else:
            self.run.atoms.append(("gap", s, e, ""))

    def finish(self) -> None:
        if self.mask is not None:
            self.run.atoms.append(("mask", self.mask[0], self.last_end, MASK))
            self.mask = None
        self.flush(None)


def extract_html(source: str, start: int = 0, end: int | None = None, *,
                 body_only: bool = True) -> tuple[list[Block], list[tuple[int, int, str]]]:
    """Blocks and comments of ``source[start:end]`` (offsets stay those of ``source``).

    With ``body_only``, a document that has a ``<body>`` only yields the blocks inside it."""
    end = len(source) if end is None else end
    events = _scan(source, start, end)
    has_body = body_only and any(ev[0] in ("start", "startend") and ev[1] == "body" for ev in events)
    builder = _Builder(source, collecting=not has_body)
    for typ, tag, s, e in events:
        builder.event(typ, tag, s, e)
    builder.finish()
    return builder.blocks, builder.comments


def parse_html(doc: Document) -> None:
    blocks, comments = extract_html(doc.source)
    doc.blocks.extend(blocks)
    doc.comments.extend(comments)
