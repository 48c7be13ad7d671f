"""Load and validate rule packs: one YAML file per rule, data lists beside them.

Every error names the file, the line and the key. Unknown keys are errors.
"""
from __future__ import annotations

import re
from dataclasses import field
from pathlib import Path

from ._record import FACTORY, Record, record
from .model import Applicability, Example, RuleMeta, Severity

CATEGORIES = ("punctuation", "mt-phrasing", "ui-leftover", "caption-credit", "attribution",
              "consistency", "readability", "grammar")
QUOTE_POLICIES = ("flag", "skip")
#: keys of one ``examples: fix:`` entry
FIX_EXAMPLE_KEYS = {"in", "out", "format", "applicability"}
CODE_RE = re.compile(r"^([A-Z]+)(\d{3})$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
MARK_OPEN, MARK_CLOSE = "⟦", "⟧"
_MARKS = re.compile(f"([{MARK_OPEN}{MARK_CLOSE}])")

HEADER_KEYS = {
    "code", "name", "kind", "category", "severity", "summary", "why", "zones",
    "quote_policy", "fix", "tags", "since", "aliases", "examples", "enabled", "demote_after",
}


class PackError(Exception):
    """A malformed rule file: ``path:line: message``."""

    def __init__(self, path, line: int | None, message: str):
        self.path, self.line, self.message = str(path), line, message
        loc = f"{path}:{line}" if line else str(path)
        super().__init__(f"{loc}: {message}")


class _LineDict(dict):
    lines: dict


_LOADER = None


def _loader():
    """The YAML loader (built on first use: a run served from the rule cache never imports yaml)."""
    global _LOADER
    if _LOADER is None:
        import yaml

        class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when present: 10x faster
            pass

        _Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
        _LOADER = _Loader
    return _LOADER


def _construct_mapping(loader, node, deep=False):
    import yaml

    loader.flatten_mapping(node)
    out = _LineDict()
    out.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = key_node.start_mark.line + 1
    return out



def load_yaml(path: Path, text: str | None = None):
    import yaml

    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise PackError(path, None, f"not valid UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})") from None
        except OSError as exc:
            raise PackError(path, None, f"cannot read ({exc.strerror or exc})") from None
    try:
        return yaml.load(text, Loader=_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise PackError(path, mark.line + 1 if mark else None,
                        f"invalid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise PackError(path, None, f"invalid YAML: {exc}") from None


def parse_marked(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Strip ⟦…⟧ markers, returning the clean text and the marked spans."""
    if MARK_OPEN not in text and MARK_CLOSE not in text:
        return text, ()
    out, spans, pos, stack = [], [], 0, []
    for piece in _MARKS.split(text):  # text pieces and single markers, in order
        if piece == MARK_OPEN:
            stack.append(pos)
        elif piece == MARK_CLOSE:
            if not stack:
                raise ValueError("unbalanced ⟧ in example")
            spans.append((stack.pop(), pos))
        else:
            out.append(piece)
            pos += len(piece)
    if stack:
        raise ValueError("unbalanced ⟦ in example")
    return "".join(out), tuple(sorted(spans))


def data_path(rule_path: Path, ref: str) -> Path:
    return (rule_path.parent / ref).resolve()


#: while a rule set is built for the cache: every data file read (see :func:`note_read`)
_READS: list | None = None


def note_read(path) -> None:
    """Record a file a rule read while being built: the rule cache checks the ones its
    fingerprint does not cover (a data list outside the pack folder, or not ``.txt``)."""
    if _READS is not None:
        _READS.append(Path(path))


def read_list(path: Path) -> list[str]:
    """A data list: one entry per line; blank lines and ``#`` comments ignored."""
    note_read(path)
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            items.append(line)
    return items


@record
class Rule(Record):
    """A rule: its metadata and its compiled check (a kind instance)."""
    meta: RuleMeta
    impl: object  # a compiled kind instance with .check(doc, rule) -> hits

    def __init__(self, meta: RuleMeta, impl: object):
        self.meta = meta
        self.impl = impl


@record
class RuleSet(Record):
    """The rules of the loaded packs, in load order, and the fingerprint of the files they came
    from."""
    rules: list[Rule] = field(default_factory=list)
    #: hash of every file in the packs (rules and data): part of the cache key
    fingerprint: str = ""

    def __init__(self, rules: list[Rule] = FACTORY, fingerprint: str = ""):
        self.rules = [] if rules is FACTORY else rules
        self.fingerprint = fingerprint

    @property
    def metas(self) -> list[RuleMeta]:
        """Every rule's metadata, in order (a cached rule set has them without its rules)."""
        return [r.meta for r in self.rules]

    def by_code(self) -> dict[str, Rule]:
        return {r.meta.code: r for r in self.rules}

    def find(self, key: str) -> Rule | None:
        key_l = key.strip()
        for r in self.rules:
            if key_l in (r.meta.code, r.meta.name) or key_l in r.meta.aliases:
                return r
        return None


def _err(path, data, key, message):
    line = getattr(data, "lines", {}).get(key) if key is not None else None
    raise PackError(path, line, f"{key}: {message}" if key else message)


def _str(path, data, key, required=True, default=""):
    if key not in data:
        if required:
            _err(path, data, None, f"missing required key '{key}'")
        return default
    v = data[key]
    if not isinstance(v, str) or not v.strip():
        _err(path, data, key, "must be a non-empty string")
    return v.strip()


def _strlist(path, data, key):
    v = data.get(key, [])
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        _err(path, data, key, "must be a list of strings")
    return tuple(v)


def _examples(path, data, kind_name):
    ex = data.get("examples")
    if not isinstance(ex, dict):
        _err(path, data, "examples" if "examples" in data else None,
             "missing 'examples' with 'fail' and 'pass' lists" if "examples" not in data else "must be a mapping")
    unknown = set(ex) - {"fail", "pass", "fix"}
    if unknown:
        _err(path, ex, sorted(unknown)[0], "unknown example list (expected fail, pass, fix)")
    fails, passes, fixes = [], [], []
    for key, out in (("fail", fails), ("pass", passes)):
        items = ex.get(key)
        if not isinstance(items, list) or not items:
            _err(path, ex if key in ex else data, key if key in ex else "examples",
                 f"needs a non-empty '{key}' list")
        for item in items:
            fmt = "text"
            if isinstance(item, dict):
                fmt = item.get("format", "text")
                item = item.get("text")
            if not isinstance(item, str):
                _err(path, ex, key, "examples are strings or {text, format} mappings")
            try:
                text, spans = parse_marked(item)
            except ValueError as exc:
                _err(path, ex, key, str(exc))
            if key == "fail" and not spans:
                _err(path, ex, key, f"fail example without a ⟦marked⟧ span: {item[:60]!r}")
            out.append(Example(text, spans, format=fmt))
    for item in ex.get("fix", []) or []:
        if not (isinstance(item, dict) and isinstance(item.get("in"), str) and isinstance(item.get("out"), str)):
            _err(path, ex, "fix", "fix examples are mappings with 'in' and 'out' strings")
        extra = set(item) - FIX_EXAMPLE_KEYS
        if extra:
            _err(path, item, sorted(extra)[0], "unknown key in a fix example (expected in, out, format, applicability)")
        if item.get("applicability", "unsafe") != "unsafe":  # a safe rule's example that only --unsafe-fixes writes
            _err(path, item, "applicability", "a fix example's applicability can only be 'unsafe' "
                 "(written by fix --unsafe-fixes); without it the rule's own applies")
        fixes.append(Example(item["in"], fixed=item["out"], format=item.get("format", "text")))
    return tuple(fails), tuple(passes), tuple(fixes)


def load_rule(path: Path, user: bool = False) -> Rule:
    """One rule file. ``user``: a rule of a user's pack (not the built-in one): every pattern it
    compiles is checked for exponential backtracking first (:func:`lint.regex.check_backtracking`),
    and its checks run with a time limit per document (:class:`TimeLimited`)."""
    from .kinds import KINDS

    data = load_yaml(path)
    if not isinstance(data, dict):
        raise PackError(path, 1, "a rule file is a YAML mapping")
    kind_name = _str(path, data, "kind")
    kind_cls = KINDS.get(kind_name)
    if kind_cls is None:
        _err(path, data, "kind", f"unknown kind {kind_name!r} (known: {', '.join(sorted(KINDS))})")
    allowed = HEADER_KEYS | set(kind_cls.OPTIONS)
    for key in data:
        if key == "scope":  # removed: it was validated but never read
            _err(path, data, key, "'scope' is no longer a rule key (no rule ever read it): delete the line")
        if key not in allowed:
            _err(path, data, key, f"unknown key for kind '{kind_name}'")
    code = _str(path, data, "code")
    m = CODE_RE.match(code)
    if not m:
        _err(path, data, "code", f"{code!r} is not a family prefix plus three digits (e.g. SEG001)")
    name = _str(path, data, "name")
    if not NAME_RE.match(name):
        _err(path, data, "name", f"{name!r} is not kebab-case")
    category = _str(path, data, "category")
    if category not in CATEGORIES:
        _err(path, data, "category", f"{category!r} is not one of {', '.join(CATEGORIES)}")
    try:
        severity = Severity.parse(_str(path, data, "severity"))
    except ValueError as exc:
        _err(path, data, "severity", str(exc))
    zones = _strlist(path, data, "zones")
    from .document.zones import ZONES

    for z in zones:
        if z not in ZONES:
            _err(path, data, "zones", f"unknown zone {z!r} (known: {', '.join(ZONES)})")
    quote_policy = _str(path, data, "quote_policy", required=False, default="flag")
    if quote_policy not in QUOTE_POLICIES:
        _err(path, data, "quote_policy", "must be 'flag' or 'skip'")
    fix_app, fix_safety = None, ""
    if "fix" in data:
        fx = data["fix"]
        if not isinstance(fx, dict) or set(fx) - {"applicability", "safety"}:
            _err(path, data, "fix", "must be a mapping with 'applicability' and 'safety'")
        try:
            fix_app = Applicability.parse(fx.get("applicability", ""))
        except ValueError as exc:
            _err(path, fx, "applicability", str(exc))
        fix_safety = _str(path, fx, "safety")
    enabled = data.get("enabled", True)
    if not isinstance(enabled, bool):
        _err(path, data, "enabled", "must be true or false")
    demote_after = data.get("demote_after")
    if demote_after is not None and (type(demote_after) is not int or demote_after < 1):
        _err(path, data, "demote_after", "must be a whole number of at least 1")
    fails, passes, fixes = _examples(path, data, kind_name)
    meta = RuleMeta(
        code=code, name=name, kind=kind_name, category=category, family=m.group(1),
        summary=_str(path, data, "summary"), why=_str(path, data, "why"), severity=severity,
        path=str(path), zones=zones, quote_policy=quote_policy,
        fix_applicability=fix_app, fix_safety=fix_safety, tags=_strlist(path, data, "tags"),
        aliases=_strlist(path, data, "aliases"), since=str(data.get("since", "")),
        default_enabled=enabled, demote_after=demote_after, fail=fails, passes=passes, fixes=fixes,
        options={k: data[k] for k in kind_cls.OPTIONS if k in data},
    )
    from .regex import UnsafeRegex, guarded

    try:
        if user:
            try:
                with guarded():
                    impl = kind_cls(meta, path, data)
            except UnsafeRegex:
                if code not in SLOW_BUILTINS and code not in REVIEWED_BUILTINS:
                    raise
                # a copy of a built-in rule the check refuses (a copied built-in pack): built as
                # the built-in one is; the time limit below guards it
                impl = kind_cls(meta, path, data)
            impl = TimeLimited(impl, code, str(path))
        else:
            impl = kind_cls(meta, path, data)
            if code in SLOW_BUILTINS:
                impl = TimeLimited(impl, code, str(path))
    except PackError:
        raise
    except UnsafeRegex as exc:
        raise PackError(path, None, f"rule {code} refused: {exc}; write the repeated part so that it "
                        "can match a text one way only (or make it possessive, a++, or atomic, (?>…))") from None
    except (ValueError, TypeError, re.error, OSError) as exc:
        raise PackError(path, None, f"{kind_name}: {exc}") from None
    return Rule(meta, impl)


#: built-in rules with a pattern that backtracks for minutes on a crafted line (found by
#: lint.regex.check_backtracking, confirmed by timing; tests/test_hostile_regex.py keeps this
#: list equal to what the check refuses, less the patterns reviewed as safe there): they run
#: with the time limit of a user's rule until their patterns are rewritten. Empty: CAP004,
#: UI011, UI015 and UI019 were rewritten with possessive repeats and atomic groups (the same
#: findings on the fixtures and the evaluation sets, linear on their crafted lines).
SLOW_BUILTINS: dict[str, str] = {}

#: built-in rules with patterns the check refuses, reviewed and measured as safe (a crafted
#: line for the refused part lints in well under a second): why none backtracks exponentially
REVIEWED_BUILTINS = {
    "CAP006": "'(?:\\s*/\\s*NAME(?:\\s+NAME){0,4}){0,3}': the inner repeat and the next "
              "repetition both start with blanks, but then need a capital and '/' respectively: "
              "one split only; and at most 3 repetitions",
    "CAP008": "as CAP006: ', ' or ' and ' before the next name, ' ' and a capital inside one; "
              "at most 4 repetitions",
    "LANG001": "'(?:[^\\W\\d_]*?[a-z]){3}' in a lookahead inside one word: it can only fail when "
               "the word has fewer than three letters a-z, and then it tries each of them once",
    "UI003": "'(?:\\d+\\s*(?:hours?|h|…)\\b\\s*)+': 'h' and 'hours' start alike but both are "
             "followed by a word boundary, so at most one of them ends a unit; each repetition "
             "starts with digits after the unit",
    "UI021": "'(?:\\d{4}-\\d{2}-…(?:\\.\\d+)?…\\s*)+': the fraction's digits can take the next "
             "timestamp's year, which must then be followed by '-': one split only",
}

#: seconds one rule of a user's pack may take on one document (COPYDESK_RULE_TIME_LIMIT
#: overrides it; 0 turns the limit off)
RULE_TIME_LIMIT = 5.0


class RuleTimeout(Exception):
    """A user's rule ran past :data:`RULE_TIME_LIMIT` on one document."""


def time_limit() -> float:
    import os

    raw = os.environ.get("COPYDESK_RULE_TIME_LIMIT", "")
    try:
        return max(0.0, float(raw)) if raw.strip() else RULE_TIME_LIMIT
    except ValueError:
        return RULE_TIME_LIMIT


class TimeLimited:
    """A rule of a user's pack: its ``check`` runs to the end within :func:`time_limit` seconds
    per document, or raises :class:`RuleTimeout` naming the rule and its file. The limit is a
    SIGALRM timer (``signal.setitimer``), which interrupts even a regular expression stuck in
    backtracking (the regex engine checks for signals as it goes); it is set only on a
    process's main thread, where the runner and its pool workers lint. Everything else is the
    rule's own (attributes are looked up on it)."""

    def __init__(self, impl, code: str, path: str):
        self.__dict__.update(impl=impl, code=code, rule_path=path)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        impl = self.__dict__.get("impl")
        if impl is None:
            raise AttributeError(name)
        return getattr(impl, name)

    def check(self, doc, blocks):
        seconds = time_limit()
        impl = self.__dict__["impl"]
        import signal
        import threading

        if not seconds or not hasattr(signal, "setitimer") \
                or threading.current_thread() is not threading.main_thread():
            return list(impl.check(doc, blocks))
        code, path = self.__dict__["code"], self.__dict__["rule_path"]

        def expired(signum, frame):
            raise RuleTimeout(f"rule {code} ({path}) ran for more than {seconds:g} s on this file and "
                              "was stopped: its patterns backtrack too much (COPYDESK_RULE_TIME_LIMIT sets the limit)")

        import time

        previous = signal.signal(signal.SIGALRM, expired)
        outer = signal.setitimer(signal.ITIMER_REAL, seconds)
        started = time.monotonic()
        try:
            return list(impl.check(doc, blocks))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            if outer[0]:  # a timer someone else had set: on again, less the time spent
                signal.setitimer(signal.ITIMER_REAL, max(0.001, outer[0] - (time.monotonic() - started)), outer[1])


def builtin_pack_dir() -> Path:
    """The rules shipped with the package (``lint/rules`` in a wheel, ``rules/`` in a checkout)."""
    here = Path(__file__).parent
    if (here / "rules").is_dir():  # a wheel or a plain install: what importlib.resources says
        return here / "rules"
    try:
        import importlib.resources

        res = importlib.resources.files("lint") / "rules"
        if res.is_dir():
            return Path(str(res))
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parent.parent / "rules"


def rule_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.yaml") if "data" not in p.relative_to(folder).parts)


def _pack_files(folders) -> list[tuple[tuple, str]]:
    """The rule and data files (``.yaml``, ``.txt``) of the folders that :func:`fingerprint`
    hashes, in its order: (relative parts, full path)."""
    import os

    out = []
    for folder in folders:
        if not folder.is_dir():
            continue
        entries = []  # what sorted(folder.rglob("*")) gives, minus folders and other suffixes
        for dirpath, _dirnames, filenames in os.walk(folder):
            rel = os.path.relpath(dirpath, folder)
            parts = () if rel == os.curdir else tuple(rel.split(os.sep))
            for name in filenames:
                dot = name.rfind(".")  # Path.suffix, without making a Path
                if 0 < dot < len(name) - 1 and name[dot:] in (".yaml", ".txt"):
                    entries.append((parts + (name,), os.path.join(dirpath, name)))
        if os.name == "nt":  # pragma: no cover - Windows paths sort case-insensitively
            entries.sort(key=lambda e: tuple(p.lower() for p in e[0]))
        else:
            entries.sort()
        out.extend(entries)
    return out


def fingerprint(folders) -> tuple[str, list[str]]:
    """The hash of every rule and data file (``.yaml``, ``.txt``) in the folders, by relative
    name and content, in sorted path order; and the files hashed."""
    import os

    from ._sha import sha256

    digest = sha256()
    hashed = []
    for parts, full in _pack_files(folders):
        if os.path.isfile(full):
            with open(full, "rb") as fh:
                digest.update(os.sep.join(parts).encode() + b"\0" + fh.read())
            hashed.append(full)
    return digest.hexdigest(), hashed


def pack_stats(folders) -> tuple | None:
    """What :func:`fingerprint` reads, by stat instead of content: per file its path, size,
    modification and change times (ns), inode and mode. A stored rule set (lint.rulecache)
    keeps it with the fingerprint, so that a run whose pack files all have the stats they had
    when it was stored takes the stored fingerprint instead of reading and hashing every file
    (~3 ms of a one-file run), as the result store trusts a file's stat (lint.cache). None when
    a file changed less than ``lint.cache.RACY_NS`` ago: on a file system with coarse times, an
    edit of the same size within the same tick would leave every stat as it is (the result
    store records no stat for such a file either); the files are then hashed."""
    import os
    import time

    from .cache import RACY_NS

    recent = time.time_ns() - RACY_NS
    out = []
    for _parts, full in _pack_files(folders):
        try:
            st = os.stat(full)
        except OSError:
            out.append((full, None))
            continue
        if st.st_mtime_ns >= recent or st.st_ctime_ns >= recent:
            return None
        out.append((full, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_mode))
    return tuple(out)


def load_rules(extra_dirs=(), include_builtin: bool = True, cache: bool = False) -> RuleSet:
    """Build the rule set of the built-in pack (unless ``include_builtin`` is False) and the
    ``extra_dirs`` packs. ``cache``: reuse (and store) the built rule set in the per-user rule
    cache (:mod:`lint.rulecache`); any problem with the cache only means building normally."""
    folders = ([builtin_pack_dir()] if include_builtin else []) + [Path(d) for d in extra_dirs]
    if not cache:
        return _build(folders, fingerprint(folders)[0])
    # taken before the files are hashed: a file changed in between is hashed again next time
    stats = pack_stats(folders)
    if all(f.is_dir() for f in folders):
        from . import rulecache

        cached = rulecache.load(folders, lambda: fingerprint(folders)[0], stats)
        if cached is not None:
            return cached
    fp, hashed = fingerprint(folders)
    global _READS
    from . import rulecache
    from .regex import Recorder

    previous, _READS = _READS, []
    try:
        with Recorder() as recorder:
            rs = _build(folders, fp)
            deps = sorted({p.resolve() for p in _READS} - {Path(f).resolve() for f in hashed})
            rulecache.save(folders, rs, recorder, deps, stats)
    finally:
        _READS = previous
    return rs


def _build(folders: list[Path], fp: str) -> RuleSet:
    rs = RuleSet()
    rs.fingerprint = fp
    seen_codes: dict[str, str] = {}
    seen_names: dict[str, str] = {}
    builtin = builtin_pack_dir().resolve()
    for folder in folders:
        if not folder.is_dir():
            raise PackError(folder, None, "rule pack folder does not exist")
        user = folder.resolve() != builtin  # a user's pack: patterns checked, time limited
        for path in rule_files(folder):
            rule = load_rule(path, user=user)
            for key, seen in ((rule.meta.code, seen_codes), (rule.meta.name, seen_names)):
                if key in seen:
                    raise PackError(path, None, f"{key!r} is already used by {seen[key]}")
                seen[key] = str(path)
            for alias in rule.meta.aliases:
                if alias in seen_codes:
                    raise PackError(path, None, f"alias {alias!r} is already a code in {seen_codes[alias]}")
            rs.rules.append(rule)
    rs.rules.sort(key=lambda r: r.meta.code)
    return rs
