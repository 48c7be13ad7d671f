"""A seeded generator of article corpora for benchmarks: realistic news-like prose in plain
text and Markdown, with a share of the artifacts Copydesk looks for injected.

    python bench/corpus.py OUT_DIR N [--seed S]
"""
from __future__ import annotations

import argparse
import random
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


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    ps = generate(a.out, a.n, a.seed)
    print(f"wrote {len(ps)} articles, {sum(p.stat().st_size for p in ps) / 1e6:.1f} MB, to {a.out}")
