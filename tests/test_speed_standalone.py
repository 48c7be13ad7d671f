"""Issue 19: the ``standalone`` kind looks at a block's sentences only when one of them could
match whole (lint.kinds.standalone). Its findings must be those of the plain path, which splits
every short block and compares every sentence, on fixtures, generated articles and every rule's
own examples."""
from __future__ import annotations

from lint import literals
from lint.kinds.standalone import Standalone
from lint.packs import load_rules

from helpers import varied_documents


def _hits(rule, doc):
    return [(h.start, h.end, sorted(h.vars.items()), h.edits, h.block.index)
            for h in rule.check(doc, list(doc.blocks))]


def test_block_filters_find_what_the_plain_path_finds(monkeypatch):
    rules = [r.impl for r in load_rules(cache=True).rules if isinstance(r.impl, Standalone)]
    assert len(rules) > 20
    lexical = Standalone._lexical
    said = {True: 0, False: 0}

    def counted(folded, live):
        answer = lexical(folded, live)
        said[answer] += 1
        return answer

    found = 0
    for doc in varied_documents(19):
        for rule in rules:
            with monkeypatch.context() as m:
                m.setattr(Standalone, "_lexical", staticmethod(counted))
                fast = _hits(rule, doc)
            with monkeypatch.context() as m:  # no literal filter: every short block is split
                m.setattr(literals, "ENABLED", False)
                plain = _hits(rule, doc)
            assert fast == plain, (rule.meta.code if hasattr(rule, "meta") else rule, doc.path)
            found += len(fast)
    assert found > 50 and said[False] > said[True] > 0  # most blocks are never split for the lexicon
