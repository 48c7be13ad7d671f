"""Results must not change with the cache or the number of jobs."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from lint.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _report(args, cwd):
    runner = CliRunner()
    with runner.isolated_filesystem(temp_dir=cwd) as d:
        pass
    result = CliRunner().invoke(main, ["check", "--format", "json", *args], catch_exceptions=False)
    return json.loads(result.stdout)


def test_identical_json_with_and_without_cache_and_for_every_jobs_value(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    for i in range(4):  # enough files for the parallel path (8+)
        shutil.copytree(FIXTURES, corpus / f"copy{i}", ignore=shutil.ignore_patterns("*.json"))
    monkeypatch.chdir(tmp_path)
    base = _report(["--no-cache", "-j", "1", str(corpus)], tmp_path)
    assert base["summary"]["diagnostics"] > 0
    for args in (["-j", "2", "--no-cache"], ["-j", "1"], ["-j", "2"], ["-j", "3"]):
        assert _report([*args, str(corpus)], tmp_path) == base, args
    assert (tmp_path / ".copydesk_cache").is_dir()
    # a changed file is re-linted, not served stale from the cache
    victim = corpus / "copy0" / "clean-traps.txt"
    victim.write_text(victim.read_text(encoding="utf-8") + "\nSource link\n", encoding="utf-8")
    again = _report(["-j", "2", str(corpus)], tmp_path)
    assert again["summary"]["diagnostics"] == base["summary"]["diagnostics"] + 1


def test_clean_removes_the_cache(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("Source link\n", encoding="utf-8")
    CliRunner().invoke(main, ["check", "a.txt"])
    assert (tmp_path / ".copydesk_cache").is_dir()
    out = CliRunner().invoke(main, ["clean"]).stdout
    assert "Removed" in out and not (tmp_path / ".copydesk_cache").exists()
