"""Issue 19: fast paths of the word-level rule kinds (standalone, edge), each compared with the
plain path on varied documents."""
from __future__ import annotations

import pytest

from helpers import varied_documents
from lint.kinds.edge import Edge
from lint.kinds.standalone import Standalone
from lint.regex import gate

from test_accel import built_gate, needs_hyperscan  # noqa: F401 - built_gate is a fixture


def _hits(impl, doc, blocks):
    return [(h.block.index, h.start, h.end, sorted(h.vars.items()), h.edits) for h in impl.check(doc, blocks)]


def _standalone_rules():
    from lint.packs import load_rules

    rules = [r for r in load_rules(cache=True).rules if isinstance(r.impl, Standalone)]
    assert len(rules) > 20 and any(isinstance(r.impl, Edge) for r in rules)
    return rules


@needs_hyperscan
def test_standalone_rules_the_linter_skips_by_the_gate_find_nothing(built_gate, monkeypatch):
    """A standalone (or edge) rule without a lexicon whose patterns the document's scan all rules
    out is skipped by lint.linter (its check is in GATED_CHECKS; Gate.owned's form is its
    patterns' ids): run plainly (every pattern tried, no gate), it finds nothing there. The
    per-pattern answers (Standalone._gated) give the plain findings everywhere."""
    g, _ = built_gate
    rules = _standalone_rules()
    assert Standalone.check in gate.GATED_CHECKS and Edge.check in gate.GATED_CHECKS
    skipped = ran = found = 0
    for doc in varied_documents(41, markdown_examples=True):
        doc.memo["gate"] = gate.DocGate(g, "\n".join(b.text for b in doc.blocks))
        ids = doc.memo["gate"].found_ids()
        for rule in rules:
            impl = rule.impl
            form = g.owned(impl)
            ids_of_form, pf = form
            assert pf is None
            if impl.lexicon:
                assert ids_of_form is None
            zones = rule.meta.zones
            blocks = [b for b in doc.blocks if not zones or b.zone in zones]
            fast = _hits(impl, doc, blocks)
            with monkeypatch.context() as m:
                m.setattr(Standalone, "_gated", lambda self, d: (None, True))
                plain = _hits(impl, doc, blocks)
            assert fast == plain, (rule.meta.code, doc.path)
            # the per-pattern answers, as the gate gives them one by one
            through, unfiltered = impl._gated(doc)
            n = len(impl.filtered)
            per = [(p.pattern, p.flags) not in g.index or g.index[(p.pattern, p.flags)] in ids
                   for p in impl.gate_patterns()]
            assert list(through) == per[:n] and unfiltered == all(per[n:]), (rule.meta.code, doc.path)
            skip = ids_of_form is not None and gate.rules_out(form, ids)
            assert impl.gated_out(doc) == skip  # the kind's own answer is the linter's
            if skip:
                assert plain == [], (rule.meta.code, doc.path)
                skipped += 1
            else:
                ran += 1
            found += len(plain)
    assert skipped > 0 and ran > 0 and found > 50


def test_edge_blocks_are_shared_only_with_the_same_list(monkeypatch):
    """Edge.compared keeps its edge blocks in the document's memo by ``head``: a rule of the
    same head given the same list reuses them, one given another list (other zones) gets its
    own; each is what the plain filter gives."""
    rules = [r for r in _standalone_rules() if isinstance(r.impl, Edge)]
    for doc in varied_documents(13, markdown_examples=True):
        every = list(doc.blocks)
        body = [b for b in doc.blocks if b.zone == "body"]
        for rule in rules:
            impl = rule.impl
            for blocks in (every, body, every):
                plain = [b for b in blocks if (b.index < impl.head or b.zone == "tail")
                         and not b.kind.startswith("table")]
                assert impl.compared(doc, blocks) == plain


def test_phrase_live_entries_are_those_of_the_plain_test(monkeypatch):
    """Phrase._live (templates filed by the bit of their first set, met sets as bits) gives the
    entries with a template every needed set of which has one of the document's words, as the
    plain test over every template does; also with a document made of the rules' own fail
    sentences, where entries are live."""
    from lint import literals
    from lint.document import parse
    from lint.kinds.phrase import Phrase, _possible
    from lint.packs import load_rules

    rules = [r.impl for r in load_rules(cache=True).rules if isinstance(r.impl, Phrase)]
    assert rules
    docs = list(varied_documents(29, markdown_examples=True))
    for impl in rules:
        fails = " ".join(s.replace("⟦", "").replace("⟧", "") for e in impl.entries for s, _ in e["fail"][:1])
        docs.append(parse(fails, "fails.txt", "text"))
    some = 0
    for doc in docs:
        for impl in rules:
            plain = [i for i, needs in enumerate(impl.entry_needs) if _possible(needs, doc.words.__contains__)]
            assert impl._live(doc) == plain, doc.path
            some += bool(plain)
        with monkeypatch.context() as m:
            m.setattr(literals, "ENABLED", False)
            assert all(impl._live(doc) is None for impl in rules)
    assert some >= len(rules)
