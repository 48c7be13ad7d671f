"""Memory of a big run (issue 19): results wait for the cross-file evidence in a temporary file
past lint.runner.SPILL_AFTER, and a machine-readable report is completed in a temporary file
before it is written (lint.cli._spool). Neither may change a byte of any report."""
from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from lint import runner
from lint.cli import main

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("harbour council budget river school bridge market winter farmers union station report "
         "museum ferry district library").split()


def _site(folder: Path, n: int = 12) -> Path:
    """``n`` articles of a made-up site: their own prose, some MT artifacts, the site's
    furniture (cross-file evidence), one copy silenced."""
    rng = random.Random(11)
    folder.mkdir(parents=True)
    for i in range(n):
        paras = [" ".join(rng.choice(WORDS) for _ in range(14)).capitalize() + "." for _ in range(3)]
        if i % 4 == 1:
            paras[1] = paras[1][:-1] + ". , which surprised many."  # joined fragments: findings with fixes
        off = "<!-- copydesk-disable-next-line UI025 -->\n" if i == 5 else ""
        furniture = "Back to the Quayside Courier front page"
        if i % 2:
            (folder / f"a{i:02d}.md").write_text(f"# Story {i}\n\n{paras[0]}\n\n{off}{furniture}\n\n{paras[1]}\n\n"
                                                 f"{paras[2]}\n", encoding="utf-8")
        else:
            (folder / f"a{i:02d}.txt").write_text(f"{paras[0]}\n\n{furniture}\n\n{paras[1]}\n\n{paras[2]}\n",
                                                  encoding="utf-8")
    return folder


def _check(*args):
    result = CliRunner().invoke(main, ["check", *args], catch_exceptions=False)
    return result.exit_code, result.stdout


@pytest.mark.parametrize("fmt", ["json", "text", "sarif"])
def test_spilled_results_give_the_same_report(tmp_path, monkeypatch, fmt):
    # (the rule set: this process's, from conftest's warm rule cache; what is tested is the
    # result store in tmp_path, not the rule cache, which would cost a build in a folder of its own)
    monkeypatch.chdir(tmp_path)
    _site(tmp_path / "site")
    monkeypatch.setattr(runner, "SPILL_AFTER", 10 ** 9)
    held = _check("--no-cache", "-j", "1", "--format", fmt, "site")
    assert "UI025" in held[1] and "SEG" in held[1]  # cross-file findings and ordinary ones
    for spill_after in (0, 1, 5):
        monkeypatch.setattr(runner, "SPILL_AFTER", spill_after)
        assert _check("--no-cache", "-j", "1", "--format", fmt, "site") == held, spill_after
        assert _check("-j", "1", "--format", fmt, "site") == held, spill_after  # cold store (0), then warm
        assert _check("-j", "1", "--format", fmt, "site") == held, spill_after


def test_with_evidence_spills_what_it_does_not_hold(tmp_path, monkeypatch):
    """The spill is real: past ``spill_after`` the generator holds no result object."""
    import gc

    monkeypatch.chdir(tmp_path)
    _site(tmp_path / "site")
    from lint.runner import Plan

    plan = Plan(["site"], cache=False, jobs=1)
    results, tasks = plan.prepare()
    cross = plan._cross_file_rule(tasks)
    assert cross is not None
    made = runner.iter_many([t for _, t in tasks], lambda: plan.ruleset.by_code(), 1, None, candidates=True)
    out = runner.with_evidence([t for _, t in tasks], made, cross, spill_after=3)
    first = next(out)  # every result has been seen (and counted) now
    alive = [o for o in gc.get_objects() if isinstance(o, runner.FileResult)]
    assert len(alive) <= 3 + 1, len(alive)  # the held ones (and the one yielded)
    rest = [first, *out]
    assert len(rest) == len(tasks)
    assert sum(1 for r in rest for d in r.diagnostics if d.code == "UI025") >= 8


def test_the_spooled_json_report_is_the_report(tmp_path, monkeypatch, warm_rule_cache):
    """On a real standard output (a file descriptor) the report goes through a temporary file;
    --output-file writes it whole: the same bytes."""
    _site(tmp_path / "site")
    # the spooled report: a real process, its standard output a file; the rule set from a copy of
    # conftest's warm rule cache (a child with an empty cache folder builds it: ~0.4 s), the
    # result store in tmp_path still cold, so every file is linted
    shutil.copytree(warm_rule_cache, tmp_path / "rules")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COPYDESK_CACHE_DIR": str(tmp_path / "rules")}
    with open(tmp_path / "stdout.json", "wb") as fh:
        p = subprocess.run([sys.executable, "-m", "lint", "check", "--format", "json", "site"],
                           cwd=tmp_path, env=env, stdout=fh, stderr=subprocess.PIPE, timeout=300)
    assert p.returncode == 1, p.stderr
    # the report file: in this process (nothing about it needs a process of its own)
    out = tmp_path / "out.json"
    monkeypatch.chdir(tmp_path)
    q = CliRunner().invoke(main, ["check", "--no-cache", "--jobs", "1", "--format", "json", "--output-file",
                                  str(out), "site"])
    assert q.exit_code == 1, q.output
    spooled = (tmp_path / "stdout.json").read_bytes()
    assert spooled == out.read_bytes()
    assert json.loads(spooled)["summary"]["by_code"].get("UI025")
