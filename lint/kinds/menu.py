"""``menu``: a site's navigation menu, kept as a run of one-label lines.

Naive page-to-text conversion turns a menu bar ("Home", "News", "Sports", "Opinion",
"Subscribe", "Log in") into consecutive lines of one or two words each. A single such line is
ordinary text (a heading, a name, a table cell), and so is a short list. A run is reported
only when it is long and carries a menu's own words:

- at least ``min_blocks`` consecutive blocks (default 5) that each look like a label: at most
  ``max_words`` words (default 3), opening with a capital, a digit or a symbol, not ending
  like a sentence or a lead-in (. ! ? : ; , …), and with no number of three or more digits
  (times, dates and prices belong to listings, which other rules judge);
- at least ``min_evidence`` of them (default 2) are, normalised, entries of ``lists`` (site
  sections, account and legal links, share networks);
- the block before the run does not end with a colon: "The winners were:" introduces a list
  of the article's own.

The whole run is one finding, less any lines at either end that hold no menu word and are
set off from the rest by an empty line (a credit, "Source link": other leftovers).

Only plain paragraphs count (list items, table cells and headings are the article's
structure), and the run must be unbroken: a block of another zone or kind ends it. A
forty-line menu is one warning and one deletion.
"""
from __future__ import annotations

import re

from .. import regex
from .base import Hit, Kind, normalise

# compiled in setup(), so that they are stored with the rule (lint.rulecache)
_END = r"[.!?:;,…][\"'”’)\]]?\s*$"
_START = r"[^\W\da-z_]|\d|[^\w\s]"
_LONG_NUMBER = r"\d{3}"


class Menu(Kind):
    OPTIONS = {"lists": dict, "max_words": int, "min_blocks": int, "min_evidence": int}

    def setup(self, data):
        self.lexicon = {normalise(e) for entries in self.lists.values() for e in entries}
        if not self.lexicon:
            raise ValueError("a menu rule needs 'lists' (the words that show a run is a menu)")
        self.max_words = data.get("max_words", 3)
        self.min_blocks = data.get("min_blocks", 5)
        self.min_evidence = data.get("min_evidence", 2)
        if self.min_blocks < 2 or self.min_evidence < 1 or self.max_words < 1:
            raise ValueError("'min_blocks' must be at least 2, 'min_evidence' and 'max_words' at least 1")
        self._end = regex.compile(_END)
        self._start = regex.compile(_START, re.UNICODE)
        self._number = regex.compile(_LONG_NUMBER)

    def is_label(self, block) -> bool:
        if block.kind != "paragraph" or block.n_words > self.max_words:
            return False
        text = block.text.strip()
        return bool(text) and bool(self._start.match(text)) and not self._end.search(text) \
            and not self._number.search(text)

    def check(self, doc, blocks):
        run: list = []
        before = None  # the block before the current run
        prev = None
        for block in blocks:
            contiguous = prev is not None and block.index == prev.index + 1
            if self.is_label(block):
                if run and not contiguous:
                    yield from self._report(doc, run, before)
                    run = []
                if not run:
                    before = prev if contiguous else None
                run.append(block)
            elif run:
                yield from self._report(doc, run, before)
                run = []
            prev = block
        if run:
            yield from self._report(doc, run, before)

    def _report(self, doc, run, before):
        if len(run) < self.min_blocks:
            return
        if before is not None and before.text.rstrip().endswith(":"):
            return
        lexicon = self.lexicon
        known = [i for i, b in enumerate(run) if normalise(b.text) in lexicon]
        if len(known) < self.min_evidence:
            return
        # a menu's lines are flattened links, one after another; lines at either end that are
        # set off from it by an empty line and hold no menu word ("Source link" and a credit)
        # are other leftovers, for their own rules to judge
        source = doc.source
        lo, hi = 0, len(run) - 1
        for i in range(known[0]):
            if _blank_between(source, run[i], run[i + 1]):
                lo = i + 1
        for i in range(len(run) - 1, known[-1], -1):
            if _blank_between(source, run[i - 1], run[i]):
                hi = i - 1
        first, last = run[lo], run[hi]
        start, end = first.src_start, last.src_end
        shown = run[lo:hi + 1]
        labels = " · ".join(b.text.strip() for b in shown[:4]) + (" …" if len(shown) > 4 else "")
        yield Hit(None, start, end, {"match": labels, "count": hi - lo + 1}, edits=[(start, end, "")])


def _blank_between(source: str, a, b) -> bool:
    """Is there an empty line between blocks ``a`` and ``b`` in the source?"""
    gap = source[a.src_end:b.src_start]
    return gap.count("\n") >= 2 and any(not line.strip() for line in gap.split("\n")[1:-1])
