#!/usr/bin/env python3
"""Split the evaluation sets into a tune half and a holdout half, for honest measurement.

    python tools/evalsplit.py [--eval ../shared/eval] [--out /tmp/evalsplit]

Each ``SET.jsonl`` is split by a stable hash (sha256) of its documents' group key into
``OUT/SET.tune.jsonl`` and ``OUT/SET.hold.jsonl``. The group key is the document id, except
that the aeb set's ids (``aeb:EXTRACTOR:PAGE``) are grouped by page, so one page as four
extractors left it never sits in both halves. A set of a single document (seed) is written
whole to both halves. Rules are tuned on the tune halves only; the holdout halves are
measured only to report. The output goes outside the repository: evaluation text is never
committed.

Score a half as any set:

    python3 ../shared/tools/score.py /tmp/evalsplit/SET.tune.jsonl \\
        --cmd 'copydesk check --format json {dir}'
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def group_key(doc_id: str) -> str:
    """What decides a document's half: its id, or for aeb the page (not the extractor)."""
    parts = doc_id.split(":")
    if parts[0] == "aeb" and len(parts) >= 3:
        return "aeb:" + parts[-1]
    return doc_id


def half(doc_id: str) -> str:
    digest = hashlib.sha256(group_key(doc_id).encode("utf-8")).digest()
    return "tune" if digest[0] % 2 == 0 else "hold"


def split(src: Path, out: Path) -> dict:
    lines = [line for line in src.read_text(encoding="utf-8").splitlines() if line.strip()]
    halves: dict[str, list[str]] = {"tune": [], "hold": []}
    for line in lines:
        doc = json.loads(line)
        if len(lines) == 1:
            halves["tune"].append(line)
            halves["hold"].append(line)
        else:
            halves[half(doc["id"])].append(line)
    name = src.name[: -len(".jsonl")]
    for h, rows in halves.items():
        (out / f"{name}.{h}.jsonl").write_text("".join(r + "\n" for r in rows), encoding="utf-8")
    return {h: len(rows) for h, rows in halves.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval", type=Path, default=HERE.parent.parent / "shared" / "eval")
    ap.add_argument("--out", type=Path, default=Path("/tmp/evalsplit"))
    args = ap.parse_args(argv)
    out = args.out.resolve()
    if HERE.parent in out.parents or out == HERE.parent:
        ap.error("write the halves outside the repository")
    out.mkdir(parents=True, exist_ok=True)
    sets = sorted(args.eval.glob("*.jsonl"))
    if not sets:
        ap.error(f"no *.jsonl in {args.eval}")
    for src in sets:
        counts = split(src, out)
        print(f"{src.name}: tune {counts['tune']}, hold {counts['hold']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
