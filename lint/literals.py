"""Necessary literals: a cheap test that tells a rule it cannot match a document.

``required(pattern, flags)`` reads a regular expression's parse tree and returns a set of
lower-case ASCII strings such that every match of the pattern, and every text a lookahead of
it inspects, contains at least one of them; or ``None`` when no such set can be proved (the
pattern can match without any literal, e.g. ``\\d+`` or an optional group). This is the
literal extraction of RE2's FilteredRE2 and ripgrep, done on Python's own parser
(:func:`lint.regex.literal_sets`).

Texts are compared after :func:`fold`, which maps every character that Python's
case-insensitive matching equates with an ASCII letter onto that lower-case letter, so a
pattern compiled with ``re.IGNORECASE`` and one without share one test: if ``fold(text)``
contains none of the strings, the pattern finds nothing in ``text``. Runs of literals stop at
anything that is not a plain ASCII literal (a class, a boundary, a non-ASCII character), so a
string is always a substring of what matched. tests/test_literals.py checks the promise on
every built-in rule and on generated texts.
"""
from __future__ import annotations

import operator
import os

from .regex import CASELESS, literal_sets

# the non-ASCII characters that re.IGNORECASE equates with an ASCII letter (its simple
# lower-case mapping or its special equivalences); tests/test_literals.py derives this from
# the re module over every code point, so a Python that adds one fails the test
_SPECIAL = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}
_FOLD = str.maketrans(_SPECIAL)
_SPECIAL_CHARS = tuple(chr(c) for c in _SPECIAL)

#: a set of this many strings or more is not worth testing one by one
MAX_STRINGS = 400

#: False turns every filter off (tests compare the results both ways)
ENABLED = True


def fold(text: str) -> str:
    """The text as the literal sets are compared with it."""
    # translate looks every character up in the table: only a text holding one of the four
    # needs it (ASCII text, most of it, never does)
    if not text.isascii() and any(c in text for c in _SPECIAL_CHARS):
        text = text.translate(_FOLD)
    return text.lower()


def _score(alts: frozenset) -> tuple:
    """Higher is a better filter: long shortest string, then few strings."""
    return (min(len(s) for s in alts), -len(alts))


def requirements(pattern: str, flags: int = 0, keep: int = 3) -> tuple[frozenset, ...] | None:
    """Up to ``keep`` sets, best first, each of which every match meets (contains one of its
    strings); None when there is none (see the module docstring)."""
    found = literal_sets(pattern, flags)
    if found is None:
        return None
    sets = [s for s in set(found) if "" not in s and len(s) < MAX_STRINGS]
    if not sets:
        return None
    return tuple(sorted(sets, key=_score, reverse=True)[:keep])


def required(pattern: str, flags: int = 0) -> frozenset | None:
    """One set of strings one of which every match contains, or None."""
    sets = requirements(pattern, flags, keep=1)
    return sets[0] if sets else None


def for_patterns(regexes, extra=()) -> tuple[frozenset | None, list[tuple]]:
    """For compiled ``regexes``: the rule's document-level set (the union of each pattern's best
    set and of ``extra`` sets; None if one has none) and, per pattern, its selective
    requirement sets (empty: the pattern always runs). Each pattern is parsed once."""
    reqs = [requirements(rx.pattern, rx.flags) for rx in regexes]
    # per pattern its best selective set (else its best set, which makes the union unselective:
    # a set such as {"19", "20", "inc"} from a lookahead must not hide a "©" next to it)
    best = [next((s for s in r if selective(s)), r[0]) if r else None for r in reqs]
    rule_set = union(best + list(extra))
    return rule_set, [tuple(s for s in r or () if selective(s)) for r in reqs]


def union(sets) -> frozenset | None:
    """A rule's set from its patterns' sets: None if any pattern has none."""
    out = set()
    for s in sets:
        if s is None:
            return None
        out |= s
    out = frozenset(out)
    return out if out and len(out) < MAX_STRINGS and selective(out, limit=MAX_STRINGS) else None


def selective(strings: frozenset | None, limit: int = 60) -> bool:
    """Worth testing: a few strings, each three characters long or holding a rare symbol."""
    return strings is not None and len(strings) <= limit and all(
        len(s) >= 3 or not s.isascii() for s in strings)


def all_met(sets, folded: str) -> bool:
    """False when one of the ``requirements`` sets proves no match in the folded text."""
    if not ENABLED:
        return True
    for strings in sets:
        for s in strings:
            if s in folded:
                break
        else:
            return False
    return True


#: the literal accelerator: one Aho-Corasick pass per document answers every presence test of
#: the strings seen so far (ahocorasick_rs, :class:`Presence`). False, or COPYDESK_ACCEL=0, or
#: no ahocorasick_rs: one ``in`` per string. The answers are the same either way.
ACCEL = os.environ.get("COPYDESK_ACCEL", "1").strip().lower() not in ("0", "off", "no", "false")
_AC: list = []  # [the ahocorasick_rs module or None], imported at the first automaton


def _ahocorasick():
    """ahocorasick_rs, imported when first needed (a one-file run never needs it), or None."""
    if not _AC:
        try:
            import ahocorasick_rs
        except ImportError:  # pragma: no cover - the dependency is declared; a broken install is slower
            ahocorasick_rs = None
        _AC.append(ahocorasick_rs)
    return _AC[0]


#: a process's vocabulary watches this many documents' passes, then answers the strings found
#: in nearly all of them (:data:`COMMON_SHARE`) with ``in`` instead of through its automaton
COMMON_AFTER = 16
#: the share of the watched documents a string must be found in to be answered with ``in``.
#: An automaton reports every occurrence of every string (a few hundred per article, most of
#: them "the", " a ", "on " and the like), and making those matches into Python objects was
#: most of a pass; ``in`` answers such a string at its first occurrence, near a text's start
COMMON_SHARE = 0.9


class _Vocabulary:
    """The strings documents are asked about, learned as they are asked (a rule set's strings
    depend on its rules and on which rules a document reaches), and one automaton over them,
    rebuilt before a document when strings were added since the last build. The strings that
    turn out to be in nearly every document (:data:`COMMON_SHARE` of the first
    :data:`COMMON_AFTER` a pass answered) leave the automaton: a pass asks them with ``in``."""

    def __init__(self):
        self.strings: list[str] = []
        self.index: dict[str, int] = {}
        self.pending: set[str] = set()
        self.automaton = None
        self.searched: list[str] = []  # the automaton's strings, by its indexes
        self.common: list[str] = []  # the strings a pass answers with `in`
        self.absent: dict[str, bool] = {}  # every learned string -> False: a document's start
        self.builds = 0
        self.watched = 0  # documents whose found strings were counted (hits), until COMMON_AFTER
        self.hits: dict[str, int] | None = {}  # string -> watched documents it was found in

    def ready(self):
        """The automaton over every string learned so far (None: none learned, or no library)."""
        if self.pending:
            if _ahocorasick() is None:  # pragma: no cover
                return None
            for s in sorted(self.pending):
                if s not in self.index:
                    self.index[s] = len(self.strings)
                    self.strings.append(s)
            self.pending.clear()
            self._build()
        return self.automaton

    def _build(self) -> None:
        ac = _ahocorasick()
        common = set(self.common)
        self.searched = [s for s in self.strings if s not in common]
        # every occurrence of every string (overlapping, standard semantics): a string is
        # reported if and only if it occurs in the text, as `in` says
        self.automaton = ac.AhoCorasick(self.searched, matchkind=ac.MatchKind.Standard, store_patterns=False)
        self.absent = dict.fromkeys(self.strings, False)
        self.builds += 1

    def watch(self, found) -> None:
        """Count a pass's found strings; at the :data:`COMMON_AFTER`-th, move the common ones
        out of the automaton (at least one string stays in it)."""
        hits = self.hits
        for s in found:
            hits[s] = hits.get(s, 0) + 1
        self.watched += 1
        if self.watched < COMMON_AFTER:
            return
        self.hits = None
        least = COMMON_SHARE * self.watched
        common = [s for s in self.strings if hits.get(s, 0) >= least]
        if common and len(common) < len(self.strings):
            self.common = common
            self._build()


VOCABULARY = _Vocabulary()


class Presence(dict):
    """``s in text`` for the literal strings of a whole rule set, each computed once: rules share
    strings (a rule's set is the union of its patterns' sets, which are tested again), and on
    a whole document's text a string that is absent costs a full scan every time.

    With the accelerator (:data:`ACCEL`), the first question runs one Aho-Corasick pass over
    the text that answers, at once, every string learned so far (:data:`VOCABULARY`): those
    answers fill the dict, so later questions are plain lookups; a string not learned yet is
    answered with ``in`` and learned for the next document."""

    __slots__ = ("text", "found")

    def __init__(self, text: str):
        super().__init__()
        self.text = text
        #: the strings found present: by the pass, and by ``in`` since (_OFF: no pass); a key
        #: of the dict is True exactly when it is in this set
        self.found: set | None = None

    def __missing__(self, s: str) -> bool:
        if self.found is None:
            self.found = self._scan()
            if s in self.found or dict.__contains__(self, s):  # answered by the pass
                return dict.__getitem__(self, s)
        hit = s in self.text
        if self.found is not _OFF:
            VOCABULARY.pending.add(s)
            if hit:  # found holds every string known present (doc_met relies on it)
                self.found.add(s)
        self[s] = hit
        return hit

    def passed(self) -> set | None:
        """The strings found by the document's pass (run now if it has not run): every learned
        string is answered by it. None when there is no pass (the accelerator off, or no
        automaton): then only :func:`doc_met` answers."""
        if self.found is None:
            self.found = self._scan()
        if self.found is _OFF or VOCABULARY.automaton is None:
            return None
        return self.found

    def _scan(self):
        """One pass: every learned string's answer goes into the dict; the set of those found."""
        if not ACCEL:
            return _OFF
        automaton = VOCABULARY.ready()
        if automaton is None:
            return set()
        vocabulary = VOCABULARY
        found = set(map(vocabulary.searched.__getitem__, set(map(_FIRST, automaton.find_matches_as_indexes(
            self.text, overlapping=True)))))
        if vocabulary.common:
            text = self.text
            found.update([s for s in vocabulary.common if s in text])
        self.update(vocabulary.absent)
        self.update(dict.fromkeys(found, True))
        if vocabulary.hits is not None:
            vocabulary.watch(found)
        return found


def learn(strings) -> None:
    """Add ``strings`` to :data:`VOCABULARY` now, so that the next pass (a document's first
    question) answers them: a caller that knows which strings it will ask (lint.linter's plan of
    a rule list) need not wait for them to be asked once."""
    index = VOCABULARY.index
    VOCABULARY.pending.update(s for s in strings if s not in index)


_FIRST = operator.itemgetter(0)
_OFF: frozenset = frozenset()  # the accelerator is off: every answer is `in`


def doc_cut(sets, present: Presence) -> tuple | None:
    """``sets`` cut to the strings the document holds, or None when one set has none of them
    (:func:`doc_met` is False). A text inside the document's folded text (a block's folded
    text is a slice of it, :attr:`lint.document.Document.folded`) meets ``sets`` exactly when it
    meets the cut sets: :func:`all_met` on a block then tests the few strings the document
    has, not every string of a set (most of a rule's strings are in no given document).
    With the filters off (:data:`ENABLED`), ``sets`` as they are."""
    if not ENABLED:
        return sets
    out = []
    for strings in sets:
        found = present.found
        if found and present.keys() >= strings:  # the pass answered them all (see doc_met)
            have = strings & found
        else:
            have = frozenset(s for s in strings if present[s])
        if not have:
            return None
        out.append(have)
    return tuple(out)


def doc_met(sets, present: Presence) -> bool:
    """:func:`all_met` over a document's :class:`Presence`."""
    if not ENABLED:
        return True
    found = present.found
    for strings in sets:
        if found:
            # after the accelerator's pass, two C calls instead of a loop over the strings: one
            # of them was found by the pass; or the pass answered them all and found none
            if not found.isdisjoint(strings):
                continue
            if present.keys() >= strings:
                return False
        for s in strings:
            if present[s]:
                break
        else:
            return False
    return True
