"""The runner: find files, read them safely, lint each with its configuration."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .document import format_for_path, parse
from .linter import lint_document
from .model import Diagnostic

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".copydesk_cache",
             ".tox", ".mypy_cache", ".pytest_cache"}
STDIN = "-"


class InputError(Exception):
    """A user mistake about inputs: ``path: reason`` on one line."""


@dataclass
class FileResult:
    path: str
    source: str = ""
    format: str = "text"
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: str | None = None  # one line: why the file could not be linted
    document: object = None


def discover(paths, is_excluded=None) -> list[str]:
    """Expand folders (recursively, article suffixes only); explicit files are kept whatever
    their suffix. Raises InputError for a missing path or a folder without articles."""
    out: list[str] = []
    for raw in paths:
        if raw == STDIN:
            out.append(STDIN)
            continue
        p = Path(raw)
        if p.is_dir():
            found = []
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not
                                     (is_excluded and is_excluded(Path(dirpath) / d)))
                for name in sorted(filenames):
                    fp = Path(dirpath) / name
                    if fp.suffix.lower() in ARTICLE_SUFFIXES and not (is_excluded and is_excluded(fp)):
                        found.append(str(fp))
            if not found:
                raise InputError(f"{raw}: no article files (.txt, .md, .markdown, .html, .htm) in this folder")
            out.extend(found)
        elif p.exists():
            out.append(str(p))
        else:
            raise InputError(f"{raw}: no such file or folder")
    seen = set()
    unique = []
    for path in out:
        if path not in seen:
            seen.add(path)
            unique.append(path)
    return unique


def decode(data: bytes, path: str) -> str:
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: binary file (NUL bytes), not an article")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None


def read_source(path: str) -> str:
    if path == STDIN:
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return decode(data, "<stdin>" if path == STDIN else path)


def lint_source(source: str, path: str, rules, severity_for=None, fmt: str | None = None) -> FileResult:
    fmt = fmt or format_for_path(path) or "text"
    doc = parse(source, path, fmt)
    diags = lint_document(doc, rules, severity_for)
    return FileResult(path, source, fmt, diags, document=doc)


def lint_file(path: str, rules, severity_for=None, fmt: str | None = None) -> FileResult:
    try:
        source = read_source(path)
    except InputError as exc:
        return FileResult(path, error=str(exc))
    return lint_source(source, path, rules, severity_for, fmt)
