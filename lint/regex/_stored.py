"""The stored-compiled regex engine: patterns built and rebuilt through CPython's private API.

Python's regex compiler (``re._parser`` and ``re._compiler``) is written in Python; compiling
the rule packs' patterns (large alternations of data lists) takes most of a one-file run. This
engine keeps what the compiler produced for each pattern (the opcode list and group tables,
exactly the arguments ``re._compiler.compile`` hands to ``_sre.compile``), so that a stored
rule set (:mod:`lint.rulecache`) can pickle its patterns in that form and rebuild them with
``_sre.compile`` directly: microseconds instead of milliseconds each. It also reorders
patterns that open with lookarounds (:func:`_shift`), which the regex engine then runs faster.

This is private CPython API, and this module is the only place that touches it (with
:mod:`lint.regex._tree`, which only reads parse trees). It is used only on the CPython
versions it was checked on (:data:`ENABLED`: 3.11-3.13), after a self-test against
``re.compile``; the stored form is keyed by the exact interpreter (``sys.version``,
``_sre.MAGIC``); every rebuilt pattern is compared with what was stored (:func:`rebuild`) and
one of each load with a fresh build (:func:`verify_loaded`). Any failure raises, and the
caller falls back to a normal build. Elsewhere the reference engine (plain ``re.compile``) is
used: :mod:`lint.regex` chooses.
"""
from __future__ import annotations

import re
import sys

from ._tree import remember

try:
    import _sre
    from re import _compiler, _parser
    from re import _constants as C

    ENABLED = (sys.implementation.name == "cpython" and (3, 11) <= sys.version_info[:2] <= (3, 13)
               and callable(getattr(_compiler, "_code", None)) and callable(getattr(_parser, "parse", None))
               and callable(getattr(_sre, "compile", None)))
    MAGIC = getattr(_sre, "MAGIC", None)
except ImportError:  # pragma: no cover - other implementations
    _sre = _compiler = _parser = C = None
    ENABLED, MAGIC = False, None

_SELF_TESTED: bool | None = None


class StaleRegex(Exception):
    """A stored pattern that does not rebuild into what was stored."""


#: (type, pattern, flags, shift) -> args: a process that builds a rule set again (house packs
#: loaded by a library user, the tests) compiles the same patterns again
_ARGS: dict = {}


def args(pattern, flags: int, shift: bool = True) -> tuple:
    """What ``re._compiler.compile`` passes to ``_sre.compile`` (CPython 3.11-3.13), with the
    parse tree reordered by :func:`_shift` (unless ``shift`` is False)."""
    key = (type(pattern), pattern, flags, shift)
    got = _ARGS.get(key)
    if got is None:
        got = remember(_ARGS, key, _args(pattern, flags, shift))
    pattern, flags, code, groups, groupindex, indexgroup = got
    return pattern, flags, list(code), groups, dict(groupindex), indexgroup  # callers own them


def _args(pattern, flags: int, shift: bool) -> tuple:
    p = _parser.parse(pattern, flags)
    if shift:
        _shift(p, flags)
    code = _compiler._code(p, flags)
    groupindex = p.state.groupdict
    indexgroup = [None] * p.state.groups
    for k, i in groupindex.items():
        indexgroup[i] = k
    return (pattern, flags | p.state.flags, [int(c) for c in code], p.state.groups - 1,
            dict(groupindex), tuple(indexgroup))


def build(pattern, flags: int, shift: bool = True) -> re.Pattern:
    """The pattern, compiled through :func:`args`."""
    return _sre.compile(*args(pattern, flags, shift))


def _shift(p, flags: int) -> bool:
    """Rewrite ``(?<!L)(?!A)E...`` as ``E(?<!LE)(?<!A)...``, in place: the same matches, found
    faster. Most rule patterns open with guards (``(?<![\\w.,])\\d{1,3}...``); the regex engine
    then tries the whole pattern at every position, while a pattern that opens with a
    character class lets it skip in C to the next position where that class matches (3-20x on
    article text). Only when the pattern (or each top-level alternative) is: fixed-width
    lookbehinds and one-character lookaheads, then one character (a literal or a class,
    possibly repeated at least once, outside any capture group). A lookbehind at ``p`` becomes
    the same lookbehind followed by that character, at ``p + 1``; a one-character lookahead at
    ``p`` becomes a lookbehind at ``p + 1``. Returns whether anything changed."""
    state, data = p.state, p.data
    if len(data) == 1 and data[0][0] is C.BRANCH:
        _, (x, branches) = data[0]
        out, changed = [], False
        for b in branches:
            nb = _shift_seq(b.data, state)
            changed |= nb is not None
            out.append(_parser.SubPattern(state, nb) if nb is not None else b)
        if changed:
            p.data = [(C.BRANCH, (x, out))]
        return changed
    nd = _shift_seq(data, state)
    if nd is not None:
        p.data = nd
    return nd is not None


def _shift_seq(data, state):
    """:func:`_shift` on one sequence of parse items; None when it does not apply."""
    i, guards = 0, []
    while i < len(data) and data[i][0] in (C.ASSERT, C.ASSERT_NOT):
        op, (direction, sub) = data[i]
        lo, hi = sub.getwidth()
        if lo != hi or (direction == 1 and lo != 1):
            return None
        guards.append((op, direction, sub))
        i += 1
    if not guards or i >= len(data):
        return None
    op, av = data[i]
    if op in (C.LITERAL, C.IN):
        first, rest = (op, av), data[i + 1:]
    elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1 and len(av[2].data) == 1 \
            and av[2].data[0][0] in (C.LITERAL, C.IN):
        lo, hi, item = av
        first = item.data[0]
        left = hi if hi == C.MAXREPEAT else hi - 1
        rest = ([(op, (lo - 1, left, item))] if left else []) + list(data[i + 1:])
    else:
        return None
    out = [first]
    for gop, direction, sub in guards:
        body = list(sub.data) + [first] if direction == -1 else list(sub.data)
        out.append((gop, (-1, _parser.SubPattern(state, body))))
    out.extend(rest)
    return out


def self_test() -> bool:
    """Is this engine usable here: does building through :func:`args` give what ``re.compile``
    gives, on this interpreter, and does a reordered pattern (:func:`_shift`) find the same
    matches?"""
    global _SELF_TESTED
    if _SELF_TESTED is None:
        _SELF_TESTED = False
        if ENABLED:
            try:
                probe = r"(?P<word>[^\W\d_]+(?:['’-]\w+)*)\s+(?:a|b|c)?\1\b"
                built = build(probe, re.IGNORECASE)
                guarded = r"(?<![\w.,])(?!0)\d{1,3}(?:,\d{3})+(?![\w,])|(?<=[a-z] )X+?"
                text = "Of 1,250 and 01,250 and 3,100,200 x1,000 aXX b X"
                shifted = build(guarded, 0, shift=True)
                _SELF_TESTED = (built == re.compile(probe, re.IGNORECASE) and built.groupindex == {"word": 1}
                                and built.groups == 1
                                and build(guarded, 0, shift=False) == re.compile(guarded)
                                and shifted != re.compile(guarded)
                                and [m.span() for m in shifted.finditer(text)]
                                == [m.span() for m in re.finditer(guarded, text)] == [(3, 8), (24, 33), (47, 48)])
            except Exception:  # noqa: BLE001 - any surprise means: do not use the private API
                _SELF_TESTED = False
    return _SELF_TESTED


def pack(code: list[int]):
    """An opcode list as stored: the bytes of an ``array('I')`` (a list on unusual platforms)."""
    from array import array

    arr = array("I")
    if arr.itemsize == getattr(_sre, "CODESIZE", 4):
        arr.fromlist(code)
        return arr.tobytes()
    return list(code)  # pragma: no cover - unusual platforms: a plain list


#: patterns rebuilt since the last :func:`start_load` (one of them is checked fully)
LOADED: list = []


def rebuild(pattern, flags, code, groups, groupindex, indexgroup) -> re.Pattern:
    """Unpickle a stored pattern with ``_sre.compile``; raises :class:`StaleRegex` when the
    result is not what was stored."""
    if not ENABLED:
        raise StaleRegex("stored patterns need the CPython regex engine they were made with")
    p = _compile_checked(pattern, flags, code, groups, groupindex, indexgroup)
    LOADED.append(p)
    return p


def _compile_checked(pattern, flags, code, groups, groupindex, indexgroup) -> re.Pattern:
    """``_sre.compile`` of stored code (a list, or the bytes of an ``array('I')``); raises
    :class:`StaleRegex` when the result is not the pattern that was stored."""
    if isinstance(code, bytes):
        from array import array

        arr = array("I")
        arr.frombytes(code)
        code = arr.tolist()
    p = _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)
    if p.pattern != pattern or p.flags != flags or p.groups != groups or p.groupindex != groupindex:
        raise StaleRegex(f"stored pattern {pattern!r} did not rebuild")
    return p


def verify_loaded(shift: bool = True) -> None:
    """After a load: the shortest rebuilt pattern must equal a fresh build (flags, pattern and
    the whole opcode list are compared; the self-test compares a fresh build with
    ``re.compile``'s). Raises :class:`StaleRegex` otherwise."""
    loaded = LOADED[:]
    LOADED.clear()
    if not loaded:
        return
    p = min(loaded, key=lambda x: len(x.pattern))
    if not self_test() or p != build(p.pattern, p.flags, shift):
        raise StaleRegex(f"stored pattern {p.pattern!r} differs from a fresh compile")


# -- re's own compile cache, filled from a stored rule set ---------------------------------------
#
# A one-file run imports modules that compile their patterns with ``re.compile`` at import
# (the Markdown library's HTML and URL patterns, lint.fixer's): a fifth of its start-up. The
# rule set cache stores what ``re``'s cache held when it was built (:func:`re_cache_seeds`),
# unshifted, exactly as ``re.compile`` builds them; a run puts them back (:func:`seed_re_cache`)
# before those modules are imported, so that their ``re.compile`` finds them cached.

def _re_caches() -> list:
    """``re``'s compile caches on this interpreter: ``_cache`` (3.11-3.13), ``_cache2`` (3.12+)."""
    return [c for c in (getattr(re, "_cache", None), getattr(re, "_cache2", None)) if isinstance(c, dict)]


def re_cache_seeds(exclude=frozenset()) -> list:
    """The str patterns in ``re``'s cache now, as stored seeds ``(pattern, key flags, pattern
    flags, packed code, groups, groupindex, indexgroup)``, each checked to rebuild into the
    cached pattern; ``exclude``: cache keys to leave out."""
    if not ENABLED or not self_test():
        return []
    out, seen = [], set()
    for cache in _re_caches():
        for key, p in list(cache.items()):
            if key in seen or key in exclude or type(key) is not tuple or len(key) != 3 or key[0] is not str:
                continue
            seen.add(key)
            _, pattern, flags = key
            if type(p) is not re.Pattern or type(flags) is not int or flags & (re.DEBUG | getattr(re, "TEMPLATE", 0)):
                continue
            try:
                a = args(pattern, flags, shift=False)
                if _sre.compile(*a) != p:
                    continue
            except Exception:  # noqa: BLE001 - not storable: re compiles it as usual
                continue
            out.append((pattern, flags, a[1], pack(a[2]), a[3], a[4], a[5]))
    return out


def re_cache_keys() -> frozenset:
    return frozenset(k for c in _re_caches() for k in c)


def seed_re_cache(seeds, need_self_test: bool = True) -> int:
    """Put stored seeds (:func:`re_cache_seeds`) into ``re``'s cache, where not there already
    and while it has room; one of them (the shortest) is first compared with a fresh build
    (StaleRegex otherwise). Returns how many were added. ``need_self_test``: only where the
    engine's self-test passes (seeds are plain ``re`` patterns, unshifted: a fresh build by
    ``re``'s own compiler checks them without it)."""
    caches = _re_caches()
    if not seeds or not caches or not ENABLED or (need_self_test and not self_test()):
        return 0
    cache = caches[0]
    room = getattr(re, "_MAXCACHE", 512) - len(cache)
    built = []
    for pattern, flags, pflags, code, groups, groupindex, indexgroup in seeds:
        key = (str, pattern, flags)
        if any(key in c for c in caches):
            continue
        built.append((key, _compile_checked(pattern, pflags, code, groups, groupindex, indexgroup)))
    if not built:
        return 0
    key, p = min(built, key=lambda kp: len(kp[0][1]))
    if p != build(key[1], key[2], shift=False):
        raise StaleRegex(f"stored pattern {key[1]!r} differs from a fresh compile")
    built = built[:max(0, room)]
    for key, p in built:
        cache[key] = p
    return len(built)


# -- re's cache seeds before anything is imported ---------------------------------------------------
#
# The seeds above come with the stored rule set, which a run loads after importing Copydesk,
# click and json, whose modules compile their patterns at import (about forty, ~90 us each with
# Python's compiler). The same seeds are also kept in a file of their own per interpreter,
# read by ``import lint`` before anything else (lint/__init__.py): marshal, no pickle, no rule
# set. ``_sre.compile`` trusts the code it is given (a damaged opcode list can match wrongly or
# crash the interpreter), and only the shortest seed is compared with a fresh compile, so the
# file carries the SHA-256 of its seeds, checked before any is compiled: a damaged file is not
# used. The seeds are written by the process that stored the rule set, less the patterns that
# were in re's cache before ``import lint`` (another program's own, when a library user stored
# it; :data:`BEFORE`).

SEEDS_PREFIX = "reseed-"
SEEDS_FORMAT = 2
#: the keys of re's cache when ``import lint`` began (lint/__init__.py): not Copydesk's patterns
BEFORE: frozenset = frozenset()


def seeds_file(folder) -> str:
    """The seed file of this interpreter in ``folder`` (the rule cache folder)."""
    import os
    from zlib import crc32

    tag = f"{SEEDS_FORMAT}\0{sys.version}\0{sys.hexversion}\0{MAGIC}\0{getattr(_sre, 'CODESIZE', '?')}"
    return os.path.join(str(folder), f"{SEEDS_PREFIX}{crc32(tag.encode('utf-8', 'surrogateescape')):08x}.marshal")


def _seeds_header() -> tuple:
    return (SEEDS_FORMAT, sys.version, sys.hexversion, MAGIC, getattr(_sre, "CODESIZE", None))


def store_seeds(folder, seeds) -> bool:
    """Write ``seeds`` (:func:`re_cache_seeds`) to this interpreter's seed file; False when
    there is nothing to write or it cannot be written."""
    seeds = [s for s in seeds or () if (str, s[0], s[1]) not in BEFORE]
    if not ENABLED or not seeds:
        return False
    import marshal

    from .._atomic import write_then_rename
    from .._sha import sha256

    try:
        payload = marshal.dumps(seeds)
        write_then_rename(seeds_file(folder), marshal.dumps((_seeds_header(), sha256(payload).digest(), payload)),
                          prefix="." + SEEDS_PREFIX)
    except (OSError, ValueError):
        return False
    return True


def load_seeds(folder) -> int:
    """Seed ``re``'s cache from this interpreter's seed file in ``folder``; how many patterns
    were added (0: no file, another interpreter's, not ours, malformed, or a pattern that does
    not rebuild: nothing is added then)."""
    if not ENABLED or folder is None:
        return 0
    import marshal

    from .._atomic import read_regular

    try:
        raw = read_regular(seeds_file(folder), limit=16 << 20, own=True)
        if raw is None:
            return 0
        data = marshal.loads(raw)
        if type(data) is not tuple or len(data) != 3 or data[0] != _seeds_header() or type(data[2]) is not bytes:
            return 0
        from .._sha import sha256

        if sha256(data[2]).digest() != data[1]:
            return 0  # damaged: not one pattern of it is compiled
        seeds = marshal.loads(data[2])
        if type(seeds) is not list or not all(type(x) is tuple and len(x) == 7 for x in seeds):
            return 0
        return seed_re_cache(seeds, need_self_test=False)
    except Exception:  # noqa: BLE001 - seeds only save time: anything wrong (no file), compile as usual
        return 0
