"""Issue 19: fast paths of the ``lines`` kind (UI024) and of the cross-file candidate lines
(lint.crossdoc, UI025) must find exactly what their plain paths did.

``lines``: a comment opener is looked for only in a block whose folded text holds one of the
strings the ``comment_start`` patterns need (Lines._opens), and a short block's shapes are
looked for when first used (lint.kinds.lines._Shapes).

``crossdoc``: an ASCII line is folded by ``lower()`` and searched for digit runs only when it
holds a digit (normalise), and the fingerprint normalises only the lines that can still hold
the greatest key (document_fingerprint)."""
from __future__ import annotations

import random

from lint.kinds import lines as lines_kind
from lint.kinds.lines import Lines
from lint.packs import load_rules

from helpers import plain_fingerprint, plain_normalise, varied_documents

_SHAPED = ["3 comments", "Leave a comment", "Jane Roe says:", "Reply", "Report abuse", "Share",
           "12 March 2021 at 8:14 am", "Posted by Mara Lind on 12 March 2021", "5 minutes ago",
           "Photo: Mara Lind", "Home | News | Sport", "@harbourcouncil", "Follow @harbourcouncil",
           "Mara Lind", "42", "(Score:3, Insightful)", "Permalink", "14 Responses to “Quay”",
           "2 thoughts on “Quay”", "JANE WRITES:", "12 Replies", "http://example.com/x", "Tim,",
           "One reply", "Comments are closed.", "Leave a Reply Cancel reply", "www.example.org"]
_PROSE = ("The ferry will run again from Monday, the council said after a long meeting on Tuesday night "
          "and a vote that was closer than anyone at the harbour had expected.")
_WORDS = "Harbour Works Begin on East Quay New Market Hall Opens Its Doors the of and a".split()


def _lines_rules():
    rules = [r.impl for r in load_rules(cache=True).rules if isinstance(r.impl, Lines)]
    assert rules
    return rules


def _documents(seed: int):
    from lint.document import parse

    rng = random.Random(seed)
    docs = varied_documents(seed)
    for k in range(200):
        lines = []
        for _ in range(rng.randint(3, 30)):
            roll = rng.random()
            if roll < 0.3:
                line = _PROSE
            elif roll < 0.6:
                line = rng.choice(_SHAPED)
                if rng.random() < 0.3:
                    line = line.upper() if rng.random() < 0.5 else line.lower()
                if rng.random() < 0.5:
                    line += " Harbour" * rng.randint(0, 17 - len(line.split()))
            else:
                line = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 16)))
                line += rng.choice(["", "", ".", ":", "?", ";", ","])
            if k % 2 and rng.random() < 0.2:
                line = rng.choice(["# ", "- ", "1. "]) + line
            lines.append(line)
        sep = "\n\n" if k % 2 and rng.random() < 0.5 else "\n"
        docs.append(parse(sep.join(lines) + "\n", f"lc{k}.{'md' if k % 2 else 'txt'}"))
    return docs


def _plain_opens(self, block):
    return any(p.search(block.text.strip()) for p in self.comment_start)


def test_opens_is_the_plain_search():
    rules = _lines_rules()
    opened = 0
    for doc in _documents(11):
        for b in doc.blocks:
            for rule in rules:
                want = _plain_opens(rule, b)
                assert rule._opens(b) == want, b.text
                opened += want
    assert opened > 100


def test_lazy_shapes_are_the_eager_ones():
    rules = _lines_rules()
    shaped = 0
    for doc in _documents(12):
        for b in doc.blocks:
            for rule in rules:
                f = rule.features(b)
                if f["n"] > rule.short_limit:
                    continue
                text = b.text.strip()
                want = [name for name, rx in rule.shapes.items() if rx.search(text)]
                assert list(f["shapes"]) == want, b.text
                assert bool(f["shapes"]) == bool(want) and len(f["shapes"]) == len(want)
                assert all(name in f["shapes"] for name in want)
                shaped += bool(want)
            b.memo.clear()
    assert shaped > 100


def _hits(rule, doc):
    return [(h.start, h.end, sorted(h.vars.items()), h.edits) for h in rule.check(doc, list(doc.blocks))]


def test_lines_check_finds_what_the_plain_path_did(monkeypatch):
    """The plain path: every shape looked for at once (a list) and every comment pattern
    searched."""
    rules = _lines_rules()
    found = 0
    lazy_features = Lines.features

    def eager(self, block):
        f = lazy_features(self, block)
        if isinstance(f["shapes"], lines_kind._Shapes):
            f["shapes"] = list(f["shapes"])
        return f

    for doc in _documents(13):
        for rule in rules:
            fast = _hits(rule, doc)
            for b in doc.blocks:
                b.memo.clear()
            with monkeypatch.context() as m:
                m.setattr(Lines, "features", eager)
                m.setattr(Lines, "_opens", _plain_opens)
                plain = _hits(rule, doc)
            for b in doc.blocks:
                b.memo.clear()
            assert fast == plain, doc.path
            found += len(fast)
    assert found > 200


# -- cross-file candidate lines (lint.crossdoc) ------------------------------------------------


_ALPHABET = "aZq09 \t\u00a0\u2003.,;:-–—…’“”«»ﬁ½²٣ß İK\u212aſ!?()[]#*\x1c\x85"


def test_normalise_is_the_plain_one():
    from lint import crossdoc

    rng = random.Random(17)
    texts = ["", " ", "Share this:", "Posted 3 hours ago", "2021", "ﬁne … 12½", "ſtraße İ 3٣4"]
    texts += ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 40))) for _ in range(30000)]
    texts += ["".join(rng.choice("ab 1.-") for _ in range(rng.randint(0, 40))) for _ in range(10000)]
    for text in texts:
        assert crossdoc.normalise(text) == plain_normalise(text), repr(text)


def test_fingerprint_and_candidates_are_the_plain_ones(monkeypatch):
    """Long lines of nearly equal length, ASCII or not, with punctuation and digits at their
    ends: the bounds that skip a line (its length, its folded text stripped) never skip the
    greatest key."""
    from lint import crossdoc
    from lint.document import parse

    rng = random.Random(23)
    docs = varied_documents(19)
    words = ["harbour", "Quay", "2021", "ﬁne", "…", "’tis", "straße", "İstanbul", "½", "--", "(a)", "x9"]
    for k in range(600):
        lines = []
        base = " ".join(rng.choice(words) for _ in range(rng.randint(12, 16)))
        for _ in range(rng.randint(1, 8)):
            line = base if rng.random() < 0.5 else " ".join(rng.choice(words) for _ in range(rng.randint(10, 18)))
            line = rng.choice(["", "“", "- ", "** ", "  "]) + line + rng.choice(["", ".", "”", " !!", " ...", "0"])
            if rng.random() < 0.3:
                line = line.upper()
            lines.append(line)
        if rng.random() < 0.3:
            lines.append("".join(rng.choice(_ALPHABET) for _ in range(rng.randint(50, 90))))
        sep = "\n\n" if rng.random() < 0.5 else "\n"
        docs.append(parse(sep.join(lines) + "\n", f"fp{k}.{'md' if k % 2 else 'txt'}"))
    found = 0
    for doc in docs:
        assert crossdoc.document_fingerprint(doc) == plain_fingerprint(doc), doc.path
        fast = crossdoc.document_candidates(doc)
        with monkeypatch.context() as m:
            m.setattr(crossdoc, "normalise", plain_normalise)
            assert fast == crossdoc.document_candidates(doc), doc.path
        found += len(fast)
    assert found > 500


def test_is_candidate_is_the_plain_one():
    """Two letters among the first 200 characters, searched for instead of all of them found."""
    import re

    from lint import crossdoc

    letter = re.compile(r"[^\W\d_]")
    rng = random.Random(29)
    alphabet = "a Z9_½²٣ß İ.…’\n"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(20000)]
    texts += ["1" * 199 + "ab", "1" * 198 + "ab", "a" + "1" * 198 + "b", "a" + "1" * 199 + "b", "_a_", "a_b"]
    for text in texts:
        n = len(text.split(None, crossdoc.MAX_WORDS))
        plain = 0 < n <= crossdoc.MAX_WORDS and not (n >= crossdoc.PROSE_WORDS and crossdoc._STOP.search(text)) \
            and len(letter.findall(text, 0, 200)) >= 2
        assert crossdoc.is_candidate(text) == plain, repr(text)
