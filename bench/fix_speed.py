#!/usr/bin/env python3
"""Fix time against check time on one file with many findings (the fix loop was quadratic in
the number of findings: 16,000 paragraphs with ". ." took 11.7 s to fix against 1.2 s to check).

    python bench/fix_speed.py [--paragraphs 4000 16000] [--repeat 3]

Prints, per size: median wall time of `copydesk check --no-cache` and of `copydesk fix --diff
--no-cache` (the same loop as `fix`, without the write) on a plain-text file and a Markdown file
of N paragraphs that each hold one joined-segment ". .", and their ratio (target: ≤ 2×), and
how the fix time grows from the smallest size to the largest (linear: the size ratio).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def article(n: int) -> str:
    return "\n\n".join(f"The council met on day {i} and voted. . Then it adjourned for lunch."
                       for i in range(n)) + "\n"


def median_time(cmd, cwd, repeat) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paragraphs", type=int, nargs="+", default=[4000, 16000])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    copydesk = [sys.executable, "-m", "lint"]
    work = Path(tempfile.mkdtemp(prefix="copydesk-fixbench-"))
    print(f"{'file':<24}{'check s':>10}{'fix s':>10}{'fix/check':>11}")
    fix_times: dict[str, list[tuple[int, float]]] = {}
    for n in args.paragraphs:
        for suffix in ("txt", "md"):
            f = work / f"p{n}.{suffix}"
            f.write_text(article(n), encoding="utf-8")
            check = median_time(copydesk + ["check", "--no-cache", "--format", "json", f.name], work, args.repeat)
            fix = median_time(copydesk + ["fix", "--no-cache", "--diff", f.name], work, args.repeat)
            fix_times.setdefault(suffix, []).append((n, fix))
            print(f"{f.name:<24}{check:>10.2f}{fix:>10.2f}{fix / check:>10.2f}x")
    for suffix, rows in fix_times.items():
        (n0, t0), (n1, t1) = rows[0], rows[-1]
        if n1 > n0:
            print(f"fix time growth .{suffix}: {t1 / t0:.2f}x for {n1 / n0:.0f}x the paragraphs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
