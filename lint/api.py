"""The library layer (DESIGN.md §8): lint text, files, folders and records from Python.

::

    import lint

    result = lint.lint_text("Tensions rose in the region. .\\n")        # a FileResult
    for d in result.diagnostics:
        print(d.code, d.start, d.end, d.message)
    result.to_dict()      # the file's entry of the JSON report (DESIGN.md §7)

    linter = lint.Linter({"select": ["SEG", "UI"]})       # the rule set is built once
    for r in linter.lint_records(rows, text_field="text", id_field="id"):
        ...

A :class:`Linter` holds its configuration and the rules it selected; it pickles with them, so a
pipeline (Dask, Spark, Ray) can ship one to its workers. Nothing here writes to the terminal or
keeps global state; a file, record or text that cannot be linted gives a result whose ``error``
says why (never an empty list), and a mistake about the call itself (an unknown format, a bad
configuration) raises :class:`InputError` or :class:`~lint.config.ConfigError`.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from .config import Config, ConfigError, load_config, parse_settings, unknown_selectors
from .runner import FileResult, InputError

__all__ = ["Linter", "lint_text", "FileResult", "InputError", "ConfigError", "FORMATS", "to_config",
           "VersionSkewError", "code_version"]

#: the API's format names -> the document parser's
FORMATS = {"plain": "text", "text": "text", "txt": "text", "markdown": "markdown", "md": "markdown",
           "html": "html", "htm": "html"}


def _format(name) -> str:
    fmt = FORMATS.get(str(name).strip().lower()) if name is not None else None
    if fmt is None:
        raise InputError(f"unknown format {name!r} (expected plain, markdown or html)")
    return fmt


def to_config(config=None, root=None) -> Config:
    """``config`` as a :class:`~lint.config.Config`: None (the built-in defaults), a path to a
    configuration file (``copydesk.toml``, ``pyproject.toml``), a dict of the same keys as the
    file's table (``{"select": ["SEG"], "severity": {"CALQ": "info"}}``, validated as a file
    is), or a Config (used as it is)."""
    if config is None:
        return Config(path=None, root=Path(root or os.getcwd()))
    if isinstance(config, Config):
        return config
    if isinstance(config, (str, os.PathLike)):
        path = Path(config)
        if not path.is_file():
            raise ConfigError(path, None, "configuration file not found")
        return load_config(path)
    if isinstance(config, Mapping):
        return parse_settings(dict(config), None, Path(root or os.getcwd()))
    raise TypeError(f"config: expected None, a path, a dict or a Config, not {type(config).__name__}")


class VersionSkewError(RuntimeError):
    """A pickled :class:`Linter` reached a process that runs another Copydesk (a Dask or Spark
    worker with another version installed): the message names both versions."""


#: the version this process claims, when set (tests); else computed by code_version
_CODE_VERSION: tuple | None = None
_CODE_CACHE: tuple = ((), None)  # (the package files' names, sizes and times, their version)


def code_version() -> tuple[str, str]:
    """(package version, code fingerprint): ``lint.__version__`` and the first 12 hex digits of
    the SHA-256 of the package's Python files (relative name and content, sorted), which
    changes with any change of the code, released or not. Hashed again only when a file's
    size or time changed (a long-lived client in a tree being edited sees the edit, as a
    worker started after it would)."""
    global _CODE_CACHE
    if _CODE_VERSION is not None:
        return _CODE_VERSION
    from . import __version__
    from ._sha import sha256

    root = Path(__file__).resolve().parent
    paths = sorted(root.rglob("*.py"))
    stats = tuple((str(p), st.st_size, st.st_mtime_ns) for p in paths for st in (p.stat(),))
    if _CODE_CACHE[0] != stats or _CODE_CACHE[1] is None:
        digest = sha256()
        for path in paths:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
        _CODE_CACHE = (stats, (__version__, digest.hexdigest()[:12]))
    return _CODE_CACHE[1]


def _describe(version) -> str:
    if not (isinstance(version, tuple) and len(version) == 2):
        return "an unknown (older) Copydesk version"
    return f"Copydesk {version[0]} (code {version[1]})"


class Linter:
    """Lints with one configuration. The rule set is built (or loaded from the rule-set cache)
    once, when first needed, and kept; ``cache=False`` builds it afresh."""

    def __init__(self, config=None, *, cache: bool = True, root=None):
        self.config = to_config(config, root)
        self._cache = cache
        self._ruleset = None
        self._rules: list | None = None  # the selected rules (no per-file ignores applied)
        self._severity_for = self.config.severity_for if self.config.severity else None

    # -- the rule set

    @property
    def ruleset(self):
        if self._ruleset is None:
            from .packs import load_rules

            self.config.check_packs()
            ruleset = load_rules(self.config.packs, cache=self._cache)
            bad = unknown_selectors(self.config, ruleset.metas)
            if bad:
                where = f"{self.config.path}: " if self.config.path is not None else ""
                raise ConfigError(None, None, f"{where}unknown rule selector{'s' if len(bad) > 1 else ''}: "
                                  f"{', '.join(bad)} (see `copydesk rules`)")
            self._ruleset = ruleset
        return self._ruleset

    def rules(self, path: str | None = None) -> list:
        """The rules this configuration runs (on ``path``, when its per-file ignores apply)."""
        if path is not None and self.config.per_file_ignores and not path.startswith("<"):
            by_code = self.ruleset.by_code()
            return [by_code[m.code] for m in self.ruleset.metas if self.config.rule_enabled(m, Path(path))]
        if self._rules is None:
            self._rules = [r for r in self.ruleset.rules if self.config.rule_enabled(r.meta)]
        return self._rules

    @property
    def metas(self) -> list:
        """The metadata of the selected rules (reporters' rule descriptions)."""
        return [r.meta for r in self.rules()]

    def __getstate__(self):
        # shipped whole: the selected rules, not the whole rule set (a worker needs no other);
        # their patterns are rebuilt by the regex engine in use (lint.regex.dumps), not
        # re.compile. The payload is bytes behind the code version, so that a process running
        # other code says so (VersionSkewError) before unpickling a class it may not match.
        import pickle

        from .regex import dumps, gate

        self.rules()
        payload = pickle.dumps({"config": self.config, "cache": self._cache}, protocol=pickle.HIGHEST_PROTOCOL)
        # the patterns this process registered for the Hyperscan gate (lint.regex.gate): the
        # unpickling process registers them too, so that it loads the database stored for them
        # (corpus mode prepares it before the workers start) instead of building one of its own
        return {"version": code_version(), "payload": payload, "rules": dumps(self._rules),
                "gate": gate.registered()}

    def __setstate__(self, state):
        import pickle

        from .regex import gate

        built = state.get("version") if isinstance(state, dict) else None
        here = code_version()
        if built != here:
            raise VersionSkewError(f"this lint.Linter was built by {_describe(built)}, but this process runs "
                                   f"{_describe(here)}: install the same Copydesk on the client and every worker")
        inner = pickle.loads(state["payload"])
        self.config, self._cache = inner["config"], inner["cache"]
        self._rules = pickle.loads(state["rules"])
        gate.register_keys(state.get("gate"))  # as the pickling process had (__getstate__)
        self._ruleset = None
        self._severity_for = self.config.severity_for if self.config.severity else None

    def __repr__(self) -> str:
        where = f" {self.config.path}" if self.config.path is not None else ""
        return f"<lint.Linter{where} select={self.config.select!r} ignore={self.config.ignore!r}>"

    # -- linting

    def lint_text(self, text: str, *, format: str = "plain", path: str = "<text>") -> FileResult:
        """Lint a string. ``format``: plain, markdown or html. ``path`` names it in the result
        (and picks per-file ignores). A text that cannot be parsed (nested hundreds of levels
        deep, a rule past its time limit) gives a result with ``error`` set."""
        from .runner import lint_source

        if not isinstance(text, str):
            raise InputError(f"{path}: expected text (str), not {type(text).__name__}")
        result = lint_source(text, path, self.rules(path), self._severity_for, fmt=_format(format))
        result.document = None  # the parsed document is not part of the result (nor worth pickling)
        return result

    def lint_file(self, path) -> FileResult:
        """Lint one file (its format from its suffix, plain text otherwise). A file that cannot
        be read or decoded gives a result with ``error`` set."""
        from .document import format_for_path
        from .runner import lint_file

        path = str(path)
        result = lint_file(path, self.rules(path), self._severity_for, format_for_path(path) or "text")
        result.document = None
        return result

    def lint_records(self, records: Iterable[Mapping], *, text_field: str = "text", id_field: str | None = "id",
                     format_field: str | None = None, format: str = "plain") -> Iterator[FileResult]:
        """Lint records (dicts: a JSONL line, a Parquet row), one result per record, in order.
        The result's ``path`` is the record's ``id_field`` (or ``#N``, its position). A record
        that cannot be linted (not a mapping, no text field, text that is not a string, an
        unknown format) gives a result with ``error`` set: the run goes on."""
        default = _format(format)
        for n, record in enumerate(records):
            name = f"#{n}"
            if isinstance(record, Mapping) and id_field is not None and record.get(id_field) is not None:
                name = str(record[id_field])
            yield self._record(record, name, text_field, format_field, default)

    def _record(self, record, name, text_field, format_field, default) -> FileResult:
        if not isinstance(record, Mapping):
            return FileResult(name, error=f"{name}: not a record (a mapping), but {type(record).__name__}")
        if text_field not in record:
            return FileResult(name, error=f"{name}: no field {text_field!r}")
        text = record[text_field]
        if isinstance(text, (bytes, bytearray)):
            from .runner import decode

            try:
                text = decode(bytes(text), name)
            except InputError as exc:
                return FileResult(name, error=str(exc))
        if not isinstance(text, str):
            return FileResult(name, error=f"{name}: field {text_field!r} is {type(text).__name__}, not text")
        fmt = default
        if format_field is not None and record.get(format_field) is not None:
            fmt = FORMATS.get(str(record[format_field]).strip().lower())
            if fmt is None:
                return FileResult(name, error=f"{name}: unknown format {record[format_field]!r} "
                                              "(expected plain, markdown or html)")
        return self.lint_text(text, format=fmt, path=name)

    def lint_paths(self, paths, *, jobs: int = 0, cache: bool = True) -> list[FileResult]:
        """What ``copydesk check PATH…`` does, with this configuration for every file: discover
        the articles under ``paths``, lint them (``jobs`` worker processes, 0: one per 64 files,
        at most one per core; ``cache``: the result store of the working folder), add the cross-file evidence (lines
        repeated across the files, UI025), results in order. A path that does not exist is a
        result with ``error`` set."""
        from .runner import Plan

        paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
        plan = Plan(paths, config=self.config, jobs=jobs, cache=cache, rules_cache=self._cache,
                    ruleset=self._ruleset)  # None (an unpickled Linter): the plan loads it
        return list(plan.results())


def lint_text(text: str, *, format: str = "plain", config=None, path: str = "<text>") -> FileResult:
    """Lint a string with the built-in rules (or ``config``: a path, a dict or a Config).
    Linters are kept per configuration passed as None or a path, so repeated calls do not load
    the rules again."""
    key = None if config is None else (str(config) if isinstance(config, (str, os.PathLike)) else False)
    linter = _LINTERS.get(key) if key is not False else None
    if linter is None:
        linter = Linter(config)
        if key is not False:
            _LINTERS[key] = linter
    return linter.lint_text(text, format=format, path=path)


_LINTERS: dict = {}
