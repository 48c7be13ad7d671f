"""Acceptance on the red-lines article (issues 2 and 4). The article is research data beside the
checkout, not part of the project: these tests skip, with the reason, when it is absent."""
from __future__ import annotations

import difflib
import json
import shutil

from click.testing import CliRunner

from conftest import SHARED, needs_shared
from lint.cli import main

SEED = SHARED / "seed" / "red-lines-article.txt"
GOLD = SHARED / "seed" / "red-lines-article.gold.jsonl"


def _gold():
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


@needs_shared("seed/red-lines-article.gold.jsonl")
def test_every_must_flaw_is_found_and_nothing_outside_the_gold(tmp_path):
    res = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", str(SEED)])
    diags = [d for d in json.loads(res.stdout)["files"][0]["diagnostics"] if d["severity"] != "info"]
    text = SEED.read_text(encoding="utf-8")
    gold = _gold()

    def overlaps(d, g):
        return d["start"]["offset"] < g["end"] and g["start"] < d["end"]["offset"]

    missed = [g["text"] if "text" in g else text[g["start"]:g["end"]]
              for g in gold if g.get("level") == "must" and not any(overlaps(d, g) for d in diags)]
    stray = [(d["code"], text[d["start"]["offset"]:d["end"]["offset"]]) for d in diags if not any(overlaps(d, g) for g in gold)]
    assert missed == [] and stray == []


@needs_shared("seed/red-lines-article.txt")
def test_fix_removes_leftovers_and_repairs_joins_and_changes_nothing_else(tmp_path):
    copy = tmp_path / "article.txt"
    shutil.copyfile(SEED, copy)
    before = copy.read_text(encoding="utf-8")
    res = CliRunner().invoke(main, ["fix", "--diff", "--no-cache", str(copy)])
    assert res.exit_code == 1 and copy.read_text(encoding="utf-8") == before  # --diff writes nothing

    CliRunner().invoke(main, ["fix", "--no-cache", str(copy)])
    after = copy.read_text(encoding="utf-8")
    removed = [line[1:] for line in difflib.ndiff(before.splitlines(), after.splitlines())
               if line.startswith("- ") and line[2:].strip()]
    added = [line[2:] for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line.startswith("+ ")]
    removed = [r.strip() for r in removed]
    # whole leftover lines gone
    assert sum(r.startswith("Space to play or pause") for r in removed) == 2
    assert sum(r.startswith("Play the video.") for r in removed) == 2
    assert "Source link" in removed and "Comments are closed." in removed
    for line in ("Duration: 45 seconds", "Duration: 56 seconds", "Source link", "Comments are closed."):
        assert line not in after
    # the two joins repaired, and those are the only lines changed in place
    assert len(added) == 2
    assert any(a.endswith("in the region.") for a in added)
    assert any("in Geneva in June, which" in a for a in added)
    assert "Washington.(AP: Manuel Balce Ceneta)" in after  # display-only suggestion, not applied
    # only whole leftover lines and the two repaired lines differ
    assert len(removed) == 2 + 2 + 2 + 2  # help x2, play+duration x2, the two pre-fix lines, footer x2
    second = CliRunner().invoke(main, ["fix", "--diff", "--no-cache", str(copy)])
    assert second.exit_code == 0 and copy.read_text(encoding="utf-8") == after
