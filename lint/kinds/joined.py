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
