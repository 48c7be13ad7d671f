"""Core value types shared by every layer: positions, fixes, diagnostics, rule metadata.

Every position is a half-open ``[start, end)`` offset into the original file text, counted
in code points. Line and column are derived by :class:`LineIndex`.
"""
from __future__ import annotations

import bisect
import re
import enum
from dataclasses import field

from ._record import FACTORY, FrozenRecord, Record, assign, record


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: str) -> "Severity":
        try:
            return cls[str(value).strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {value!r} (expected info, warning or error)") from None

    def __str__(self) -> str:  # "warning"
        return self.name.lower()


class Applicability(enum.IntEnum):
    """How far a fix may be trusted; higher is safer."""

    DISPLAY_ONLY = 1
    UNSAFE = 2
    SAFE = 3

    @classmethod
    def parse(cls, value: str) -> "Applicability":
        try:
            return cls[str(value).strip().upper().replace("-", "_")]
        except KeyError:
            raise ValueError(f"unknown applicability {value!r} (expected safe, unsafe or display-only)") from None

    def __str__(self) -> str:
        return self.name.lower().replace("_", "-")


@record  # its methods: written here and in lint._record
class Edit(FrozenRecord):
    """Replace ``source[start:end]`` with ``content`` (source offsets)."""
    start: int
    end: int
    content: str

    def __init__(self, start: int, end: int, content: str):
        assign(self, "start", start)
        assign(self, "end", end)
        assign(self, "content", content)

    def to_json(self) -> dict:
        return {"start": self.start, "end": self.end, "content": self.content}


@record
class Fix(FrozenRecord):
    """The edits that fix one finding, how safe they are to apply, and a title for people."""
    edits: tuple[Edit, ...]
    applicability: Applicability
    title: str

    def __init__(self, edits: tuple[Edit, ...], applicability: Applicability, title: str):
        assign(self, "edits", edits)
        assign(self, "applicability", applicability)
        assign(self, "title", title)

    def to_json(self) -> dict:
        return {
            "applicability": str(self.applicability),
            "title": self.title,
            "edits": [e.to_json() for e in self.edits],
        }


@record
class Diagnostic(Record):
    """One finding: its rule, severity, message, source span, fix (if any) and confidence."""
    code: str
    name: str
    category: str
    severity: Severity
    message: str
    start: int
    end: int
    fix: Fix | None = None
    confidence: float = 1.0

    def __init__(self, code: str, name: str, category: str, severity: Severity, message: str, start: int,
                 end: int, fix: Fix | None = None, confidence: float = 1.0):
        self.code = code
        self.name = name
        self.category = category
        self.severity = severity
        self.message = message
        self.start = start
        self.end = end
        self.fix = fix
        self.confidence = confidence

    def sort_key(self) -> tuple:
        return (self.start, self.end, self.code)


@record
class Example(FrozenRecord):
    """A rule example. ``spans`` are the exact spans a fail example must produce."""

    text: str
    spans: tuple[tuple[int, int], ...] = ()
    fixed: str | None = None
    format: str = "text"

    def __init__(self, text: str, spans: tuple[tuple[int, int], ...] = (), fixed: str | None = None,
                 format: str = "text"):  # noqa: A002 - the field's name
        assign(self, "text", text)
        assign(self, "spans", spans)
        assign(self, "fixed", fixed)
        assign(self, "format", format)


@record
class RuleMeta(Record):
    """A rule's metadata, as its rule file declares it (everything but the compiled check)."""
    code: str
    name: str
    kind: str
    category: str
    family: str
    summary: str
    why: str
    severity: Severity
    path: str
    zones: tuple[str, ...] = ()
    quote_policy: str = "flag"
    fix_applicability: Applicability | None = None
    fix_safety: str = ""
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    since: str = ""
    default_enabled: bool = True
    #: after this many findings in one document, the rule's later findings are reported at info
    demote_after: int | None = None
    fail: tuple[Example, ...] = ()
    passes: tuple[Example, ...] = ()
    fixes: tuple[Example, ...] = ()
    options: dict = field(default_factory=dict)

    def __init__(self, code: str, name: str, kind: str, category: str, family: str, summary: str, why: str,
                 severity: Severity, path: str, zones: tuple[str, ...] = (), quote_policy: str = "flag",
                 fix_applicability: Applicability | None = None, fix_safety: str = "", tags: tuple[str, ...] = (),
                 aliases: tuple[str, ...] = (), since: str = "", default_enabled: bool = True,
                 demote_after: int | None = None, fail: tuple[Example, ...] = (), passes: tuple[Example, ...] = (),
                 fixes: tuple[Example, ...] = (), options: dict = FACTORY):
        self.code = code
        self.name = name
        self.kind = kind
        self.category = category
        self.family = family
        self.summary = summary
        self.why = why
        self.severity = severity
        self.path = path
        self.zones = zones
        self.quote_policy = quote_policy
        self.fix_applicability = fix_applicability
        self.fix_safety = fix_safety
        self.tags = tags
        self.aliases = aliases
        self.since = since
        self.default_enabled = default_enabled
        self.demote_after = demote_after
        self.fail = fail
        self.passes = passes
        self.fixes = fixes
        self.options = {} if options is FACTORY else options


_BREAK = re.compile(r"\r\n?|\n")


class LineIndex:
    """Maps code-point offsets to 1-based (line, column)."""

    def __init__(self, text: str):
        starts = [0]
        if "\r" in text:  # CRLF, and a lone CR (old Mac files): a line break too, as the parsers read it
            starts.extend(m.end() for m in _BREAK.finditer(text))
        else:
            find = text.find
            i = find("\n")
            while i >= 0:
                starts.append(i + 1)
                i = find("\n", i + 1)
        self.starts = starts
        self.length = len(text)

    @classmethod
    def from_starts(cls, starts: list[int], length: int) -> "LineIndex":
        """The index of a text known only by its line starts and length (a cached result)."""
        index = cls.__new__(cls)
        index.starts, index.length = starts, length
        return index

    def position(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, self.length))
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def line_bounds(self, line: int, text: str) -> tuple[int, int]:
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(text)
        if end > start and text[end - 1] == "\r":
            end -= 1
        return start, end


def excerpt(text: str, limit: int) -> str:
    """``text`` on one line (runs of blanks as one space), cut to ``limit`` characters with "…"
    when longer: how a message quotes the flagged text."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 3] + "…"
