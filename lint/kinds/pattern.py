"""``pattern``: regular expressions over each block's text (Vale's existence/substitution).

Options: ``patterns`` (list of regexes; ``{{list}}`` expands a data list), ``ignorecase``,
``group`` (the group whose span is reported; default the whole match), ``exceptions``
(regexes: a hit inside one of their matches is dropped, e.g. a spaced ellipsis), ``replace``
(a fix: the reported span becomes this template, with ``\\g<name>`` references), ``lists``.

A pattern is a string, or a mapping ``{pattern: REGEX, fix: unsafe|display-only, replace: TEMPLATE}``
whose ``fix`` lowers the rule's fix applicability for that pattern's hits (it never raises it) and
whose ``replace`` stands in for the rule's template for that pattern's hits. ``translate`` (a
mapping of single characters to strings) is applied to every expanded replacement: one rule can
turn each full-width mark into its own ASCII mark.

``prefilter`` (a regex): the patterns are tried only when it matches in one of the rule's
blocks: a cheap, C-speed test for patterns whose required characters are a class rather than
a word (literal filters, :mod:`lint.literals`, need words). It must match wherever a pattern
can; ``tests/test_literals.py`` checks that on the built-in rules' examples.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from ..model import Applicability
from .. import literals
from ..regex import gate
from . import joined
from .base import Hit, Kind, compile_regex


class Pattern(Kind):
    OPTIONS = {"patterns": list, "ignorecase": bool, "group": (str, int), "exceptions": list,
               "replace": str, "lists": dict, "prefilter": str, "translate": dict}
    REQUIRED = ("patterns",)

    def setup(self, data):
        ic = data.get("ignorecase", False)
        self.regexes, self.caps, self.pattern_replace = [], [], {}
        for i, p in enumerate(data["patterns"]):
            cap = rep = None
            if isinstance(p, dict):
                unknown = set(p) - {"pattern", "fix", "replace"}
                if unknown or "pattern" not in p:
                    raise ValueError(f"pattern {i + 1}: a mapping needs 'pattern' and may have 'fix' and 'replace'"
                                     + (f" (unknown key {sorted(unknown)[0]!r})" if unknown else ""))
                cap = p.get("fix")
                if cap not in (None, "unsafe", "display-only"):
                    raise ValueError(f"pattern {i + 1}: fix must be 'unsafe' or 'display-only', not {cap!r}")
                cap = cap and Applicability.parse(cap)  # parsed once, at load time
                rep = p.get("replace")
                if rep is not None and not isinstance(rep, str):
                    raise ValueError(f"pattern {i + 1}: replace must be a string")
                p = p["pattern"]
            if not isinstance(p, str):
                raise ValueError(f"pattern {i + 1} is not a string")
            self.regexes.append(compile_regex(self.expand(p), ic))
            self.caps.append(cap)
            if rep is not None:
                self.pattern_replace[self.regexes[-1]] = rep
        self.exceptions = [compile_regex(self.expand(p), ic) for p in data.get("exceptions", [])]
        self.group = data.get("group", 0)
        self.replace = data.get("replace")
        tr = data.get("translate") or {}
        if any(not isinstance(k, str) or len(k) != 1 or not isinstance(v, str) for k, v in tr.items()):
            raise ValueError("translate maps single characters to strings")
        self.translate = str.maketrans(dict(tr)) if tr else None
        self.prefilter = compile_regex(self.expand(data["prefilter"]), ic) if data.get("prefilter") else None
        # per pattern: the selective requirement sets a document must meet for it to be tried
        rule_set, self.reqs = literals.for_patterns(self.regexes)
        self.requires = (rule_set,) if rule_set is not None else ()
        # one pass over the joined blocks when every pattern allows it (lint.kinds.joined);
        # the prefilter's twin, if any, comes last
        self.twins = joined.Twins(self.regexes + ([self.prefilter] if self.prefilter is not None else []))
        self.block_reqs = _block_reqs(self.regexes)
        self.pivots = _pivots(self.regexes)
        gate.register(self.gate_patterns())

    def __setstate__(self, state):  # a stored rule set (lint.rulecache): registered as when built
        self.__dict__.update(state)
        if "block_reqs" not in state:
            self.block_reqs = _block_reqs(self.regexes)
        if "pivots" not in state:
            self.pivots = _pivots(self.regexes)
        gate.register(self.gate_patterns())

    def __getstate__(self):  # the ids of _ix are this process's
        state = self.__dict__.copy()
        state.pop("_ids", None)
        return state

    def _ix(self) -> dict:
        """id of each of ``self.regexes`` -> its index (in the lists made beside them: pivots, the
        twins' leads); by id, since a compiled pattern's hash reads its whole code each time
        (thousands of machine instructions for a pattern of a data list)."""
        ix = self.__dict__.get("_ids")
        if ix is None:
            ix = self._ids = {id(rx): i for i, rx in enumerate(self.regexes)}
        return ix

    def gate_patterns(self) -> list:
        """The patterns a gate (lint.regex.gate) may skip when it proves they cannot match, and
        the prefilter: where it cannot match, no pattern can (see the module docstring)."""
        return list(self.regexes) + ([self.prefilter] if self.prefilter is not None else [])

    def active(self, doc) -> list:
        """(regex, fix cap) of the patterns whose literal requirements ``doc`` meets (and that
        the document's gate, if any, does not rule out)."""
        present = doc.present
        g = doc.memo.get("gate")
        return [(rx, cap) for rx, cap, req in zip(self.regexes, self.caps, self.reqs)
                if (not req or literals.doc_met(req, present)) and (g is None or g.may_match(rx))]

    def active_view(self, doc) -> list:
        """(regex, fix cap, view regex) of the active patterns."""
        present = doc.present
        g = doc.memo.get("gate")
        return [(rx, cap, vrx) for rx, cap, req, vrx in zip(self.regexes, self.caps, self.reqs, self.twins.regexes)
                if (not req or literals.doc_met(req, present)) and (g is None or g.may_match(rx))]

    def gated_out(self, doc) -> bool:
        """True when the document's gate (lint.regex.gate) proves that none of the rule's
        patterns can match it: :meth:`active` and :meth:`active_view` would be empty. One set
        test per rule instead of a question per pattern (most rules, in most documents). Or that
        its prefilter cannot: no block holds a match of it, so none holds a pattern's."""
        return gate.gated_out(self, doc)

    def gate_form(self, ids: list) -> tuple:
        """(the ids of the patterns as a set, or None when one is not in the database: then no
        proof; the prefilter's id or None), from the ids of :meth:`gate_patterns`."""
        pf = ids.pop() if self.prefilter is not None else None
        return (None if not ids or None in ids else frozenset(ids)), pf

    @gate.opens_with_gated_out
    def check(self, doc, blocks):
        if self.gated_out(doc):
            return
        view = self.twins.view(doc, blocks)
        if view is not None:
            if self.prefilter is not None and not self.twins.regexes[-1].search(view.text):
                return
            active = self.active_view(doc)
            if active:
                leads, ix = self.twins.leads, self._ix()
                for block, hits in self.hits_by_block(view, active, [leads[ix[id(rx)]] for rx, _, _ in active]):
                    yield from hits
            return
        if self.prefilter is not None and not any(self.prefilter.search(b.text) for b in blocks):
            return
        active = self.active(doc)
        if active:
            if joined.ENABLED:
                found = self._found_at_pivots(doc, blocks, active)
                if found is not None:
                    for i in sorted(found):
                        yield from self.block_hits(blocks[i], [active[k] for k in sorted(found[i])])
                    return
            # per block, only the patterns whose literal requirements the block itself meets
            reqs = self.block_reqs
            by_rx = [reqs.get(rx, ()) for rx, _ in active]
            if not literals.ENABLED or not any(by_rx):
                for block in blocks:
                    yield from self.block_hits(block, active)
                return
            has = _Blocks.of(doc, blocks)
            masks = [has.mask(req) for req in by_rx]
            if not any(masks):
                return
            anywhere = 0
            for m in masks:
                anywhere |= m
            for i, block in enumerate(blocks):
                if anywhere >> i & 1:
                    yield from self.block_hits(block, [pair for pair, m in zip(active, masks) if m >> i & 1])

    def _found_at_pivots(self, doc, blocks, active) -> dict | None:
        """{block index: indices into ``active`` of the patterns that may match in that block},
        or None when a pattern has no pivot (joined.pivot: a pair of characters side by side in
        every match) or its characters are not rare in the blocks. A block without a pattern's
        pair has no match of it, and the plain path's run of it there yields nothing; the blocks
        with one are run by :meth:`block_hits` as the plain path runs them. The pairs are looked
        for at the second character's positions in the blocks' joined view (``str.find``) instead
        of the engine's search through every character of every block (a pattern that opens
        with a run of spaces tries a match at each space)."""
        pivots, ix = self.pivots, self._ix()
        pairs = [pivots[ix[id(rx)]] for rx, _ in active]
        if None in pairs:
            return None
        view = joined.view(doc, blocks)
        text, starts = view.text, view.starts
        n, last = len(text), len(starts) - 1
        found: dict[int, set] = {}
        for k, (before, after, at_after) in enumerate(pairs):
            # the positions of the rarer side's characters (joined.pivot chose it)
            positions = view.positions(after if at_after else before)
            if positions is None:
                return None
            skip = 0
            for p in positions:
                if p < skip:
                    continue
                if at_after:
                    if not p or text[p - 1] not in before:
                        continue
                elif p + 1 >= n or text[p + 1] not in after:
                    continue
                # (a pair across a separator only runs a block for nothing)
                i = bisect_right(starts, p) - 1
                found.setdefault(i, set()).add(k)
                skip = starts[i + 1] if i < last else n  # this block is found
        return found

    def hits_by_block(self, view, active, leads=None) -> list:
        """[(block, hits)] of the blocks with hits, in block order, each block's hits in the
        order :meth:`block_hits` gives them: one pass per pattern over the joined view, or
        block by block when a match takes in a separator. ``leads``: per active pattern,
        joined.lead of its view regex (None: the lead path is not taken)."""
        found: dict[int, set] = {}
        pairs = [(rx, cap) for rx, cap, _ in active]
        text = view.text
        try:
            for k, (_, _, vrx) in enumerate(active):
                lead = leads[k] if leads is not None else None
                if view.multiline_ok and _line_start(vrx):
                    # every match begins at a line start, and the view's line starts are its
                    # blocks' starts: a match tried at each (after the last match's end) finds
                    # what finditer finds, without its search for "^" through every character
                    # (an empty match, after which finditer's rules differ: the search below)
                    spans = _at_starts(vrx, text, view.starts)
                    if spans is not None:
                        for span in spans:
                            found.setdefault(view.locate(*span), set()).add(k)
                        continue
                if lead is not None:
                    # every match begins with one of lead's characters: tried where they are
                    # (joined.View.spans) instead of searched for through every character
                    spans = view.spans(vrx, lead)
                    if spans is not None:
                        for span in spans:
                            found.setdefault(view.locate(*span), set()).add(k)
                        continue
                for m in vrx.finditer(text):
                    found.setdefault(view.locate(*m.span()), set()).add(k)
        except joined.Crossed:
            out = []
            for block in view.blocks:
                hits = list(self.block_hits(block, pairs))
                if hits:
                    out.append((block, hits))
            return out
        out = []
        for i in sorted(found):
            block = view.blocks[i]
            # the matches again, in the block alone (few; the same ones, in block_hits order)
            out.append((block, list(self.block_hits(block, [pairs[k] for k in sorted(found[i])]))))
        return out

    def block_hits(self, block, active=None):
        """The hits of every pattern in one block, exceptions applied (shared with ``context``);
        ``active``: only these (regex, fix cap) pairs."""
        text = block.text
        excepted = None
        for rx, cap in active if active is not None else zip(self.regexes, self.caps):
            # (a pattern's hash reads its whole code: not asked when no pattern has its own)
            template = self.pattern_replace.get(rx, self.replace) if self.pattern_replace else self.replace
            for m in rx.finditer(text):
                try:
                    s, e = m.span(self.group)
                except IndexError:
                    raise ValueError(f"{self.meta.code}: pattern has no group {self.group!r}") from None
                if s < 0:
                    continue
                if self.exceptions:
                    if excepted is None:
                        excepted = [x.span() for ex in self.exceptions for x in ex.finditer(text)]
                    if any(a <= s and e <= b for a, b in excepted):
                        continue
                edits = None
                if template is not None:
                    rep = m.expand(template)
                    edits = [(s, e, rep.translate(self.translate) if self.translate else rep)]
                yield Hit(block, s, e, {"match": text[s:e]}, edits, fix_cap=cap)


#: (pattern, flags) -> whether every match of it begins at a line start (:func:`_line_start`)
_LINE_START: dict = {}


def _line_start(rx) -> bool:
    """Does every match of ``rx`` (a MULTILINE regex) begin at a line start? True when the pattern
    opens with ``^`` and has no alternation outside a group (read from its text: the private
    parser is lint.regex's alone); not for verbose patterns nor comments, whose text reads
    otherwise. (Then a finditer over a view whose only newlines are its separators finds what
    ``rx.match`` tried at each block's start finds, each after the last one's end.)"""
    key = (rx.pattern, rx.flags)
    hit = _LINE_START.get(key)
    if hit is None:
        _LINE_START[key] = hit = _opens_with_caret(rx.pattern, rx.flags)
    return hit


def _at_starts(rx, text: str, starts) -> list | None:
    """The spans of ``rx.finditer(text)`` for a regex whose matches begin at ``starts`` only, or
    None after an empty match."""
    spans = []
    end = 0
    for start in starts:
        if start >= end:
            m = rx.match(text, start)
            if m is not None:
                end = m.end()
                if end == start:
                    return None
                spans.append((start, end))
    return spans


_INLINE_X = re.compile(r"\(\?[a-zA-Z-]*x")


def _opens_with_caret(p: str, flags: int) -> bool:
    if not flags & re.MULTILINE or flags & re.VERBOSE or not p.startswith("^") or p[1:2] in ("*", "+", "?", "{") \
            or "(?#" in p or _INLINE_X.search(p):
        return False
    depth, i, n = 0, 1, len(p)
    while i < n:
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":  # a class: to its closing bracket (a "]" first in it is a member)
            j = i + 1
            if p[j:j + 1] == "^":
                j += 1
            if p[j:j + 1] == "]":
                j += 1
            while j < n and p[j] != "]":
                j += 2 if p[j] == "\\" else 1
            i = j + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return False
        i += 1
    return True


def _pivots(regexes) -> list:
    """Per pattern, joined.pivot of it (two character sets side by side in every match, or None)."""
    return [joined.pivot(rx.pattern, rx.flags) for rx in regexes]


#: a requirement set of more strings than this is not tested block by block (the tests would
#: cost about what the pattern's own failing search costs)
BLOCK_SET_MAX = 8


def _block_reqs(regexes) -> dict:
    """Pattern -> the requirement sets (lint.literals.requirements: every match contains one of
    each set's strings) small enough to test on each block before the pattern runs there; a
    single rare character such as ``"`` counts, which the document-level test leaves out."""
    out = {}
    for rx in regexes:
        sets = literals.requirements(rx.pattern, rx.flags) or ()
        out[rx] = tuple(s for s in sets if len(s) <= BLOCK_SET_MAX)
    return out


class _Blocks:
    """Which of a block list's blocks hold a string (folded as lint.literals compares), as bits of
    an int (bit ``i``: block ``i``); made once per document and block list, each string tested
    once."""

    __slots__ = ("blocks", "texts", "bits")

    def __init__(self, blocks):
        self.blocks = blocks
        self.texts = [b.folded for b in blocks]  # lint.literals.fold(b.text), kept by the block
        self.bits: dict[str, int] = {}

    @classmethod
    def of(cls, doc, blocks) -> "_Blocks":
        memo = doc.memo
        key = ("blocklits", id(blocks))
        hit = memo.get(key)
        if hit is None or hit.blocks is not blocks:
            hit = memo[key] = cls(blocks)  # it holds the list: the id stays unique
        return hit

    def has(self, s: str) -> int:
        bits = self.bits.get(s)
        if bits is None:
            bits = 0
            for i, t in enumerate(self.texts):
                if s in t:
                    bits |= 1 << i
            self.bits[s] = bits
        return bits

    def mask(self, sets) -> int:
        """The blocks that meet every set (one of its strings); -1 (every block) for none."""
        out = -1
        for strings in sets:
            one = 0
            for s in strings:
                one |= self.has(s)
            out &= one
            if not out:
                break
        return out
