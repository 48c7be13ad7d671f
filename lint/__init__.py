"""Copydesk: a linter for articles.

Small public API::

    from lint import lint_text
    for d in lint_text("Tensions rose in the region. .\\n"):
        print(d.code, d.start, d.end, d.message)
"""
from __future__ import annotations

__version__ = "0.1.0"

from .model import Applicability, Diagnostic, Edit, Fix, Severity  # noqa: E402

__all__ = ["lint_text", "lint_paths", "Diagnostic", "Fix", "Edit", "Severity", "Applicability", "__version__"]


def lint_text(text: str, path: str = "<text>", fmt: str | None = None, select=None) -> list[Diagnostic]:
    """Lint a string with the built-in rules (optionally only rules matching ``select``)."""
    from .config import selector_matches
    from .packs import load_rules
    from .runner import lint_source

    rules = load_rules().rules
    if select:
        rules = [r for r in rules if any(selector_matches(s, r.meta) for s in select)]
    else:
        rules = [r for r in rules if r.meta.default_enabled]
    return lint_source(text, path, rules, fmt=fmt).diagnostics


def lint_paths(paths, select=None):
    """Lint files and folders with the built-in rules; returns a list of FileResult."""
    from .config import selector_matches
    from .packs import load_rules
    from .runner import discover, lint_file

    rules = load_rules().rules
    rules = [r for r in rules if (any(selector_matches(s, r.meta) for s in select) if select else r.meta.default_enabled)]
    return [lint_file(p, rules) for p in discover(paths)]
