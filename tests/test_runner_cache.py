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


def test_results_stream_one_file_at_a_time(tmp_path):
    """iter_many lints a file only when its result is asked for: a big run can write each file's
    report and forget it (memory flat in the number of files)."""
    from lint.packs import load_rules
    from lint.runner import iter_many

    ruleset = load_rules([])
    by_code = ruleset.by_code()
    codes = tuple(by_code)
    paths = []
    for i in range(3):
        p = tmp_path / f"{i}.txt"
        p.write_text("Source link\n", encoding="utf-8")
        paths.append(str(p))
    stream = iter_many([(p, codes, {}, "x") for p in paths], by_code, jobs=1)
    first = next(stream)
    assert first.diagnostics and first.error is None
    Path(paths[1]).unlink()  # not read yet: its result says it is gone
    second, third = list(stream)
    assert second.error and ("no such file" in second.error.lower() or "cannot read" in second.error)
    assert third.diagnostics


def test_streamed_report_equals_the_collected_one(tmp_path, monkeypatch):
    """Without a progress bar the report is written while files are linted (a stream); with one
    it is made after every result is in. Both give the same bytes and exit status, with an
    unreadable file, a severity floor and --statistics in the mix."""
    import lint.progress

    corpus = tmp_path / "corpus"
    for i in range(3):
        shutil.copytree(FIXTURES, corpus / f"copy{i}", ignore=shutil.ignore_patterns("*.json"))
    (corpus / "copy1" / "broken.txt").write_bytes(b"caf\xe9\n")
    monkeypatch.chdir(tmp_path)
    for args in (["--format", "json"], ["--format", "text"], ["--format", "text", "--min-severity", "warning",
                                                               "--statistics"]):
        argv = ["check", "--no-cache", "-j", "2", *args, str(corpus)]
        streamed = CliRunner().invoke(main, argv, catch_exceptions=False)
        monkeypatch.setattr(lint.progress, "wanted", lambda *a, **k: True)
        collected = CliRunner().invoke(main, argv, catch_exceptions=False)
        monkeypatch.undo()
        monkeypatch.chdir(tmp_path)
        assert "Linting" in collected.stderr and "Linting" not in streamed.stderr  # the bar: collected
        assert streamed.exit_code == collected.exit_code == 2, args  # the broken file
        assert streamed.stdout == collected.stdout, args
        assert "broken.txt" in streamed.stdout and "not valid UTF-8" in streamed.stdout
