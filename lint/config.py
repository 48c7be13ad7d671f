"""Configuration: discovery, parsing, validation and rule selection.

Sources, per folder and in this order of precedence: ``.copydesk.toml``, ``copydesk.toml``
(keys at the top level) and ``pyproject.toml`` (keys under ``[tool.copydesk]``; a pyproject
without that table does not count). Discovery walks up from a file's folder to the filesystem
root and the first source found wins; there is no merging across levels. An explicit
``--config`` file replaces discovery for every file.

Rule selection works like ruff's: start from ``select`` (or the rules enabled by default), add
``extend-select``, then drop ``ignore`` matches and the file's ``per-file-ignores`` matches. A
rule that is off by default is only turned on by a selector naming it explicitly (its code, an
alias, its name, its family or a prefix of its code), never by ``ALL`` or its category.
"""
from __future__ import annotations

import dataclasses
import datetime
import os
import re
from dataclasses import field
from pathlib import Path

from ._record import FACTORY, Record, record
from ._sha import sha256
from .model import RuleMeta, Severity

CONFIG_NAMES = (".copydesk.toml", "copydesk.toml", "pyproject.toml")
SEVERITY_NAMES = ("info", "warning", "error")

LIST_KEYS = ("select", "ignore", "extend-select", "packs", "exclude")
KNOWN_KEYS = ("select", "ignore", "extend-select", "severity", "per-file-ignores", "packs", "exclude",
              "fail-on", "languagetool")
LT_STR_KEYS = ("url", "language", "mother-tongue")
LT_BOOL_KEYS = ("local", "required")
LT_LIST_KEYS = ("enabled-rules", "disabled-rules", "enabled-categories", "disabled-categories", "promote")
LT_KEYS = ("url", "local", "required", "language", "mother-tongue") + LT_LIST_KEYS

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


class ConfigError(Exception):
    """A configuration mistake, rendered on one line as ``path: key: message``."""

    def __init__(self, path, key: str | None, message: str):
        self.path = path
        self.key = key
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        message = " ".join(str(self.message).split())
        if self.path is None:  # settings given in code (lint.api), not read from a file
            return f"{self.key}: {message}" if self.key else message
        if self.key:
            return f"{self.path}: {self.key}: {message}"
        return f"{self.path}: {message}"


# --------------------------------------------------------------------------- selectors

def selector_matches(selector: str, meta: RuleMeta) -> bool:
    """True when ``selector`` picks out the rule: ``ALL``, its code, an alias, its family, a
    prefix of its code (case-sensitive) or its name or category (case-insensitive)."""
    return _specificity(selector, meta) is not None


def _specificity(selector: str, meta: RuleMeta) -> tuple | None:
    """How specifically ``selector`` names the rule (higher wins), or None when it does not."""
    if not selector:
        return None
    if selector == meta.code:
        return (7,)
    if selector in meta.aliases:
        return (6,)
    low = selector.lower()
    if low == meta.name.lower():
        return (5,)
    if selector == meta.family:
        return (3,)
    if meta.code.startswith(selector):
        return (4, len(selector))
    if low == meta.category.lower():
        return (2,)
    if selector == "ALL":
        return (1,)
    return None


def _explicit(selector: str, meta: RuleMeta) -> bool:
    """Whether the selector names the rule explicitly enough to turn on a default-off rule."""
    spec = _specificity(selector, meta)
    return spec is not None and spec[0] >= 3


def _selects(selector: str, meta: RuleMeta) -> bool:
    return _explicit(selector, meta) if not meta.default_enabled else selector_matches(selector, meta)


def _meta_key(meta: RuleMeta) -> tuple:
    return (meta.code, meta.name, meta.category, meta.family, tuple(meta.aliases), meta.default_enabled,
            meta.severity)


# --------------------------------------------------------------------------- globs

def _class_end(seg: str, i: int) -> int | None:
    """The index of the ``]`` closing the character class that opens at ``seg[i]`` (a ``]``
    right after ``[``, ``[!`` or ``[^`` is a member, as in fnmatch), or None: never closed."""
    j, n = i + 1, len(seg)
    if j < n and seg[j] in "!^":
        j += 1
    if j < n and seg[j] == "]":
        j += 1
    while j < n and seg[j] != "]":
        j += 1
    return j if j < n else None


def _glob_segment(seg: str) -> str:
    out, i, n = [], 0, len(seg)
    while i < n:
        c = seg[i]
        if c == "*":
            while i + 1 < n and seg[i + 1] == "*":
                i += 1
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = _class_end(seg, i)
            if j is None:
                out.append(re.escape(c))
            else:
                body = seg[i + 1:j]
                if body[:1] in ("!", "^"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = j
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def compile_glob(pattern: str) -> re.Pattern:
    """A glob relative to the config folder as a regex over ``/``-separated relative paths.

    ``*`` and ``?`` stay inside one folder, ``**`` spans folders; a pattern without a ``/``
    matches a file or folder name at any depth (like ``.gitignore``)."""
    pat = pattern.strip().replace("\\", "/")
    while pat.startswith("./"):
        pat = pat[2:]
    pat = pat.rstrip("/") or "**"
    if pat.startswith("/"):
        pat = pat.lstrip("/")
    elif "/" not in pat:
        pat = "**/" + pat
    segs = pat.split("/")
    regex = ""
    for i, seg in enumerate(segs):
        last = i == len(segs) - 1
        if seg == "**":
            regex += ".*" if last else "(?:[^/]+/)*"
        else:
            regex += _glob_segment(seg) + ("" if last else "/")
    return re.compile(regex, re.DOTALL)


def glob_problem(pattern: str, root: Path | None = None) -> str | None:
    """Why ``pattern`` cannot be a glob of this configuration, or None: a ``[`` never closed, a
    character class the regex engine refuses (``[z-a]``), or (with ``root``, the folder of the
    configuration) a pattern that points outside it (``../``, ``~``, or an absolute path to a
    folder elsewhere: a leading ``/`` anchors a pattern to the configuration's folder)."""
    pat = pattern.strip().replace("\\", "/")
    for seg in pat.split("/"):
        i, n = 0, len(seg)
        while i < n:
            if seg[i] == "[":
                j = _class_end(seg, i)
                if j is None:
                    return f"invalid glob {pattern!r}: '[' at {i + 1} in {seg!r} is never closed"
                i = j
            i += 1
    try:
        compile_glob(pattern)
    except re.error as exc:
        return f"invalid glob {pattern!r}: {getattr(exc, 'msg', exc)}"
    if root is not None:
        outside = f"{pattern!r} points outside the project (patterns are relative to {root})"
        if pat.startswith("~") or ".." in pat.split("/"):
            return outside
        first = next((s for s in pat.split("/") if s), "")
        if pat.startswith("/") and first and os.path.isdir("/" + first) and not os.path.lexists(root / first) \
                and first not in ("*", "**"):
            return outside + "; a leading '/' anchors it to that folder"
    return None


def _candidates(rel: str) -> list[str]:
    """The relative path and each of its ancestor folders: ``a/b/c.md`` -> ``a``, ``a/b``, ``a/b/c.md``."""
    parts = rel.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]


# --------------------------------------------------------------------------- the config

@record
class Config(Record):
    """A configuration file's settings (or the defaults), with the folder its paths are
    relative to."""
    path: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    packs: list[Path] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    fail_on: Severity | None = None
    languagetool: dict = field(default_factory=dict)
    packs_key: tuple | None = field(default=None, compare=False, repr=False)  # (file shown, key): errors

    def __init__(self, path: Path | None = None, root: Path = FACTORY, select: list[str] | None = None,
                 ignore: list[str] = FACTORY, extend_select: list[str] = FACTORY,
                 severity: dict[str, Severity] = FACTORY, per_file_ignores: dict[str, list[str]] = FACTORY,
                 packs: list[Path] = FACTORY, exclude: list[str] = FACTORY, fail_on: Severity | None = None,
                 languagetool: dict = FACTORY, packs_key: tuple | None = None):
        self.path = path
        self.root = Path.cwd() if root is FACTORY else root
        self.select = select
        self.ignore = [] if ignore is FACTORY else ignore
        self.extend_select = [] if extend_select is FACTORY else extend_select
        self.severity = {} if severity is FACTORY else severity
        self.per_file_ignores = {} if per_file_ignores is FACTORY else per_file_ignores
        self.packs = [] if packs is FACTORY else packs
        self.exclude = [] if exclude is FACTORY else exclude
        self.fail_on = fail_on
        self.languagetool = {} if languagetool is FACTORY else languagetool
        self.packs_key = packs_key
        self.__post_init__()

    def check_packs(self) -> None:
        """Each folder of ``packs`` exists and holds rule files: a ConfigError naming the key
        otherwise (a pack without rules is a mistaken path, not an empty wish)."""
        if not self.packs:
            return
        from .packs import rule_files

        shown, key = self.packs_key or (self.path, "packs")
        for i, folder in enumerate(self.packs):
            if not folder.is_dir():
                raise ConfigError(shown, f"{key}[{i}]", f"{_display(str(folder))}: no such folder")
            if not rule_files(folder):
                raise ConfigError(shown, f"{key}[{i}]", f"{_display(str(folder))}: no rule files (*.yaml) in this folder")

    def __post_init__(self) -> None:
        self.root = Path(os.path.abspath(self.root))
        self._enabled_cache: dict[tuple, bool] = {}
        self._severity_cache: dict[tuple, Severity] = {}
        self._file_ignores_cache: dict[str, tuple[str, ...]] = {}
        self._pfi_compiled: list[tuple[re.Pattern, list[str]]] | None = None
        self._exclude_compiled: list[re.Pattern] | None = None

    # -- selection

    def _base_enabled(self, meta: RuleMeta) -> bool:
        key = _meta_key(meta)
        hit = self._enabled_cache.get(key)
        if hit is None:
            if self.select is None:
                on = meta.default_enabled
            else:
                on = any(_selects(s, meta) for s in self.select)
            if not on:
                on = any(_selects(s, meta) for s in self.extend_select)
            if on and any(selector_matches(s, meta) for s in self.ignore):
                on = False
            hit = self._enabled_cache[key] = on
        return hit

    def _relative(self, path: Path) -> str | None:
        absolute = os.path.abspath(path)
        try:
            rel = os.path.relpath(absolute, self.root)
        except ValueError:  # another drive on Windows
            return None
        rel = rel.replace(os.sep, "/")
        if rel == "." or rel == ".." or rel.startswith("../"):
            return None
        return rel

    def _file_ignores(self, file_path: Path) -> tuple[str, ...]:
        key = str(file_path)
        hit = self._file_ignores_cache.get(key)
        if hit is None:
            if self._pfi_compiled is None:
                self._pfi_compiled = [(compile_glob(g), sels) for g, sels in self.per_file_ignores.items()]
            sels: list[str] = []
            rel = self._relative(file_path) if self._pfi_compiled else None
            if rel is not None:
                cands = _candidates(rel)
                for rx, selectors in self._pfi_compiled:
                    if any(rx.fullmatch(c) for c in cands):
                        sels.extend(selectors)
            hit = self._file_ignores_cache[key] = tuple(sels)
        return hit

    def rule_enabled(self, meta: RuleMeta, file_path: Path | None = None) -> bool:
        if not self._base_enabled(meta):
            return False
        if file_path is not None and self.per_file_ignores:
            if any(selector_matches(s, meta) for s in self._file_ignores(Path(file_path))):
                return False
        return True

    def severity_for(self, meta: RuleMeta) -> Severity:
        """The configured severity from the most specific matching selector, else the rule's own."""
        if not self.severity:
            return meta.severity
        key = _meta_key(meta)
        hit = self._severity_cache.get(key)
        if hit is None:
            best, hit = None, meta.severity
            for selector, sev in self.severity.items():
                spec = _specificity(selector, meta)
                if spec is not None and (best is None or spec > best):
                    best, hit = spec, sev
            self._severity_cache[key] = hit
        return hit

    def is_excluded(self, path: Path) -> bool:
        if not self.exclude:
            return False
        if self._exclude_compiled is None:
            self._exclude_compiled = [compile_glob(g) for g in self.exclude]
        rel = self._relative(Path(path))
        if rel is None:
            return False
        cands = _candidates(rel)
        return any(rx.fullmatch(c) for rx in self._exclude_compiled for c in cands)

    # -- derived configs

    def with_cli(self, select=None, ignore=(), extend_select=()) -> "Config":
        """A copy with command-line options applied: ``select`` replaces the configured select;
        ``ignore`` and ``extend_select`` are added to the configured lists."""
        return dataclasses.replace(
            self,
            select=list(select) if select is not None else (list(self.select) if self.select is not None else None),
            ignore=list(self.ignore) + [s for s in ignore if s not in self.ignore],
            extend_select=list(self.extend_select) + [s for s in extend_select if s not in self.extend_select],
            severity=dict(self.severity),
            per_file_ignores={k: list(v) for k, v in self.per_file_ignores.items()},
            packs=list(self.packs),
            exclude=list(self.exclude),
            languagetool=dict(self.languagetool),
        )

    def fingerprint(self) -> str:
        """A stable hash of the settings that change results (not of where the file lives,
        unless root-relative globs make the location matter)."""
        data = {
            "select": self.select,
            "ignore": self.ignore,
            "extend-select": self.extend_select,
            "severity": {k: str(v) for k, v in sorted(self.severity.items())},
            "per-file-ignores": {k: v for k, v in sorted(self.per_file_ignores.items())},
            "packs": [str(p) for p in self.packs],
            "exclude": self.exclude,
            "fail-on": str(self.fail_on) if self.fail_on is not None else None,
            "languagetool": self.languagetool,
        }
        if self.per_file_ignores or self.exclude:
            data["root"] = str(self.root)
        import json

        blob = json.dumps(data, sort_keys=True, ensure_ascii=True, default=str)
        return sha256(blob.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- parsing

def _type_name(value) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (datetime.date, datetime.time)):
        return "a date/time"
    return type(value).__name__


def _subkey(parent: str, key: str) -> str:
    import json

    return f"{parent}.{key}" if _BARE_KEY.match(key) else f"{parent}.{json.dumps(key, ensure_ascii=False)}"


class _Parser:
    def __init__(self, path, prefix: str):
        self.path = path
        self.prefix = prefix

    def key(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def fail(self, key: str, message: str):
        raise ConfigError(self.path, key, message)

    def strlist(self, key: str, value, what: str = "strings") -> list[str]:
        if not isinstance(value, list):
            self.fail(key, f"expected a list of {what}, got {_type_name(value)}")
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str):
                self.fail(f"{key}[{i}]", f"expected a string, got {_type_name(item)}")
            item = item.strip()
            if not item:
                self.fail(f"{key}[{i}]", "empty string")
            out.append(item)
        return out

    def severity(self, key: str, value) -> Severity:
        if not isinstance(value, str):
            self.fail(key, f"expected a string (one of {', '.join(SEVERITY_NAMES)}), got {_type_name(value)}")
        if value.strip().lower() not in SEVERITY_NAMES:
            self.fail(key, f"{value!r} is not one of {', '.join(SEVERITY_NAMES)}")
        return Severity.parse(value)

    def table(self, key: str, value, what: str) -> dict:
        if not isinstance(value, dict):
            self.fail(key, f"expected a table of {what}, got {_type_name(value)}")
        return value


def _unknown_key_message(key: str, known) -> str:
    kebab = key.replace("_", "-")
    if kebab != key and kebab in known:
        return f"unknown key (use '{kebab}': keys are kebab-case)"
    import difflib

    close = difflib.get_close_matches(key, known, n=1)
    if close:
        return f"unknown key (did you mean '{close[0]}'?)"
    return f"unknown key (expected one of {', '.join(known)})"


def parse_settings(data: dict, path, root: Path, prefix: str = "") -> Config:
    """Validate a settings table (already extracted from TOML) and build a Config."""
    import json

    p = _Parser(path, prefix)
    root = Path(os.path.abspath(root))
    cfg = Config(path=Path(path) if path is not None else None, root=root)
    for raw_key, value in data.items():
        key = p.key(raw_key) if _BARE_KEY.match(raw_key) else p.key(json.dumps(raw_key, ensure_ascii=False))
        if raw_key not in KNOWN_KEYS:
            p.fail(key, _unknown_key_message(raw_key, KNOWN_KEYS))
        if raw_key == "select":
            cfg.select = p.strlist(key, value, "rule selectors")
        elif raw_key == "ignore":
            cfg.ignore = p.strlist(key, value, "rule selectors")
        elif raw_key == "extend-select":
            cfg.extend_select = p.strlist(key, value, "rule selectors")
        elif raw_key == "severity":
            table = p.table(key, value, 'selector = "info" | "warning" | "error"')
            cfg.severity = {}
            for sel, sev in table.items():
                sub = _subkey(key, sel)
                if not sel.strip():
                    p.fail(sub, "empty rule selector")
                cfg.severity[sel.strip()] = p.severity(sub, sev)
        elif raw_key == "per-file-ignores":
            table = p.table(key, value, "glob = [rule selectors]")
            cfg.per_file_ignores = {}
            for glob, sels in table.items():
                sub = _subkey(key, glob)
                if not glob.strip():
                    p.fail(sub, "empty glob")
                problem = glob_problem(glob)
                if problem:
                    p.fail(sub, problem)
                cfg.per_file_ignores[glob.strip()] = p.strlist(sub, sels, "rule selectors")
        elif raw_key == "packs":
            cfg.packs = [Path(os.path.abspath(root / Path(item).expanduser()))
                         for item in p.strlist(key, value, "folders")]
            cfg.packs_key = (path, key)
        elif raw_key == "exclude":
            cfg.exclude = p.strlist(key, value, "globs")
            for i, glob in enumerate(cfg.exclude):
                problem = glob_problem(glob, root)
                if problem:
                    p.fail(f"{key}[{i}]", problem)
        elif raw_key == "fail-on":
            cfg.fail_on = p.severity(key, value)
        elif raw_key == "languagetool":
            cfg.languagetool = _parse_languagetool(p, key, value)
    return cfg


def _parse_languagetool(p: _Parser, key: str, value) -> dict:
    table = p.table(key, value, "LanguageTool settings")
    out: dict = {}
    for sub_key, sub_value in table.items():
        sub = _subkey(key, sub_key)
        if sub_key not in LT_KEYS:
            p.fail(sub, _unknown_key_message(sub_key, LT_KEYS))
        if sub_key in LT_STR_KEYS:
            if not isinstance(sub_value, str):
                p.fail(sub, f"expected a string, got {_type_name(sub_value)}")
            out[sub_key] = sub_value
        elif sub_key in LT_BOOL_KEYS:
            if not isinstance(sub_value, bool):
                p.fail(sub, f"expected a boolean (true or false), got {_type_name(sub_value)}")
            out[sub_key] = sub_value
        else:
            out[sub_key] = p.strlist(sub, sub_value)
    return out


def _read_toml(path: Path, shown=None) -> dict:
    shown = path if shown is None else shown
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(shown, None, f"cannot read ({exc.strerror or exc})") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(shown, None, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    import tomllib  # only when there is a file to read

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(shown, None, f"invalid TOML: {exc}") from None


def _is_pyproject(path: Path) -> bool:
    return Path(path).name == "pyproject.toml"


def _settings_table(path: Path, data: dict, shown) -> tuple[dict | None, str]:
    """The copydesk settings in a parsed file (None for a pyproject without the table) and the
    key prefix used in error messages."""
    if not _is_pyproject(path):
        return data, ""
    tool = data.get("tool")
    if tool is None:
        return None, "tool.copydesk."
    if not isinstance(tool, dict):
        raise ConfigError(shown, "tool", f"expected a table, got {_type_name(tool)}")
    table = tool.get("copydesk")
    if table is None:
        return None, "tool.copydesk."
    if not isinstance(table, dict):
        raise ConfigError(shown, "tool.copydesk", f"expected a table, got {_type_name(table)}")
    return table, "tool.copydesk."


def _load(path: Path, display=None) -> Config | None:
    """Parse one file; None for a pyproject.toml without [tool.copydesk]."""
    shown = display if display is not None else path
    data = _read_toml(path, shown)
    table, prefix = _settings_table(Path(path), data, shown)
    if table is None:
        return None
    cfg = parse_settings(table, shown, Path(os.path.abspath(path)).parent, prefix)
    cfg.path = Path(path)
    return cfg


def load_config(path: Path) -> Config:
    """Parse one configuration file. A pyproject.toml is read from its [tool.copydesk] table
    (defaults when it has none)."""
    path = Path(path)
    cfg = _load(path)
    if cfg is None:
        cfg = Config(path=path, root=Path(os.path.abspath(path)).parent)
    return cfg


# --------------------------------------------------------------------------- discovery

def _display(path: str) -> Path:
    """A path for messages: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return Path(path)
    return Path(path) if rel == ".." or rel.startswith(".." + os.sep) else Path(rel)


class _Discovery:
    """Walks up folders looking for configuration, caching per folder and per file."""

    def __init__(self) -> None:
        self._by_folder: dict[str, Config | None] = {}
        self._by_file: dict[str, Config | None] = {}

    def _file_config(self, candidate: str) -> Config | None:
        if candidate not in self._by_file:
            self._by_file[candidate] = _load(Path(candidate), _display(candidate)) \
                if os.path.isfile(candidate) else None
        return self._by_file[candidate]

    def _own(self, folder: str) -> Config | None:
        for name in CONFIG_NAMES:
            cfg = self._file_config(os.path.join(folder, name))
            if cfg is not None:
                return cfg
        return None

    def find(self, folder: str) -> Config | None:
        walked = []
        found: Config | None = None
        current = folder
        while True:
            if current in self._by_folder:
                found = self._by_folder[current]
                break
            walked.append(current)
            found = self._own(current)
            if found is not None:
                break
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        for f in walked:
            self._by_folder[f] = found
        return found


def _start_folder(start) -> str:
    absolute = os.path.abspath(start)
    return absolute if os.path.isdir(absolute) else os.path.dirname(absolute)


def find_config(start: Path) -> Config:
    """The configuration for a file or folder: the nearest config file walking up, or the
    defaults (rooted at the start folder) when there is none."""
    folder = _start_folder(Path(start))
    cfg = _Discovery().find(folder)
    return cfg if cfg is not None else Config(path=None, root=Path(folder))


class ConfigResolver:
    """Hands out the configuration (CLI overrides applied) for each file, parsing each config
    file once and remembering the answer per folder. ``explicit`` (a file) or ``config`` (a
    Config) replaces discovery."""

    def __init__(self, explicit: Path | None = None, cli_select=None, cli_ignore=(), cli_extend_select=(),
                 config: Config | None = None):
        self.explicit = Path(explicit) if explicit is not None else None
        self.cli_select = list(cli_select) if cli_select is not None else None
        self.cli_ignore = list(cli_ignore or ())
        self.cli_extend_select = list(cli_extend_select or ())
        self._discovery = _Discovery()
        self._applied: dict[int, Config] = {}
        self._keep: list[Config] = []
        self._defaults: dict[str, Config] = {}
        self._explicit_config: Config | None = None
        self._by_file_folder: dict[str, Config] = {}
        if self.explicit is not None:
            self._explicit_config = self._apply(load_config(self.explicit))
        elif config is not None:  # one configuration for every file (lint.api.Linter)
            self._explicit_config = self._apply(config)

    def _apply(self, cfg: Config) -> Config:
        key = id(cfg)
        hit = self._applied.get(key)
        if hit is None:
            hit = cfg.with_cli(self.cli_select, self.cli_ignore, self.cli_extend_select)
            self._applied[key] = hit
            self._keep.append(cfg)  # keep ids stable
        return hit

    def for_path(self, path: Path) -> Config:
        if self._explicit_config is not None:
            return self._explicit_config
        folder = _start_folder(path)  # a str or a Path
        cfg = self._discovery.find(folder)
        if cfg is None:
            cfg = self._defaults.get(folder)
            if cfg is None:
                cfg = self._defaults[folder] = Config(path=None, root=Path(folder))
        return self._apply(cfg)

    def for_file(self, path: str) -> Config:
        """``for_path`` of a path known to be a file (one found by discovery): its folder's
        configuration, remembered per folder as written (no stat per file)."""
        folder = path[:path.rfind(os.sep) + 1]  # the folder as written ("a/b/", "" for none)
        cfg = self._by_file_folder.get(folder)
        if cfg is None:
            cfg = self._by_file_folder[folder] = self.for_path(path)
        return cfg


def unknown_selectors(config: Config, metas: list[RuleMeta]) -> list[str]:
    """Selectors in the configuration that match no rule, in order of appearance, without repeats."""
    selectors: list[str] = []
    selectors += config.select or []
    selectors += config.extend_select
    selectors += config.ignore
    selectors += list(config.severity)
    for sels in config.per_file_ignores.values():
        selectors += sels
    out: list[str] = []
    for s in selectors:
        if s in out:
            continue
        if not any(selector_matches(s, m) for m in metas):
            out.append(s)
    return out
