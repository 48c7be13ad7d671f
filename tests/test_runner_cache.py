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
    # one copy of the ten fixture articles: enough files for the parallel path (8+ to lint)
    shutil.copytree(FIXTURES, corpus / "copy0", ignore=shutil.ignore_patterns("*.json"))
    assert len(list(corpus.rglob("*.*"))) >= 8
    monkeypatch.chdir(tmp_path)
    base = _report(["--no-cache", "-j", "1", str(corpus)], tmp_path)
    assert base["summary"]["diagnostics"] > 0
    # the pool without the store, then the pool filling it (cold), then warm runs
    for args in (["-j", "2", "--no-cache"], ["-j", "2"], ["-j", "1"], ["-j", "3"]):
        assert _report([*args, str(corpus)], tmp_path) == base, args
    assert (tmp_path / ".copydesk_cache").is_dir()
    # a changed file is re-linted, not served stale from the cache
    victim = corpus / "copy0" / "clean-traps.txt"
    victim.write_text(victim.read_text(encoding="utf-8") + "\nSource link\n", encoding="utf-8")
    again = _report(["-j", "2", str(corpus)], tmp_path)
    # one more finding in that file (its own: SEG or UI rules), and as many more UI025 findings
    # as the line's cross-file count now reaches (it stands in other articles of the run)
    assert again == _report(["--no-cache", "-j", "1", str(corpus)], tmp_path)
    victim_entry = next(f for f in again["files"] if f["path"].endswith("copy0/clean-traps.txt"))
    own = [d for d in victim_entry["diagnostics"] if d["code"] != "UI025"]
    assert len(own) == 1 and own[0]["start"]["line"] > 1
    assert again["summary"]["diagnostics"] > base["summary"]["diagnostics"]


def test_clean_removes_the_cache(tmp_path, monkeypatch, warm_rule_cache):
    monkeypatch.chdir(tmp_path)
    # clean removes the rule-set cache too: a copy of this test's own, not the one this
    # process's other tests load the rule set from
    shutil.copytree(warm_rule_cache, tmp_path / "rule-cache")
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path / "rule-cache"))
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

    corpus = tmp_path / "corpus"  # the ten fixture articles and a broken one: the pool runs (8+ files)
    shutil.copytree(FIXTURES, corpus / "copy0", ignore=shutil.ignore_patterns("*.json"))
    (corpus / "copy0" / "broken.txt").write_bytes(b"caf\xe9\n")
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


# -- cross-file evidence (lint.crossdoc, rule UI025): lines repeated across the files of a run ----

_WORDS = ("the council ferry harbour vote week river budget school mayor bridge festival road plan "
          "residents summer library market timetable").split()


def _site(folder: Path, n: int = 9) -> Path:
    """``n`` articles of one made-up site: their own prose, and the site's furniture."""
    import random

    rng = random.Random(7)
    folder.mkdir(parents=True)
    for i in range(n):
        paras = [" ".join(rng.choice(_WORDS) for _ in range(15)).capitalize() + "." for _ in range(3)]
        furniture = "Back to the Harwick front page" if i != 3 else "Back to the Harwick front page!"
        if i % 3 == 0:  # Markdown, one with the finding silenced
            off = "<!-- copydesk-disable-next-line UI025 -->\n" if i == 6 else ""
            (folder / f"a{i}.md").write_text(f"# Story {i}\n\n{paras[0]}\n\n{off}{furniture}\n\n{paras[1]}\n\n"
                                             f"{paras[2]}\n", encoding="utf-8")
        else:
            (folder / f"a{i}.txt").write_text(f"{paras[0]}\n\n{furniture}\n\n{paras[1]}\n\n{paras[2]}\n",
                                              encoding="utf-8")
    return folder


def _check(*args):
    result = CliRunner().invoke(main, ["check", *args], catch_exceptions=False)
    return result.exit_code, result.stdout


def test_cross_file_evidence_is_the_same_for_every_jobs_and_with_the_store(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    site = _site(tmp_path / "site")
    (tmp_path / "big").mkdir()
    for i in range(2):  # more files than the in-process threshold: the worker pool runs (and the
        shutil.copytree(site, tmp_path / "big" / f"copy{i}")  # copies of an article count once)
    for folder in ("site", "big"):
        base = _check("--no-cache", "-j", "1", "--format", "json", folder)
        found = json.loads(base[1])
        ui025 = [(f["path"], d) for f in found["files"] for d in f["diagnostics"] if d["code"] == "UI025"]
        holding = [f for f in found["files"] if "a6" not in f["path"]]
        assert len(ui025) == len(holding), ui025  # every file holds the line, a6 silences it
        path, first = ui025[0]
        assert "Back to the Harwick front page" in first["message"] and " documents of this run" in first["message"]
        assert first["fix"]["applicability"] == "unsafe"
        text_base = _check("--no-cache", "-j", "1", folder)
        assert text_base[1].count("UI025") == len(holding)
        for args in (["-j", "2", "--no-cache"], ["-j", "1"], ["-j", "2"], ["-j", "3"], ["-j", "1"]):
            assert _check(*args, "--format", "json", folder) == base, (folder, args)  # cold, then warm store
            assert _check(*args, folder) == text_base, (folder, args)
    # what lint.crossdoc's one-process reference finds (it knows no suppression comments)
    from lint import crossdoc

    files = sorted(site.iterdir())
    fmts = {".txt": "text", ".md": "markdown"}
    want = crossdoc.run([(p.read_text(encoding="utf-8"), fmts[p.suffix]) for p in files])
    got = {f["path"]: [d for d in f["diagnostics"] if d["code"] == "UI025"]
           for f in json.loads(_check("--format", "json", "site")[1])["files"]}
    for p, ref in zip(files, want):
        mine = got[f"site/{p.name}"]
        if p.name.startswith("a6"):
            assert len(ref) == 1 and mine == []
            continue
        assert [(d["start"]["offset"], d["end"]["offset"], d["message"], d["fix"]["edits"]) for d in mine] == \
            [(d.start, d.end, d.message, [e.to_json() for e in d.fix.edits]) for d in ref]
    # a selection without the rule, and a run of too few files, have none
    assert "UI025" not in _check("--ignore", "UI025", "--format", "json", "site")[1]
    assert "UI025" not in _check("--no-cross-file", "--format", "json", "site")[1]
    assert "UI025" not in _check("--format", "json", "site/a1.txt", "site/a2.txt", "site/a4.txt")[1]
    # an edited file leaves the evidence: it is counted again from what the files hold now
    for p in sorted(site.iterdir())[:6]:
        p.write_text(p.read_text(encoding="utf-8").replace("Back to the Harwick front page", ""), encoding="utf-8")
    assert "UI025" not in _check("--format", "json", "site")[1]
    assert "UI025" not in _check("--no-cache", "--format", "json", "site")[1]
