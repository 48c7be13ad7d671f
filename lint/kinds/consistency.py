"""``consistency``: one document, one style. Both forms may be house style; mixing is the finding.

Options: ``variants``: a list of ``{name, pattern}``; every match of each variant is counted
over the document (quotations left out when ``quote_policy: skip``). When one variant has
more matches than all the others together, each match of the others is reported, naming the
majority form. Ties report nothing: there is no majority to name.
Also ``min_majority`` (default 2): the majority form needs at least this many matches.
"""
from __future__ import annotations

from .. import literals
from ..regex import gate
from ..document.sentences import inside
from . import joined
from .base import Hit, Kind, compile_regex


class Consistency(Kind):
    OPTIONS = {"variants": list, "min_majority": int, "ignorecase": bool, "lists": dict}
    REQUIRED = ("variants",)

    def setup(self, data):
        self.variants = []
        for v in data["variants"]:
            if not isinstance(v, dict) or not {"name", "pattern"} <= set(v):
                raise ValueError("each variant needs a 'name' and a 'pattern'")
            self.variants.append((str(v["name"]), compile_regex(self.expand(v["pattern"]),
                                                                 data.get("ignorecase", False))))
        if len(self.variants) < 2:
            raise ValueError("a consistency rule needs at least two variants")
        self.min_majority = data.get("min_majority", 2)
        # a finding needs matches of two variants: a document that meets the literal
        # requirements (lint.literals) of fewer than two cannot have one
        _, self.variant_reqs = literals.for_patterns([rx for _, rx in self.variants])
        # with two variants a finding needs both: the document must meet the requirements of
        # each, which the linter then tests with every other rule's at once (Kind.requires)
        if len(self.variants) == 2:
            self.requires = tuple(self.variant_reqs[0] or ()) + tuple(self.variant_reqs[1] or ())
        # one pass per variant over the joined blocks when every variant allows it (lint.kinds.joined)
        self.twins = joined.Twins([rx for _, rx in self.variants])
        gate.register([rx for _, rx in self.variants])

    def __setstate__(self, state):  # a stored rule set (lint.rulecache): registered as when built
        self.__dict__.update(state)
        gate.register([rx for _, rx in self.variants])

    def gate_patterns(self) -> list:
        return [rx for _, rx in self.variants]

    def gate_form(self, ids: list) -> tuple:
        """What the document's gate must have found for :meth:`check` to report anything (see
        lint.regex.gate.rules_out), from the ids of the variants (None: not in the database,
        may always match). A finding needs two variants that can match: with two variants
        both, the first as the rule's "patterns" and the second as its "prefilter"; with more,
        one gated variant at least when at most one is not gated; otherwise no proof."""
        gated = [i for i in ids if i is not None]
        if len(ids) == 2 and len(gated) == 2:
            return frozenset(gated[:1]), gated[1]
        if gated and len(ids) - len(gated) <= 1:
            return frozenset(gated), None
        return None, None

    def gated_out(self, doc) -> bool:
        """True when the document's gate proves that :meth:`check` finds nothing (the linter
        asks this question itself, for every gated rule at once: lint.regex.gate.GATED_CHECKS)."""
        return gate.gated_out(self, doc)

    @staticmethod
    def _in_view(view, vrx, skip_quotes) -> list:
        """One variant's matches over the joined view (raises joined.Crossed: go block by block)."""
        hits = []
        for m in vrx.finditer(view.text):
            i = view.locate(*m.span())
            block, base = view.blocks[i], view.starts[i]
            s, e = m.start() - base, m.end() - base
            if skip_quotes and inside(block.quotes, s, e):
                continue
            hits.append((block, s, e, m.group(0)))
        return hits

    @staticmethod
    def _by_block(blocks, rx, skip_quotes) -> list:
        hits = []
        for block in blocks:
            for m in rx.finditer(block.text):
                if skip_quotes and inside(block.quotes, *m.span()):
                    continue
                hits.append((block, m.start(), m.end(), m.group(0)))
        return hits

    @gate.opens_with_gated_out  # gated_out: fewer than two variants can match (can below), no finding
    def check(self, doc, blocks):
        # a variant that cannot match (its literals are missing, or the document's Hyperscan
        # gate rules it out) has no hits and need not be searched
        present = doc.present
        g = doc.memo.get("gate")
        can = [(not req or literals.doc_met(req, present)) and (g is None or g.may_match(rx))
               for req, (_, rx) in zip(self.variant_reqs, self.variants)]
        if sum(can) < 2:
            return
        view = self.twins.view(doc, blocks)  # one pass per variant over the joined blocks, or None
        skip_quotes = self.meta.quote_policy == "skip"
        found = {}
        left, with_hits = sum(can), 0  # variants left to search, variants found so far
        for i, (name, rx) in enumerate(self.variants):
            if not can[i]:
                found[name] = []
                continue
            hits = None
            if view is not None:
                try:
                    hits = self._in_view(view, self.twins.regexes[i], skip_quotes)
                except joined.Crossed:
                    view = None
            if hits is None:
                hits = self._by_block(blocks, rx, skip_quotes)
            found[name] = hits
            left -= 1
            with_hits += bool(hits)
            if with_hits + left < 2:
                return  # two variants cannot both be found: the others need not be searched
        counts = {name: len(hits) for name, hits in found.items()}
        total = sum(counts.values())
        major = max(counts, key=lambda k: counts[k])
        if counts[major] < self.min_majority or counts[major] * 2 <= total:
            return
        for name, hits in found.items():
            if name == major:
                continue
            for block, s, e, text in hits:
                yield Hit(block, s, e, {"match": text, "variant": name, "majority": major,
                                        "count": counts[major]})
