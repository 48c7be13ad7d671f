"""Wall time of the Markdown parser on lists nested by indentation (issues 16 and 17).

    python bench/nested_lists.py [--levels 400 800 1600 3200] [--repeat 3] [--shape bullets]

For each number of levels, the median time to parse (or refuse: past
``lint.document.markdown.MAX_NESTING`` containers a file is "nested too deeply to lint") a list
nested that deep, one item per line, each line indented two more columns than the one before
(``- item`` under ``  - item`` ...); then the ratio of each time to the previous one. The
file grows with the square of the levels (3,200 levels are 10 MB), so twice the levels is four
times the bytes; the work per byte is a C string search (markdown-it-py's own line scan, in
Python, made 3,200 levels take 14 s; lint.document.markdown replaces it). Before issue 16 it was
7-8x per doubling (400 levels 3 s, 800 levels 22 s, 1,600 over a minute); the hand-written
parser of issue 16 took 1.9 s for 3,200 bullet levels, markdown-it-py 0.4 s. The tests count
work instead of timing it (tests/test_hostile_markdown.py).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lint.document import parse  # noqa: E402
from lint.document.markdown import MAX_NESTING  # noqa: E402

SHAPES = {
    "bullets": lambda n: "".join("  " * k + "- item %d\n" % k for k in range(n)),
    "ordered": lambda n: "".join("   " * k + "1. item\n" for k in range(n)),
    "tabs": lambda n: "".join("\t" * k + "- item\n" for k in range(n)),
    "lazy": lambda n: "".join("  " * k + "- item\nlazy text\n" for k in range(n)),
    "quoted": lambda n: "".join("> " * k + "- item\n" for k in range(n)),
    "quotes": lambda n: ">" * n + " x\n",
    "one line": lambda n: "- " * n + "x\n",
}


def one(source: str) -> tuple[float, str]:
    t = time.perf_counter()
    try:
        parse(source, "nested.md")
        outcome = "parsed"
    except RecursionError:
        outcome = "refused"
    return time.perf_counter() - t, outcome


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--levels", type=int, nargs="+", default=[400, 800, 1600, 3200])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--shape", choices=sorted(SHAPES), nargs="+", default=["bullets"])
    args = ap.parse_args()
    print(f"MAX_NESTING = {MAX_NESTING}; median of {args.repeat} runs")
    print(f"{'shape':8} {'levels':>7} {'lines':>7} {'MB':>6} {'outcome':>8} {'seconds':>9} {'ratio':>6}")
    for shape in args.shape:
        previous = None
        for n in args.levels:
            source = SHAPES[shape](n)
            runs = [one(source) for _ in range(args.repeat)]
            t = statistics.median(r[0] for r in runs)
            ratio = f"{t / previous:.2f}" if previous else "-"
            print(f"{shape:8} {n:>7} {source.count(chr(10)):>7} {len(source) / 1e6:>6.2f} {runs[0][1]:>8} "
                  f"{t:>9.3f} {ratio:>6}")
            previous = t
    return 0


if __name__ == "__main__":
    sys.exit(main())
