"""What every rule kind shares: hits, option checking, data lists, pattern expansion."""
from __future__ import annotations

import re
from dataclasses import field
from pathlib import Path

from .. import regex
from .._record import FACTORY, Record, record
from ..packs import data_path, read_list

_LIST_REF = re.compile(r"\{\{([a-z][a-z0-9_-]*)\}\}")


@record
class Hit(Record):
    """A finding in a block's text coordinates (``block`` None: ``start``/``end`` are source offsets)."""

    block: object
    start: int
    end: int
    vars: dict = field(default_factory=dict)
    #: proposed edits in the same coordinates: (start, end, replacement)
    edits: list | None = None
    message: str | None = None
    #: caps the rule's fix applicability for this hit (an ``Applicability``); never raises it
    fix_cap: object = None

    def __init__(self, block: object, start: int, end: int, vars: dict = FACTORY,  # noqa: A002
                 edits: list | None = None, message: str | None = None, fix_cap: object = None):
        self.block = block
        self.start = start
        self.end = end
        self.vars = {} if vars is FACTORY else vars
        self.edits = edits
        self.message = message
        self.fix_cap = fix_cap


class Kind:
    """Base class. ``OPTIONS`` maps each kind-specific key to its expected Python type(s)."""

    OPTIONS: dict = {}
    REQUIRED: tuple = ()
    #: sets of strings: a document's folded text must contain one string of each set for the
    #: rule to find anything (:mod:`lint.literals`); empty: no such promise, the rule always runs
    requires: tuple = ()
    #: a backend's own findings (lint.languagetool); None: the linter runs ``check``
    diagnostics = None

    def __init__(self, meta, path: Path, data: dict):
        self.meta = meta
        self.path = Path(path)
        for key in self.REQUIRED:
            if key not in data:
                raise ValueError(f"missing required key '{key}'")
        for key, typ in self.OPTIONS.items():
            if key in data and not isinstance(data[key], typ):
                names = typ.__name__ if isinstance(typ, type) else " or ".join(t.__name__ for t in typ)
                raise ValueError(f"'{key}' must be of type {names}")
        self.lists = self._load_lists(data.get("lists", {}))
        self.setup(data)

    def setup(self, data: dict) -> None:  # pragma: no cover - overridden
        pass

    # -- data ---------------------------------------------------------------------------
    def _load_lists(self, spec) -> dict[str, list[str]]:
        out = {}
        for name, ref in (spec or {}).items():
            if isinstance(ref, str):
                out[name] = read_list(data_path(self.path, ref))
            elif isinstance(ref, list) and all(isinstance(x, str) for x in ref):
                out[name] = list(ref)
            else:
                raise ValueError(f"list {name!r} must be a data file path or a list of strings")
        return out

    def expand(self, pattern: str) -> str:
        """Replace ``{{name}}`` with an alternation of the list's entries (longest first)."""

        def repl(m):
            name = m.group(1)
            if name not in self.lists:
                raise ValueError(f"pattern refers to unknown list {{{{{name}}}}}")
            return alternation(sorted(self.lists[name], key=len, reverse=True))

        return _LIST_REF.sub(repl, pattern)

    def check(self, doc, blocks):  # pragma: no cover - overridden
        return iter(())


def alternation(phrases) -> str:
    """``(?:p1|p2|…)`` of the phrases' regexes, in their order, written as a prefix tree when
    that matches exactly the same (``(?:organi(?:s|z)e|…)``): Python's regex engine tries an
    alternation's branches one by one at every position, so a list of hundreds of entries
    costs hundreds of tries; a tree tries a few. The tree keeps the flat alternation's
    semantics: branches in first-insertion order, the empty branch (a shorter entry ending
    here) after the longer ones, as the longest-first order has it. Entries that differ only
    in letter case before they part (which an ignorecase pattern would treat as one path) make
    the order ambiguous: then the flat alternation is kept."""
    phrases = list(phrases)
    atoms = [_atoms(p) for p in phrases]
    if len(phrases) < 8 or not _tree_safe(phrases, atoms):
        return "(?:" + "|".join(phrase_regex(p) for p in phrases) + ")"
    root: dict = {}
    for seq in atoms:
        node = root
        for atom in seq:
            node = node.setdefault(atom, {})
        node[None] = None  # an entry ends here
    return "(?:" + _emit(root) + ")"


def _atoms(phrase: str) -> list[str]:
    """phrase_regex(phrase), one regex atom per character (and one per gap between words)."""
    out: list[str] = []
    for i, word in enumerate(phrase.split()):
        if i:
            out.append(r"\s+")
        out.extend(_APOSTROPHE.get(c) or re.escape(c) for c in word)
    return out


def _tree_safe(phrases, atoms) -> bool:
    """No two entries share a longer prefix ignoring case than with it (see alternation)."""
    if any(c in _CASE_SPECIAL for p in phrases for c in p):
        return False
    lowered = sorted(range(len(phrases)), key=lambda i: [a.lower() for a in atoms[i]])
    for i, j in zip(lowered, lowered[1:]):
        a, b = atoms[i], atoms[j]
        n = 0
        while n < len(a) and n < len(b) and a[n].lower() == b[n].lower():
            n += 1
        if a[:n] != b[:n]:
            return False
    return True


# what phrase_regex writes for each apostrophe
_APOSTROPHE = {"'": "['’]", "’": "['’]"}
_CASE_SPECIAL = set("\u0130\u0131\u017f\u212a")  # İ ı ſ K: ignorecase equates them with ASCII letters


def _emit(node: dict) -> str:
    parts = [atom + _emit(child) for atom, child in node.items() if atom is not None]
    if None in node:
        parts.append("")  # after the longer entries, as in the longest-first list
    if len(parts) == 1:
        return parts[0]
    return "(?:" + "|".join(parts) + ")"


def phrase_regex(phrase: str) -> str:
    """A literal phrase as a regex: whitespace matches any run of spaces, quotes either style."""
    parts = []
    for word in phrase.split():
        w = re.escape(word)
        w = w.replace("'", "’").replace("’", "['’]")  # either apostrophe (one class, not a class in a class)
        parts.append(w)
    return r"\s+".join(parts)


def normalise(text: str) -> str:
    """For lexicon look-ups: lower case, straight apostrophes, single spaces, no edge punctuation."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = " ".join(text.split()).lower()
    return text.strip(" .!?:;,·•|-–—>»«\"'[]()")


def compile_regex(pattern: str, ignorecase: bool = False) -> re.Pattern:
    try:
        return regex.compile(pattern, re.IGNORECASE if ignorecase else 0)
    except re.error as exc:
        raise ValueError(f"bad regular expression {pattern!r}: {exc}") from None
