"""The regex-engine boundary: every pattern the rules and the document parsers use is compiled
here, and every question about a pattern's structure is answered here.

Two engines stand behind :func:`compile`:

- ``stored`` (the default where it works): CPython 3.11-3.13's own compiler driven through its
  private API (:mod:`lint.regex._stored`), which reorders patterns that open with lookarounds
  and lets a stored rule set (:mod:`lint.rulecache`) rebuild its patterns without compiling
  them again;
- ``re``, the reference: plain ``re.compile``. It is used on every other interpreter, and
  everywhere when ``COPYDESK_REGEX_ENGINE=re`` (CI runs the fixtures through both and compares
  the reports).

Both give ``re.Pattern`` objects that find the same matches. Anything faster plugs in behind
this boundary without producing findings itself: :mod:`lint.regex.gate` (optional Hyperscan)
only tells the pattern rules which of their patterns cannot match a document. The structural analyses
(:func:`check_backtracking`, :func:`literal_sets`, :func:`joinable`) read CPython's parse tree
(:mod:`lint.regex._tree`) and give their safe answer where it is not there. No module outside
this package imports ``_sre``, ``re._parser``, ``re._compiler`` or ``re._constants``
(tests/test_regex_boundary.py checks).
"""
from __future__ import annotations

import io
import os
import pickle
import re

from . import _stored
from ._stored import MAGIC, StaleRegex
from ._tree import CASELESS, UnsafeRegex, check_backtracking, joinable, literal_sets, remember, unparse

__all__ = ["compile", "static", "statics", "provide", "Recorder", "guarded", "check_backtracking",
           "UnsafeRegex", "StaleRegex", "literal_sets", "joinable", "unparse", "CASELESS", "ENGINE",
           "ENABLED", "MAGIC", "engine", "cache_tag", "trust_self_test", "start_load", "verify_loaded", "re_seeds",
           "seed", "seed_early", "store_seeds", "SEEDS_PREFIX"]

#: the environment variable that chooses the engine: ``re`` for the reference engine
ENGINE_ENV = "COPYDESK_REGEX_ENGINE"
#: the engine asked for: "re", or "stored" (the default: used where it works, else "re")
ENGINE = "re" if os.environ.get(ENGINE_ENV, "").strip().lower() in ("re", "reference", "plain") else "stored"
#: the stored engine may be used (asked for, and on a CPython it was checked on)
ENABLED = ENGINE == "stored" and _stored.ENABLED

#: reorder a pattern that opens with lookarounds so that it opens with a character (stored engine)
SHIFT = True


def stored() -> bool:
    """Does :func:`compile` use the stored engine in this process (asked for, and self-tested)?"""
    return ENABLED and _stored.self_test()


def engine() -> str:
    """The engine in use: ``"stored"`` or ``"re"``."""
    return "stored" if stored() else "re"


def cache_tag(presume: bool = False) -> str:
    """What a stored rule set's key must hold about the engine that stored it. ``presume``: the
    tag as it is if the stored engine's self-test passes, without running it when it has not
    run yet (see :func:`trust_self_test`)."""
    if presume and ENABLED and _stored._SELF_TESTED is None:
        return f"stored:{MAGIC}:{int(SHIFT)}"
    return f"{engine()}:{MAGIC}:{int(SHIFT)}"


def trust_self_test() -> None:
    """The stored engine's self-test passed in a process whose key said so: a stored rule set's
    key (lint.rulecache) names the exact interpreter, Copydesk's code and this tag, and the
    self-test depends on nothing else, so a rule set stored under the presumed tag proves it
    passes here too (~1 ms of Python's regex compiler saved per run)."""
    if ENABLED and _stored._SELF_TESTED is None:
        _stored._SELF_TESTED = True


#: the active recorder (None: compile() does not record)
_RECORDER: Recorder | None = None
#: patterns built outside a Recorder (pattern, flags) -> pattern: re.compile's own cache
_BUILT: dict[tuple[str, int], re.Pattern] = {}
#: while not None: every pattern compile() builds is checked first (:func:`guarded`)
_GUARD: list | None = None
#: while not None: every (pattern, flags) compile() is asked for is appended (tests)
SEEN: list | None = None


def compile(pattern: str, flags: int = 0) -> re.Pattern:  # noqa: A001 - the re.compile of the rule kinds
    """``re.compile`` through the engine in use; inside a :class:`Recorder` the stored form is
    also kept for storing. Raises ``re.error`` as ``re.compile`` does, and :class:`UnsafeRegex`
    inside :class:`guarded`."""
    rec = _RECORDER
    flags = int(flags)
    if _GUARD is not None:
        check_backtracking(pattern, flags)
    if SEEN is not None:
        SEEN.append((pattern, flags))
    if rec is None or not rec.active or not rec.stored:
        if not (SHIFT and stored()):
            return re.compile(pattern, flags)
        built = _BUILT.get((pattern, flags))
        if built is None:
            try:
                built = _stored.build(pattern, flags, SHIFT)
            except re.error:
                raise
            except Exception:  # noqa: BLE001 - the private path failed: the public one
                built = re.compile(pattern, flags)
            _BUILT[(pattern, flags)] = built
        return built
    memo = rec.memo.get((pattern, flags))
    if memo is not None:
        return memo
    try:
        args = _stored.args(pattern, flags, SHIFT)
        compiled = _stored._sre.compile(*args)
    except re.error:
        raise
    except Exception:  # noqa: BLE001 - re.compile raises what the user should see; if it does
        compiled = re.compile(pattern, flags)  # not, the private path failed: store nothing
        rec.active = False
        return compiled
    rec.keep(compiled, args)
    rec.memo[(pattern, flags)] = compiled
    return compiled


#: module-level patterns of the document parsers (:func:`static`): (pattern, flags) -> pattern
_STATIC: dict[tuple[str, int], re.Pattern] = {}
#: the same, rebuilt from a stored rule set before those modules are imported (:func:`provide`)
_PROVIDED: dict[tuple[str, int], re.Pattern] = {}


def static(pattern: str, flags: int = 0) -> re.Pattern:
    """``re.compile`` for a module-level pattern of the document parsers. The Markdown parser
    alone compiles dozens at import: the rule set cache stores them compiled (:func:`statics`)
    and hands them back (:func:`provide`) before the parser is imported. The stored form is
    keyed by the pattern's text and flags, so an edited pattern is simply compiled anew."""
    key = (pattern, int(flags))
    compiled = _PROVIDED.get(key)
    if compiled is None:  # built as the rules' patterns are (and as the cache stores them)
        compiled = compile(pattern, flags)
    _STATIC[key] = compiled
    return compiled


def statics() -> dict[tuple[str, int], re.Pattern]:
    """Every :func:`static` pattern of the document parsers (imported here if they were not)."""
    from ..document import markdown  # noqa: F401 - importing it registers its patterns

    return dict(_STATIC)


def provide(patterns) -> None:
    """Patterns from a stored rule set, for :func:`static` to hand out (a dict as
    :func:`statics` returns it; anything else is ignored)."""
    if isinstance(patterns, dict):
        _PROVIDED.update((k, v) for k, v in patterns.items() if type(v) is re.Pattern
                         and isinstance(k, tuple) and k == (v.pattern, k[1]))


class Recorder:
    """``with Recorder() as rec:`` records every :func:`compile` in the block, so that the
    patterns can be pickled (:meth:`reduce`). With the stored engine they are pickled in
    compiled form; with the reference engine as ``re.compile(pattern, flags)``. ``rec.active``
    is False when the stored engine failed on a pattern (then nothing can be stored)."""

    def __init__(self):
        self.stored = stored()
        self.active = True
        self._kept: dict[int, tuple] = {}  # id(pattern) -> (pattern, args): the pattern stays alive
        self.memo: dict[tuple, re.Pattern] = {}  # (pattern, flags) -> pattern, as re's own cache

    def __enter__(self):
        global _RECORDER
        self._previous = _RECORDER
        _RECORDER = self
        return self

    def __exit__(self, *exc):
        global _RECORDER
        _RECORDER = self._previous
        return False

    def keep(self, compiled, args) -> None:
        self._kept[id(compiled)] = (compiled, args)

    def args_for(self, p: re.Pattern) -> tuple:
        """The stored form of ``p``: recorded, or compiled again now (a pattern made elsewhere)."""
        kept = self._kept.get(id(p))
        if kept is not None and kept[0] is p:
            args = kept[1]
        else:
            args = _stored.args(p.pattern, p.flags, SHIFT)
        if args[0] != p.pattern or args[1] != p.flags:
            raise StaleRegex(f"cannot store {p.pattern!r}")
        return args

    def reduce(self, p: re.Pattern):
        """A pickle reduction of ``p``."""
        if not self.stored:
            return re.compile, (p.pattern, p.flags)
        pattern, flags, code, groups, groupindex, indexgroup = self.args_for(p)
        return _stored.rebuild, (pattern, flags, _stored.pack(code), groups, groupindex, indexgroup)


def re_seeds() -> list:
    """What ``re``'s own compile cache holds now, in stored form (empty unless the stored engine
    is in use), after importing the modules a run imports after loading its rules (the
    Markdown parser and its library, the HTML parser, the fixer): :func:`seed` puts them back."""
    if not stored():
        return []
    try:
        # their imports (and a first parse) compile patterns: the modules a run imports after
        # loading its rules, or (for the seed file read by ``import lint``) before
        from .. import cache, crossdoc, fixer, linter  # noqa: F401
        from ..document import parse
        from ..reporters import json, text  # noqa: F401

        parse("# A\n\nSee [a](b) and <b>c</b>, `d`.\n\n- e\n", "a.md", "markdown")
        parse("<p>See <a href='b'>a</a>.</p>", "a.html", "html")
    except Exception:  # noqa: BLE001 - only fewer seeds
        pass
    return _stored.re_cache_seeds()


def seed(seeds) -> int:
    """Put :func:`re_seeds`' patterns into ``re``'s cache (where not there already), so that
    modules imported later find their ``re.compile`` patterns built; :class:`StaleRegex` when
    one of them does not rebuild into what a fresh compile gives."""
    if not stored() or type(seeds) is not list:
        return 0
    return _stored.seed_re_cache(seeds)


SEEDS_PREFIX = _stored.SEEDS_PREFIX  # the seed files' names in the rule cache folder


def seed_early(folder) -> int:
    """At ``import lint``, before the modules that compile patterns at import are imported:
    note what ``re``'s cache holds already (another program's patterns, never written to the
    seed file) and seed it from the seed file in ``folder`` (:func:`lint.regex._stored.load_seeds`)."""
    _stored.BEFORE = _stored.re_cache_keys()
    return _stored.load_seeds(folder)


def store_seeds(folder, seeds) -> bool:
    """Write the seed file read by :func:`seed_early` (:func:`lint.regex._stored.store_seeds`)."""
    return _stored.store_seeds(folder, seeds)


def start_load() -> None:
    """Before unpickling a stored rule set."""
    _stored.LOADED.clear()


def verify_loaded() -> None:
    """After unpickling a stored rule set: raises :class:`StaleRegex` when a rebuilt pattern is
    not what this engine builds now."""
    _stored.verify_loaded(SHIFT)


class guarded:
    """``with guarded():`` every :func:`compile` inside checks its pattern with
    :func:`check_backtracking` first (the patterns of a user's rule pack)."""

    def __enter__(self):
        global _GUARD
        self._previous, _GUARD = _GUARD, []
        return self

    def __exit__(self, *exc):
        global _GUARD
        _GUARD = self._previous
        return False


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj):
        if type(obj) is re.Pattern:  # rebuilt by this engine, not by re.compile (pickle's own way)
            return compile, (obj.pattern, obj.flags)
        return NotImplemented


def dumps(obj) -> bytes:
    """``pickle.dumps`` whose compiled patterns are rebuilt through :func:`compile` on load, so
    that an object shipped to another process (a Linter sent to Dask workers) matches with the
    engine in use there (with the stored engine: the reordered lookarounds), as the sender did.
    Plain pickling rebuilds them with ``re.compile``: the same matches, about a third slower."""
    buf = io.BytesIO()
    _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    return buf.getvalue()
