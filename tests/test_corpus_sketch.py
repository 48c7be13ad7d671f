"""Pass 1 of corpus mode (lint/corpus.py) without a cluster: the count-min sketch never
undercounts, and pass 1a + 1b, composed by hand as the Dask tree composes them, find exactly
the frequent lines of the one-process reference (lint.crossdoc), copies of an article counting
once, even when a tiny sketch lets many infrequent lines through to pass 1b."""
from __future__ import annotations

import importlib.util
import json
import random
from collections import Counter

import pytest

# asked without importing it (numpy costs ~0.1 s of CPU to import, in every pytest-xdist worker
# that collects this file, whether or not it runs its tests): imported by the tests that use it
if importlib.util.find_spec("numpy") is None:
    pytest.skip("numpy is not installed (copydesk[corpus])", allow_module_level=True)

from lint import corpus as engine  # noqa: E402
from lint import crossdoc  # noqa: E402

SITE_LINES = ["Sign up for the evening newsletter", "Comments are closed", "Read more from the harbour desk",
              "Follow us on the usual places", "Photo: staff archive"]


def _article(rng: random.Random, i: int) -> str:
    words = ["council", "harbour", "budget", "bridge", "school", "river", "market", "museum", "rail", "tram"]
    body = " ".join(rng.choice(words) for _ in range(30))
    paras = [f"Report {i}: the {rng.choice(words)} plan moves on",  # a short title line, unique-ish
             f"The {body} and the officials said on Monday that the work would go on for {i} weeks."]
    for k, line in enumerate(SITE_LINES):
        if rng.random() < 0.06 * (k + 1):  # 6 % .. 30 % of the documents
            paras.append(line)
    return "\n\n".join(paras) + "\n"


def _docs(n: int, copies: int = 12, seed: int = 4) -> list[dict]:
    rng = random.Random(seed)
    docs = [{"id": f"d{i}", "text": _article(rng, i), "site": f"s{i % 2}"} for i in range(n)]
    # one article crawled many times, carrying a line no other document has: one document,
    # so never frequent, though it stands in `copies` records
    twin = docs[0]["text"] + "\nExclusive to the twin edition\n"
    docs += [{"id": f"copy{k}", "text": twin, "site": "s0"} for k in range(copies)]
    return docs


def _write(tmp_path, docs):
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


def _reference(docs, group_by: bool, min_docs=5, min_share=0.03) -> dict:
    groups: dict = {}
    for d in docs:
        groups.setdefault(d["site"] if group_by else "", []).append(d["text"])
    out = {}
    for g, texts in groups.items():
        counter = crossdoc.count(([k for k, _, _ in crossdoc.candidates(t)] for t in texts),
                                 [crossdoc.fingerprint(t) for t in texts])
        keys = crossdoc.frequent(counter, len(texts), min_docs=min_docs, min_share=min_share)
        if keys:
            out[g] = {engine.hkey(k): counter[k] for k in keys}
    return out


def _pass1_by_hand(parts, spec, width, depth, shards, spill=None, min_docs=5, min_share=0.03):
    """What reduce_counts runs on the cluster, in one process and in an arbitrary tree shape."""
    pieces = [engine.sketch_part(p, spec, spill_dir=spill) for p in parts]
    half = len(pieces) // 2
    root = engine._fold_sketch(width, depth, engine._fold_sketch(width, depth, *pieces[:half]),
                               engine._fold_sketch(width, depth, *pieces[half:]))
    docs, _styles, bound = engine._sketch_small(root)
    need = {g: max(min_docs, min_share * n) for g, n in docs.items()}
    mapped = [engine.pairs_part(p, spec, root, need, shards, spill) for p in parts]
    passed = sum(len(a) for m in mapped for s in m for a in s.values())
    totals: dict = {}
    for b in range(shards):
        folded = engine._fold_pairs(None, *[engine._fold_pairs(b, m) for m in mapped])
        for g, c in engine._count_pairs(folded).items():
            totals.setdefault(g, Counter()).update(c)
    frequent = {g: {h: n for h, n in c.items() if n >= need[g]} for g, c in totals.items()}
    return {g: v for g, v in frequent.items() if v}, docs, bound, passed


def test_the_sketch_never_undercounts_and_is_exact_when_wide():
    import numpy as np

    rng = np.random.default_rng(3)
    values = np.unique(rng.integers(0, 2**63, size=3000, dtype=np.uint64))
    counts = rng.integers(1, 50, size=len(values)).astype(np.uint32)
    half = len(values) // 2
    pieces = [{"keys": (values[:half], counts[:half]), "sketch": None, "docs": Counter(), "styles": Counter()},
              {"keys": (values[half:], counts[half:]), "sketch": None, "docs": Counter(), "styles": Counter()}]
    narrow = engine._fold_sketch(1 << 6, 3, *pieces)["sketch"]
    assert narrow.shape == (3, 64) and int(narrow.sum()) == 3 * int(counts.sum())
    est = engine.estimate(narrow, values)
    assert (est >= counts).all() and (est > counts).any()  # collisions only ever add
    wide = engine._fold_sketch(1 << 22, 4, *pieces)["sketch"]
    assert (engine.estimate(wide, values) == counts).mean() > 0.99
    # folding folded sketches is adding them: any tree gives the same sketch
    again = engine._fold_sketch(1 << 6, 3, engine._fold_sketch(1 << 6, 3, pieces[1]),
                                engine._fold_sketch(1 << 6, 3, pieces[0]))["sketch"]
    assert (again == narrow).all()


@pytest.mark.parametrize("group_by,spill", [(False, False), (True, False), (True, True)])
@pytest.mark.parametrize("width,depth,shards", [(1 << 17, 4, 1), (1 << 3, 2, 3)])
def test_two_pass_reduction_is_exact_whatever_the_sketch(tmp_path, group_by, spill, width, depth, shards):
    """Pass 1b reads the rows pass 1a left in the parts folder (``spill``) or parses again."""
    docs = _docs(160)
    src = _write(tmp_path, docs)
    spec = engine.Spec(group_by="site" if group_by else None)
    parts = engine.plan([str(src)], 9_000)
    assert len(parts) >= 4
    spill_dir = None
    if spill:
        spill_dir = tmp_path / "parts"
        spill_dir.mkdir()
        spill_dir = str(spill_dir)
    got, counted, bound, passed = _pass1_by_hand(parts, spec, width, depth, shards, spill_dir)
    if spill:
        assert sorted(p.name for p in tmp_path.joinpath("parts").iterdir()) == \
            [f"pass1-{p.index:05d}.npz" for p in parts]
    ref = _reference(docs, group_by)
    assert got == ref
    assert sum(counted.values()) == len(docs)
    assert sum(len(v) for v in ref.values()) >= 3  # several site lines are frequent
    twin = engine.hkey(crossdoc.normalise("Exclusive to the twin edition"))
    assert not any(twin in v for v in got.values())  # 12 copies of one article: one document
    if width == 8:  # a sketch of 8 counters lets infrequent lines through; pass 1b drops them
        frequent_pairs = sum(n for v in ref.values() for n in v.values())
        assert passed > frequent_pairs and bound >= 5


def test_sketch_part_counts_a_line_once_per_document(tmp_path):
    text = ("Sign up\n\nSign up\n\n"
            "A long enough line of prose that is not a candidate at all, said the officials today.\n")
    src = _write(tmp_path, [{"id": str(i), "text": text} for i in range(3)])
    [part] = engine.plan([str(src)], 1 << 20)
    piece = engine.sketch_part(part, engine.Spec())
    values, counts = piece["keys"]
    assert values.tolist() == [engine.hkey("sign up")] and counts.tolist() == [3]
    assert piece["docs"] == {"": 3}
