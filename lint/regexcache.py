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
    if _GUARD is not None:
        check_backtracking(pattern, flags)
    if SEEN is not None:
        SEEN.append((pattern, flags))
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


# == patterns that can backtrack exponentially ===================================================
#
# A user's rule pack is code the linter runs on every document: one pattern such as ``(a+)+$``
# takes minutes on 40 characters. Every pattern of a user pack is read here, as the regex
# parser parses it, and refused when a repeated part can match the same text in more than one
# way, which is what makes backtracking exponential:
#
# - a repeat of a group (``(…)+``, ``(…)*``, ``(…){2,9}``: anything that can repeat twice) whose
#   body holds a repeat of variable length (``x+``, ``x*``, ``x?``, ``x{1,3}``) that can be
#   followed, inside the body or by the body's next repetition, by a character the inner repeat
#   could also take (``(a+)+``, ``(\w+\s?)*``, ``(.*,)+``, ``(\d{1,3})+``);
# - a repeated body that can match the empty text while holding a repeat (``(a*)*``);
# - an alternation under such a repeat whose branches can start alike (``(a|ab)+``, ``(\w|\d)*``).
#
# Possessive repeats (``a++``) and atomic groups (``(?>…)``) never give back what they took,
# so they are not inner repeats. Characters are compared on a sample alphabet (U+0001-U+30FF
# and every character the pattern names), which decides whether two classes overlap.

#: variable-length repeats and repeated groups are found in these
try:
    from re import _constants as _C
except ImportError:  # pragma: no cover - other implementations: nothing is checked
    _C = None


class UnsafeRegex(ValueError):
    """A pattern that can backtrack exponentially: ``part`` is the offending part."""

    def __init__(self, pattern: str, part: str, why: str):
        self.pattern, self.part, self.why = pattern, part, why
        super().__init__(f"pattern {_short(pattern)!r} can backtrack exponentially: {why} in {_short(part)!r}")


def _short(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


_BASE_ALPHABET: str | None = None
_CATEGORY_TEXT = {}


def _alphabet(extra) -> str:
    global _BASE_ALPHABET
    if _BASE_ALPHABET is None:
        _BASE_ALPHABET = "".join(map(chr, range(1, 0x3100))) + "\u4e00\u4e2d\u9fff\uac00\ud55c\uff01\uff21\uff41\U0001f600"
    more = "".join(c for c in extra if c not in _BASE_ALPHABET)
    return _BASE_ALPHABET + more


def unparse(data) -> str:
    """A parse tree (a ``re._parser.SubPattern`` or its item list) written back as a pattern
    (the same matches; groups unnamed, spelling normalised): to name the offending part."""
    items = list(getattr(data, "data", data))
    return "".join(_unparse_item(op, av, len(items) > 1) for op, av in items)


def _class_char(c: int) -> str:
    ch = chr(c)
    return "\\" + ch if ch in "\\]^-[" else (re.escape(ch) if not ch.isprintable() or ch.isspace() else ch)


def _category(av) -> str:
    C = _C
    names = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_SPACE: r"\s",
             C.CATEGORY_NOT_SPACE: r"\S", C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W"}
    return names.get(av, r"\w")


def _unparse_item(op, av, in_sequence: bool) -> str:
    C = _C
    if op is C.LITERAL:
        return re.escape(chr(av))
    if op is C.NOT_LITERAL:
        return "[^" + _class_char(av) + "]"
    if op is C.ANY:
        return "."
    if op is C.IN:
        if len(av) == 1 and av[0][0] is C.CATEGORY:
            return _category(av[0][1])
        out, neg = [], ""
        for iop, iav in av:
            if iop is C.NEGATE:
                neg = "^"
            elif iop is C.LITERAL:
                out.append(_class_char(iav))
            elif iop is C.RANGE:
                out.append(_class_char(iav[0]) + "-" + _class_char(iav[1]))
            elif iop is C.CATEGORY:
                out.append(_category(iav))
        return "[" + neg + "".join(out) + "]"
    if op is C.AT:
        return {C.AT_BEGINNING: "^", C.AT_BEGINNING_STRING: r"\A", C.AT_BOUNDARY: r"\b",
                C.AT_NON_BOUNDARY: r"\B", C.AT_END: "$", C.AT_END_STRING: r"\Z"}.get(av, "")
    if op is C.BRANCH:
        text = "|".join(unparse(b) for b in av[1])
        return "(?:" + text + ")" if in_sequence else text
    if op is C.SUBPATTERN:
        gid, add, rem, p = av
        flags = ""
        if add or rem:
            flags = "".join(f for f, v in (("i", re.I), ("m", re.M), ("s", re.S), ("x", re.X)) if add & v)
            off = "".join(f for f, v in (("i", re.I), ("m", re.M), ("s", re.S), ("x", re.X)) if rem & v)
            flags = "?" + flags + ("-" + off if off else "") + ":"
        return "(" + (flags if flags else ("?:" if gid is None else "")) + unparse(p) + ")"
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
        lo, hi, p = av
        body = unparse(p)
        items = list(p.data)
        if len(items) != 1 or items[0][0] not in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN, C.SUBPATTERN) \
                or (items[0][0] is C.SUBPATTERN and body.startswith("(?") and not body.startswith("(?:")):
            body = "(?:" + body + ")"
        if (lo, hi) == (0, C.MAXREPEAT):
            q = "*"
        elif (lo, hi) == (1, C.MAXREPEAT):
            q = "+"
        elif (lo, hi) == (0, 1):
            q = "?"
        elif lo == hi:
            q = "{%d}" % lo
        elif hi == C.MAXREPEAT:
            q = "{%d,}" % lo
        else:
            q = "{%d,%d}" % (lo, hi)
        return body + q + ("?" if op is C.MIN_REPEAT else "+" if op is not C.MAX_REPEAT else "")
    if op is getattr(C, "ATOMIC_GROUP", None):
        return "(?>" + unparse(av) + ")"
    if op in (C.ASSERT, C.ASSERT_NOT):
        direction, p = av
        return "(?" + ("<" if direction < 0 else "") + ("=" if op is C.ASSERT else "!") + unparse(p) + ")"
    if op is C.GROUPREF:
        return "\\%d" % av
    if op is C.GROUPREF_EXISTS:
        g, yes, no = av
        return "(?(%d)" % g + unparse(yes) + ("|" + unparse(no) if no is not None else "") + ")"
    return "(?:…)"


class _Checker:
    """:func:`check_backtracking` for one pattern."""

    _SINGLE = None

    def __init__(self, pattern: str, tree, flags: int):
        self.pattern = pattern
        self.flags = flags
        extra = set()
        self.groups: dict = {}
        self._chars(tree.data, extra)
        self.alphabet = _alphabet(sorted(extra))
        self.all = frozenset(self.alphabet)
        self.sets: dict = {}
        self.visiting: set = set()  # groups whose start is being read (a reference inside its group)

    def _chars(self, data, out) -> None:
        """Every character the pattern names (literals and range ends), and every group (for
        back references): for the alphabet."""
        C = _C
        for op, av in data:
            if op is C.SUBPATTERN and av[0] is not None:
                self.groups[av[0]] = av
            if op in (C.LITERAL, C.NOT_LITERAL):
                out.add(chr(av))
            elif op is C.IN:
                for iop, iav in av:
                    if iop is C.LITERAL:
                        out.add(chr(iav))
                    elif iop is C.RANGE:
                        out.update((chr(iav[0]), chr(iav[1])))
            else:
                for sub in _children(op, av):
                    self._chars(sub.data, out)

    # -- sets of characters
    def charset(self, op, av, flags: int) -> frozenset:
        C = _C
        if op is C.LITERAL and not flags & re.IGNORECASE:
            return frozenset((chr(av),))
        key = (op, repr(av), flags & (re.IGNORECASE | re.ASCII | re.DOTALL))
        got = self.sets.get(key)
        if got is None:
            text = _unparse_item(op, av, False)
            rx = re.compile(text, key[2])
            got = self.sets[key] = frozenset(rx.findall(self.alphabet))
        return got

    def first(self, data, flags: int) -> tuple[frozenset, bool]:
        """(the characters a match of the item list can start with, can it match empty text)."""
        out: set = set()
        for op, av in data:
            f, nullable = self.item_first(op, av, flags)
            out |= f
            if not nullable:
                return frozenset(out), False
        return frozenset(out), True

    def item_first(self, op, av, flags: int) -> tuple[frozenset, bool]:
        C = _C
        if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
            return self.charset(op, av, flags), False
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            return frozenset(), True
        if op is C.SUBPATTERN:
            return self.first(av[3].data, _sub_flags(flags, av))
        if op is getattr(C, "ATOMIC_GROUP", None):
            return self.first(av.data, flags)
        if op in _REPEATS:
            f, nullable = self.first(av[2].data, flags)
            return f, nullable or av[0] == 0
        if op is C.BRANCH:
            out, nullable = set(), False
            for b in av[1]:
                f, n = self.first(b.data, flags)
                out |= f
                nullable |= n
            return frozenset(out), nullable
        if op is C.GROUPREF_EXISTS:
            f1, n1 = self.first(av[1].data, flags)
            f2, n2 = self.first(av[2].data, flags) if av[2] is not None else (frozenset(), True)
            return f1 | f2, n1 or n2
        if op is C.GROUPREF and av in self.groups and av not in self.visiting:
            self.visiting.add(av)  # what the group matched: it starts as the group can
            try:
                return self.item_first(C.SUBPATTERN, self.groups[av], flags)
            finally:
                self.visiting.discard(av)
        return self.all, True  # anything unknown: could be anything

    # -- the walk
    def run(self, data, flags: int) -> None:
        """Check every repeat of the item list (and of everything inside it)."""
        C = _C
        for op, av in data:
            if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[1] >= 2:
                self.repeated(op, av, flags)
            if op is C.SUBPATTERN:
                self.run(av[3].data, _sub_flags(flags, av))
            else:
                for sub in _children(op, av):
                    self.run(sub.data, flags)

    def repeated(self, op, av, flags: int) -> None:
        """A part that can repeat: may one text be split into its repetitions two ways?"""
        body = av[2]
        start, nullable = self.first(body.data, flags)
        part = _unparse_item(op, av, False)
        if nullable and self.has_repeat(body.data):
            raise UnsafeRegex(self.pattern, part, "a repeated group that can match empty text holds a repeat")
        # the items of one repetition, then the next repetition (or nothing)
        self.inner(body.data, flags, start, part)

    def has_repeat(self, data) -> bool:
        C = _C
        for op, av in data:
            if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] != av[1]:
                return True
            if any(self.has_repeat(sub.data) for sub in _children(op, av)):
                return True
        return False

    def inner(self, data, flags: int, after: frozenset, part: str) -> None:
        """Inside a repeated part: each variable-length repeat and each alternation, with the
        characters that can come right after it (``after``: what follows the item list)."""
        C = _C
        items = list(data)
        follow = after
        for op, av in reversed(items):
            if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] != av[1]:
                took, _ = self.first(av[2].data, flags)
                if took & follow:
                    raise UnsafeRegex(self.pattern, part, f"the repeat {_short(_unparse_item(op, av, False), 40)!r} "
                                      "inside a repeated group can take what follows it (a nested quantifier)")
                again, _ = self.first(av[2].data, flags)
                self.inner(av[2].data, flags, again | follow, part)
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
                self.inner(av[2].data, flags, follow, part)
            elif op is C.SUBPATTERN:
                self.inner(av[3].data, _sub_flags(flags, av), follow, part)
            elif op is C.BRANCH:
                self.branches(av[1], flags, part)
                for b in av[1]:
                    self.inner(b.data, flags, follow, part)
            elif op is C.GROUPREF_EXISTS:
                for b in (av[1], av[2]):
                    if b is not None:
                        self.inner(b.data, flags, follow, part)
            # possessive repeats and atomic groups give nothing back; lookarounds consume nothing
            f, nullable = self.item_first(op, av, flags)
            follow = f | follow if nullable else f

    def branches(self, branches, flags: int, part: str) -> None:
        """Two branches of an alternation under a repeat that can match the same start."""
        heads = [self.heads(list(b.data), flags) for b in branches]
        for i in range(len(heads)):
            for j in range(i + 1, len(heads)):
                if any(self.alike(x, y) for x in heads[i] for y in heads[j]):
                    raise UnsafeRegex(self.pattern, part, "an alternation inside a repeated group has branches "
                                      f"{_short(unparse(branches[i]), 30)!r} and {_short(unparse(branches[j]), 30)!r} "
                                      "that can match the same text")

    def heads(self, items: list, flags: int, budget: int = 64) -> list:
        """The starts of a branch, to compare (one per alternative inside it, up to ``budget``):
        the character sets of its first single characters (up to 8), then the set its rest can
        start with; None where it may end (whatever could come next is not compared). A group
        or an alternation at the start is read through."""
        C = _C
        out: list = []
        for k, (op, av) in enumerate(items):
            if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
                continue
            if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN) and len(out) < 8:
                out.append(self.charset(op, av, flags))
                continue
            if len(out) < 8 and op is C.SUBPATTERN and not av[1] and not av[2]:
                return [out + h for h in self.heads(list(av[3].data) + items[k + 1:], flags, budget)]
            if len(out) < 8 and op is C.BRANCH and len(av[1]) <= budget:
                found: list = []
                for b in av[1]:
                    found += [out + h for h in self.heads(list(b.data) + items[k + 1:], flags,
                                                            max(1, budget // len(av[1])))]
                if len(found) <= budget:
                    return found
            f, nullable = self.first(items[k:], flags)
            out.append(None if nullable else f)
            break
        out.append(None)
        return [out]

    @staticmethod
    def alike(a: list, b: list) -> bool:
        """Can two branch starts (:meth:`head`) match the same text, as far as they tell?"""
        for x, y in zip(a, b):
            if x is None or y is None:
                return True
            if not x & y:
                return False
        return True


def _children(op, av):
    """The sub-patterns directly inside one parse item."""
    C = _C
    if op is C.SUBPATTERN:
        return (av[3],)
    if op in _REPEATS:
        return (av[2],)
    if op is C.BRANCH:
        return tuple(av[1])
    if op in (C.ASSERT, C.ASSERT_NOT):
        return (av[1],)
    if op is getattr(C, "ATOMIC_GROUP", None):
        return (av,)
    if op is C.GROUPREF_EXISTS:
        return tuple(x for x in av[1:] if x is not None)
    return ()


def _sub_flags(flags: int, av) -> int:
    return (flags | (av[1] or 0)) & ~(av[2] or 0)


_REPEATS: tuple = ()
if _C is not None:
    _REPEATS = tuple(x for x in (_C.MAX_REPEAT, _C.MIN_REPEAT, getattr(_C, "POSSESSIVE_REPEAT", None)) if x is not None)


def check_backtracking(pattern: str, flags: int = 0) -> None:
    """Raise :class:`UnsafeRegex` when ``pattern`` can backtrack exponentially (see above);
    re.error when it is not a pattern. Nothing is checked where the regex parser is not
    CPython's (3.11 and later)."""
    if _C is None or _parser is None:  # pragma: no cover
        return
    tree = _parser.parse(pattern, int(flags))
    _Checker(pattern, tree, int(flags) | tree.state.flags).run(tree.data, int(flags) | tree.state.flags)


#: while not None: every pattern compile() builds is checked first (:func:`guarded`)
_GUARD: list | None = None


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


#: while not None: every (pattern, flags) compile() is asked for is appended (tests)
SEEN: list | None = None
