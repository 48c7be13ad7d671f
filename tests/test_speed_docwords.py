"""Issue 19: the document's word views and the consistency kind.

- Block.n_words counts an ASCII text's words by C calls (translate + count) instead of making
  them: it must be ``len(text.split())`` on every text.
- A consistency rule tells the linter what a document must hold for it to report anything: the
  literal requirements of both its variants (Kind.requires, two-variant rules) and what the
  Hyperscan gate must have found (gate_form / gated_out). Where either says "nothing", the rule
  run in full finds nothing."""
from __future__ import annotations

from helpers import varied_documents

from lint import literals
from lint.document import Block, TextMap, parse
from lint.kinds.consistency import Consistency
from lint.regex import gate

from test_accel import built_gate, needs_hyperscan  # noqa: F401 - built_gate is a fixture

ODD_TEXTS = ["", " ", "a", " a", "a ", "  a  b  ", "\t\na\x0bb\x0cc\rd\x1ce\x1df\x1eg\x1fh i",
             "x\x1c", "\x1fx", "a\u00a0b c", "caf\u00e9 au lait", "a\u2003b\u3000c", "\x85a\x85",
             "one,two;three  four\n\nfive", "\x00a\x00 b", "\x7f \x7f", "—", "a — b"]


def _block(text: str) -> Block:
    return Block("paragraph", text, TextMap(), 0, 0)


def test_n_words_is_the_split_count():
    texts = list(ODD_TEXTS)
    texts += [chr(c) + "w" + chr(c) + "w" for c in range(256)]
    for doc in varied_documents(10, markdown_examples=True):
        texts += [b.text for b in doc.blocks]
    assert sum(t.isascii() for t in texts) > 1000
    for t in texts:
        assert _block(t).n_words == len(t.split()), repr(t)


def _consistency_rules():
    from lint.packs import load_rules

    rules = [r for r in load_rules(cache=True).rules if isinstance(r.impl, Consistency)]
    assert len(rules) >= 5
    return rules


def _hits(impl, doc, blocks):
    return [(h.block.index, h.start, h.end, sorted(h.vars.items())) for h in impl.check(doc, blocks)]


def test_two_variant_rules_require_both_variants_literals():
    rules = _consistency_rules()
    assert any(r.impl.requires for r in rules)
    unmet = 0
    for doc in varied_documents(11):
        for rule in rules:
            impl = rule.impl
            if len(impl.variants) == 2:
                both = [req for req in impl.variant_reqs if req]
                assert impl.requires == tuple(s for req in both for s in req)
            else:
                assert impl.requires == ()
            if impl.requires and not literals.doc_met(impl.requires, doc.present):
                unmet += 1
                assert _hits(impl, doc, doc.blocks) == [], (rule.meta.code, doc.path)
    assert unmet > 0


@needs_hyperscan
def test_a_gated_out_consistency_rule_finds_nothing(built_gate):
    g, _ = built_gate
    rules = _consistency_rules()
    skipped = ran = found = 0
    docs = varied_documents(12)
    for doc in docs + [parse("Mr. Smith met Mr Jones, Mr Brown and Mr. Green; Mr Black left.", "m.txt")]:
        doc.memo["gate"] = gate.DocGate(g, "\n".join(b.text for b in doc.blocks))
        for rule in rules:
            impl = rule.impl
            form = g.owned(impl)
            out = impl.gated_out(doc)
            # the linter's own question (lint.linter: rules_out of the owned form)
            assert out == (form != (None, None) and gate.rules_out(form, doc.memo["gate"].found_ids()))
            can = sum(doc.memo["gate"].may_match(rx) for _, rx in impl.variants)
            if out:
                assert can < 2, (rule.meta.code, doc.path)
                assert _hits(impl, doc, doc.blocks) == [], (rule.meta.code, doc.path)
                skipped += 1
            else:
                ran += 1
                found += len(_hits(impl, doc, doc.blocks))
    assert skipped > ran > 0 and found > 0
