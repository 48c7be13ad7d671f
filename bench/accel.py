#!/usr/bin/env python3
"""In-process timing of the rule work with and without the accelerators (lint.literals'
Aho-Corasick presence pass, lint.regex.gate's Hyperscan gate), on a generated corpus: CPU seconds
of lint_source over every file (parsing included), per mode, and whether the findings agree.

    python bench/accel.py [N] [--seed S] [--repeat R]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402


def run(texts, rules, literal: bool, gate: bool):
    from lint import literals
    from lint.runner import lint_source

    from lint.regex import gate as hsgate

    literals.ACCEL = literal
    hsgate.ENABLED = gate
    t0 = time.process_time()
    out = []
    for path, text in texts:
        r = lint_source(text, path, rules)
        out.append([(d.code, d.start, d.end, d.message, str(d.severity)) for d in r.diagnostics])
    return time.process_time() - t0, out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int, nargs="?", default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from lint.packs import load_rules

    work = Path(tempfile.mkdtemp(prefix="copydesk-accel-"))
    paths = generate(work, args.n, seed=args.seed)
    texts = [(str(p), p.read_text(encoding="utf-8")) for p in paths]
    rules = [r for r in load_rules().rules if r.meta.default_enabled]
    modes = {"plain": (False, False), "aho-corasick": (True, False), "aho-corasick + hyperscan": (True, True)}
    run(texts[:20], rules, True, True)  # warm up: first-use compiles, the vocabulary, the database
    times = {m: [] for m in modes}
    results = {}
    for _ in range(args.repeat):
        for name, (lit, gate) in modes.items():
            t, out = run(texts, rules, lit, gate)
            times[name].append(t)
            results[name] = out
    base = statistics.median(times["plain"])
    print(f"{args.n} articles, {sum(len(t) for _, t in texts) / 1e6:.1f} MB, CPU seconds (median of {args.repeat}):")
    for name in modes:
        t = statistics.median(times[name])
        same = results[name] == results["plain"]
        print(f"  {name:<28}{t:8.3f} s  {base / t:5.2f}x  findings identical: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
