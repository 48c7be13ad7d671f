"""A seeded generator of article corpora for benchmarks: realistic news-like prose in plain
text and Markdown, with a share of the artifacts Copydesk looks for injected.

    python bench/corpus.py OUT_DIR N [--seed S]          write N articles as files (bench/run.py)
    python bench/corpus.py --bench [--sizes 10000,100000] [--workers 1,2] [--work DIR] [--repeat N]
                                   [--off-sizes 10000]

``--bench`` measures ``copydesk corpus`` (lint/corpus.py) on generated JSONL corpora: documents
per second on each number of local workers (a fresh LocalCluster per row, one thread per
worker, started before the clock runs), the peak resident memory of each worker process and of
the client (which should not grow with the corpus: records flow in partitions), and the cost of
the cross-document reduction (UI025): pass 1's seconds, and the same run without it
(``--no-cross-doc``) at the largest worker count of each size (or of ``--off-sizes``), and the
load average during each row (the figures are medians of ``--repeat`` runs). One site's furniture lines recur
in a tenth of the articles, so the reduction finds something to report.
"""
from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

SUBJECTS = ["The minister", "The city council", "Local officials", "The company", "Analysts", "The regulator",
            "Residents", "The union", "Investors", "The court", "The agency", "Engineers", "Farmers",
            "The mayor", "Health workers", "The committee", "Teachers", "The central bank"]
VERBS = ["said", "warned", "announced", "confirmed", "argued", "reported", "suggested", "denied"]
CLAUSES = ["the plan would cost more than expected", "prices had risen for a third month",
           "the bridge would reopen in the spring", "talks would resume next week",
           "the harvest was smaller than last year", "a new school would open in the autumn",
           "the budget left little room for new spending", "flooding had damaged several roads",
           "the merger still needed approval", "the number of visitors had doubled since 2019",
           "the decision would be reviewed by an independent panel", "wages had not kept pace with rents"]
TAILS = ["on Monday", "in a statement", "after a meeting in the capital", "according to a report",
         "in an interview", "late on Thursday", "during a visit to the region", "at a press conference"]
EXTRA = ["The figures were published on {day}.", "Critics said the timetable was too short.",
         "A spokesperson declined to comment further.", "The proposal will be debated in {month}.",
         "Officials expect a decision before the end of the year.", "About {n} people attended the meeting.",
         "The project has been delayed twice since {year}.", "Opposition members called for a vote."]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["March", "April", "June", "September", "November"]
ARTIFACTS = [
    "Space to play or pause, M to mute, left and right arrows to seek, up and down arrows for volume.",
    "Play the video.  Duration: {n} seconds",
    "Source link",
    "Comments are closed.",
    "Residents queue for water in the old town.(AP: Jane Rowe)",
]
INLINE_ARTIFACTS = [". .", ". , which surprised many", ".The officials left early"]


def sentence(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return rng.choice(EXTRA).format(day=rng.choice(DAYS), month=rng.choice(MONTHS),
                                        n=rng.randint(20, 900), year=rng.randint(2010, 2022))
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(CLAUSES)} {rng.choice(TAILS)}."


def paragraph(rng: random.Random, dirty: bool) -> str:
    sents = [sentence(rng) for _ in range(rng.randint(2, 5))]
    if dirty and rng.random() < 0.15:
        i = rng.randrange(len(sents))
        sents[i] = sents[i][:-1] + rng.choice(INLINE_ARTIFACTS)
    return " ".join(sents)


def article(rng: random.Random, markdown: bool) -> str:
    dirty = rng.random() < 0.3
    title = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(CLAUSES)}"
    paras = [paragraph(rng, dirty) for _ in range(rng.randint(6, 14))]
    if dirty:
        for _ in range(rng.randint(1, 3)):
            paras.insert(rng.randrange(1, len(paras) + 1),
                         rng.choice(ARTIFACTS).format(n=rng.randint(20, 120)))
    if not markdown:
        return title + "\n\n" + "\n\n".join(paras) + "\n"
    body = [f"# {title}", ""]
    for i, p in enumerate(paras):
        if i == 2:
            body += ["## Background", ""]
        if i == 3 and rng.random() < 0.5:
            body += ["- " + sentence(rng), "- " + sentence(rng), ""]
        if i == 4 and rng.random() < 0.3:
            body += ["```", "Source link. . (code is not linted)", "```", ""]
        if rng.random() < 0.2:
            p += f" See [the report](https://example.org/report/{rng.randint(1, 999)}) and `data-{i}.csv`."
        body += [p, ""]
    return "\n".join(body)


def generate(out: Path, n: int, seed: int = 1) -> list[Path]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        md = rng.random() < 0.5
        sub = out / f"{i // 500:03d}"
        sub.mkdir(exist_ok=True)
        p = sub / f"article-{i:05d}.{'md' if md else 'txt'}"
        p.write_text(article(rng, md), encoding="utf-8")
        paths.append(p)
    return paths


FURNITURE = ["Harbour Gazette is a member of the press standards council", "Get our morning briefing by email",
             "Sign up"]


def write_jsonl(path: Path, n: int, seed: int = 1) -> int:
    """N generated records ({"id", "text", "format", "site"}) as JSONL; returns the bytes written."""
    import json

    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            md = rng.random() < 0.5
            text = article(rng, md)
            if rng.random() < 0.1:
                text += ("\n\n" if md else "\n") + rng.choice(FURNITURE) + "\n"
            fh.write(json.dumps({"id": f"a{i:07d}", "text": text, "format": "markdown" if md else "plain",
                                 "site": f"site{i % 4}"}) + "\n")
    return path.stat().st_size


def _maxrss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_now_mb() -> float:
    try:
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS")) / 1024
    except (OSError, StopIteration):
        return float("nan")


def bench_one(src: Path, out: Path, workers: int, cross: bool) -> dict:
    import logging
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from distributed import Client, LocalCluster

    from lint import corpus as engine

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                           silence_logs=logging.ERROR)
    client = Client(cluster)
    try:
        opts = engine.Options(inputs=[str(src)], output=str(out), spec=engine.Spec(format_field="format"),
                              progress=False, cross_doc=cross, partition_bytes=1 << 20)
        t0 = time.perf_counter()
        summary = engine.run(opts, client=client)
        seconds = time.perf_counter() - t0
        rss = client.run(_maxrss_mb)
        now = client.run(_rss_now_mb)
    finally:
        client.close()
        cluster.close()
    return {"docs": summary["documents"], "seconds": seconds, "rate": summary["documents"] / seconds,
            "worker_mb": max(rss.values()), "worker_end_mb": max(now.values()), "pass1": (summary.get("cross_document") or {}).get("seconds"),
            "ui025": summary["by_rule"].get("UI025", 0), "partitions": summary["partitions"]}


def _median(xs):
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return None
    m = len(xs) // 2
    return xs[m] if len(xs) % 2 else (xs[m - 1] + xs[m]) / 2


def bench(sizes, workers, work: Path, repeat: int = 1, off_sizes=None) -> list:
    """One row per (size, workers, cross-document pass on/off): medians of ``repeat`` runs
    (seconds, documents/s, pass 1's seconds), the largest peak memory of any worker and of this
    process (the client and, on a LocalCluster, the scheduler), and the load average while it
    ran. ``off_sizes``: the sizes that also get the row without the cross-document pass (at the
    largest worker count; default: every size)."""
    import os

    work.mkdir(parents=True, exist_ok=True)
    rows = []
    print(f"{'documents':>10} {'workers':>7} {'cross-doc':>9} {'seconds':>8} {'docs/s':>8} {'pass 1 s':>8} "
          f"{'UI025':>6} {'peak MB/worker':>14} {'at end':>6} {'client MB':>9} {'load':>9}", flush=True)
    for n in sizes:
        src = work / f"corpus-{n}.jsonl"
        if not src.exists():
            write_jsonl(src, n)
        plan = [(w, True) for w in workers]
        if off_sizes is None or n in off_sizes:
            plan.append((max(workers), False))
        for w, cross in plan:
            runs = []
            for _ in range(repeat):
                load0 = os.getloadavg()[0]
                r = bench_one(src, work / f"out-{n}-{w}.jsonl", w, cross)
                r["load"] = (load0 + os.getloadavg()[0]) / 2
                runs.append(r)
                (work / f"out-{n}-{w}.jsonl").unlink(missing_ok=True)
            r = dict(runs[0])
            for k in ("seconds", "rate", "pass1", "load"):
                r[k] = _median([x[k] for x in runs])
            r["worker_mb"] = max(x["worker_mb"] for x in runs)
            r["worker_end_mb"] = max(x["worker_end_mb"] for x in runs)
            r.update(n=n, workers=w, cross=cross, client_mb=_maxrss_mb(), repeat=repeat)
            rows.append(r)
            print(f"{n:>10,} {w:>7} {'on' if cross else 'off':>9} {r['seconds']:>8.1f} {r['rate']:>8.1f} "
                  f"{(r['pass1'] or 0):>8.1f} {r['ui025']:>6} {r['worker_mb']:>14.0f} {r['worker_end_mb']:>6.0f} "
                  f"{r['client_mb']:>9.0f} {r['load']:>9.1f}",
                  flush=True)
    for n in sizes:  # the cost of the cross-document pass: the run with it against the run without
        on = next((r for r in rows if r["n"] == n and r["cross"] and r["workers"] == max(workers)), None)
        off = next((r for r in rows if r["n"] == n and not r["cross"]), None)
        if on and off:
            print(f"cross-document pass at {n:,} documents, {on['workers']} workers: pass 1 {on['pass1']:.1f} s, "
                  f"run {on['seconds']:.1f} s against {off['seconds']:.1f} s without "
                  f"(+{(on['seconds'] / off['seconds'] - 1):.0%})", flush=True)
    return rows


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path, nargs="?")
    ap.add_argument("n", type=int, nargs="?")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bench", action="store_true", help="measure copydesk corpus (see the module docstring)")
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--work", type=Path, default=Path("/tmp/copydesk-corpus-bench"))
    ap.add_argument("--repeat", type=int, default=1, help="runs per row (medians are printed)")
    ap.add_argument("--off-sizes", default=None,
                    help="sizes that also get the row without the cross-document pass (default: all)")
    a = ap.parse_args()
    if a.bench:
        bench([int(x) for x in a.sizes.split(",")], [int(x) for x in a.workers.split(",")], a.work, a.repeat,
              None if a.off_sizes is None else {int(x) for x in a.off_sizes.split(",") if x})
    else:
        if a.out is None or a.n is None:
            ap.error("OUT_DIR and N are required (or --bench)")
        ps = generate(a.out, a.n, a.seed)
        print(f"wrote {len(ps)} articles, {sum(p.stat().st_size for p in ps) / 1e6:.1f} MB, to {a.out}")
