"""Issue 19: fast paths of the document-level kinds must find exactly what their plain paths did.

``lines`` (UI024): features are computed per block when first asked (lint.kinds.lines._Feats),
runs and lone lines are looked for among the short paragraphs alone (_plain_short), the last
prose block is found only when a run is reported, and the stopword share counts the words
without making them one by one (Lines._stop_share)."""
from __future__ import annotations

import random

from lint.kinds import lines as lines_kind
from lint.kinds.lines import Lines
from lint.packs import load_rules

from helpers import varied_documents


def _lines_rules():
    rules = [r.impl for r in load_rules(cache=True).rules if isinstance(r.impl, Lines)]
    assert rules
    return rules


def _plain_stop_share(rule, text, n):
    """The stopword share as it was computed: every match of _lower_word, one by one."""
    if not n:
        return 0.0
    words = rule._lower_word.findall(text.lower().replace("’", "'"))
    return sum(map(rule.stopwords.__contains__, words)) / n


def test_stop_share_is_the_findall_one():
    rule = _lines_rules()[0]
    rng = random.Random(7)
    texts = [b.text for doc in varied_documents(5) for b in doc.blocks]
    alphabet = "abzAZ'’ .,-:İKKſßé\u212a\n\t0"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(5000)]
    texts += ["don't 'tis rock'n'roll O'Neill it's ’s ''a the'' 'the' I’m", "THE AND OF", "", "  "]
    stopped = 0
    for text in texts:
        n = len(text.split())
        want = _plain_stop_share(rule, text, n)
        assert rule._stop_share(text, n) == want, repr(text)
        stopped += want > 0
    assert stopped > 1000


_PROSE = ("The ferry will run again from Monday, the council said after a long meeting on Tuesday night "
          "and a vote that was closer than anyone at the harbour had expected.")
_WORDS = "Harbour Works Begin on East Quay New Market Hall Opens Its Doors the of and a".split()
_SHAPED = ["3 comments", "Leave a comment", "Jane Roe says:", "Reply", "Report abuse", "Share",
           "12 March 2021 at 8:14 am", "Posted by Mara Lind on 12 March 2021", "5 minutes ago",
           "Photo: Mara Lind", "Home | News | Sport", "@harbourcouncil", "Follow @harbourcouncil",
           "Mara Lind", "42", "Aug. 30 -- Venue, City, ST", "The winners were:", "Tim,"]


def _line_documents(seed: int):
    """Short lines of every length from 1 to 16 words, shaped lines and prose, in random order,
    as plain text and as Markdown (headings and list items among them)."""
    from lint.document import parse

    rng = random.Random(seed)
    docs = []
    for k in range(240):
        lines = []
        for _ in range(rng.randint(3, 24)):
            roll = rng.random()
            if roll < 0.3:
                line = _PROSE
            elif roll < 0.55:
                line = rng.choice(_SHAPED)
                if rng.random() < 0.5:  # padded to near the limits of max_words and lone_words
                    line += " Harbour" * rng.randint(0, 16 - len(line.split()))
            else:
                line = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 16)))
                line += rng.choice(["", "", ".", ":", "?", ";"])
            if k % 2 and rng.random() < 0.2:
                line = rng.choice(["# ", "- ", "1. "]) + line
            lines.append(line)
        sep = "\n\n" if k % 2 and rng.random() < 0.5 else "\n"
        docs.append(parse(sep.join(lines) + "\n", f"lines{k}.{'md' if k % 2 else 'txt'}"))
    return docs


def _hits(rule, doc):
    return [(h.start, h.end, sorted(h.vars.items()), h.edits) for h in rule.check(doc, list(doc.blocks))]


def test_lines_check_finds_what_the_plain_path_did(monkeypatch):
    """The plain path: every block described at once, every block asked whether it is a short
    line or a lone one, the findall stopword share."""
    rules = _lines_rules()
    found = 0
    for doc in varied_documents(31) + _line_documents(3):
        for rule in rules:
            fast = _hits(rule, doc)
            for b in doc.blocks:
                b.memo.clear()
            with monkeypatch.context() as m:
                m.setattr(lines_kind, "_Feats", lambda features, blocks: [features(b) for b in blocks])
                m.setattr(lines_kind, "_plain_short", lambda blocks, most: range(len(blocks)))
                m.setattr(Lines, "_stop_share", _plain_stop_share)
                plain = _hits(rule, doc)
            for b in doc.blocks:
                b.memo.clear()
            assert fast == plain, doc.path
            found += len(fast)
    assert found > 200


def test_shape_with_the_documents_words_finds_what_it_did_without_filters(monkeypatch):
    """The ``shape`` kind (UI001) asks its blocks only for the rarest list's words that the
    document holds (lint.literals.doc_cut), and is not tried on a document that holds none of
    them (its ``requires``): the findings are those with the literal filters off."""
    from lint import literals
    from lint.document import parse
    from lint.kinds.shape import Shape

    rules = [r for r in load_rules(cache=True).rules if isinstance(r.impl, Shape)]
    assert rules and all(r.impl.requires for r in rules)
    docs = varied_documents(5)
    player = "Crews worked overnight.\n\nSpace to play or pause, M to mute, left and right arrows to seek.\n"
    docs += [parse(player, "p.txt"), parse(player.replace("play", "start"), "q.txt")]
    found = 0
    for doc in docs:
        for rule in rules:
            impl = rule.impl
            zones = rule.meta.zones
            blocks = [b for b in doc.blocks if not zones or b.zone in zones]
            met = literals.doc_met(impl.requires, doc.present)
            fast = [(h.block.index, h.start, h.end) for h in impl.check(doc, blocks)] if met else []
            with monkeypatch.context() as m:
                m.setattr(literals, "ENABLED", False)
                plain = [(h.block.index, h.start, h.end) for h in impl.check(doc, blocks)]
            assert fast == plain, (rule.meta.code, doc.path)
            found += len(fast)
    assert found > 0
