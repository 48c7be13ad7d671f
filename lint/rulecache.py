"""A per-user cache of the built rule set, so that a one-file run does not rebuild it.

Building the rule set means parsing ~70 YAML files, reading the data lists and compiling a few
hundred regular expressions with Python's (pure-Python) regex compiler. The result is pickled
to ``$COPYDESK_CACHE_DIR``, else ``$XDG_CACHE_HOME/copydesk``, else ``~/.cache/copydesk``; the
patterns in it are stored compiled (:mod:`lint.regex`), so loading it costs a few
milliseconds.

One file per set of pack folders. It holds a small header (the key, and the files read while
building that the rule set fingerprint does not cover) and then the rule set. The key covers
the fingerprint (every rule and data file of the packs, by content), the folders, Copydesk's
version and source files (by size and modification time), and the exact interpreter. Anything
unexpected (a missing, corrupt, stale or foreign file, an unwritable folder) means: build
normally. The cache can never make a run fail.
"""
from __future__ import annotations

import io
import os
import pickle
import sys
from pathlib import Path

from . import __version__
from ._sha import sha256

FORMAT = 4  # 2: the body is (rule set, the parsers' static patterns); 3: the metas before it;
# 4: the body is (re's cache seeds, the parsers' static patterns), then the rule set
PREFIX = "rules-"
SUFFIX = ".pickle"


def cache_dir() -> Path | None:
    """Where the rule set cache lives (None: nowhere usable)."""
    explicit = os.environ.get("COPYDESK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "copydesk"
    try:
        return Path.home() / ".cache" / "copydesk"
    except (RuntimeError, KeyError, OSError):
        return None


_CODE_STAMP: list = []  # this process's (it is asked twice a run: rule set and result store keys)


def _code_stamp() -> str:
    """Copydesk's own source files, by name, size and modification time: a rule set pickled by
    other code is not loaded (an upgrade, or a checkout being edited). Taken once per process
    (a long-lived process does not pick up edits to its own, already imported, code either)."""
    if not _CODE_STAMP:
        _CODE_STAMP.append(_code_stamp_now())
    return _CODE_STAMP[0]


def _code_stamp_now() -> str:
    root = Path(__file__).resolve().parent
    h = sha256()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith(".py"):
                path = os.path.join(dirpath, name)
                st = os.stat(path)
                h.update(f"{os.path.relpath(path, root)}:{st.st_size}:{st.st_mtime_ns}\0".encode())
    return h.hexdigest()


def _folders_id(folders) -> str:
    return "\0".join(f"{f}\1{Path(f).resolve()}" for f in folders)


def cache_file(folders) -> Path | None:
    d = cache_dir()
    if d is None:
        return None
    name = sha256(_folders_id(folders).encode("utf-8", "surrogateescape")).hexdigest()[:20]
    return d / f"{PREFIX}{name}{SUFFIX}"


def cache_key(folders, fingerprint: str, presume: bool = False) -> str:
    """``presume``: with the regex engine's tag as it is if its self-test passes, without
    running it (lint.regex.cache_tag)."""
    from .regex import cache_tag

    parts = (str(FORMAT), __version__, sys.version, str(sys.hexversion), sys.implementation.cache_tag or "",
             cache_tag(presume), _code_stamp(), _folders_id(folders), fingerprint)
    return sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def file_digest(path) -> str | None:
    from ._atomic import read_regular

    try:
        data = read_regular(str(path))  # a FIFO or a device where a data list was: no digest
    except OSError:
        return None
    return None if data is None else sha256(data).hexdigest()


def _valid_meta(m) -> bool:
    """A stored rule's metadata has the types the selection and the reports rely on."""
    from .model import Applicability, RuleMeta, Severity

    return (type(m) is RuleMeta and all(type(getattr(m, k, None)) is str for k in _META_STRINGS)
            and type(m.severity) is Severity
            and (m.fix_applicability is None or type(m.fix_applicability) is Applicability)
            and all(type(getattr(m, k, None)) is tuple and all(type(x) is str for x in getattr(m, k))
                    for k in ("zones", "tags", "aliases"))
            and type(m.default_enabled) is bool
            and (m.demote_after is None or type(m.demote_after) is int)
            and type(m.options) is dict
            and all(type(getattr(m, k, None)) is tuple for k in ("fail", "passes", "fixes")))


_META_STRINGS = ("code", "name", "kind", "category", "family", "summary", "why", "path",
                 "quote_policy", "fix_safety", "since")


def load(folders, fingerprint, stats=None):
    """The cached rule set for these folders, or None (absent, stale, corrupt, unreadable).
    ``fingerprint``: the packs' (lint.packs.fingerprint), or a function that computes it,
    called only when ``stats`` (lint.packs.pack_stats, taken now) are not the stats stored with
    the rule set: then the stored fingerprint stands for the files' content."""
    path = cache_file(folders)
    if path is None:
        return None
    try:
        from ._atomic import read_regular

        data = read_regular(str(path), own=True)  # unpickling runs code: only a file of our own
        if data is None:
            return None
        stream = io.BytesIO(data)
        header = pickle.load(stream)
        if type(header) is not dict:
            return None
        restat = False  # the files were hashed: their stats are stored with the rule set below
        if callable(fingerprint):
            stored = header.get("fingerprint")
            if stats is not None and type(stored) is str and header.get("stats") == stats:
                fingerprint = stored
            else:
                fingerprint, restat = fingerprint(), stats is not None
        key = header.get("key")
        if key == cache_key(folders, fingerprint, presume=True):
            from .regex import trust_self_test

            trust_self_test()  # stored under the same interpreter, code and engine tag
        elif key != cache_key(folders, fingerprint):
            return None
        deps = header.get("deps", [])
        if type(deps) is not list or not all(type(d) is tuple and len(d) == 2 and type(d[0]) is str
                                             and (d[1] is None or type(d[1]) is str) for d in deps):
            return None
        for dep, digest in deps:
            if file_digest(dep) != digest:
                return None
        start = stream.tell()
        metas = pickle.load(stream)
        if type(metas) is not list or not all(_valid_meta(m) for m in metas):
            return None
        if restat:  # touched files of the same content: the next run need not hash them again
            _restat(path, {**header, "stats": stats, "fingerprint": fingerprint}, data, start)
        return CachedRuleSet(metas, fingerprint, folders, data, stream.tell())
    except Exception:  # noqa: BLE001 - a cache problem is never the user's problem: rebuild
        return None


def _restat(path, header: dict, data: bytes, start: int) -> None:
    """Store ``header`` (new stats) before the rest of the stored file, as it is."""
    from ._atomic import write_then_rename

    try:
        head = pickle.dumps(header, protocol=pickle.HIGHEST_PROTOCOL)
        write_then_rename(str(path), head + data[start:], prefix=f".{PREFIX}")
    except Exception:  # noqa: BLE001 - only slower: hashed again next time
        pass


def _body(data: bytes, offset: int, fingerprint: str):
    """The cached rules (the pickle after the metas), or None."""
    try:
        from . import regex

        stream = io.BytesIO(data)
        stream.seek(offset)
        regex.start_load()
        seeds, patterns = pickle.load(stream)
        regex.verify_loaded()
        # before the rules are unpickled: the modules that imports (and those a lint imports
        # later: the Markdown library) find their re.compile patterns built
        regex.seed(seeds)
        ruleset = pickle.load(stream)
        regex.verify_loaded()
        from .packs import RuleSet

        if type(ruleset) is not RuleSet or ruleset.fingerprint != fingerprint \
                or type(ruleset.rules) is not list or type(patterns) is not dict:
            return None
        from .packs import Rule

        for r in ruleset.rules:
            if type(r) is not Rule or not _valid_meta(r.meta) or not callable(getattr(r.impl, "check", None)) \
                    or type(getattr(r.impl, "requires", ())) is not tuple:
                return None
        regex.provide(patterns)
        return ruleset
    except Exception:  # noqa: BLE001
        return None


class CachedRuleSet:
    """A rule set from the cache: its metadata at once (a few hundred objects: enough to select
    rules, key stored results and report), its rules when first asked for. A run whose files
    all have stored results never builds a rule (a warm run, pre-commit on unchanged files)."""

    def __init__(self, metas, fingerprint, folders, data, offset):
        self._metas, self.fingerprint = metas, fingerprint
        self._folders, self._data, self._offset = folders, data, offset

    @property
    def metas(self):
        return self._metas

    def __getattr__(self, name):
        if name != "rules":
            raise AttributeError(name)
        import gc

        # as cli._load does for a built set: no collection while tens of thousands of objects
        # are made, then frozen (forked workers do not touch their pages)
        enabled = gc.isenabled()
        gc.disable()
        try:
            ruleset = _body(self._data, self._offset, self.fingerprint)
            if ruleset is None or [r.meta.code for r in ruleset.rules] != [m.code for m in self._metas]:
                from .packs import _build

                ruleset = _build(list(self._folders), self.fingerprint)
        finally:
            if enabled:
                gc.enable()
                gc.freeze()
        self._data = None
        self.rules = ruleset.rules
        return self.rules

    def by_code(self):
        return {r.meta.code: r for r in self.rules}

    def find(self, key: str):
        from .packs import RuleSet

        return RuleSet.find(self, key)


class _Pickler(pickle.Pickler):
    def __init__(self, file, recorder):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.recorder = recorder

    def reducer_override(self, obj):
        import re

        if type(obj) is re.Pattern:
            return self.recorder.reduce(obj)
        return NotImplemented


def save(folders, ruleset, recorder, deps, stats=None) -> bool:
    """Store ``ruleset``; False (and nothing written) when that is not possible here.
    ``stats``: the packs' files as they were before they were hashed (see :func:`load`)."""
    from ._atomic import write_then_rename

    if not recorder.active:
        return False
    path = cache_file(folders)
    if path is None:
        return False
    try:
        body = io.BytesIO()
        header = {"key": cache_key(folders, ruleset.fingerprint),
                  "deps": [(str(p), file_digest(p)) for p in deps]}
        if stats is not None:
            header.update(stats=stats, fingerprint=ruleset.fingerprint)
        pickle.dump(header, body, protocol=pickle.HIGHEST_PROTOCOL)
        from .regex import re_seeds, statics

        # the metadata first (a run may need nothing else), then the patterns re's cache held
        # (lint.regex.seed) and the document parsers' own (lint.regex.static), stored compiled,
        # then the rules
        pickle.dump([r.meta for r in ruleset.rules], body, protocol=pickle.HIGHEST_PROTOCOL)
        seeds = re_seeds()
        _Pickler(body, recorder).dump((seeds, statics()))
        _Pickler(body, recorder).dump(ruleset)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_then_rename(str(path), body.getvalue(), prefix=f".{PREFIX}")
        from .regex import store_seeds

        store_seeds(path.parent, seeds)  # read by the next ``import lint`` (lint/__init__.py)
    except Exception:  # noqa: BLE001 - read-only home, full disk, an unpicklable rule: only slower
        return False
    # (the Hyperscan gate's database, lint.regex.gate, is built by the first run with enough
    # files to pay for it, and stored beside this file)
    return True


def clean() -> int:
    """Remove the cached rule sets; the number of files removed."""
    d = cache_dir()
    n = 0
    if d is None or not d.is_dir():
        return 0
    from .regex import SEEDS_PREFIX, gate

    for p in d.iterdir():
        if (p.name.startswith((PREFIX, f".{PREFIX}")) and p.name.endswith((SUFFIX, ".tmp"))) \
                or p.name.startswith((gate.PREFIX, f".{gate.PREFIX}", SEEDS_PREFIX, f".{SEEDS_PREFIX}")):
            try:
                p.unlink()
                n += 1
            except OSError:
                pass
    return n
