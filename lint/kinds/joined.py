"""One regex pass over all of a rule's blocks instead of one per block.

A rule's patterns run over each block's text. Calling ``finditer`` once per block and pattern
costs more than the matching itself on ordinary prose (a document has dozens of blocks and a
rule set a hundred patterns). A :class:`View` is the rule's blocks joined with ``"\\n"``, made
once per document and block list; a pattern is run over it once, and each match is mapped
back to its block.

The results are the same as block by block when the pattern cannot tell the separator from a
block's edge (:func:`prepare`, decided when the rule is built) and no match takes in a
separator (checked on every match; then the caller goes back to block by block for that
document). What makes a pattern joinable:

- no anchors other than ``\\b``, ``\\B``, ``^`` and ``$`` (``\\A`` and ``\\Z`` see the string's
  ends); ``\\b`` is the same either way, since ``"\\n"`` is not a word character; a pattern
  with ``^`` or ``$`` runs as its ``re.MULTILINE`` twin, and only over views whose blocks hold
  no newline of their own;
- no lookaround whose body can match ``"\\n"``: at a block edge, a lookaround body that
  cannot match the separator fails or succeeds as it would at the string's end;
- no atomic groups or possessive repeats (they could swallow the separator and then fail
  where the block-by-block run succeeds), no conditional groups;
- it cannot match the empty string.

Everything else a match reads lies inside its own span: if that span holds no separator, the
engine took the same path as in the block alone (paths that ran past the block's end fail at
the separator as they fail at the string's end, or succeed, and then the span shows it).
``tests/test_joined.py`` compares both ways on every built-in rule.
"""
from __future__ import annotations

import re
from bisect import bisect_right

SEP = "\n"

#: False: every rule runs block by block (tests compare both ways)
ENABLED = True


class Crossed(Exception):
    """A match took in a separator: run the rule block by block on this document."""


class View:
    """``blocks`` joined with :data:`SEP`; ``starts[i]`` is where block ``i`` begins."""

    __slots__ = ("blocks", "text", "starts", "multiline_ok", "_at")

    def __init__(self, blocks):
        self.blocks = blocks
        starts = []
        pos = 0
        for b in blocks:
            starts.append(pos)
            pos += len(b.text) + 1
        self.starts = starts
        self.text = SEP.join(b.text for b in blocks)
        #: no block holds a newline of its own: ``^`` and ``$`` of a MULTILINE twin match
        #: exactly at the blocks' edges
        self.multiline_ok = self.text.count(SEP) == len(blocks) - 1
        self._at = None  # lead characters -> their positions in the text (:meth:`positions`)

    def locate(self, start: int, end: int) -> int:
        """The block holding the span [start, end); raises :class:`Crossed` if none does."""
        i = bisect_right(self.starts, start) - 1
        if end > self.starts[i] + len(self.blocks[i].text):
            raise Crossed
        return i

    def positions(self, chars: str) -> list | None:
        """The sorted positions of ``chars``' characters in the text, or None when there are more
        than one in :data:`PIVOT_SPACING` characters; found with ``str.find`` (a C ``memchr``),
        once per view (rules share their lead characters: the digits of the number rules)."""
        at = self._at
        if at is None:
            at = self._at = {}
        elif chars in at:
            return at[chars]
        text = self.text
        limit = len(text) // PIVOT_SPACING
        out: list | None = []
        find = text.find
        for c in chars:
            i = find(c)
            while i >= 0:
                out.append(i)
                if len(out) > limit:
                    break
                i = find(c, i + 1)
            if len(out) > limit:
                out = None
                break
        if out is not None and len(chars) > 1:
            out.sort()
        at[chars] = out
        return out

    def spans(self, rx, lead: str) -> list | None:
        """The spans of ``rx.finditer(self.text)`` for a regex whose every match begins with one
        of ``lead``'s characters (:func:`lead`, which also rules out empty matches), or None when
        those are not rare (:meth:`positions`). The regex is tried at each of their positions
        from the last match's end on, as finditer's search does at every position (``match``
        with a start sees the text before it, for lookbehinds and ``\\b``): the engine's search
        tests every character against the pattern's first character set, which costs ~50
        machine instructions a character, ``memchr`` a fraction of one."""
        starts = self.positions(lead)
        if starts is None or len(starts) > len(self.text) // LEAD_SPACING:
            return None
        spans = []
        end = 0
        match = rx.match
        text = self.text
        for start in starts:
            if start >= end:
                m = match(text, start)
                if m is not None:
                    end = m.end()
                    spans.append((start, end))
        return spans


def view(doc, blocks) -> View:
    """The joined view of ``blocks`` (a list the linter shares between rules of one zone set),
    made once per document."""
    memo = doc.memo
    key = ("joined", id(blocks))
    hit = memo.get(key)
    if hit is None or hit.blocks is not blocks:
        hit = memo[key] = View(blocks)  # the view holds the list: its id stays unique
    return hit


class Twins:
    """The regexes a rule runs over views in place of ``regexes`` (:func:`prepare`), or none
    when one of them cannot run over a view; and whether some is a MULTILINE twin."""

    __slots__ = ("regexes", "anchored", "leads")

    def __init__(self, regexes):
        twins = [prepare(rx) for rx in regexes]
        self.regexes = None if None in twins else twins
        self.anchored = self.regexes is not None and any(t is not rx for t, rx in zip(twins, regexes))
        #: per twin, :func:`lead` of it (for :meth:`View.spans`)
        self.leads = None if self.regexes is None else [lead(t.pattern, t.flags) for t in self.regexes]

    def __getstate__(self):  # a stored rule set (lint.rulecache) pickles them
        return self.regexes, self.anchored, self.leads

    def __setstate__(self, state):
        self.regexes, self.anchored = state[:2]
        self.leads = state[2] if len(state) > 2 else (
            None if self.regexes is None else [lead(t.pattern, t.flags) for t in self.regexes])

    def view(self, doc, blocks) -> View | None:
        """The view of ``blocks`` to run the twins over, or None: go block by block."""
        if self.regexes is None or not ENABLED or not blocks:
            return None
        v = view(doc, blocks)
        if self.anchored and not v.multiline_ok:
            return None
        return v


def prepare(regex):
    """The regex to run over a :class:`View` in place of ``regex``, or None when it cannot (see
    the module docstring; the analysis is :func:`lint.regex.joinable`). A pattern with ``^`` or
    ``$`` runs as its ``re.MULTILINE`` twin, whose anchors match at the separators: right for
    views whose blocks hold no newline of their own (:attr:`View.multiline_ok`)."""
    from .. import regex as engine

    anchored = engine.joinable(regex.pattern, regex.flags)
    if anchored is None:
        return None
    if not anchored or regex.flags & re.MULTILINE:
        return regex
    return engine.compile(regex.pattern, regex.flags | re.MULTILINE)


#: :meth:`View.spans` looks a lead's characters up only while there is at most one in this many
#: characters of the view: a match tried at each costs about what the engine's search over
#: ~30 characters does
LEAD_SPACING = 32
#: a lead of more characters than this is not used (a ``find`` each)
LEAD_MAX = 12
#: :meth:`View.positions` gives up beyond one position in this many characters (a pivot's
#: test, :func:`pivot`, costs less a position than a match does)
PIVOT_SPACING = 12

_META = ".^$*+?{}[]\\|()"
_QUANT = re.compile(r"\{(\d*)(?:,(\d*))?\}")
_LEADS: dict = {}


def lead(pattern: str, flags: int = 0) -> str | None:
    """The characters one of which begins every match of ``pattern``, or None when it cannot tell
    (or they are more than :data:`LEAD_MAX`). Read from the pattern's text (the private parser is
    lint.regex's alone): lookarounds at its start are skipped (they take no character), then its
    first item must be a literal character, a class of literal characters and ranges, or a group
    of one branch that opens so, and not be optional (``?``, ``*``, ``{0,n}``): then every match
    takes one of those characters first, and no match is empty. No top-level ``|``, no verbose
    pattern nor comment, no inline flags; with IGNORECASE only for ASCII characters other than
    letters (no other character folds to one of them)."""
    return _read(_LEADS, _lead, pattern, flags)


def _read(memo: dict, reader, pattern: str, flags: int):
    """``reader(pattern, flags)``, once per pattern (``memo``, bounded as lint.regex's memos
    are); None for a text the reading does not follow."""
    key = (pattern, flags)
    try:
        return memo[key]
    except KeyError:
        pass
    try:
        got = reader(pattern, flags)
    except (IndexError, ValueError):
        got = None
    from ..regex import remember

    return remember(memo, key, got)


def _lead(p: str, flags: int) -> str | None:
    if flags & re.VERBOSE or "(?#" in p or _bar(p, 0, len(p)):
        return None
    chars = _lead_of(p, 0, len(p))
    if not chars or len(chars) > LEAD_MAX or " " in chars:  # spaces are never rare in prose
        return None
    if flags & re.IGNORECASE and not all(c.isascii() and not c.isalpha() for c in chars):
        return None
    return "".join(sorted(set(chars)))


def _lead_of(p: str, i: int, end: int) -> str | None:
    """:func:`lead` of the sequence ``p[i:end]`` (one branch)."""
    while p.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):  # lookarounds take no character
        i = _close(p, i)
    if i >= end:
        return None
    c = p[i]
    if c == "(":
        nxt = _close(p, i)
        if p.startswith("(?P<", i):
            k = p.index(">", i) + 1
        elif p.startswith("(?:", i):
            k = i + 3
        elif p.startswith("(?", i):  # flags, atomic groups, conditionals, references
            return None
        else:
            k = i + 1
        if _bar(p, k, nxt - 1):
            return None
        chars = _lead_of(p, k, nxt - 1)
    elif c == "[":
        nxt = _class_end(p, i)
        chars = _class_chars(p, i + 1, nxt - 1)
    elif c == "\\":
        chars = _escaped(p[i + 1])
        nxt = i + 2
    elif c in _META:
        return None
    else:
        chars, nxt = c, i + 1
    q = p[nxt:nxt + 1]
    if q in ("?", "*"):
        return None
    if q == "{":
        m = _QUANT.match(p, nxt)
        if m is not None and not int(m.group(1) or 0):
            return None
    return chars


def _escaped(e: str) -> str | None:
    """The character an escape stands for, for ASCII punctuation and ``\\t``; else None."""
    if e == "t":
        return "\t"
    return e if e.isascii() and not e.isalnum() and e != "" else None


def _class_chars(p: str, i: int, end: int, limit: bool = True) -> str | None:
    """The members of the class ``p[i:end]`` (without its brackets): literal characters and
    ranges only (of at most :data:`LEAD_MAX` characters, unless not ``limit``)."""
    if p[i] == "^":
        return None
    out = []
    while i < end:
        c = p[i]
        if c == "\\":
            c = _escaped(p[i + 1])
            if c is None:
                return None
            i += 2
        else:
            i += 1
        if p[i:i + 1] == "-" and i + 1 < end:  # a range
            hi = p[i + 1]
            i += 2
            if hi == "\\":
                hi = _escaped(p[i])
                if hi is None:
                    return None
                i += 1
            if limit and ord(hi) - ord(c) > LEAD_MAX:
                return None
            out.extend(chr(x) for x in range(ord(c), ord(hi) + 1))
        else:
            out.append(c)
    return "".join(out) if out else None


def _class_end(p: str, i: int) -> int:
    """The index after the class opening at ``p[i]`` (a ``]`` first in it is a member)."""
    j = i + 1
    if p[j] == "^":
        j += 1
    if p[j] == "]":
        j += 1
    while p[j] != "]":
        j += 2 if p[j] == "\\" else 1
    return j + 1


def _close(p: str, i: int) -> int:
    """The index after the ``)`` closing the group that opens at ``p[i]``."""
    depth = 0
    while True:
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _class_end(p, i)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if not depth:
                return i + 1
        i += 1


def _bar(p: str, i: int, end: int) -> bool:
    """Is there a ``|`` outside groups in ``p[i:end]``?"""
    depth = 0
    while i < end:
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _class_end(p, i)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and not depth:
            return True
        i += 1
    return False


_PIVOTS: dict = {}


def pivot(pattern: str, flags: int = 0) -> tuple | None:
    r"""(before, chars): every match of ``pattern`` holds one of ``chars`` right after one of
    ``before``, or None when it cannot tell. Read as :func:`lead` reads: after the lookarounds
    at its start, the pattern's first item is a literal character or class (``before``, spaces
    allowed) taken once or with ``+``; after it, and after any lookarounds, comes an item that is
    not optional whose first character is one of ``chars``: a literal character or class, or a
    group whose every branch opens so (``(?P<p>[,;?!]|\.)``). The run of the first item ends
    right before that character, so the two stand side by side in every match."""
    return _read(_PIVOTS, _pivot, pattern, flags)


def _pivot(p: str, flags: int) -> tuple | None:
    if flags & re.VERBOSE or "(?#" in p or _bar(p, 0, len(p)):
        return None
    before, nxt = _single(p, _skip_lookarounds(p, 0))
    if not before:
        return None
    if p.startswith("+?", nxt):
        nxt += 2
    elif p.startswith("+", nxt):
        nxt += 1
    if p[nxt:nxt + 1] in ("?", "*", "{", "+"):  # optional, counted or possessive: not read
        return None
    # lookbehinds and negative lookaheads take no character and say nothing of the next one;
    # a positive lookahead or the next item says which it is
    while p.startswith(("(?!", "(?<=", "(?<!"), nxt):
        nxt = _close(p, nxt)
    if p.startswith("(?=", nxt):
        after = _first(p, nxt + 3, _close(p, nxt) - 1)
    else:
        after = _first(p, nxt, len(p))
    if not after or len(after) > LEAD_MAX:
        return None
    if flags & re.IGNORECASE and not all(c.isascii() and not c.isalpha() for c in before + after):
        return None
    before, after = "".join(sorted(set(before))), "".join(sorted(set(after)))
    return before, after, _common(after) <= _common(before)


def _common(chars: str) -> int:
    """How common in prose ``chars`` are, roughly: letters, digits and spaces count ten."""
    return sum(10 if c.isalnum() or c.isspace() else 1 for c in chars)


def _skip_lookarounds(p: str, i: int) -> int:
    while p.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):  # they take no character
        i = _close(p, i)
    return i


def _single(p: str, i: int) -> tuple:
    """(its characters, the index after it) of the item at ``p[i]`` that takes one character: a
    literal character, an escape of one (:func:`_escaped`), a class of literal characters and
    ranges, or a group of one such item; (None, i) for anything else."""
    if i >= len(p):
        return None, i
    c = p[i]
    if c == "[":
        nxt = _class_end(p, i)
        return _class_chars(p, i + 1, nxt - 1, limit=False), nxt
    if c == "\\":
        return _escaped(p[i + 1]), i + 2
    if c == "(":
        k = _group_body(p, i)
        if k is None:
            return None, i
        chars, j = _single(p, k)
        return (chars, j + 1) if chars and p[j:j + 1] == ")" else (None, i)
    if c in _META:
        return None, i
    return c, i + 1


def _group_body(p: str, i: int) -> int | None:
    """Where the body of the group opening at ``p[i]`` begins, for a capturing, named or
    non-capturing group; None for any other (lookarounds, flags, references)."""
    if p.startswith("(?P<", i):
        return p.index(">", i) + 1
    if p.startswith("(?:", i):
        return i + 3
    return None if p.startswith("(?", i) else i + 1


def _optional(p: str, i: int) -> bool:
    """Does the quantifier at ``p[i]`` (if any) allow no repeat?"""
    q = p[i:i + 1]
    if q in ("?", "*"):
        return True
    if q == "{":
        m = _QUANT.match(p, i)
        return m is not None and not int(m.group(1) or 0)
    return False


def _first(p: str, i: int, end: int) -> str | None:
    """The characters one of which opens every match of the sequence ``p[i:end]`` (lookarounds at
    its start skipped): those of an item of one character, or the union of a group's branches'
    (each must have them); the item not optional. None when it cannot tell."""
    branches = _branch_spans(p, i, end)
    if len(branches) > 1:  # a top-level alternation (a lookahead's body): each branch's
        out = ""
        for a, b in branches:
            got = _first(p, a, b)
            if not got:
                return None
            out += got
        return out
    i = _skip_lookarounds(p, i)
    if i >= end:
        return None
    if p[i] == "(":
        k = _group_body(p, i)
        if k is None:
            return None
        nxt = _close(p, i)
        if _optional(p, nxt):
            return None
        out = ""
        for a, b in _branch_spans(p, k, nxt - 1):
            got = _first(p, a, b)
            if not got:
                return None
            out += got
        return out
    chars, nxt = _single(p, i)
    if not chars or _optional(p, nxt):
        return None
    return chars


def _branch_spans(p: str, i: int, end: int) -> list:
    """The (start, end) of each top-level branch of ``p[i:end]``."""
    out = []
    depth, a = 0, i
    while i < end:
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _class_end(p, i)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and not depth:
            out.append((a, i))
            a = i + 1
        i += 1
    out.append((a, end))
    return out
