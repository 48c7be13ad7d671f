"""``standalone``: short lines that are wholly interface or scraper text.

A block of at most ``max_words`` words is split into sentences; every sentence whose
normalised form is in the lexicon (``lists``), or that one of ``patterns`` matches whole, is
reported; a run of such sentences is one finding. Leftover UI is a line of its own; the same
words inside a sentence are prose. A sentence glued to a leftover without a stop is cut off
(:meth:`Standalone.leftover`): the finding, and its fix, cover the leftover only.
"""
from __future__ import annotations

import re
from itertools import compress

from ..document.sentences import sentences
from .. import literals
from ..regex import gate
from .base import Hit, Kind, compile_regex, normalise
from ..clauses import finite_verb, glued_starts, opens_sentence


_RUN = re.compile(r"[a-z0-9]+")


class Standalone(Kind):
    OPTIONS = {"lists": dict, "patterns": list, "max_words": int, "whole_block": bool,
               "ignorecase": bool}

    def setup(self, data):
        self.lexicon = {normalise(e) for entries in self.lists.values() for e in entries}
        ic = data.get("ignorecase", True)
        patterns = [compile_regex(self.expand(p), ic) for p in data.get("patterns", [])]
        self.max_words = data.get("max_words", 12)
        self.whole_block = data.get("whole_block", False)
        if not self.lexicon and not patterns:
            raise ValueError("a standalone rule needs 'lists' or 'patterns'")
        # A pattern with a selective literal set (lint.literals) is tried only on sentences
        # that contain one of its strings; the others are tried on every sentence, as one
        # alternation run in C (fullmatch backtracks into every branch, so the result is the
        # same; patterns that cannot be combined, e.g. repeated group names, stay a list).
        # a lexicon entry is a normalised sentence: its longest letter-or-digit run is in the text
        runs = [sorted(_RUN.findall(literals.fold(e)), key=len)[-1:] for e in self.lexicon]
        rule_set, reqs = literals.for_patterns(patterns, [frozenset(r) if r else None for r in runs])
        self.requires = (rule_set,) if rule_set is not None else ()
        # a sentence that normalises to an entry holds every run of the entry as a whole word
        # (normalising changes only case, quotes, spaces and edge punctuation, and a sentence
        # is bounded by spaces): a document none of whose words is an entry's longest run needs
        # no sentence compared with the lexicon, nor does one that lacks a run of every entry,
        # nor a block (:meth:`_lexical`; by_run: an entry's longest run -> its runs, as a set
        # and longest first).
        # None: some entry has no run, or holds U+0307 (lower() makes "İ" "i" U+0307, which
        # fold() makes "i": its runs need not be the text's): always compare.
        self.lex_runs = frozenset(r[0] for r in runs) if all(runs) and not any(
            "\u0307" in e for e in self.lexicon) else None
        self.by_run = {}
        for e, r in zip(self.lexicon, runs):
            if r:
                every = _RUN.findall(literals.fold(e))
                self.by_run.setdefault(r[0], []).append(
                    (frozenset(every), tuple(sorted(set(every), key=len, reverse=True))))
        self.filtered = [(p, r) for p, r in zip(patterns, reqs) if r]
        self.patterns = [p for p, r in zip(patterns, reqs) if not r]
        if len(self.patterns) > 1:
            try:
                self.patterns = [compile_regex("|".join(f"(?:{p.pattern})" for p in self.patterns), ic)]
            except ValueError:
                pass
        gate.register(self.gate_patterns())

    def __setstate__(self, state):  # a stored rule set (lint.rulecache): registered as when built
        self.__dict__.update(state)
        gate.register(self.gate_patterns())

    def gate_patterns(self) -> list:
        """The patterns a gate (lint.regex.gate) may rule out for a document. A pattern that
        matches a segment whole matches inside the document's text, which holds the segment: a
        pattern the gate proves cannot match the document matches no segment of it."""
        return [p for p, _ in self.filtered] + self.patterns

    def _gated(self, doc):
        """(filtered, unfiltered): for each of the rule's filtered patterns, and for its
        unfiltered ones, whether the document's gate lets it through (all True without one)."""
        g = doc.memo.get("gate")
        if g is None:
            return None, True
        form = g.gate.owned(self)
        found = g.found if g.found is not None else g.found_ids()
        # most documents have none of the filtered patterns' ids: then only those the database
        # does not hold are through (form.closed), with no question per pattern
        through = form.closed if found.isdisjoint(form.keys) else \
            tuple(i is None or i in found for i in form.filtered)
        return through, form.unfiltered <= found

    def gate_form(self, ids: list) -> tuple:
        """What :meth:`lint.regex.gate.Gate.owned` keeps for the rule (:class:`_Form`), from the
        ids of :meth:`gate_patterns`."""
        n = len(self.filtered)
        return _Form(ids[:n], ids[n:], bool(self.lexicon))

    def gated_out(self, doc) -> bool:
        """True when the document's gate proves that :meth:`check` finds nothing (no lexicon, and
        none of the patterns' ids found: :class:`_Form`); the linter asks this itself."""
        return gate.gated_out(self, doc)

    def matches(self, seg, candidates) -> bool:
        """Is the segment (:func:`_segment`) wholly one of the rule's lines? ``candidates``: the
        filtered patterns whose strings the enclosing block contains."""
        _, _, _, norm, stripped, folded = seg
        if norm in self.lexicon:
            return True
        if any(p.fullmatch(stripped) for p in self.patterns):
            return True
        if candidates:
            folded = folded()
            return any(p.fullmatch(stripped) for p, r in candidates if literals.all_met(r, folded))
        return False

    def leftover(self, seg, candidates) -> tuple[int, int]:
        """The span of a matched segment that is the leftover. A sentence glued to it without a
        stop ("Click here to read more The vote was 7-2 …", "Read more: Floods hit the region
        The colour …", "… changed in 1998 Click here to read more") is not part of it. The
        segment is cut at a place where such a sentence may begin (:func:`lint.clauses.glued_starts`)
        when the side that stays reported is still matched whole by the rule and the other side
        is a sentence. After the leftover, that side must open like one
        (:func:`lint.clauses.opens_sentence`; the earliest such cut wins). Before it, it must have
        a finite verb (:func:`lint.clauses.finite_verb`) while the leftover has none and starts
        where the rule's phrase does: without its first word it no longer matches, so a
        pattern's leading wildcard cannot cut a name ("via Norman | Camera on Amazon (Click
        here)"). A rule that compares whole blocks may also be cut where a sentence after a stop
        begins. Without such a cut the whole segment is the leftover."""
        s, e, text = seg[0], seg[1], seg[2]
        cuts = glued_starts(text, names=True)
        if self.whole_block:  # a block compared whole may also hold sentences after a stop
            cuts = sorted({*cuts, *(a for a, _ in sentences(text)[1:])})
        for c in cuts:  # the leftover, then a sentence
            head = text[:c].rstrip()
            if opens_sentence(text[c:]) and self.matches(_segment(s, s + len(head), head), candidates):
                return s, s + len(head)
        for c in glued_starts(text, names=True, numbers=True):  # a sentence, then the leftover
            tail = text[c:]
            rest = tail.split(None, 1)[1] if len(tail.split(None, 1)) > 1 else ""
            if finite_verb(text[:c]) and not finite_verb(tail) and \
                    self.matches(_segment(s + c, e, tail), candidates) and \
                    not self.matches(_segment(e - len(rest), e, rest), candidates):
                return s + c, e
        return s, e

    @staticmethod
    def _lexical(folded: str, live: list) -> bool:
        """May a sentence of a block (its folded text) normalise to a lexicon entry? Only if
        the block holds every run of the entry (see setup); ``live``: the runs of the entries
        whose runs are all words of the document."""
        for runs in live:
            for r in runs:
                if r not in folded:
                    break
            else:
                return True
        return False

    def compared(self, doc, blocks):
        """The blocks the rule compares, asked once the document is known to hold something
        that may match (:class:`lint.kinds.edge.Edge` narrows them)."""
        return blocks

    @gate.opens_with_gated_out  # a rule without a lexicon matches only by its patterns (_Form)
    def check(self, doc, blocks):
        # what can match anywhere in the document, decided once: filtered patterns whose
        # strings it contains, and the lexicon entries whose runs are all among its words
        all_met = literals.all_met
        filtered = []  # (pattern, its sets, its sets cut to the document's strings: for blocks)
        unfiltered = False
        if self.filtered or self.patterns:  # what the gate lets through (a lexicon needs no gate)
            through, unfiltered = self._gated(doc)
            unfiltered = bool(self.patterns) and unfiltered
            if through is None or True in through:  # (usually none is: no loop)
                present, own = doc.present, self.filtered
                # the patterns the gate lets through (lint.regex.gate), in order
                for k in range(len(own)) if through is None else compress(range(len(own)), through):
                    p, r = own[k]
                    cut = literals.doc_cut(r, present)
                    if cut is not None:
                        filtered.append((p, r, cut))
        live = None  # None: compare every sentence with the lexicon
        if self.lexicon and literals.ENABLED and self.lex_runs is not None:
            words, by_run = doc.words, self.by_run
            live = [t for w in self.lex_runs.intersection(words) for s, t in by_run[w] if s <= words]
        lexicon = bool(self.lexicon) and (live is None or bool(live))
        if not (filtered or unfiltered or lexicon):
            return
        max_words = self.max_words
        for block in self.compared(doc, blocks):
            if block.n_words > max_words:
                continue
            folded = block.folded
            candidates = [(p, r) for p, r, cut in filtered if all_met(cut, folded)] if filtered else ()
            if not candidates and not unfiltered and not (
                    lexicon and (live is None or self._lexical(folded, live))):
                continue  # nothing can match whole: no sentence of the block needs looking at
            run = None  # consecutive matched sentences are one leftover: one finding, one deletion
            for seg in _segments(block, self.whole_block):
                if self.matches(seg, candidates):
                    s, e = self.leftover(seg, candidates)
                    if s > seg[0] and run:  # prose before the leftover ends the run
                        yield _hit(block, *run)
                        run = None
                    run = (run[0] if run else s, e)
                    if e < seg[1]:  # prose after it too
                        yield _hit(block, *run)
                        run = None
                elif run:
                    yield _hit(block, *run)
                    run = None
            if run:
                yield _hit(block, *run)


class _Form(tuple):
    """What :meth:`lint.regex.gate.Gate.owned` makes for a standalone rule under a gate, once.

    As a pair it is the (ids, prefilter) form lint.linter and :func:`lint.regex.gate.rules_out`
    read: for a rule without a lexicon, the set of its patterns' ids (None when one is not in
    the database, or the rule has a lexicon: a lexicon entry matches without any pattern). A
    document whose scan found none of them would leave :meth:`Standalone.check` nothing to try
    (no filtered pattern through, the unfiltered not through, no lexicon): the linter skips the
    rule with one bit test instead of calling it. Its attributes serve
    :meth:`Standalone._gated`: ``filtered``, the filtered patterns' ids; ``keys``, the set of
    them; ``closed``, what is through when the scan found none of them (those the database does
    not hold); ``unfiltered``, the unfiltered patterns' ids in the database (all must be found
    for them to be through)."""

    def __new__(cls, filtered: list, unfiltered: list, lexicon: bool):
        every = filtered + unfiltered
        ids = None if lexicon or not every or None in every else frozenset(every)
        form = super().__new__(cls, (ids, None))
        form.filtered = tuple(filtered)
        form.keys = frozenset(i for i in filtered if i is not None)
        form.closed = tuple(i is None for i in filtered)
        form.unfiltered = frozenset(i for i in unfiltered if i is not None)
        return form


def _hit(block, s: int, e: int) -> Hit:
    return Hit(block, s, e, {"match": block.text[s:e]}, edits=[(s, e, "")])


def _segment(s: int, e: int, text: str) -> tuple:
    """(start, end, text, normalised, stripped, folded()): what every standalone rule compares."""
    cache = []

    def folded():
        if not cache:
            cache.append(literals.fold(text))
        return cache[0]

    return (s, e, text, normalise(text), text.strip(), folded)


def _segments(block, whole: bool) -> list:
    """The block's sentences (or the whole block) as :func:`_segment` tuples, made once per block
    for all the standalone rules."""
    key = "standalone.whole" if whole else "standalone.sentences"
    segs = block.memo.get(key)
    if segs is None:
        spans = [(0, len(block.text))] if whole else sentences(block.text)
        segs = block.memo[key] = [_segment(s, e, block.text[s:e]) for s, e in spans]
    return segs
