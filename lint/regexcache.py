"""Regular expressions that can be stored compiled, and rebuilt without the regex compiler.

Python's regex compiler (``re._parser`` and ``re._compiler``) is written in Python; compiling
the rule packs' patterns (large alternations of data lists) takes most of a one-file run. Every
rule kind compiles through :func:`compile`. Inside a :class:`Recorder`, it keeps what the
compiler produced for each pattern (the opcode list and group tables, exactly the arguments
``re._compiler.compile`` hands to ``_sre.compile``), so that a stored rule set
(:mod:`lint.rulecache`) can pickle its patterns in that form and rebuild them with
``_sre.compile`` directly: microseconds instead of milliseconds each.

This is private CPython API. It is used only on the CPython versions it was checked on
(:data:`ENABLED`), after a self-test against ``re.compile``; the stored form is keyed by the
exact interpreter (``sys.version``, ``_sre.MAGIC``); every rebuilt pattern is compared with
what was stored (:func:`_rebuild`) and one of each load with ``re.compile``'s own result
(:func:`verify_loaded`). Any failure raises, and the caller falls back to a normal build.
"""
from __future__ import annotations

import re
import sys

try:
    import _sre
    from re import _compiler, _parser

    ENABLED = (sys.implementation.name == "cpython" and (3, 11) <= sys.version_info[:2] <= (3, 13)
               and callable(getattr(_compiler, "_code", None)) and callable(getattr(_parser, "parse", None))
               and callable(getattr(_sre, "compile", None)))
    MAGIC = getattr(_sre, "MAGIC", None)
except ImportError:  # pragma: no cover - other implementations
    _sre = _compiler = _parser = None
    ENABLED, MAGIC = False, None

#: the active recorder (None: compile() is plain re.compile)
_RECORDER: Recorder | None = None
_SELF_TESTED: bool | None = None


class StaleRegex(Exception):
    """A stored pattern that does not rebuild into what was stored."""


#: reorder a pattern that opens with lookarounds so that it opens with a character (:func:`_shift`)
SHIFT = True


def _args(pattern, flags: int, shift: bool | None = None) -> tuple:
    """What ``re._compiler.compile`` passes to ``_sre.compile`` (CPython 3.11-3.13), with the
    parse tree reordered by :func:`_shift` (unless ``shift`` is False, or :data:`SHIFT` is)."""
    p = _parser.parse(pattern, flags)
    if SHIFT if shift is None else shift:
        _shift(p, flags)
    code = _compiler._code(p, flags)
    groupindex = p.state.groupdict
    indexgroup = [None] * p.state.groups
    for k, i in groupindex.items():
        indexgroup[i] = k
    return (pattern, flags | p.state.flags, [int(c) for c in code], p.state.groups - 1,
            dict(groupindex), tuple(indexgroup))


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
    from re import _constants as C

    state, data = p.state, p.data
    if len(data) == 1 and data[0][0] is C.BRANCH:
        _, (x, branches) = data[0]
        out, changed = [], False
        for b in branches:
            nb = _shift_seq(b.data, state, C)
            changed |= nb is not None
            out.append(_parser.SubPattern(state, nb) if nb is not None else b)
        if changed:
            p.data = [(C.BRANCH, (x, out))]
        return changed
    nd = _shift_seq(data, state, C)
    if nd is not None:
        p.data = nd
    return nd is not None


def _shift_seq(data, state, C):
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


def _self_test() -> bool:
    """Does building through :func:`_args` give what ``re.compile`` gives, on this interpreter,
    and does a reordered pattern (:func:`_shift`) find the same matches?"""
    global _SELF_TESTED
    if _SELF_TESTED is None:
        try:
            probe = r"(?P<word>[^\W\d_]+(?:['’-]\w+)*)\s+(?:a|b|c)?\1\b"
            built = _sre.compile(*_args(probe, re.IGNORECASE))
            guarded = r"(?<![\w.,])(?!0)\d{1,3}(?:,\d{3})+(?![\w,])|(?<=[a-z] )X+?"
            text = "Of 1,250 and 01,250 and 3,100,200 x1,000 aXX b X"
            shifted = _sre.compile(*_args(guarded, 0, shift=True))
            _SELF_TESTED = (built == re.compile(probe, re.IGNORECASE) and built.groupindex == {"word": 1}
                            and built.groups == 1
                            and _sre.compile(*_args(guarded, 0, shift=False)) == re.compile(guarded)
                            and shifted != re.compile(guarded)
                            and [m.span() for m in shifted.finditer(text)]
                            == [m.span() for m in re.finditer(guarded, text)] == [(3, 8), (24, 33), (47, 48)])
        except Exception:  # noqa: BLE001 - any surprise means: do not use the private API
            _SELF_TESTED = False
    return _SELF_TESTED


#: patterns built outside a Recorder (pattern, flags) -> pattern: re.compile's own cache
_BUILT: dict[tuple[str, int], re.Pattern] = {}


def compile(pattern: str, flags: int = 0) -> re.Pattern:  # noqa: A001 - the re.compile of the rule kinds
    """``re.compile``; inside a :class:`Recorder` the compiler's output is also kept for storing."""
    rec = _RECORDER
    flags = int(flags)
    if rec is None or not rec.active:
        if not (SHIFT and ENABLED and _self_test()):
            return re.compile(pattern, flags)
        built = _BUILT.get((pattern, flags))
        if built is None:
            try:
                built = _sre.compile(*_args(pattern, flags))
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
        args = _args(pattern, flags)
        compiled = _sre.compile(*args)
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
    alone compiles ~50 at import, ~15 ms of a one-file run: the rule set cache stores them
    compiled (:func:`statics`) and hands them back (:func:`provide`) before the parser is
    imported. The stored form is keyed by the pattern's text and flags, so an edited pattern is
    simply compiled anew."""
    key = (pattern, int(flags))
    compiled = _PROVIDED.get(key)
    if compiled is None:  # built as the rules' patterns are (and as the cache stores them)
        compiled = compile(pattern, flags)
    _STATIC[key] = compiled
    return compiled


def statics() -> dict[tuple[str, int], re.Pattern]:
    """Every :func:`static` pattern of the document parsers (imported here if they were not)."""
    from .document import markdown  # noqa: F401 - importing it registers its patterns

    return dict(_STATIC)


def provide(patterns) -> None:
    """Patterns from a stored rule set, for :func:`static` to hand out (a dict as
    :func:`statics` returns it; anything else is ignored)."""
    if isinstance(patterns, dict):
        _PROVIDED.update((k, v) for k, v in patterns.items() if type(v) is re.Pattern
                         and isinstance(k, tuple) and k == (v.pattern, k[1]))


class Recorder:
    """``with Recorder() as rec:`` records every :func:`compile` in the block; ``rec.active`` is
    False when the private API cannot be used here (then nothing can be stored)."""

    def __init__(self):
        self.active = ENABLED and _self_test()
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
            args = _args(p.pattern, p.flags)
        if args[0] != p.pattern or args[1] != p.flags:
            raise StaleRegex(f"cannot store {p.pattern!r}")
        return args

    def reduce(self, p: re.Pattern):
        """A pickle reduction of ``p`` that rebuilds it with :func:`_rebuild`."""
        pattern, flags, code, groups, groupindex, indexgroup = self.args_for(p)
        return _rebuild, (pattern, flags, _pack(code), groups, groupindex, indexgroup)


def _pack(code: list[int]):
    from array import array

    arr = array("I")
    if arr.itemsize == getattr(_sre, "CODESIZE", 4):
        arr.fromlist(code)
        return arr.tobytes()
    return list(code)  # pragma: no cover - unusual platforms: a plain list


#: patterns rebuilt since the last :func:`verify_loaded` (one of them is checked fully)
_LOADED: list = []


def _rebuild(pattern, flags, code, groups, groupindex, indexgroup) -> re.Pattern:
    """Unpickle a stored pattern with ``_sre.compile``; raises :class:`StaleRegex` when the
    result is not what was stored."""
    if not ENABLED:
        raise StaleRegex("stored patterns need the CPython regex engine they were made with")
    if isinstance(code, bytes):
        from array import array

        arr = array("I")
        arr.frombytes(code)
        code = arr.tolist()
    p = _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)
    if p.pattern != pattern or p.flags != flags or p.groups != groups or p.groupindex != groupindex:
        raise StaleRegex(f"stored pattern {pattern!r} did not rebuild")
    _LOADED.append(p)
    return p


def start_load() -> None:
    _LOADED.clear()


def verify_loaded() -> None:
    """After a load: the shortest rebuilt pattern must equal a fresh build (flags, pattern and
    the whole opcode list are compared; the self-test compares a fresh build with
    ``re.compile``'s). Raises :class:`StaleRegex` otherwise."""
    loaded = _LOADED[:]
    _LOADED.clear()
    if not loaded:
        return
    p = min(loaded, key=lambda x: len(x.pattern))
    if not _self_test() or p != _sre.compile(*_args(p.pattern, p.flags)):
        raise StaleRegex(f"stored pattern {p.pattern!r} differs from a fresh compile")
