"""``shape``: a sentence recognised by what it is made of, not by its exact words.

Player help is re-translated and re-worded ("arrows to seek" becomes "arrows to search"), so
it is matched as a sentence with at least ``min`` tokens from each feature list: key names
(Space, M, arrows …) and media verbs (play, pause, mute, volume …).
Options: ``features`` (mapping name -> {list: NAME, min: N}), ``lists``, ``max_words``.
Single-letter entries count only in capitals ("M to mute"), so the article "a" never does.
"""
from __future__ import annotations

import re

from ..document.sentences import sentences
from .. import literals, regex
from .base import Hit, Kind

_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


class Shape(Kind):
    OPTIONS = {"features": dict, "lists": dict, "max_words": int}
    REQUIRED = ("features", "lists")

    def setup(self, data):
        self.features = []
        for name, spec in data["features"].items():
            if not isinstance(spec, dict) or "list" not in spec:
                raise ValueError(f"feature {name!r} needs a 'list'")
            words = self.lists.get(spec["list"])
            if words is None:
                raise ValueError(f"feature {name!r} refers to unknown list {spec['list']!r}")
            self.features.append((name, {w.lower() for w in words}, int(spec.get("min", 1))))
        self.max_words = data.get("max_words", 40)
        # a block without a word of the rarest feature list cannot match: skip it cheaply
        rarest = min(self.features, key=lambda f: len(f[1]))[1]
        # ... and one without any of them as a substring of its folded text (lint.literals) cannot
        # either: a few `in` tests before the regex (None: a word that folding does not cover)
        self.quick = tuple(sorted(w.lower() for w in rarest)) if all(w.isascii() for w in rarest) else None
        # ... and a document without one of them cannot: the rule is not tried there at all
        self.quick_set = frozenset(self.quick or ())
        self.requires = (self.quick_set,) if self.quick and literals.selective(self.quick_set) else ()
        self.prefilter = regex.compile(r"(?<![^\W\d_])(?:" + "|".join(
            re.escape(w) for w in sorted(rarest, key=len, reverse=True)) + r")(?![^\W\d_])", re.IGNORECASE)

    def check(self, doc, blocks):
        quick = self.quick if literals.ENABLED else None
        if quick is not None:  # the blocks are asked only for the words the document holds
            cut = literals.doc_cut((self.quick_set,), doc.present)
            if cut is None:
                return
            quick = cut[0]
        for block in blocks:
            text = block.text
            if quick is not None:
                folded = block.folded
                if not any(w in folded for w in quick):
                    continue
            if not self.prefilter.search(text):
                continue
            for s, e in sentences(text):
                sent = text[s:e]
                tokens = _TOKEN.findall(sent)
                if not tokens or len(tokens) > self.max_words:
                    continue
                counts = {}
                for name, words, minimum in self.features:
                    n = sum(1 for t in tokens if t.lower() in words and (len(t) > 1 or t.isupper()))
                    if n < minimum:
                        break
                    counts[name] = n
                else:
                    yield Hit(block, s, e, {"match": sent, **counts}, edits=[(s, e, "")])
