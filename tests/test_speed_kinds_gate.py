"""Issue 19: a ``pattern`` rule (and ``context``, ``docpattern``, ``docstyle``, built on it) whose
patterns (or prefilter) the document's Hyperscan gate rules out all at once is skipped with one set test
(:meth:`lint.kinds.pattern.Pattern.gated_out`). The skip must find exactly what running the
rule finds: it is compared here with the rule run without it, and with the gate's own answer
per pattern, on the fixtures, odd texts and generated articles."""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from lint.document import parse
from lint.kinds.pattern import Pattern
from lint.kinds.standalone import Standalone
from lint.regex import gate

from test_accel import ODD, built_gate, needs_hyperscan  # noqa: F401 - built_gate is a fixture

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def _documents():
    from corpus import article

    rng = random.Random(19)
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "fixtures").iterdir())
             if p.suffix in (".txt", ".md", ".html")]
    texts += [("odd.txt", ODD), ("upper.txt", ODD.upper()), ("lower.md", ODD.lower())]
    texts += [(f"gen{i}.{'md' if i % 2 else 'txt'}", article(rng, bool(i % 2))) for i in range(60)]
    return [parse(text, name) for name, text in texts]


def _examples():
    """Every built-in rule's own fail and pass texts, as text and as Markdown."""
    from lint.packs import load_rules

    out = []
    for r in load_rules(cache=True).rules:
        for i, ex in enumerate(list(r.meta.fail) + list(r.meta.passes)):
            out.append(parse(ex.text, f"{r.meta.code}-{i}.{'md' if i % 2 else 'txt'}"))
    return out


def _hits(impl, doc, blocks):
    return [(h.block.index if h.block is not None else None, h.start, h.end, sorted(h.vars.items()),
             h.edits, h.fix_cap) for h in impl.check(doc, blocks)]


@needs_hyperscan
def test_a_gated_out_rule_finds_nothing_and_the_others_find_what_they_did(built_gate, monkeypatch):
    g, _ = built_gate
    rules = [r for r in __import__("lint.packs", fromlist=["load_rules"]).load_rules(cache=True).rules
             if isinstance(r.impl, Pattern)]
    assert len(rules) > 20
    skipped = ran = by_prefilter = 0
    for doc in _documents():
        doc.memo["gate"] = gate.DocGate(g, "\n".join(b.text for b in doc.blocks))
        for rule in rules:
            impl = rule.impl
            zones = rule.meta.zones
            blocks = [b for b in doc.blocks if not zones or b.zone in zones]
            out = impl.gated_out(doc)
            # the gate's own answer, pattern by pattern, and for the prefilter
            per_pattern = all((rx.pattern, rx.flags) in g.index and not doc.memo["gate"].may_match(rx)
                              for rx in impl.regexes)
            pf = impl.prefilter
            no_prefilter = pf is not None and (pf.pattern, pf.flags) in g.index \
                and not doc.memo["gate"].may_match(pf)
            assert out == (per_pattern or no_prefilter), (rule.meta.code, doc.path)
            if no_prefilter and not per_pattern:
                by_prefilter += 1
                assert not any(pf.search(b.text) for b in doc.blocks), (rule.meta.code, doc.path)
            fast = _hits(impl, doc, blocks)
            with monkeypatch.context() as m:
                m.setattr(type(impl), "gated_out", lambda self, d: False)
                plain = _hits(impl, doc, blocks)
            assert fast == plain, (rule.meta.code, doc.path)
            if out:
                assert not per_pattern or not impl.active(doc)
                skipped += 1
            else:
                ran += 1
    assert skipped > ran > 0  # the skip is taken, and not always
    assert by_prefilter > 0  # some rules only by their prefilter (LANG001 on ASCII text)


def test_no_gate_no_skip():
    doc = parse("Leaders met in the capital. (AP: Jane Doe)\n", "a.txt")
    doc.memo["gate"] = None
    rules = [r for r in __import__("lint.packs", fromlist=["load_rules"]).load_rules(cache=True).rules
             if isinstance(r.impl, Pattern)]
    assert not any(r.impl.gated_out(doc) for r in rules)


@needs_hyperscan
def test_standalone_patterns_the_gate_rules_out_were_never_going_to_match(built_gate, monkeypatch):
    """A ``standalone`` (or ``edge``) rule leaves out the patterns the gate rules out for the
    document (Standalone._gated): the same findings as with every pattern tried."""
    from lint.packs import load_rules

    g, patterns = built_gate
    rules = [r for r in load_rules(cache=True).rules if isinstance(r.impl, Standalone)]
    assert len(rules) > 20
    offered = [p for r in rules for p in r.impl.gate_patterns()]
    assert offered and all((p.pattern, p.flags) in gate._REGISTRY for p in offered)
    assert sum((p.pattern, p.flags) in g.index for p in offered) > len(offered) // 2
    ruled_out = kept = found = 0
    for doc in _documents() + _examples():
        doc.memo["gate"] = gate.DocGate(g, "\n".join(b.text for b in doc.blocks))
        for rule in rules:
            impl = rule.impl
            zones = rule.meta.zones
            blocks = [b for b in doc.blocks if not zones or b.zone in zones]
            through, _ = impl._gated(doc)
            ruled_out += through.count(False)
            kept += through.count(True)
            fast = _hits(impl, doc, blocks)
            with monkeypatch.context() as m:
                m.setattr(Standalone, "_gated", lambda self, d: (None, True))
                plain = _hits(impl, doc, blocks)
            assert fast == plain, (rule.meta.code, doc.path)
            found += len(fast)
    assert ruled_out > kept > 0 and found > 50
