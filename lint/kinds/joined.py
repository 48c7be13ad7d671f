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

from bisect import bisect_right

try:
    from re import _constants as C
    from re import _parser as P
except ImportError:  # pragma: no cover - other implementations
    C = P = None

SEP = "\n"
_NL = ord(SEP)

#: False: every rule runs block by block (tests compare both ways)
ENABLED = True


class Crossed(Exception):
    """A match took in a separator: run the rule block by block on this document."""


class View:
    """``blocks`` joined with :data:`SEP`; ``starts[i]`` is where block ``i`` begins."""

    __slots__ = ("blocks", "text", "starts", "multiline_ok")

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

    def locate(self, start: int, end: int) -> int:
        """The block holding the span [start, end); raises :class:`Crossed` if none does."""
        i = bisect_right(self.starts, start) - 1
        if end > self.starts[i] + len(self.blocks[i].text):
            raise Crossed
        return i


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

    __slots__ = ("regexes", "anchored")

    def __init__(self, regexes):
        twins = [prepare(rx) for rx in regexes]
        self.regexes = None if None in twins else twins
        self.anchored = self.regexes is not None and any(t is not rx for t, rx in zip(twins, regexes))

    def __getstate__(self):  # a stored rule set (lint.rulecache) pickles them
        return self.regexes, self.anchored

    def __setstate__(self, state):
        self.regexes, self.anchored = state

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
    the module docstring). A pattern with ``^`` or ``$`` runs as its ``re.MULTILINE`` twin,
    whose anchors match at the separators: right for views whose blocks hold no newline of
    their own (:attr:`View.multiline_ok`)."""
    if P is None:
        return None
    try:
        tree = P.parse(regex.pattern, regex.flags)
    except Exception:  # pragma: no cover - it compiled once already
        return None
    if tree.getwidth()[0] == 0:
        return None
    anchors: list = []
    if not _ok(tree, regex.flags, False, anchors):
        return None
    if not anchors or regex.flags & C.SRE_FLAG_MULTILINE:
        return regex
    from .. import regexcache

    return regexcache.compile(regex.pattern, regex.flags | C.SRE_FLAG_MULTILINE)


_BOUNDARIES = _LINE_ANCHORS = None


def _ok(seq, flags: int, in_look: bool, anchors: list) -> bool:
    global _BOUNDARIES, _LINE_ANCHORS
    if _BOUNDARIES is None:
        _BOUNDARIES = {C.AT_BOUNDARY, C.AT_NON_BOUNDARY}
        _LINE_ANCHORS = {C.AT_BEGINNING, C.AT_END}
    for op, av in seq:
        if op is C.AT:
            if av in _LINE_ANCHORS:
                anchors.append(av)
            elif av not in _BOUNDARIES:
                return False
        elif op in (C.ATOMIC_GROUP, C.POSSESSIVE_REPEAT, C.GROUPREF_EXISTS):
            return False
        elif op is C.SUBPATTERN:
            _, add, _, sub = av
            if not _ok(sub, flags | add, in_look, anchors):
                return False
        elif op is C.BRANCH:
            if not all(_ok(b, flags, in_look, anchors) for b in av[1]):
                return False
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            if not _ok(av[2], flags, in_look, anchors):
                return False
        elif op in (C.ASSERT, C.ASSERT_NOT):
            if not _ok(av[1], flags, True, anchors):
                return False
        elif in_look and _matches_newline(op, av, flags):
            return False
    return True


def _matches_newline(op, av, flags: int) -> bool:
    if op is C.LITERAL:
        return av == _NL
    if op is C.NOT_LITERAL:
        return av != _NL
    if op is C.ANY:
        return bool(flags & C.SRE_FLAG_DOTALL)
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
    if op in (C.GROUPREF,):
        return True  # what the group matched: assume the worst
    return True  # anything else in a lookaround: assume the worst
