#!/usr/bin/env python3
"""Warm or cold Copydesk against ripgrep, one run of each per round (and of other checkouts
given with --also), so that every command sees the same machine minutes; medians and the
median of the per-round ratios to ripgrep.

    python bench/interleaved.py [--size 10000] [--rounds 15] [--mode warm|cold] [--also PATH ...]

This machine's speed moves by tens of percent from one minute to the next, so a single bench run
(bench/run.py) can put a ratio on either side of its target; interleaved rounds do not.
``--also PATH``: another checkout of Copydesk (its root folder), run with PYTHONPATH=PATH and a
result store of its own: the code before a change, say. The corpus is generated as bench/run.py
generates it (seed 7) under a temporary folder, unless --corpus names one.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402
from run import pattern_file  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--mode", choices=["warm", "cold"], default="warm")
    ap.add_argument("--corpus", default=None, help="a folder of articles instead of a generated one")
    ap.add_argument("--also", action="append", default=[], metavar="PATH", help="another checkout to run too")
    args = ap.parse_args()
    if not shutil.which("rg"):
        sys.exit("interleaved: ripgrep (rg) is not installed")
    with tempfile.TemporaryDirectory(prefix="copydesk-interleaved-") as tmp:
        work = Path(tmp)
        corpus = Path(args.corpus) if args.corpus else work / "corpus"
        if not args.corpus:
            generate(corpus, args.size, seed=7)
        pats = pattern_file(work)
        checkouts = {"copydesk": str(HERE.parent)}
        for i, path in enumerate(args.also):
            checkouts[f"also {i + 1} ({Path(path).name})"] = str(Path(path).resolve())
        commands = {}
        for name, root in checkouts.items():
            home = work / f"home-{len(commands)}"
            home.mkdir()
            env = {**os.environ, "PYTHONPATH": root}
            commands[name] = ([sys.executable, "-m", "lint", "check", "--format", "json", str(corpus)], home, env)
        commands["ripgrep"] = (["rg", "-c", "-f", str(pats), str(corpus)], work, dict(os.environ))

        def once(name):
            cmd, cwd, env = commands[name]
            if args.mode == "cold" and name != "ripgrep":
                shutil.rmtree(cwd / ".copydesk_cache", ignore_errors=True)
            t = time.perf_counter()
            subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return time.perf_counter() - t

        for name in commands:  # the stores filled, the rule sets cached, the files in the page cache
            once(name)
        times: dict = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name in commands:
                times[name].append(once(name))
        rg = times["ripgrep"]
        n = sum(1 for p in corpus.rglob("*") if p.is_file())
        print(f"{args.mode}, {n} articles, {args.rounds} rounds (median, best; per-round ratio to ripgrep, median)")
        for name, ts in times.items():
            ratio = statistics.median(a / b for a, b in zip(ts, rg))
            print(f"  {name:<28}{statistics.median(ts) * 1000:8.0f} ms{min(ts) * 1000:8.0f} ms{ratio:8.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
