"""Baselines: --write-baseline records today's findings by content; --baseline reports only new
ones, and edits elsewhere in a file do not bring baselined findings back. Run in a scratch git
repository, as a legacy archive would be."""
from __future__ import annotations

import json
import shutil

import pytest

from lint.baseline import Baseline, fingerprint

from helpers import git, run, scratch_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

LEGACY = (
    "Storm damage in the north\n\n"
    "The minister said the talks had stalled in the region. .\n\n"
    "Officials met again in June. , which helped.\n\n"
    "The storm cut power to forty villages on Sunday night.\n\n"
    "Source link\n"
)


@pytest.fixture
def archive(tmp_path, monkeypatch):
    repo = scratch_repo(tmp_path / "archive", {"stories/storm.txt": LEGACY,
                                               "stories/quiet.txt": "A quiet day in the valley.\n"},
                        "legacy archive")
    monkeypatch.chdir(repo)
    return repo


def codes(out):
    return [d["code"] for f in json.loads(out)["files"] for d in f["diagnostics"]]


def test_write_baseline_then_nothing_is_reported(archive):
    code, out, err = run("check", "--no-cache", "--write-baseline", "copydesk-baseline.json", "stories")
    assert code == 0
    assert out == ""
    assert "Wrote 3 findings" in err
    data = json.loads((archive / "copydesk-baseline.json").read_text(encoding="utf-8"))
    assert data["version"] == 1
    (entries,) = data["files"].values()
    assert list(data["files"]) == ["stories/storm.txt"]
    assert sorted(e["code"] for e in entries) == ["FOOT001", "SEG001", "SEG002"]
    assert all("line" not in e for e in entries)
    git(archive, "add", "copydesk-baseline.json")
    git(archive, "commit", "-q", "-m", "baseline")
    code, out, _ = run("check", "--no-cache", "--baseline", "copydesk-baseline.json", "stories")
    assert code == 0
    assert "All clear" in out


def test_only_new_findings_are_reported(archive):
    run("check", "--no-cache", "--write-baseline", "base.json", "stories")
    story = archive / "stories" / "storm.txt"
    story.write_text(LEGACY.replace("on Sunday night.", "on Sunday night. ."), encoding="utf-8")
    code, out, _ = run("check", "--no-cache", "--format", "json", "--baseline", "base.json", "stories")
    assert code == 1
    assert codes(out) == ["SEG001"]
    (f,) = [f for f in json.loads(out)["files"] if f["diagnostics"]]
    assert f["diagnostics"][0]["start"]["line"] == 7


def test_edits_elsewhere_do_not_bring_baselined_findings_back(archive):
    run("check", "--no-cache", "--write-baseline", "base.json", "stories")
    story = archive / "stories" / "storm.txt"
    edited = ("A new first paragraph about the storm, added much later.\n\n"
              + LEGACY.replace("Storm damage in the north", "Storm damage across the north and the east")
                      .replace("forty villages on Sunday night", "forty-two villages late on Sunday")
              + "\nMore to follow.\n")
    story.write_text(edited, encoding="utf-8")
    code, out, _ = run("check", "--no-cache", "--format", "json", "stories")
    assert sorted(codes(out)) == ["FOOT001", "SEG001", "SEG002"]  # still there, on other lines
    code, out, _ = run("check", "--no-cache", "--format", "json", "--baseline", "base.json", "stories")
    assert code == 0
    assert codes(out) == []


def test_editing_the_flagged_text_itself_brings_the_finding_back(archive):
    run("check", "--no-cache", "--write-baseline", "base.json", "stories")
    story = archive / "stories" / "storm.txt"
    story.write_text(LEGACY.replace("in the region. .", "in the whole region. ."), encoding="utf-8")
    code, out, _ = run("check", "--no-cache", "--format", "json", "--baseline", "base.json", "stories")
    assert codes(out) == ["SEG001"]


def test_duplicates_are_counted(archive):
    run("check", "--no-cache", "--write-baseline", "base.json", "stories")
    story = archive / "stories" / "storm.txt"
    story.write_text(LEGACY + "\nSource link\n", encoding="utf-8")
    code, out, _ = run("check", "--no-cache", "--format", "json", "--baseline", "base.json", "stories")
    assert codes(out) == ["FOOT001"]


def test_baseline_paths_are_relative_to_the_baseline_file(archive, monkeypatch):
    run("check", "--no-cache", "--write-baseline", "base.json", "stories")
    monkeypatch.chdir(archive / "stories")
    code, out, _ = run("check", "--no-cache", "--baseline", "../base.json", "storm.txt")
    assert code == 0 and "All clear" in out


def test_baseline_mistakes_are_one_line_and_exit_2(archive):
    code, _, err = run("check", "--no-cache", "--baseline", "missing.json", "stories")
    assert code == 2
    assert err.strip().count("\n") == 0 and "missing.json" in err and "not found" in err
    (archive / "broken.json").write_text("{not json", encoding="utf-8")
    code, _, err = run("check", "--no-cache", "--baseline", "broken.json", "stories")
    assert code == 2 and "broken.json" in err and "not a Copydesk baseline" in err


def test_fingerprint_ignores_position_but_not_content():
    text = "Alpha beta gamma. . Delta.\n"
    fp = fingerprint("SEG001", text, 16, 18)
    shifted = "New line.\n\n" + text
    assert fingerprint("SEG001", shifted, 16 + 11, 18 + 11) == fp
    assert fingerprint("SEG002", text, 16, 18) != fp
    changed = text.replace("gamma", "omega")
    assert fingerprint("SEG001", changed, 16, 18) != fp
    rewrapped = text.replace("Alpha beta", "Alpha  beta")  # whitespace runs are collapsed
    assert fingerprint("SEG001", rewrapped, 17, 19) == fp


def test_baseline_roundtrip_api(tmp_path):
    from lint.baseline import write
    from lint.model import Diagnostic, Severity
    from lint.runner import FileResult

    src = "Hello. .\n"
    d = Diagnostic("SEG001", "doubled-period", "punctuation", Severity.WARNING, "m", 6, 8)
    r = FileResult(str(tmp_path / "a.txt"), src, "text", [d, d])
    assert write([r], tmp_path / "b.json") == 2
    b = Baseline.load(tmp_path / "b.json")
    r2 = FileResult(str(tmp_path / "a.txt"), src, "text", [d, d, d])
    assert b.filter([r2]) == 2 and len(r2.diagnostics) == 1
