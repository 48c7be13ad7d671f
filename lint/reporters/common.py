"""Helpers shared by the CI reporters: paths relative to the project root, and columns in the
units other tools count in (our offsets are code points; DESIGN.md §1)."""
from __future__ import annotations

import os
import re

SEVERITY_ORDER = ("error", "warning", "info")
_FAMILY = re.compile(r"^[A-Z]+")


def family_of(code: str) -> str:
    """``SEG001`` -> ``SEG``; ``LT:RULE`` -> ``LT``."""
    m = _FAMILY.match(code)
    return m.group(0) if m else code


def rel_path(path: str, root: str | None = None) -> str:
    """The path as CI systems want it: relative to ``root`` (default: the working directory)
    when the file is inside it, with forward slashes and no leading ``./``."""
    if path.startswith("<") or path == "-":
        return path
    root = os.path.abspath(root or os.getcwd())
    absolute = os.path.abspath(path)
    try:
        inside = os.path.commonpath([absolute, root]) == root
    except ValueError:  # different drives
        inside = False
    p = os.path.relpath(absolute, root) if inside else absolute
    p = p.replace(os.sep, "/")
    while p.startswith("./"):
        p = p[2:]
    return p


# what a name cannot carry as it is into a report: bytes that are not UTF-8 (decoded by Python
# as lone surrogates U+DC80-U+DCFF, "surrogateescape"), any other lone surrogate, and control
# characters (line breaks, tabs, ESC: they would break a line-oriented format or a terminal)
_UNSHOWN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _escape(m) -> str:
    c = ord(m.group(0))
    if 0xDC80 <= c <= 0xDCFF:  # an undecodable byte, as surrogateescape keeps it
        return f"\\x{c - 0xDC00:02x}"
    if c < 0x80:  # a control character: its byte in UTF-8
        return f"\\x{c:02x}"
    return f"\\u{c:04x}"


def shown(text: str) -> str:
    """A file name (or a message holding one) as every report prints it: valid UTF-8 on one
    line. A byte that is not UTF-8 becomes ``\\xNN`` (``caf\\xe9.txt`` for the Latin-1 name
    ``b"caf\\xe9.txt"``), a control character ``\\xNN`` (``\\x0a`` for a line break) or
    ``\\u00NN`` (C1 controls), any other lone surrogate ``\\udNNN``; everything else is kept."""
    if text.isprintable():  # nearly every name: nothing to look at
        return text
    return _UNSHOWN.sub(_escape, text)


def uri_path(rel: str) -> str:
    """A relative path as a URI reference: the file name's own bytes (os.fsencode), as UTF-8
    where they are, percent-encoded (RFC 3986), so that an undecodable byte stays exact
    (``caf%E9.txt``)."""
    from urllib.parse import quote

    return quote(os.fsencode(rel) if os.name != "nt" else rel.encode("utf-8", "surrogatepass"))


def shown_path(path: str, root: str | None = None) -> str:
    """``rel_path`` as reports print it (``shown``)."""
    return shown(rel_path(path, root))


def line_text(source: str, lines, line: int) -> str:
    """The text of a 1-based line (without its line break)."""
    if line - 1 >= len(lines.starts):
        return ""
    s, e = lines.line_bounds(line, source)
    return source[s:e]


def position(result, offset: int, unit: str = "codepoint") -> tuple[int, int]:
    """1-based (line, column) of a code-point offset, the column counted in ``unit``:
    ``codepoint``, ``utf16`` (code units) or ``utf8`` (bytes)."""
    line, col = result.lines.position(offset)
    if unit == "codepoint" or col == 1:
        return line, col
    start = result.lines.starts[line - 1]
    before = result.source[start:start + col - 1]
    if unit == "utf16":
        return line, 1 + len(before.encode("utf-16-le")) // 2
    if unit == "utf8":
        return line, 1 + len(before.encode("utf-8"))
    raise ValueError(f"unknown column unit {unit!r}")


def rule_map(ctx) -> dict:
    """code -> RuleMeta from ``ctx["rules"]`` (absent: empty)."""
    return {m.code: m for m in (ctx or {}).get("rules") or ()}
