"""A Hyperscan gate: one scan per document tells which patterns cannot match it, so they are
skipped; Python's ``re`` still produces every finding.

Each gated pattern is compiled into one Hyperscan database as its superset
(:func:`lint.regex._tree.superset`: a final lookahead's text taken in as if consumed, other
lookarounds and anchors dropped, character items widened so that they take in at least what
Python's engine takes), with ``HS_FLAG_PREFILTER`` on top (so
that anything Hyperscan cannot do exactly it may only widen). A document's blocks are joined
with newlines and scanned once; a pattern the scan does not report has no match in any block of
the document, and the rule need not run it. A pattern that has no superset, that Hyperscan
refuses, or that can match empty text is never gated.

Hyperscan is optional (``pip install copydesk[fast]``): without it, or with
``COPYDESK_ACCEL=0``, :func:`for_patterns` gives None and every pattern runs. Compiling the
database takes a while, so it is stored (``hyperscan.dumpb``) in the rule-set cache folder,
keyed by the superset patterns, this module's version and Hyperscan's, and loaded from there;
a database that cannot be read is built again.
"""
from __future__ import annotations

import os
import re

from . import _tree

_hs = None  # the hyperscan module, imported when first needed (:func:`available`)
_TRIED = False

#: False (or COPYDESK_ACCEL=0) turns the gate off; the output is the same either way
ENABLED = os.environ.get("COPYDESK_ACCEL", "1").strip().lower() not in ("0", "off", "no", "false")
#: bump when the superset translation, the choice of what is gated or the database's flags change
#: (part of the stored key)
VERSION = 5
#: the database files of the cache folder
PREFIX, SUFFIX = "hsgate-", ".db"


def available() -> bool:
    """Is the gate on, and Hyperscan importable? (Imports it the first time.)"""
    global _hs, _TRIED
    if not ENABLED:
        return False
    if not _TRIED:
        _TRIED = True
        try:
            import hyperscan
        except ImportError:  # the optional dependency is absent: nothing is gated
            hyperscan = None
        _hs = hyperscan
    return _hs is not None


#: documents this process has asked for a gate: the first is not gated (a one-file run does
#: not import Hyperscan nor load the database for one scan)
_DOCS = [0]


class Gate:
    """One database over some patterns: :meth:`scan` gives the set of indexes (into the list
    it was built from) of the patterns that may match a text; ``gated[i]`` says whether pattern
    ``i`` is in the database at all (if not, it may always match)."""

    def __init__(self, db, gated: list[bool], patterns):
        self.db = db
        self.gated = gated
        self.scratch = _hs.Scratch(db) if db is not None else None
        #: (pattern, flags) -> its id in the database, for the gated ones
        self.index = {p: i for i, p in enumerate(patterns) if gated[i]}
        self._owned: dict = {}  # id(rule) -> (the rule, what :meth:`owned` made for it)

    def owned(self, owner):
        """``owner.gate_form(ids)`` for ``owner`` (a rule kind), made once per rule and gate:
        ``ids`` are the database ids of ``owner.gate_patterns()``, None for one the database
        does not hold (it may always match). The rule is kept with it, so that its id stays its
        own."""
        hit = self._owned.get(id(owner))
        if hit is None or hit[0] is not owner:
            index = self.index
            ids = [index.get((rx.pattern, rx.flags)) for rx in owner.gate_patterns()]
            hit = self._owned[id(owner)] = (owner, owner.gate_form(ids))
        return hit[1]

    def scan(self, text: str) -> set[int]:
        found: set[int] = set()
        if self.db is None:
            return found
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: not UTF-8 (nothing is skipped)
            return {i for i, g in enumerate(self.gated) if g}

        def on_match(i, start, end, flags, context):
            found.add(i)

        self.db.scan(data, match_event_handler=on_match, scratch=self.scratch)
        return found


#: the ``check`` functions of rule kinds that yield nothing when ``self.gated_out(doc)`` is True
#: (:func:`opens_with_gated_out`): pattern and context begin with that test; docpattern and
#: docstyle report nothing without the hits of pattern's check. lint.linter may ask the question
#: itself, first, and not call them at all when it is True. A kind that could report an absence
#: of matches must not be marked
GATED_CHECKS: set = set()


def opens_with_gated_out(check):
    """Mark a kind's ``check`` as one that yields nothing when ``self.gated_out(doc)`` is True
    (:data:`GATED_CHECKS`); ``gated_out`` must then be :func:`rules_out` of ``Gate.owned``."""
    GATED_CHECKS.add(check)
    return check


def gated_out(owner, doc) -> bool:
    """Does the document's gate (``doc.memo["gate"]``, a :class:`DocGate`) prove that no pattern
    of ``owner`` (a rule kind with ``gate_form``) can match it? :func:`rules_out` of
    :meth:`Gate.owned`; False without a gate or a form that proves nothing. The ``gated_out``
    of the kinds whose ``check`` :func:`opens_with_gated_out`."""
    g = doc.memo.get("gate")
    if g is None:
        return False
    form = g.gate.owned(owner)
    if form[0] is None and form[1] is None:
        return False
    return rules_out(form, g.found if g.found is not None else g.found_ids())


def rules_out(form, found) -> bool:
    """Does a document's scan (``found``: DocGate.found_ids) prove that no pattern of a rule whose
    :meth:`Gate.owned` form is ``form`` = (ids of its patterns or None, its prefilter's id or None)
    can match? Yes when the prefilter was not found, or none of the patterns was."""
    ids, pf = form
    if pf is not None and pf not in found:
        return True
    return ids is not None and found.isdisjoint(ids)


#: every (pattern, flags) a gate-offering rule of this process has (:func:`register`)
_REGISTRY: dict[tuple[str, int], None] = {}
#: sorted registry -> the gate over it (None: no stored database, or nothing gated)
_MEMO: dict[tuple, Gate | None] = {}
#: a pattern whose superset is longer than this is not gated: a guard against wide shapes that
#: would take most of the database's compile time and rule out almost nothing. Since supersets
#: are written short (VERSION 3: letters and digits as themselves, ranges, plain quantifiers;
#: they were ~3.5 times longer), 6000 takes in every built-in pattern. The ten that the
#: longer spelling kept out are the caption and credit shapes (CAP004, CAP006, CAP008) and the
#: long UI alternations, tried on every article before; gated, a cold run of 200 generated
#: articles costs 8% fewer instructions, and the database builds in ~3.6 s CPU instead of
#: ~2.8 s, once per rule set
MAX_LENGTH = 6000


def register(regexes) -> None:
    """Patterns a rule offers for gating (``pattern`` kinds, as they are built or loaded)."""
    register_keys((rx.pattern, int(rx.flags)) for rx in regexes)


_SORTED: tuple | None = None


def registered() -> list[tuple[str, int]]:
    """Every (pattern, flags) registered in this process, as :func:`register_keys` takes them."""
    return list(_key())


def register_keys(keys) -> None:
    """Register (pattern, flags) pairs from another process (a pickled lint.Linter carries its
    client's, :func:`registered`): a worker then asks for the database its client loaded or
    built and stored (:func:`prepare`), instead of one over its own rules' patterns alone, which
    it would build itself. Anything that is not such a pair is ignored."""
    global _SORTED
    for k in keys or ():
        if type(k) is tuple and len(k) == 2 and type(k[0]) is str and type(k[1]) is int and k not in _REGISTRY:
            _REGISTRY[k] = None
            _SORTED = None


def _key() -> tuple:
    global _SORTED
    if _SORTED is None:
        _SORTED = tuple(sorted(_REGISTRY))
    return _SORTED


def current(build: bool = False) -> Gate | None:
    """The gate over every registered pattern: loaded from the cache folder, or None when it was
    never built there (a run never pays for the build unless ``build``: :func:`prebuild`)."""
    if not available() or not _REGISTRY:
        return None
    key = _key()
    if key in _MEMO and (_MEMO[key] is not None or not build):
        return _MEMO[key]
    try:
        gate = _build(list(key), build)
    except Exception:  # noqa: BLE001 - the gate only ever saves time: without it, run everything
        gate = None
    _MEMO[key] = gate
    return gate


def prebuild() -> bool:
    """Load the stored database of the registered patterns, or build and store it now, so that
    this run (and its workers, forked after) and later runs find it ready. False: not possible."""
    if _REGISTRY:
        _BUILT.append(_key())
    return current(build=True) is not None


def _flags() -> int:
    return _hs.HS_FLAG_UTF8 | _hs.HS_FLAG_SINGLEMATCH | _hs.HS_FLAG_PREFILTER


def _build(patterns, build: bool) -> Gate | None:
    from .._sha import sha256

    import sys

    # keyed by the patterns themselves (the supersets are only computed to build: they ask
    # Python's engine, so the key names the interpreter), this code's version and Hyperscan's
    version = getattr(_hs, "__version__", "?")
    digest = sha256("\0".join([str(VERSION), version, str(MAX_LENGTH), sys.version]
                              + [f"{f}\1{p}" for p, f in patterns])
                    .encode("utf-8", "surrogatepass")).hexdigest()[:24]
    path = _cache_path(digest)
    stored = _load(path)
    if stored is not None and len(stored[1]) == len(patterns):
        return Gate(stored[0], stored[1], patterns)
    if not build:
        return None
    sup = [_tree.superset(p, f) for p, f in patterns]
    # a final lookahead's text makes a superset longer: too long, the pattern goes without it
    sup = [s if s is None or len(s) <= MAX_LENGTH else _tree.superset(p, f, lookahead=False)
           for s, (p, f) in zip(sup, patterns)]
    gated = [s is not None and len(s) <= MAX_LENGTH and not matches_prose(s) for s in sup]
    db = _compile(sup, gated)
    if db is None:  # one pattern Hyperscan refuses sinks the database: find it, leave it out
        for i, s in enumerate(sup):
            if gated[i] and _compile([s], [True]) is None:
                gated[i] = False
        db = _compile(sup, gated)
    if db is None:
        return None
    _save(path, db, gated)
    return Gate(db, gated, patterns)
#: plain sentences of common words. A superset that matches each of them matches the prose of
#: any article: the gate can never rule its pattern out, and such shapes (a run of letters, two
#: words, a capital and fifteen characters) cost the scan the most. The four built-in ones (two
#: of LANG001's, SEG012's, CAP009's) were found in every one of 1,000 articles and took half of
#: the scan's time; no other built-in superset matches either sentence. Left out of the
#: database, their rules run as they would without a gate
PROSE = ("The cat sat on the mat.", "Officials said the talks would resume next week.")


def matches_prose(superset: str) -> bool:
    """Does ``superset`` (as :func:`lint.regex._tree.superset` writes it) match every sentence of
    :data:`PROSE`? Asked of Python's engine, its ``\\x{...}`` escapes written as ``\\U...``
    (nothing else in a superset differs); False when that engine cannot read it."""
    try:
        rx = re.compile(re.sub(r"\\x\{([0-9a-fA-F]+)\}", lambda m: "\\U%08x" % int(m.group(1), 16), superset))
    except (re.error, ValueError, OverflowError):
        return False
    return all(rx.search(p) for p in PROSE)


def _compile(sup, gated):
    exprs = [s.encode() for s, g in zip(sup, gated) if g]
    if not exprs:
        return None
    try:
        db = _hs.Database(mode=_hs.HS_MODE_BLOCK)
        db.compile(expressions=exprs, ids=[i for i, g in enumerate(gated) if g], flags=[_flags()] * len(exprs))
        return db
    except Exception:  # noqa: BLE001 - refused (too large, empty, unsupported)
        return None


def _cache_path(digest: str):
    from ..rulecache import cache_dir

    d = cache_dir()
    return None if d is None else d / f"{PREFIX}{digest}{SUFFIX}"


def _load(path):
    if path is None:
        return None
    try:
        import pickle
        import stat

        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
            return None
        with open(path, "rb") as fh:
            gated, blob = pickle.load(fh)
        if type(gated) is not list or not all(type(g) is bool for g in gated) or type(blob) is not bytes:
            return None
        return _hs.loadb(blob, mode=_hs.HS_MODE_BLOCK), gated
    except Exception:  # noqa: BLE001 - absent, corrupt, another Hyperscan: build it again
        return None


def _save(path, db, gated) -> None:
    if path is None:
        return
    try:
        import pickle

        from .._atomic import write_then_rename

        path.parent.mkdir(parents=True, exist_ok=True)
        write_then_rename(str(path), pickle.dumps((gated, _hs.dumpb(db)), protocol=pickle.HIGHEST_PROTOCOL),
                          prefix=f".{PREFIX}")
    except Exception:  # noqa: BLE001 - read-only or full: only slower next time
        pass


class DocGate:
    """A document's answers: :meth:`may_match` is False for a pattern the scan proved cannot
    match any of its blocks (the scan runs at the first question)."""

    __slots__ = ("gate", "text", "found")

    def __init__(self, gate: Gate, text: str):
        self.gate, self.text, self.found = gate, text, None

    def may_match(self, rx: re.Pattern) -> bool:
        i = self.gate.index.get((rx.pattern, rx.flags))
        return i is None or i in self.found_ids()

    def found_ids(self) -> set[int]:
        """The ids of the patterns that may match the document (the scan, run once)."""
        if self.found is None:
            self.found = self.gate.scan(self.text)
        return self.found


#: a process that has asked for this many documents' gates under one set of patterns builds
#: the database when none is stored (once: the build costs ~1.5 s CPU, about what the gate saves on a few thousand
#: articles, and it is stored for every later run); a run of fewer files never builds it
BUILD_AT = 64
_BUILT: list = []  # this process has tried to build (each rule set's registry) once
_SEEN: dict = {}  # registry -> documents this process has asked a gate for under it


def prepare(n_documents: int) -> None:
    """Before a run of ``n_documents`` starts its workers: load the database, or build and store
    it when the run is big enough to pay for it (BUILD_AT), so that they load one database
    instead of each building its own. Never fails: without a database a run is only slower."""
    if n_documents < BUILD_AT or not available():
        return
    try:
        prebuild()
    except Exception:  # noqa: BLE001 - optional
        pass


def for_document(doc, rules=None) -> DocGate | None:
    """The gate for ``doc`` (None: nothing gated). The document's blocks are joined with
    newlines: every block's text is a substring of what is scanned."""
    _DOCS[0] += 1
    if _DOCS[0] < 2 or not available():
        return None
    key = _key()
    if _LAST[0] is key:  # the same patterns as the last document: its gate (no tuple hashed)
        gate = _LAST[1]
    else:
        seen = _SEEN[key] = _SEEN.get(key, 0) + 1  # documents of this set of patterns
        build = seen >= BUILD_AT and key not in _BUILT
        if build:
            _BUILT.append(key)
        gate = current(build=build)
        if gate is None:
            return None
        _LAST[0], _LAST[1] = key, gate
    return DocGate(gate, "\n".join(b.text for b in doc.blocks))


#: (the registry's key, its gate) of the last document given a gate: the key is a tuple of every
#: registered (pattern, flags), which four dict lookups per document hashed whole each time
_LAST: list = [None, None]
