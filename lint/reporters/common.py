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
