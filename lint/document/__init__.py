"""Documents: the source, its blocks of extracted prose, and the maps between them."""
from __future__ import annotations

import os.path
import re
from bisect import bisect_right
from dataclasses import field
from itertools import accumulate, count
from operator import add

from .._record import FACTORY, Record, record
from ..model import LineIndex
from .textmap import MASK, TextMap

_WORD = re.compile(r"[a-z0-9]+")  # what Document.words finds (computed without it)
#: bytes -> themselves for a-z and 0-9, a space for every other byte (Document.words)
_WORD_BYTES = bytes(c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256))
#: ASCII bytes -> a space for the whitespace str.split() splits at, an "x" for any other (Block.n_words)
_SPACE_BYTES = bytes(32 if chr(c).isspace() else 120 for c in range(128)) + b"x" * 128

__all__ = ["Block", "Document", "Suppression", "TextMap", "MASK", "parse", "format_for_path"]

class cached_property:
    """functools.cached_property without the lock Python 3.11 takes on every first access (a
    document's blocks are each asked for a few of these: ~1.5 µs apiece, 3% of a cold run).
    Documents are made and read by one thread."""

    def __init__(self, func):
        self.func, self.name, self.__doc__ = func, func.__name__, func.__doc__

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, cls=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)
        return value


FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
           ".html": "html", ".htm": "html"}


@record
class Block(Record):
    """A unit of prose: a paragraph, heading, list item, table cell, caption …"""

    kind: str
    text: str
    map: TextMap
    src_start: int  # source span of the whole block (markup included), for deletions
    src_end: int
    zone: str = "body"
    index: int = 0
    #: lines (1-based) the block occupies; used by "disable-next-line"
    first_line: int = 0

    def __init__(self, kind: str, text: str, map: TextMap, src_start: int, src_end: int,  # noqa: A002
                 zone: str = "body", index: int = 0, first_line: int = 0):
        self.kind = kind
        self.text = text
        self.map = map
        self.src_start = src_start
        self.src_end = src_end
        self.zone = zone
        self.index = index
        self.first_line = first_line

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        return self.map.to_source(start, end)

    @cached_property
    def folded(self) -> str:
        """The text as literal filters compare it (:func:`lint.literals.fold`)."""
        from ..literals import fold

        return fold(self.text)

    @cached_property
    def n_words(self) -> int:
        """Whitespace-separated words (rules that look only at short blocks ask this often):
        ``len(text.split())``. An ASCII text's words start at its first character if that is not
        whitespace, and after each whitespace character followed by one that is not: counted by
        C calls without making the words (tests/test_speed_docwords.py)."""
        text = self.text
        if text.isascii():
            b = text.encode("ascii").translate(_SPACE_BYTES)
            return b.count(b" x") + b.startswith(b"x")
        return len(text.split())

    @cached_property
    def quotes(self) -> tuple:
        """Spans of the quotations in the text (:func:`lint.document.sentences.quotations`)."""
        from .sentences import quotations

        return quotations(self.text)

    @cached_property
    def memo(self) -> dict:
        """What rule kinds derive from the text and share between rules (by key); the text of a
        block never changes once parsed."""
        return {}


@record
class Suppression(Record):
    """Rules silenced on a source range. ``codes`` empty means every rule."""

    codes: frozenset[str]
    start: int
    end: int
    line: int  # where the comment is, for "unused suppression" reports

    def __init__(self, codes: frozenset[str], start: int, end: int, line: int):
        self.codes = codes
        self.start = start
        self.end = end
        self.line = line


@record
class Document(Record):
    """A parsed article: its source, format, prose blocks (each mapped to source offsets) and
    suppression comments."""
    path: str
    source: str
    format: str
    blocks: list[Block] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    #: HTML comments seen by the parser: (source start, source end, inner text)
    comments: list[tuple[int, int, str]] = field(default_factory=list)
    #: what rule kinds derive from the whole document and share (lint.kinds.joined views)
    memo: dict = field(default_factory=dict, repr=False, compare=False)
    _lines: LineIndex | None = None

    def __init__(self, path: str, source: str, format: str, blocks: list[Block] = FACTORY,  # noqa: A002
                 suppressions: list[Suppression] = FACTORY, comments: list[tuple[int, int, str]] = FACTORY,
                 memo: dict = FACTORY, _lines: LineIndex | None = None):
        self.path = path
        self.source = source
        self.format = format
        self.blocks = [] if blocks is FACTORY else blocks
        self.suppressions = [] if suppressions is FACTORY else suppressions
        self.comments = [] if comments is FACTORY else comments
        self.memo = {} if memo is FACTORY else memo
        self._lines = _lines

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            source = self.source
            if "\r" in source:
                self._lines = LineIndex(source)
            else:
                # LineIndex's starts (after each LF) by C calls alone: a line starts after the
                # lines before it and their line breaks (tests/test_speed_parse.py)
                parts = source.split("\n")
                parts.pop()  # the text after the last LF starts no line of its own
                starts = [0]
                starts += map(add, accumulate(map(len, parts)), count(1))
                self._lines = LineIndex.from_starts(starts, len(source))
        return self._lines

    @property
    def newline(self) -> str:
        return "\r\n" if "\r\n" in self.source else "\n"

    @cached_property
    def folded(self) -> str:
        """Every block's folded text, one per line: what document-level literal filters test.
        (Blocks are fixed once parsed; a rule only ever sees a subset of them.)

        Each block is folded alone (:attr:`Block.folded`, kept), an ASCII one by ``lower()``
        inline (what lint.literals.fold does with it): folding the joined text in one call was
        slower, as one character outside ASCII sends the whole document through lower()'s
        Unicode path (tests/test_document_folded.py)."""
        from ..literals import fold

        out = []
        for b in self.blocks:
            cache = b.__dict__
            f = cache.get("folded")
            if f is None:
                t = b.text
                f = cache["folded"] = t.lower() if t.isascii() else fold(t)
            out.append(f)
        return "\n".join(out)

    @cached_property
    def present(self):
        """Which literal strings :attr:`folded` contains, each tested once (lint.literals)."""
        from ..literals import Presence

        return Presence(self.folded)

    @cached_property
    def words(self) -> frozenset:
        """The distinct runs of ASCII letters and digits in :attr:`folded` (lexicon filters): the
        words of ``_WORD.findall``, found by C calls alone (each character that is not a-z or
        0-9 becomes a space, a non-ASCII one through the "?" the ASCII codec writes for it, and
        the text is split), which take half the time (tests/test_document_folded.py)."""
        return frozenset(self.folded.encode("ascii", "replace").translate(_WORD_BYTES).decode("ascii").split())


def format_for_path(path: str) -> str | None:
    # PurePath(path).suffix, without making a Path (this runs once or twice per file)
    name = path[path.rfind(os.sep) + 1:]
    dot = name.rfind(".")
    return FORMATS.get(name[dot:].lower()) if 0 < dot < len(name) - 1 else None


_PARSERS: dict = {}  # format -> its parser; "zones" -> assign_zones


def parser_for(fmt: str):
    """The parser of ``fmt`` (text, markdown or html), imported once: an import statement costs
    as much as a small block (lint.runner imports them before it forks its workers)."""
    parser = _PARSERS.get(fmt)
    if parser is None:
        if fmt == "markdown":
            from .markdown import parse_markdown as parser
        elif fmt == "html":
            from .html import parse_html as parser
        else:
            from .plain import parse_plain as parser
        from .zones import assign_zones

        _PARSERS[fmt] = parser
        _PARSERS["zones"] = assign_zones
    return parser


def parse(source: str, path: str = "<text>", fmt: str | None = None) -> Document:
    """Parse ``source`` into a :class:`Document`; ``fmt`` is text, markdown or html."""
    fmt = fmt or format_for_path(path) or "text"
    parser = _PARSERS.get(fmt)
    if parser is None:
        parser = parser_for(fmt)
    doc = Document(path=path, source=source, format=fmt)
    parser(doc)
    assign_zones = _PARSERS["zones"]

    starts = None
    for i, block in enumerate(doc.blocks):
        block.index = i
        if not block.first_line:  # doc.lines.position(block.src_start)[0]
            if starts is None:
                lines = doc.lines
                starts, length = lines.starts, lines.length
            block.first_line = bisect_right(starts, min(max(0, block.src_start), length))
    assign_zones(doc)
    return doc
