"""Reporters: pure renderers of lint results. Each takes (results, context) and returns text.

Context keys (all optional): ``show_source`` (text), ``rules`` (list of RuleMeta: SARIF rule
descriptors, help in GitLab and HTML), ``root`` (paths are reported relative to it; default
the working directory), ``column_kind`` (SARIF: ``unicodeCodePoints`` or ``utf16CodeUnits``).
"""
from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module

#: format name -> module (imported when that format is asked for: a run loads one reporter)
_MODULES = {
    "text": "text",
    "json": "json",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
    "gitlab": "gitlab",
    "rdjson": "rdjson",
    "html": "html",
}


class _Reporters(Mapping):
    """``REPORTERS[fmt]`` is the format's ``render`` function."""

    def __getitem__(self, fmt):
        return import_module(f"{__name__}.{_MODULES[fmt]}").render

    def __iter__(self):
        return iter(_MODULES)

    def __len__(self):
        return len(_MODULES)


REPORTERS = _Reporters()


def chunks(fmt):
    """The format's ``render_chunks`` (the report as an iterator of strings, written as it is
    made), or None when the format renders at once."""
    return getattr(import_module(f"{__name__}.{_MODULES[fmt]}"), "render_chunks", None)
