#!/usr/bin/env python3
"""Profile a cold run in-process (no result store, --jobs 1) and print the top entries.

    python bench/profile_cold.py DIR [--top 25] [--sort tottime|cumulative] [--accel 0|1] [--build-rules]

Cold as bench/run.py times it: no stored results (the run starts in an empty temporary folder,
where the result store would be), the built rule set loaded from the per-user rule cache (stored
first, outside the profile). ``--build-rules`` profiles ``--no-cache`` instead, which also builds
the rule set (YAML, data lists, a few hundred regex compiles: ~0.7 s of the profile).

`python -m lint` leaves through os._exit after flushing, so `python -m cProfile -m lint` never
writes its profile: this calls the command's function under cProfile instead.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
from contextlib import redirect_stdout
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--sort", default="tottime")
    ap.add_argument("--accel", choices=["0", "1"], default=None)
    ap.add_argument("--out", default=None, help="also save the raw profile here")
    ap.add_argument("--build-rules", action="store_true", help="--no-cache: build the rule set too")
    args = ap.parse_args()
    import tempfile

    target = os.path.abspath(args.dir)
    os.chdir(tempfile.mkdtemp(prefix="copydesk-profile-"))  # no result store here
    if args.accel is not None:
        os.environ["COPYDESK_ACCEL"] = args.accel
    from lint.cli import main as cli

    flags = ["--no-cache"] if args.build_rules else []
    if not args.build_rules:  # the rule set stored before the clock, as bench/run.py does
        from lint.packs import load_rules

        load_rules(cache=True)
    prof = cProfile.Profile()
    sink = io.StringIO()
    prof.enable()
    try:
        with redirect_stdout(sink):
            cli(["check", *flags, "--format", "json", "--jobs", "1", target], standalone_mode=False)
    except SystemExit:
        pass
    prof.disable()
    if args.out:
        prof.dump_stats(args.out)
    stats = pstats.Stats(prof)
    total = stats.total_tt
    print(f"total {total:.2f} s (profiled; report {len(sink.getvalue())} bytes)")
    stats.sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
