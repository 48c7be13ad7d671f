"""Analyses of a pattern's parse tree (CPython's ``re._parser``): the part of the regex
boundary (:mod:`lint.regex`) that reads patterns rather than compiling them.

- :func:`check_backtracking`: can a pattern backtrack exponentially (a user's rule pack);
- :func:`literal_sets`: strings one of which every match must contain (:mod:`lint.literals`);
- :func:`joinable`: can a pattern run over blocks joined with newlines (:mod:`lint.kinds.joined`).

Where the parser is not CPython's (:data:`AVAILABLE` is False) each analysis gives its safe
answer: nothing is refused, no literal is required, nothing is joined.
"""
from __future__ import annotations

import re
import sys

try:
    from re import _constants as _C
    from re import _parser
    AVAILABLE = callable(getattr(_parser, "parse", None)) and hasattr(_C, "BRANCH")
except ImportError:  # pragma: no cover - other implementations
    _C = _parser = None
    AVAILABLE = False

#: how many answers a per-process memo of this package keeps (:func:`remember`)
MEMO_MAX = 8192


def remember(memo: dict, key, value):
    """``memo[key] = value``, the memo emptied first when full; returns ``value``. The memos of
    this package hold answers about patterns by their text and flags (a process that builds a
    rule set again asks again): bounded, for a long-lived process that meets many patterns."""
    if len(memo) >= MEMO_MAX:
        memo.clear()
    memo[key] = value
    return value

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
    if not AVAILABLE:  # pragma: no cover - only whether it is a pattern
        re.compile(pattern, int(flags))
        return
    key = (type(pattern), pattern, int(flags))
    if key in _SAFE:  # checked before in this process (a pack loaded again): it was safe
        return
    tree = _parser.parse(pattern, int(flags))
    _Checker(pattern, tree, int(flags) | tree.state.flags).run(tree.data, int(flags) | tree.state.flags)
    remember(_SAFE, key, True)


#: patterns :func:`check_backtracking` passed in this process (a refused one is checked again)
_SAFE: dict = {}



# == necessary literals (lint.literals) ==========================================================

#: non-ASCII symbols with no case: re.IGNORECASE equates them with nothing else and
#: lint.literals.fold maps nothing onto them (tests/test_literals.py checks both over every
#: code point)
CASELESS = frozenset("©®™—–’‘“”«»…•·€£¥§¶°")


def _score(alts: frozenset) -> tuple:
    """Higher is a better filter: long shortest string, then few strings."""
    return (min(len(s) for s in alts), -len(alts))


def _best(options):
    best = None
    for alts in options:
        if alts is not None and (best is None or _score(alts) > _score(best)):
            best = alts
    return best


def _literal(ch: int) -> str | None:
    """A character a run may hold: ASCII, or a caseless symbol fold leaves alone."""
    if ch < 128:
        return chr(ch)
    c = chr(ch)
    return c if c in CASELESS else None


def _seq(items) -> list:
    """A sequence's requirements: every element's and every literal run's set (all hold)."""
    out = []
    run: list[str] = []

    def flush():
        if run:
            out.append(frozenset(["".join(run).lower()]))
            run.clear()

    for op, av in items:
        ch = _literal(av) if op is _C.LITERAL else None
        if ch is not None:
            run.append(ch)
            continue
        flush()
        out.extend(_node(op, av))
    flush()
    return out


def _node(op, av) -> list:
    C = _C
    if op is C.SUBPATTERN:
        return _seq(av[-1])
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _seq(av)
    if op is C.BRANCH:  # one set: the union of each branch's best set
        out = set()
        for branch in av[1]:
            best = _best(_seq(branch))
            if best is None:
                return []
            out |= best
        return [frozenset(out)]
    if op in _REPEATS:
        lo, _hi, item = av
        return _seq(item) if lo >= 1 else []
    if op is C.ASSERT:  # a positive lookaround inspects text that must be there
        return _seq(av[1])
    return []  # classes, ANY, boundaries, negative lookarounds, back references, ...


# Each analysis is a function of the pattern's text and flags alone. A process that builds a
# rule set more than once (a library user loading house packs, corpus workers, the tests) asks
# again about the same patterns, and parsing them is most of a rebuild: the answers are kept.
_LITERALS: dict = {}
_JOINABLE: dict = {}


def literal_sets(pattern: str, flags: int = 0) -> list[frozenset] | None:
    """Sets of lower-case strings (ASCII, or the :data:`CASELESS` symbols) such that every match
    of ``pattern``, and every text a positive lookahead of it inspects, contains one string of
    each set; None when the pattern cannot be read (not a pattern, or no parser here: then
    nothing is promised). This is the literal extraction of RE2's FilteredRE2 and ripgrep."""
    key = (type(pattern), pattern, flags)
    try:
        found = _LITERALS[key]
    except KeyError:
        found = remember(_LITERALS, key, _literal_sets(pattern, flags))
    except TypeError:  # not hashable: not a pattern
        return None
    return None if found is None else list(found)


def _literal_sets(pattern, flags: int) -> tuple[frozenset, ...] | None:
    if not AVAILABLE:  # pragma: no cover
        return None
    try:
        tree = _parser.parse(pattern, flags)
    except (re.error, TypeError, ValueError):
        return None
    return tuple(_seq(tree.data))


# == joining blocks (lint.kinds.joined) ==========================================================

_NL = ord("\n")


def joinable(pattern: str, flags: int = 0) -> bool | None:
    """Can ``pattern`` run over blocks joined with newlines and give the matches it gives block
    by block (see :mod:`lint.kinds.joined`)? None: no; False: yes, as it is; True: yes, as its
    ``re.MULTILINE`` twin (it has ``^`` or ``$``)."""
    key = (type(pattern), pattern, flags)
    try:
        return _JOINABLE[key]
    except KeyError:
        return remember(_JOINABLE, key, _joinable_top(pattern, flags))
    except TypeError:  # pragma: no cover - not hashable: not a pattern
        return None


def _joinable_top(pattern, flags: int) -> bool | None:
    if not AVAILABLE:  # pragma: no cover
        return None
    try:
        tree = _parser.parse(pattern, flags)
    except Exception:  # pragma: no cover - it compiled once already
        return None
    if tree.getwidth()[0] == 0:
        return None
    anchors: list = []
    if not _joinable(tree, flags, False, anchors):
        return None
    return bool(anchors)


def _joinable(seq, flags: int, in_look: bool, anchors: list) -> bool:
    C = _C
    for op, av in seq:
        if op is C.AT:
            if av in (C.AT_BEGINNING, C.AT_END):
                anchors.append(av)
            elif av not in (C.AT_BOUNDARY, C.AT_NON_BOUNDARY):
                return False
        elif op in (getattr(C, "ATOMIC_GROUP", None), getattr(C, "POSSESSIVE_REPEAT", None), C.GROUPREF_EXISTS):
            return False
        elif op is C.SUBPATTERN:
            _, add, _, sub = av
            if not _joinable(sub, flags | add, in_look, anchors):
                return False
        elif op is C.BRANCH:
            if not all(_joinable(b, flags, in_look, anchors) for b in av[1]):
                return False
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            if not _joinable(av[2], flags, in_look, anchors):
                return False
        elif op in (C.ASSERT, C.ASSERT_NOT):
            if not _joinable(av[1], flags, True, anchors):
                return False
        elif in_look and _matches_newline(op, av, flags):
            return False
    return True


def _matches_newline(op, av, flags: int) -> bool:
    C = _C
    if op is C.LITERAL:
        return av == _NL
    if op is C.NOT_LITERAL:
        return av != _NL
    if op is C.ANY:
        return bool(flags & re.DOTALL)
    if op is C.IN:
        negate = False
        found = False
        for iop, iav in av:
            if iop is C.NEGATE:
                negate = True
            elif iop is C.LITERAL:
                found = found or iav == _NL
            elif iop is C.RANGE:
                found = found or iav[0] <= _NL <= iav[1]
            elif iop is C.CATEGORY:
                found = found or iav in (C.CATEGORY_SPACE, C.CATEGORY_NOT_DIGIT, C.CATEGORY_NOT_WORD,
                                         C.CATEGORY_LINEBREAK)
            else:
                return True  # unknown item: assume the worst
        return found != negate
    return True  # back references and anything else in a lookaround: assume the worst


# == a superset pattern for a prefilter engine (lint.regex.gate) =================================
#
# ``superset(pattern, flags)`` writes a pattern, in the syntax Hyperscan and PCRE share, that
# matches every text any match of ``pattern`` consumes, followed by what its final lookahead
# inspects (and more): other lookarounds, anchors and word boundaries consume nothing and are
# dropped; a back reference becomes "any text"; atomic
# groups and possessive repeats become plain ones; large repeat bounds are loosened. Each
# character item keeps its exact ASCII members, asked of Python's own engine with the
# pattern's flags, and takes in every non-ASCII character unless it provably matches none (a
# class of ASCII literals, or one whose only non-ASCII partners under IGNORECASE are known).
# So a text in which the superset finds nothing holds no match of the pattern, whatever Python's
# Unicode tables say: a gate built on it can only skip a pattern that could not have matched.

_NON_ASCII = r"\x{80}-\x{10FFFF}"
_CASE_PARTNERS: dict[int, str] | None = None
_MAX_BOUND = 64


def _case_partners() -> dict[int, str]:
    """ASCII code point -> the non-ASCII characters IGNORECASE matches it with (asked of re over
    every code point once)."""
    global _CASE_PARTNERS
    if _CASE_PARTNERS is None:
        text = _code_points(0x80, 0xD800) + _code_points(0xE000, 0x110000)
        out: dict[int, str] = {}
        for ch in set(re.findall(r"[\x00-\x7f]", text, re.IGNORECASE)):
            for a in range(128):
                if re.fullmatch(re.escape(chr(a)), ch, re.IGNORECASE):
                    out[a] = out.get(a, "") + ch
        _CASE_PARTNERS = out
    return _CASE_PARTNERS


def _code_points(lo: int, hi: int) -> str:
    """Every character from ``lo`` to ``hi`` - 1 (no surrogates), made in C: a million ``chr``
    calls in Python took 0.2 s, in every process that builds the gate's database."""
    import array

    return array.array("I", range(lo, hi)).tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be")


def _hs_char(c: int) -> str:
    """One code point: an ASCII letter or digit as itself (it means itself in and out of a class,
    and every escape written here is complete: ``\\x{...}``), anything else as ``\\x{...}``."""
    if c < 128 and chr(c).isalnum():
        return chr(c)
    return "\\x{%x}" % c


def _ascii_members(item_pattern: str, flags: int) -> list[int]:
    rx = re.compile(item_pattern, flags & (re.IGNORECASE | re.ASCII | re.DOTALL))
    return [a for a in range(128) if rx.fullmatch(chr(a))]


def _class(members: list[int], extra: str = "", non_ascii: bool = False) -> str:
    if not members and not extra and not non_ascii:
        return "[^\\x{0}-\\x{10FFFF}]"  # matches nothing
    # a class such as [\w.'-] is then a few ranges, not 65 code points, so that patterns built of
    # several stay under the gate's length limit (lint.regex.gate.MAX_LENGTH)
    return "[" + _spans(((c, c) for c in {*members, *map(ord, extra)})) + (_NON_ASCII if non_ascii else "") + "]"


def _spans(spans) -> str:
    """Code point spans ``(lo, hi)`` as the inside of a class: merged where they touch or
    overlap, in order, three or more consecutive code points written as a range."""
    parts = []
    lo = hi = None
    for a, b in sorted(spans):
        if lo is not None and a <= hi + 1:
            hi = max(hi, b)
            continue
        if lo is not None:
            parts.append(_span(lo, hi))
        lo, hi = a, b
    if lo is not None:
        parts.append(_span(lo, hi))
    return "".join(parts)


def _span(lo: int, hi: int) -> str:
    if hi - lo >= 2:
        return _hs_char(lo) + "-" + _hs_char(hi)
    return "".join(_hs_char(c) for c in range(lo, hi + 1))


def _superset_item(op, av, flags: int) -> str:
    C = _C
    if op is C.LITERAL:
        if not flags & re.IGNORECASE:
            return _hs_char(av)
        if av < 128:
            return _class(_ascii_members(re.escape(chr(av)), flags), _case_partners().get(av, ""))
        return _class(_ascii_members(re.escape(chr(av)), flags), non_ascii=True)
    if op is C.IN and not flags & re.IGNORECASE and av and all(iop in (C.LITERAL, C.RANGE) for iop, _ in av):
        # code points and ranges alone, case-sensitive: Python's engine matches exactly these,
        # non-ASCII ones too (no Unicode table is asked), so the class is written as it is
        return "[" + _spans((iav, iav) if iop is C.LITERAL else tuple(iav) for iop, iav in av) + "]"
    if op in (C.NOT_LITERAL, C.ANY, C.IN):
        text = _unparse_item(op, av, False)
        members = _ascii_members(text, flags)
        non_ascii = True
        if op is C.IN and not any(iop in (C.NEGATE, C.CATEGORY) for iop, _ in av) and all(
                (iav if iop is C.LITERAL else iav[1]) < 128 for iop, iav in av if iop in (C.LITERAL, C.RANGE)):
            if len(av) != sum(1 for iop, _ in av if iop in (C.LITERAL, C.RANGE)):
                pass  # an item of another kind: every non-ASCII character, to be safe
            elif flags & re.IGNORECASE:
                partners = _case_partners()
                return _class(members, "".join(partners.get(a, "") for a in members))
            else:
                return _class(members)
        return _class(members, non_ascii=non_ascii)
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return ""
    if op is C.SUBPATTERN:
        return "(?:" + _superset_seq(av[3].data, _sub_flags(flags, av)) + ")"
    if op is getattr(C, "ATOMIC_GROUP", None):
        return "(?:" + _superset_seq(av.data, flags) + ")"
    if op in _REPEATS:
        lo, hi, p = av
        body = _superset_seq(p.data, flags)
        if not body:
            return ""
        lo = min(lo, _MAX_BOUND)
        hi = None if hi == C.MAXREPEAT or hi > _MAX_BOUND else hi
        if hi == 0:
            return ""
        q = "{%d,}" % lo if hi is None else ("{%d}" % lo if lo == hi else "{%d,%d}" % (lo, hi))
        q = _SHORT_QUANTIFIERS.get(q, q)
        if len(p.data) == 1 and p.data[0][0] in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
            return body + q  # one character item (a class or a code point) needs no group
        return "(?:" + body + ")" + q
    if op is C.BRANCH:
        return "(?:" + "|".join(_superset_seq(b.data, flags) for b in av[1]) + ")"
    if op is C.GROUPREF_EXISTS:
        yes = _superset_seq(av[1].data, flags)
        no = _superset_seq(av[2].data, flags) if av[2] is not None else ""
        return "(?:" + yes + "|" + no + ")"
    if op is C.GROUPREF:
        return "[\\x{0}-\\x{10FFFF}]*"
    raise ValueError(f"no superset for {op}")


_SHORT_QUANTIFIERS = {"{0,}": "*", "{1,}": "+", "{0,1}": "?"}


def _superset_seq(data, flags: int) -> str:
    return "".join(_superset_item(op, av, flags) for op, av in data)


def _superset_top(data, flags: int) -> str:
    """The whole pattern's superset. A positive lookahead after the last character the pattern
    consumes (only anchors and other lookarounds after it) inspects text that follows every
    match: that text is taken in as if consumed (the widest such lookahead, if there are
    several), so the gate also needs what the pattern looks for after its match."""
    C = _C
    items = list(data)
    end = len(items)
    while end and items[end - 1][0] in (C.AT, C.ASSERT, C.ASSERT_NOT):
        end -= 1
    best, best_width = "", 0
    for op, av in items[end:]:
        if op is C.ASSERT and av[0] == 1:
            width = av[1].getwidth()[0]
            if width > best_width:
                best, best_width = _superset_seq(av[1].data, flags), width
    return _superset_seq(items[:end], flags) + (f"(?:{best})" if best else "")


def superset(pattern: str, flags: int = 0, lookahead: bool = True) -> str | None:
    """A pattern (Hyperscan/PCRE syntax, code points as ``\\x{...}``) that matches every text
    a match of ``pattern`` consumes, followed by what its final lookahead inspects unless
    ``lookahead`` is False (see above); None when it cannot be written (or could match empty
    text: then it says nothing)."""
    if not AVAILABLE:  # pragma: no cover
        return None
    try:
        tree = _parser.parse(pattern, flags)
        flags = int(flags) | tree.state.flags
        if tree.getwidth()[0] == 0:
            return None
        out = _superset_top(tree.data, flags) if lookahead else _superset_seq(tree.data, flags)
    except Exception:  # noqa: BLE001 - anything unexpected: no superset, the pattern always runs
        return None
    return out or None
