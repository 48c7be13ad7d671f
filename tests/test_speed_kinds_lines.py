"""Issue 19: the ``lines`` kind computes a short block's stopword and title-case shares only when a
check asks for them (lint.kinds.lines._Features). The findings must be those of the eager
computation, and each value the one the eager formula gives, on fixtures, generated articles and
every rule's own examples."""
from __future__ import annotations


from lint.kinds import lines as lines_kind
from lint.kinds.lines import Lines
from lint.packs import load_rules

from helpers import varied_documents


def _documents():
    return varied_documents(24)


_LAZY = Lines.features


def _eager(rule, block):
    """The features as they were computed before: every value at once."""
    f = dict(_LAZY(rule, block))
    if f["n"] <= rule.short_limit:
        text = block.text.strip()
        words = rule._word.findall(text)
        f["stop"] = rule._stop_share(text, f["n"])
        f["title"] = sum(1 for w in words if w[:1].isupper()) / len(words) if words else 0.0
    return f


def _hits(rule, doc):
    return [(h.start, h.end, sorted(h.vars.items()), h.edits) for h in rule.check(doc, list(doc.blocks))]


def test_lazy_features_find_what_eager_ones_did(monkeypatch):
    rules = [r.impl for r in load_rules(cache=True).rules if isinstance(r.impl, Lines)]
    assert rules
    asked = never = found = 0
    for doc in _documents():
        for rule in rules:
            lazy = _hits(rule, doc)
            for b in doc.blocks:
                f = b.memo.get(("lines", id(rule)))
                if f is not None and f["n"] <= rule.short_limit:
                    never += ("stop" not in f) + ("title" not in f)
                    asked += ("stop" in f) + ("title" in f)
            for b in doc.blocks:
                b.memo.clear()
            with monkeypatch.context() as m:
                m.setattr(Lines, "features", lambda self, block: block.memo.setdefault(
                    ("eager", id(self)), _eager(self, block)))
                eager = _hits(rule, doc)
            for b in doc.blocks:
                b.memo.clear()
            assert lazy == eager, doc.path
            found += len(lazy)
    assert found > 10 and never > asked > 0  # most short blocks are never asked


def test_a_lazy_value_is_the_eager_one():
    rule = next(r.impl for r in load_rules(cache=True).rules if isinstance(r.impl, Lines))
    for doc in _documents()[:40]:
        for b in doc.blocks:
            f = rule.features(b)
            if f["n"] > rule.short_limit:
                continue
            want = _eager(rule, b)
            assert isinstance(f, lines_kind._Features)
            assert (f["title"], f["stop"]) == (want["title"], want["stop"]), b.text
            b.memo.clear()
