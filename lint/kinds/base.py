"""What every rule kind shares: hits, option checking, data lists, pattern expansion."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import regexcache
from ..packs import data_path, read_list

_LIST_REF = re.compile(r"\{\{([a-z][a-z0-9_-]*)\}\}")


@dataclass
class Hit:
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


class Kind:
    """Base class. ``OPTIONS`` maps each kind-specific key to its expected Python type(s)."""

    OPTIONS: dict = {}
    REQUIRED: tuple = ()
    #: strings one of which a document's folded text must contain for the rule to find
    #: anything (:mod:`lint.literals`); None: no such promise, the rule always runs
    literals = None

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
            return "(?:" + "|".join(phrase_regex(e) for e in sorted(self.lists[name], key=len, reverse=True)) + ")"

        return _LIST_REF.sub(repl, pattern)

    def check(self, doc, blocks):  # pragma: no cover - overridden
        return iter(())


def phrase_regex(phrase: str) -> str:
    """A literal phrase as a regex: whitespace matches any run of spaces, quotes either style."""
    parts = []
    for word in phrase.split():
        w = re.escape(word)
        w = w.replace("'", "['’]").replace("’", "['’]")
        parts.append(w)
    return r"\s+".join(parts)


def normalise(text: str) -> str:
    """For lexicon look-ups: lower case, straight apostrophes, single spaces, no edge punctuation."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = " ".join(text.split()).lower()
    return text.strip(" .!?:;,·•|-–—>»«\"'[]()")


def compile_regex(pattern: str, ignorecase: bool = False) -> re.Pattern:
    try:
        return regexcache.compile(pattern, re.IGNORECASE if ignorecase else 0)
    except re.error as exc:
        raise ValueError(f"bad regular expression {pattern!r}: {exc}") from None
