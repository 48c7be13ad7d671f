"""``lines``: a document-level line classifier for leftover web text (after jusText/boilerpipe).

Phrase lists find the leftovers someone wrote down; this kind finds them by their shape, so it
also works on sites nobody has seen. Every block (a line of plain text, a paragraph of HTML or
Markdown) is described by a few features:

- its length in words, its share of stopwords (prose is about half function words; menus,
  headlines and names have few), whether it ends like a sentence, its share of capitalised
  words;
- its *shapes* (``shapes``: named regexes, e.g. a date, a clock time, "27 minutes ago", a
  handle, a URL, a "|" separator, "X says:", a count of comments), and whether it is, whole and
  normalised, a label of ``lists`` (chrome: "Reply", "Print", "Share", site sections…).

A block is **prose** when it is long with a normal share of stopwords (``prose_words``,
``prose_stop``) or ends like a sentence with at least ``prose_min_words`` words. A block is a
**short line** when it is not prose, has at most ``max_words`` words and does not end like a
sentence (a block with a shape or a chrome label is a short line whatever its ending).

Two things are reported:

1. **Runs.** A run of at least ``min_run`` consecutive short lines between or after prose
   paragraphs (``head_min_run`` before the first one, where headlines, bylines and datelines
   stand) whose lines are not prose-like: most of them (``min_nonprose``) are title case,
   labels, shaped, or have few stopwords. A run after a line ending in a colon is a list the
   article introduces; list items, headings and table cells are the article's structure and
   never join a run. Long runs are reported in pieces of at most ``max_lines`` lines, each
   one finding and one deletion.
2. **Comment sections.** From the first block that opens a comment section
   (``comment_start``: "24 comments", "Leave a comment", "Jane says:", "(Score:3)" …) on,
   every block of at most ``comment_words`` words with a comment shape (a name with a date or
   time, "says:", a handle, a label such as "Reply" or "Report abuse", or a one- to
   three-word line without a final stop) is comment chrome; consecutive ones are one finding.
   The comments' own text is prose and is left alone.

Each finding's message says why (``{why}``): the features that made the lines leftovers and
where they stand relative to the article's paragraphs.
"""
from __future__ import annotations

import re

from .. import literals, regex
from .base import Hit, Kind, normalise

_WORD = r"[^\W\d_][\w'’.-]*"
#: bytes -> themselves for a-z and ', a space for every other byte (Lines._stop_share)
_WORD_BYTES = bytes(c if 97 <= c <= 122 or c == 39 else 32 for c in range(256))
_CLOSERS = "\"'”’)]"


class Lines(Kind):
    OPTIONS = {"lists": dict, "shapes": dict, "comment_start": list, "comment_shapes": list,
               "max_words": int, "prose_words": int, "prose_min_words": int, "prose_stop": float,
               "min_run": int, "head_min_run": int, "max_lines": int, "min_nonprose": float,
               "comment_words": int, "title_share": float, "low_stop": float, "tiny_words": int,
               "table_share": float, "data_share": float, "headline_words": int, "tail_numbers": float, "page_shapes": list, "lone_words": int,
               "lone_separated_words": int, "lone_lists": list}
    REQUIRED = ("lists", "shapes", "comment_start")

    def setup(self, data):
        stop = self.lists.get("stopwords")
        if not stop:
            raise ValueError("a lines rule needs a 'stopwords' list")
        self.stopwords = frozenset(w.lower() for w in stop)
        # the ASCII ones as bytes (_stop_share): a word of [a-z'] can only equal an ASCII one
        self.stop_bytes = frozenset(w.encode("ascii") for w in self.stopwords if w.isascii())
        self.labels = {normalise(e) for name, entries in self.lists.items() if name != "stopwords"
                       for e in entries}
        self.shapes = {}
        for name, pattern in data["shapes"].items():
            if not isinstance(pattern, str):
                raise ValueError(f"shape {name!r} must be a regular expression")
            self.shapes[name] = _compile(self.expand(pattern))
        # per shape, the literals every match holds (lint.literals): a short block without
        # them needs no search (most blocks hold no '@', '|', 'ago' or 'http')
        self.shape_reqs = [(name, rx, literals.requirements(rx.pattern, rx.flags) or ())
                           for name, rx in self.shapes.items()]
        self.comment_start = [_compile(self.expand(p)) for p in data["comment_start"]]
        # every comment opener holds one of these strings (lint.literals): most blocks hold none
        self.comment_start_can = _any_string([literals.requirements(p.pattern, p.flags)
                                              for p in self.comment_start])
        self.comment_shapes = frozenset(data.get("comment_shapes", list(self.shapes)))
        unknown = self.comment_shapes - set(self.shapes)
        if unknown:
            raise ValueError(f"comment_shapes names unknown shapes: {', '.join(sorted(unknown))}")
        self.max_words = data.get("max_words", 10)
        self.prose_words = data.get("prose_words", 20)
        self.prose_min_words = data.get("prose_min_words", 8)
        self.prose_stop = data.get("prose_stop", 0.25)
        self.min_run = data.get("min_run", 3)
        self.head_min_run = data.get("head_min_run", 5)
        self.max_lines = data.get("max_lines", 10)
        self.min_nonprose = data.get("min_nonprose", 0.75)
        self.comment_words = data.get("comment_words", 16)
        self.title_share = data.get("title_share", 0.6)
        self.low_stop = data.get("low_stop", 0.0)
        self.tiny_words = data.get("tiny_words", 2)
        if self.min_run < 2 or self.head_min_run < self.min_run or self.max_lines < self.min_run:
            raise ValueError("need 2 <= min_run <= head_min_run and min_run <= max_lines")
        self._word = regex.compile(_WORD)
        self._lower_word = regex.compile(r"[a-z]+(?:'[a-z]+)?")
        self.short_limit = max(self.max_words, self.comment_words, data.get("lone_words", 14))
        self._skel_word = regex.compile(r"\w+")
        self._pipe = regex.compile(r"\||•")
        self.lone_words = data.get("lone_words", 14)
        self.lone_separated_words = data.get("lone_separated_words", 10)
        self.lone_labels = {normalise(e) for name in data.get("lone_lists", ()) for e in self.lists.get(name, ())}
        self.table_share = data.get("table_share", 0.5)
        self.data_share = data.get("data_share", 0.3)
        self.headline_words = data.get("headline_words", 4)
        self.tail_numbers = data.get("tail_numbers", 1.0)
        self.page_shapes = frozenset(data.get("page_shapes", ()))

    # -- features ----------------------------------------------------------------------------
    def features(self, block) -> dict:
        memo = block.memo
        key = ("lines", id(self))
        f = memo.get(key)
        if f is not None:
            return f
        text = block.text.strip()
        n = block.n_words
        end = text.rstrip(_CLOSERS)[-1:]
        f = _Features(n=n, terminal=end in ".!?…", colon=end == ":", stop_end=end in ".…;,",
                      plain=block.kind == "paragraph")
        if n > self.short_limit:
            # a long block is only ever asked whether it is prose, and only while check looks
            # for the first and the last prose block: its stopword share (read from its first
            # 60 words) is computed then, by _long_stop, and most long blocks are never asked
            f["label"] = False
            f["shapes"] = ()
            f["stop"] = None
            f["title"] = 0.0
            f["text"] = text
        else:
            # a short block's stopword and title-case shares are computed when first asked
            # (_Features), its shapes when first used (_Shapes): most short blocks are never asked
            f.rule, f.text = self, text
            f["label"] = normalise(text) in self.labels
            f["shapes"] = _Shapes(self, block, text)
        memo[key] = f
        return f

    def _shapes(self, block, text: str) -> list:
        """The names of the shapes found in a short block's stripped ``text``."""
        folded = block.folded
        all_met = literals.all_met
        return [name for name, rx, req in self.shape_reqs
                if (not req or all_met(req, folded)) and rx.search(text)]

    def _title_share(self, text: str) -> float:
        words = self._word.findall(text)
        return sum(1 for w in words if w[:1].isupper()) / len(words) if words else 0.0

    def _stop_share(self, text: str, n: int) -> float:
        """The share of stopwords among the ``n`` words: the words are the matches of
        ``_lower_word`` in the lower-cased text (’ read as '), counted without making them one
        by one: every match is made of a-z and ' alone, so the matches are those of the runs of
        a-z and ' that the text splits into (C calls: the text as ASCII bytes, every other byte
        a space); a run without a ' is one match whole, and the rare runs with one are
        matched by _lower_word (tests/test_speed_dockinds.py)."""
        if not n:
            return 0.0
        letters = text.lower().replace("’", "'").encode("ascii", "replace").translate(_WORD_BYTES)
        stop = self.stop_bytes
        if b"'" not in letters:
            return sum(map(stop.__contains__, letters.split())) / n
        found = 0
        for run in letters.split():
            if b"'" in run:  # "don't" is one match, "'tis" is "tis", "rock'n'roll" two
                found += sum(map(self.stopwords.__contains__, self._lower_word.findall(run.decode("ascii"))))
            else:
                found += run in stop
        return found / n

    def _long_stop(self, f) -> float:
        """A long block's stopword share, from its first 60 words (features leaves it to here)."""
        head = f["text"].split(None, 60)[:60]
        stop = f["stop"] = self._stop_share(" ".join(head), len(head))
        return stop

    def is_prose(self, f) -> bool:
        if f["label"]:
            return False
        if f["n"] >= self.prose_words:
            stop = f["stop"]
            if stop is None:
                stop = self._long_stop(f)
            if stop >= self.prose_stop:
                return True
        if not (f["terminal"] and f["n"] >= self.prose_min_words):
            return False
        stop = f["stop"]  # asked only here: a short block's share is computed when first asked
        if stop is None:
            stop = self._long_stop(f)
        return stop >= self.prose_stop

    def is_short(self, f) -> bool:
        if not f["plain"] or f["n"] == 0 or f["n"] > self.max_words:
            return False
        if f["label"]:
            return True
        # (label or shapes) or (no stop and no colon), with the shapes asked last (_Shapes)
        return (not f["stop_end"] and not f["colon"]) or bool(f["shapes"])

    def nonprose(self, f) -> bool:
        """A short line that does not read like a bit of prose (a subhead, a short sentence)."""
        return f["label"] or bool(f["shapes"]) or f["title"] >= self.title_share \
            or f["n"] <= self.tiny_words or f["stop"] < self.low_stop

    # -- the document ----------------------------------------------------------------------
    def check(self, doc, blocks):
        blocks = [b for b in blocks if b.text.strip()]
        if not blocks:
            return
        # a block's features are computed when a step first asks for them (_Feats): finding the
        # first and the last prose block reads from each end; the runs and lone lines are looked
        # for among the short paragraphs alone (_plain_short: no other block can be one), the
        # comment opener by word count and text alone; so the long paragraphs between the
        # first and the last prose block, and the headings and list items among them, are never
        # described (features is memoised per block: each is the same whenever it is asked)
        feats = _Feats(self.features, blocks)
        first = next((i for i in range(len(blocks)) if self.is_prose(feats[i])), None)
        if first is None:
            return  # no article here to tell leftovers from
        # the last prose block is asked for only when a run is reported (_report)
        found_last: list[int] = []

        def last() -> int:
            if not found_last:
                found_last.append(next(i for i in range(len(blocks) - 1, first - 1, -1)
                                       if self.is_prose(feats[i])))
            return found_last[0]

        taken: set[int] = set()
        yield from self._comments(doc, blocks, feats, first, taken)
        yield from self._runs(doc, blocks, feats, first, last, taken)
        yield from self._lone(doc, blocks, feats, taken)

    def _lone(self, doc, blocks, feats, taken):
        """Single lines that are page chrome by their shape alone, wherever they stand."""
        for i in _plain_short(blocks, self.lone_words):
            if i in taken:
                continue
            b, f = blocks[i], feats[i]
            if not f["plain"] or f["n"] > self.lone_words or f["n"] == 0:
                continue  # (never: _plain_short left these out)
            why = self._lone_why(b, f)
            if not why:
                continue
            piece = [i]
            if "credit" in f["shapes"] and i > 0 and i - 1 not in taken:
                g = feats[i - 1]  # the caption the credit belongs to
                if blocks[i - 1].index == b.index - 1 and self.is_short(g) and not self.is_prose(g) \
                        and not g["colon"]:
                    piece = [i - 1, i]
                    why = "a photo caption and its credit standing between paragraphs"
            taken.update(piece)
            yield _hit(doc, blocks, piece, why)

    def _lone_why(self, block, f) -> str | None:
        if normalise(block.text) in self.lone_labels:
            return "a page button or widget label standing as a line of its own"
        if f["terminal"]:
            return None  # "About 20 years ago, the lake was clear." is a sentence
        shapes = set(f["shapes"])
        if "credit" in shapes:
            return "a photo credit standing as a line of its own"
        if "post_info" in shapes and shapes & {"date", "clock", "time_ago"}:
            return "a post-info line (who posted it and when) standing as a line of its own"
        if "time_ago" in shapes or {"date", "clock"} <= shapes:
            return "a timestamp line (a date with a clock time, or 'N minutes ago') standing as a line of its own"
        if "separator" in shapes and f["n"] <= self.lone_separated_words:
            parts = [p.strip() for p in self._pipe.split(block.text) if p.strip()]
            if len(parts) >= 2 and all(len(p.split()) <= 4 for p in parts) \
                    and any(not any(c.isdigit() for c in p) for p in parts):  # not a range of dates
                return "short labels joined by '|' (a flattened button bar or post-info line)"
        if "handle" in shapes and f["n"] <= 4:
            return "a short line with a social-media handle (a follow button)"
        return None

    def _table_like(self, blocks, run, fs) -> bool:
        """Do most lines of the run share one punctuation-and-number skeleton ("Aug. 30 -- Venue,
        City, ST", "England (Group A): 10th appearance")? Then it is the article's own data: a
        list of dates, teams or results, a table flattened to lines. Menus and headline lists
        have no common skeleton (or an empty one: single labels); lines with a page shape (a
        clock time, a post-info label, a handle) and bare numbers (page numbers) do not count."""
        counts: dict[str, int] = {}
        data = 0
        for b, f in zip((blocks[i] for i in run), fs):
            if f["label"] or any(s in self.page_shapes for s in f["shapes"]):
                continue
            tokens = b.text.split()
            if sum(1 for t in tokens if any(c.isdigit() for c in t)) >= self.data_share * len(tokens) > 1:
                data += 1  # "1 tackle (1 combined). 1 sack": a row of figures
            sk = self._skeleton(b.text)
            if sk and sk != "0":
                counts[sk] = counts.get(sk, 0) + 1
        if data >= max(2, self.table_share * len(run)):
            return True
        return bool(counts) and max(counts.values()) >= max(2, self.table_share * len(run))

    def _skeleton(self, text: str) -> str:
        return self._skel_word.sub(_skel, " ".join(text.split())).replace(" ", "")

    def _comments(self, doc, blocks, feats, first, taken):
        start = None
        for i in range(first + 1, len(blocks)):  # a "Comments" link in a menu above the article opens nothing
            b = blocks[i]
            if b.n_words <= self.comment_words and self._opens(b):
                start = i
                break
        if start is None:
            return
        opener = " ".join(blocks[start].text.split())
        if len(opener) > 40:
            opener = opener[:37] + "…"
        chrome = lambda i: self._comment_chrome(blocks[i], feats[i], i == start)  # noqa: E731
        for run in _runs(blocks, range(start, len(blocks)), chrome):
            yield from self._comment_hit(doc, blocks, feats, run, start, opener, taken)

    def _comment_chrome(self, block, f, opener) -> bool:
        if not f["plain"] or f["n"] > self.comment_words:
            return False
        if opener or f["label"]:
            return True
        if any(s in self.comment_shapes for s in f["shapes"]):
            return True
        if self._opens(block):
            return True
        # a name line ("Dorothy Wren") or a comment's number: one to three capitalised words
        # without digits or final punctuation, or a bare number; "Tim," and "Run 5 miles"
        # are the comments' own text
        text = block.text.strip()
        if text.isdigit():
            return True
        words = text.split()
        return len(words) <= 3 and text[-1:].isalnum() and not any(c.isdigit() for c in text) \
            and all(w[:1].isupper() for w in words)

    def _opens(self, block) -> bool:
        """Does a ``comment_start`` pattern match the block's stripped text? Not when its folded
        text holds none of the strings one of the patterns' matches needs (comment_start_can:
        the union of each pattern's first set of lint.literals.requirements, every match of
        a pattern holds one of its set; the literal filters' own rule, as for the shapes)."""
        can = self.comment_start_can
        if can is not None and literals.ENABLED and can.search(block.folded) is None:
            return False
        text = block.text.strip()
        return any(p.search(text) for p in self.comment_start)

    def _comment_hit(self, doc, blocks, feats, run, start, opener, taken):
        if not any(feats[i]["label"] or feats[i]["shapes"] or i == start for i in run) \
                and not any(p.search(blocks[i].text) for i in run for p in self.comment_start):
            return  # short lines alone (a name, "Thanks!") are the comments' text, not their chrome
        for piece in _pieces(run, self.max_lines):
            shapes = sorted({s for i in piece for s in feats[i]["shapes"]})
            labels = sum(1 for i in piece if feats[i]["label"])
            bits = []
            if shapes:
                bits.append("with " + ", ".join(s.replace("_", " ") for s in shapes))
            if labels:
                bits.append(f"{labels} comment-widget label{'s' if labels > 1 else ''}")
            why = (f"comment-section chrome ({len(piece)} short line{'s' if len(piece) > 1 else ''}"
                   + (", " + " and ".join(bits) if bits else "") + f") after '{opener}'")
            taken.update(piece)
            yield _hit(doc, blocks, piece, why)

    def _runs(self, doc, blocks, feats, first, last, taken):
        short = lambda i: i not in taken and self.is_short(feats[i]) and not self.is_prose(feats[i])  # noqa: E731
        # only a short paragraph can be a short line (is_short): leaving the other blocks out
        # of the indices splits no run and joins none, since a left-out block between two short
        # ones leaves a gap in their Block.index (indices rise by one along doc.blocks)
        for run in _runs(blocks, _plain_short(blocks, self.max_words), short):  # lazily: _judge adds to taken
            yield from self._judge(doc, blocks, feats, run, first, last, taken)

    def _judge(self, doc, blocks, feats, run, first, last, taken):
        head = run[-1] < first
        if len(run) < (self.head_min_run if head else self.min_run):
            return
        before = run[0] - 1
        if before >= 0 and blocks[before].index == blocks[run[0]].index - 1 and feats[before]["colon"] \
                and feats[before]["n"] >= 3:
            return  # a list the article introduces ("The winners were:"; not a "Search for:" label)
        fs = [feats[i] for i in run]
        odd = sum(1 for f in fs if self.nonprose(f))
        if odd < self.min_nonprose * len(run):
            return
        if self._table_like(blocks, run, fs):
            return
        if head:
            # the article's own headline stands among the lines above its first paragraph (a
            # line of a few words with no page shape or label, the last such): it is left
            # out, and the lines before it (a menu) and after it (byline, date, share
            # buttons) are judged as runs of their own
            for k in range(len(run) - 1, -1, -1):
                f = fs[k]
                if f["n"] >= self.headline_words and not f["shapes"] and not f["label"]:
                    yield from self._report(doc, blocks, feats, run[:k], first, last, self.min_run, taken)
                    yield from self._report(doc, blocks, feats, run[k + 1:], first, last, 2, taken)
                    return
        yield from self._report(doc, blocks, feats, run, first, last, self.min_run, taken)

    def _report(self, doc, blocks, feats, run, first, last, at_least, taken):
        if len(run) < at_least:
            return
        head = run[-1] < first
        after = run[0] > last()
        if after and self.tail_numbers < 1.0:
            # after the last paragraph, lines with figures in them (dates, opening hours, an
            # address, prices) are the article's own practical information, not a menu or a
            # list of headlines
            numbered = sum(1 for i in run if not feats[i]["label"] and not feats[i]["shapes"]
                           and any(c.isdigit() for c in blocks[i].text))
            if numbered >= self.tail_numbers * len(run):
                return
        where = ("before the article's first paragraph" if head else
                 "after the article's last paragraph" if after else "between paragraphs")
        for piece in _pieces(run, self.max_lines):
            pf = [feats[i] for i in piece]
            n = len(piece)
            kinds = []
            title = sum(1 for f in pf if f["title"] >= self.title_share)
            labels = sum(1 for f in pf if f["label"])
            shaped = sorted({s for f in pf for s in f["shapes"]})
            if title:
                kinds.append(f"{title} title-case")
            if labels:
                kinds.append(f"{labels} page label{'s' if labels > 1 else ''}")
            if shaped:
                kinds.append("shapes: " + ", ".join(s.replace("_", " ") for s in shaped))
            why = (f"a run of {len(run)} short lines without a final stop {where}"
                   + (f" ({'; '.join(kinds)})" if kinds else ""))
            if len(run) > n:
                why += f", lines {piece[0] - run[0] + 1}–{piece[-1] - run[0] + 1} of it"
            taken.update(piece)  # a line of a reported run is not reported again on its own
            yield _hit(doc, blocks, piece, why)


class _Feats:
    """``feats[i]``: the features of ``blocks[i]`` (Lines.features), computed when first asked."""

    __slots__ = ("features", "blocks")

    def __init__(self, features, blocks):
        self.features = features
        self.blocks = blocks

    def __getitem__(self, i):
        return self.features(self.blocks[i])


def _plain_short(blocks, most: int) -> list[int]:
    """The indices of the paragraphs of 1 to ``most`` words: features' ``plain`` and ``n``."""
    return [i for i, b in enumerate(blocks) if b.kind == "paragraph" and 0 < b.n_words <= most]


class _Features(dict):
    """A block's features (Lines.features); a short block's ``stop`` and ``title`` are computed
    at the first question, from its stripped text, exactly as they would have been at once."""

    __slots__ = ("rule", "text")

    def __missing__(self, key):
        rule = getattr(self, "rule", None)
        if rule is None or key not in ("stop", "title"):
            raise KeyError(key)
        value = self[key] = rule._stop_share(self.text, self["n"]) if key == "stop" else rule._title_share(self.text)
        return value


class _Shapes:
    """A short block's ``shapes`` feature: the names of the shapes found in it (Lines._shapes),
    looked for when first used (as a truth value, by iteration or ``in``), from the same
    stripped and folded text: the names they would have been at once. Most short blocks are
    never asked (a heading's shapes never are; a paragraph's mostly only when it ends
    without a stop)."""

    __slots__ = ("rule", "block", "text", "found")

    def __init__(self, rule, block, text):
        self.rule, self.block, self.text, self.found = rule, block, text, None

    def names(self) -> list:
        found = self.found
        if found is None:
            found = self.found = self.rule._shapes(self.block, self.text)
            self.rule = self.block = self.text = None
        return found

    def __bool__(self):
        return bool(self.names())

    def __iter__(self):
        return iter(self.names())

    def __len__(self):
        return len(self.names())

    def __contains__(self, name):
        return name in self.names()

    def __repr__(self):
        return repr(self.names())


def _skel(m) -> str:
    """A word of the skeleton: a number (with its letters, "10th") is 0, other words vanish."""
    return "0" if any(c.isdigit() for c in m.group(0)) else ""


def _pieces(run, size):
    """A long run in pieces of at most ``size`` lines, the last one not shorter than it must be."""
    if len(run) <= size:
        return [run]
    k = -(-len(run) // size)
    step = -(-len(run) // k)
    return [run[i:i + step] for i in range(0, len(run), step)]


def _hit(doc, blocks, piece, why):
    a, b = blocks[piece[0]], blocks[piece[-1]]
    lines = [" ".join(blocks[i].text.split()) for i in piece[:3]]
    shown = " · ".join(lines) + (" …" if len(piece) > 3 else "")
    start, end = a.src_start, b.src_end
    return Hit(None, start, end, {"match": shown, "count": len(piece), "why": why},
               edits=[(start, end, "")])


def _any_string(reqs):
    """A search for any string of the first set of each pattern's ``reqs``
    (lint.literals.requirements), or None when a pattern has none."""
    if not reqs or not all(reqs):
        return None
    strings = sorted(set().union(*(r[0] for r in reqs)), key=lambda s: (-len(s), s))
    return regex.compile("|".join(map(re.escape, strings)))


def _compile(pattern: str):
    try:
        return regex.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"bad regular expression {pattern!r}: {exc}") from None


def _runs(blocks, indices, member):
    """Runs of consecutive blocks (by ``Block.index``) among ``indices`` whose index passes
    ``member``, in order; each run is yielded before ``member`` is asked about the next index."""
    run: list[int] = []
    for i in indices:
        if member(i):
            if run and blocks[i].index != blocks[run[-1]].index + 1:
                yield run
                run = []
            run.append(i)
        elif run:
            yield run
            run = []
    if run:
        yield run
