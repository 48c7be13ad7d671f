"""Changed-lines mode (--diff-base REV) in a scratch git repository: committed, staged, unstaged
and untracked changes; unknown revisions and paths outside a repository are one-line errors."""
from __future__ import annotations

import json
import shutil

import pytest

from lint.gitdiff import parse_diff

from helpers import git, run, scratch_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

STORY = (
    "Talks stall in the capital\n\n"
    "The minister said the talks had stalled in the region. .\n\n"
    "Officials met again in June, and the mood was calm.\n\n"
    "The storm cut power to forty villages on Sunday night.\n\n"
    "Source link\n"
)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    r = scratch_repo(tmp_path / "site", {"news/story.md": STORY,
                                         "news/other.md": "Nothing happened in the valley. .\n"})
    monkeypatch.chdir(r)
    return r


def found(*args):
    code, out, err = run("check", "--no-cache", "--format", "json", *args)
    assert code in (0, 1), err
    return code, [(f["path"], d["code"], d["start"]["line"]) for f in json.loads(out)["files"]
                  for d in f["diagnostics"]]


def test_nothing_changed_nothing_reported(repo):
    code, diags = found("--diff-base", "HEAD", "news")
    assert code == 0 and diags == []
    assert found("news")[1]  # the old findings are there


def test_unstaged_change_reports_only_touched_lines(repo):
    story = repo / "news" / "story.md"
    story.write_text(STORY.replace("and the mood was calm.", "and the mood was calm. , which helped."),
                     encoding="utf-8")
    code, diags = found("--diff-base", "HEAD", "news")
    assert code == 1
    assert diags == [("news/story.md", "SEG002", 5)]


def test_staged_and_committed_changes_count_too(repo):
    story = repo / "news" / "story.md"
    story.write_text(STORY.replace("on Sunday night.", "on Sunday night. ."), encoding="utf-8")
    git(repo, "add", ".")
    assert found("--diff-base", "HEAD", "news")[1] == [("news/story.md", "SEG001", 7)]  # staged
    git(repo, "commit", "-q", "-m", "second")
    assert found("--diff-base", "HEAD", "news")[1] == []
    assert found("--diff-base", "HEAD~1", "news")[1] == [("news/story.md", "SEG001", 7)]  # committed
    # findings on the lines around a changed one are not reported
    story.write_text(STORY.replace("on Sunday night.", "on Sunday night. .").replace("was calm", "was very calm"),
                     encoding="utf-8")
    assert {d[2] for d in found("news/story.md")[1]} == {3, 7, 9}
    assert found("--diff-base", "HEAD", "news")[1] == []


def test_a_line_moved_down_by_an_insertion_is_not_new(repo):
    story = repo / "news" / "story.md"
    story.write_text("A new opening paragraph.\n\n" + STORY, encoding="utf-8")
    assert found("--diff-base", "HEAD", "news")[1] == []


def test_untracked_files_are_new_in_full(repo):
    (repo / "news" / "new.md").write_text("Fresh copy. .\n\nSource link\n", encoding="utf-8")
    (repo / ".gitignore").write_text("ignored.md\n", encoding="utf-8")
    (repo / "news" / "ignored.md").write_text("Ignored copy. .\n", encoding="utf-8")
    _, diags = found("--diff-base", "HEAD", "news")
    assert sorted(d[1] for d in diags if d[0] == "news/new.md") == ["FOOT001", "SEG001"]
    assert not [d for d in diags if d[0] != "news/new.md"]


def test_works_from_outside_the_repository_folder(repo, monkeypatch):
    (repo / "news" / "story.md").write_text(STORY.replace("calm.", "calm. , which helped."), encoding="utf-8")
    monkeypatch.chdir(repo.parent)
    code, out, _ = run("check", "--no-cache", "--format", "json", "--diff-base", "HEAD", "site/news/story.md")
    assert code == 1
    assert [d["code"] for f in json.loads(out)["files"] for d in f["diagnostics"]] == ["SEG002"]


def test_odd_file_names(repo):
    odd = repo / "news" / 'café "notes" and spaces.md'
    odd.write_text("Calm day.\n", encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "odd")
    odd.write_text("Calm day.\n\nStormy night. .\n", encoding="utf-8")
    _, diags = found("--diff-base", "HEAD", "news")
    assert [(d[1], d[2]) for d in diags] == [("SEG001", 3)]


def test_unknown_revision_is_one_line_and_exit_2(repo):
    code, out, err = run("check", "--no-cache", "--diff-base", "no-such-branch", "news")
    assert code == 2
    assert out == ""
    assert err.strip().count("\n") == 0
    assert "unknown git revision 'no-such-branch'" in err


def test_outside_a_repository_is_one_line_and_exit_2(tmp_path, monkeypatch):
    folder = tmp_path / "loose"
    folder.mkdir()
    (folder / "a.md").write_text("Text. .\n", encoding="utf-8")
    monkeypatch.chdir(folder)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    code, _, err = run("check", "--no-cache", "--diff-base", "HEAD", "a.md")
    assert code == 2
    assert err.strip().count("\n") == 0 and "not in a git repository" in err


def test_parse_diff_hunks_and_quoted_paths():
    diff = (
        "diff --git a/x.md b/x.md\n"
        "--- a/x.md\n+++ b/x.md\n"
        "@@ -3 +3 @@\n-old\n+new\n"
        "@@ -10,0 +11,2 @@\n+a\n+b\n"
        "@@ -20,3 +22,0 @@\n-gone\n-gone\n-gone\n"
        'diff --git "a/caf\\303\\251 \\"q\\".md" "b/caf\\303\\251 \\"q\\".md"\n'
        '--- "a/caf\\303\\251 \\"q\\".md"\n+++ "b/caf\\303\\251 \\"q\\".md"\n'
        "@@ -1 +1,3 @@\n-x\n+y\n+y\n+y\n"
        "diff --git a/deleted.md b/deleted.md\n--- a/deleted.md\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n"
    )
    assert parse_diff(diff) == {"x.md": {3, 11, 12}, 'café "q".md': {1, 2, 3}}
