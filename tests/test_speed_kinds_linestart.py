"""Issue 19: a ``pattern`` rule's view regex whose every match begins at a line start (a leading
``^``, MULTILINE) is tried at each block's start of the joined view instead of searched for
through every character (lint.kinds.pattern._line_start). The findings must be those of the
search: compared here on fixtures, generated articles, every rule's examples and odd texts."""
from __future__ import annotations

import random
import re
from types import SimpleNamespace

from lint.kinds import joined
from lint.kinds import pattern as pattern_kind
from lint.kinds.pattern import Pattern, _line_start
from lint.packs import load_rules

from helpers import varied_documents


def _documents():
    return varied_documents(6, markdown_examples=True)


def test_which_regexes_take_the_line_start_path():
    assert _line_start(re.compile(r"^ab", re.M))
    assert _line_start(re.compile(r"^(?:a|b)c", re.M))
    assert _line_start(re.compile(r"^[|]a", re.M))  # a "|" in a class
    assert _line_start(re.compile(r"^[]|]a", re.M))
    assert _line_start(re.compile(r"^a\|b", re.M))  # an escaped one
    assert _line_start(re.compile(r"^(?:ab)?", re.M))  # it can match empty: _at_starts gives up then
    assert not _line_start(re.compile(r"^ab"))  # not MULTILINE: "^" is the text's start only
    assert not _line_start(re.compile(r"^a|b", re.M))  # a branch without "^"
    assert not _line_start(re.compile(r"^(?:a)|b", re.M))
    assert not _line_start(re.compile(r"^[a]|b", re.M))
    assert not _line_start(re.compile(r"a^", re.M))
    assert not _line_start(re.compile(r"(?=x)^ab", re.M))
    assert not _line_start(re.compile(r"(?x)^ a | b", re.M))  # verbose: the text reads otherwise
    assert not _line_start(re.compile(r"^a(?#|)|b", re.M))


def test_line_start_matches_are_the_searchs(monkeypatch):
    rules = [r for r in load_rules(cache=True).rules if isinstance(r.impl, Pattern)
             and r.impl.twins.regexes and any(map(_line_start, r.impl.twins.regexes))]
    assert rules
    docs = _documents()
    found = 0
    for doc in docs:
        for rule in rules:
            impl = rule.impl
            zones = rule.meta.zones
            blocks = [b for b in doc.blocks if not zones or b.zone in zones]
            fast = [(h.block.index, h.start, h.end, h.vars) for h in impl.check(doc, blocks)]
            with monkeypatch.context() as m:
                m.setattr(pattern_kind, "_line_start", lambda rx: False)
                plain = [(h.block.index, h.start, h.end, h.vars) for h in impl.check(doc, blocks)]
            assert fast == plain, (rule.meta.code, doc.path)
            found += len(fast)
    assert found > 0


def test_a_made_up_anchored_regex_over_views():
    """Matches that follow each other, that end where the next block starts (they take in the
    separator: the view gives up), lookbehinds across the separator, unicode."""
    rng = random.Random(5)
    regexes = [re.compile(p, re.M) for p in (
        r"^a+", r"^(?:ab|a)(?=b)", r"^(?<=\n)a", r"^[^\n]{2,5}$", r"^a[^\n]*\n?b", r"^é\w*", r"^a(?!b)",
        r"^a*", r"^(?=a)", r"^a*?", r"^(?:b|a+)?")]
    impl = Pattern.__new__(Pattern)
    impl.group, impl.exceptions, impl.replace, impl.pattern_replace, impl.translate = 0, [], None, {}, None
    impl.meta = None
    hits = 0
    for _ in range(600):
        # blocks as a parser never makes them too: with newlines of their own
        blocks = [SimpleNamespace(text="".join(rng.choice("aabé \t\n") for _ in range(rng.randint(1, 8))), index=i)
                  for i in range(rng.randint(1, 6))]
        view = joined.View(blocks)
        for rx in regexes:
            active = [(rx, None, rx)]
            fast = impl.hits_by_block(view, active)
            expect = None
            saved = pattern_kind._line_start
            try:
                pattern_kind._line_start = lambda r: False
                expect = impl.hits_by_block(view, active)
            finally:
                pattern_kind._line_start = saved
            norm = lambda out: [(b.index, [(h.start, h.end) for h in hits]) for b, hits in out]  # noqa: E731
            assert norm(fast) == norm(expect), (rx.pattern, view.text)
            hits += len(fast)
    assert hits > 100
