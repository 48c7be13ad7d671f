"""Copydesk: a linter for articles.

Small public API (the library layer, :mod:`lint.api`)::

    import lint

    result = lint.lint_text("Tensions rose in the region. .\\n")          # plain text
    result = lint.lint_text(html, format="html", config={"select": ["UI"]})
    for d in result.diagnostics:
        print(d.code, d.start, d.end, d.message)
    result.to_dict()                     # the file's entry of the JSON report (version 1)

    linter = lint.Linter("copydesk.toml")          # built once; picklable (ships to workers)
    results = linter.lint_records(rows, text_field="text", id_field="id")
"""
from __future__ import annotations

__version__ = "0.1.0"


def _seed_regexes() -> None:
    """Before anything else is imported: put the compiled patterns a run's modules (Copydesk's,
    click's, json's) build at import into ``re``'s cache, from the seed file the last stored
    rule set left (lint.regex._stored.load_seeds; ~3 ms of a one-file run). Nothing happens
    without one; nothing that goes wrong here is an error."""
    try:
        from .regex import seed_early
        from .rulecache import cache_dir

        seed_early(cache_dir())
    except Exception:  # noqa: BLE001 - only ever slower
        pass


_seed_regexes()

from .model import Applicability, Diagnostic, Edit, Fix, Severity  # noqa: E402

__all__ = ["lint_text", "lint_paths", "Linter", "FileResult", "InputError", "ConfigError", "Diagnostic", "Fix",
           "Edit", "Severity", "Applicability", "__version__"]


def lint_text(text: str, *, format: str = "plain", config=None, path: str = "<text>"):
    """Lint a string (``format``: plain, markdown or html) with the built-in rules or ``config``
    (a path to a configuration file, a dict of its keys, or a Config); a :class:`FileResult`."""
    from .api import lint_text as run

    return run(text, format=format, config=config, path=path)


def lint_paths(paths, config=None, jobs: int = 0, cache: bool = True):
    """Lint files and folders as ``copydesk check`` does; a list of :class:`FileResult`."""
    from .api import Linter

    return Linter(config).lint_paths(paths, jobs=jobs, cache=cache)


def __getattr__(name):  # the library's classes, imported when first asked for
    if name in ("Linter", "FileResult", "InputError", "ConfigError"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'lint' has no attribute {name!r}")
