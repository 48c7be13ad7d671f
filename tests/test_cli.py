"""The command line: formats, exit status, inputs, errors, rules/explain, suppression."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from lint.cli import main

ARTICLE = (
    "Talks stall in the capital\n\n"
    "The minister said the talks had stalled in the region. .\n\n"
    "Officials met again in June. , which helped.\n\n"
    "Source link\n"
)


def run(*args, input=None):
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def article(tmp_path):
    p = tmp_path / "story.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    return p


def test_text_format_lists_path_line_col_code_and_caret(article):
    code, out, _ = run("check", str(article))
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(f"{article}:3:") and " SEG001 [" in first
    lines = out.splitlines()
    assert lines[2].strip().startswith("^")
    assert "Found 3 problems" in out


def test_json_format_is_the_report_contract(article):
    code, out, _ = run("check", "--format", "json", str(article))
    assert code == 1
    report = json.loads(out)
    assert report["version"] == 1
    (f,) = report["files"]
    assert f["path"] == str(article)
    codes = [d["code"] for d in f["diagnostics"]]
    assert codes == ["SEG001", "SEG002", "FOOT001"]
    d = f["diagnostics"][0]
    assert set(d) == {"code", "name", "category", "severity", "message", "start", "end", "fix"}
    assert set(d["start"]) == {"offset", "line", "column"}
    text = article.read_text(encoding="utf-8")
    assert text[d["start"]["offset"]:d["end"]["offset"]] == " ."
    assert (d["start"]["line"], d["start"]["column"]) == (3, 55)
    assert d["fix"] == {"applicability": "safe", "title": "Delete it",
                        "edits": [{"start": d["start"]["offset"], "end": d["end"]["offset"], "content": ""}]}
    foot = f["diagnostics"][2]
    assert text[foot["start"]["offset"]:foot["end"]["offset"]] == "Source link"
    assert report["summary"]["diagnostics"] == 3


def test_exit_status_clean_and_fail_on_and_exit_zero(tmp_path, article):
    clean = tmp_path / "clean.txt"
    clean.write_text("A quiet day\n\nNothing happened in the town on Monday, officials said.\n", encoding="utf-8")
    assert run("check", str(clean))[0] == 0
    assert run("check", "--exit-zero", str(article))[0] == 0
    # only warnings: fail-on error passes
    mixed = tmp_path / "mixed.txt"
    mixed.write_text("Mr Smith met Mr Jones. Then Mr. Brown arrived.\n", encoding="utf-8")
    assert run("check", str(mixed))[0] == 1
    assert run("check", "--fail-on", "error", str(mixed))[0] == 0


def test_stdin_and_stdin_filename():
    code, out, _ = run("check", "--format", "json", "-", input="The talks ended. .\n")
    assert code == 1
    assert json.loads(out)["files"][0]["path"] == "<stdin>"
    code, out, _ = run("check", "--format", "json", "--stdin-filename", "a.md", "-",
                       input="Run `x. .` now.\n")
    assert code == 0 and json.loads(out)["files"][0]["path"] == "a.md"


def test_folder_recursion_takes_article_suffixes_only(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.md").write_text("Source link\n", encoding="utf-8")
    (tmp_path / "a" / "two.htm").write_text("<p>Fine text here.</p>\n", encoding="utf-8")
    (tmp_path / "notes.rst").write_text("Source link\n", encoding="utf-8")
    code, out, _ = run("check", "--format", "json", str(tmp_path))
    paths = sorted(Path(f["path"]).name for f in json.loads(out)["files"])
    assert paths == ["one.md", "two.htm"]
    # explicitly named, any suffix is linted as text
    code, out, _ = run("check", "--format", "json", str(tmp_path / "notes.rst"))
    assert json.loads(out)["files"][0]["diagnostics"]


def test_missing_path_is_a_one_line_error(tmp_path):
    code, out, err = run("check", str(tmp_path / "nope.md"))
    assert code == 2
    assert f"{tmp_path / 'nope.md'}: error: no such file or folder" in out.splitlines()
    assert "Traceback" not in out + err


def test_folder_without_articles(tmp_path):
    (tmp_path / "x.py").write_text("print(1)\n")
    code, out, err = run("check", "--format", "json", str(tmp_path))
    assert code == 2 and "no article files" in err and len(err.strip().splitlines()) == 1
    assert "no article files" in json.loads(out)["files"][0]["error"]


def test_a_missing_path_or_empty_folder_is_skipped_and_the_run_finishes(tmp_path, article):
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run("check", "--format", "json", str(tmp_path / "nope.md"), str(empty), str(article))
    assert code == 2
    files = json.loads(out)["files"]
    assert [f["path"] for f in files] == [str(tmp_path / "nope.md"), str(empty), str(article)]
    assert files[2]["diagnostics"], "the article is still linted"
    assert "no such file or folder" in files[0]["error"] and "no article files" in files[1]["error"]


def test_undecodable_file_is_named_skipped_and_the_run_finishes(tmp_path, article):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9 au lait\n")
    code, out, err = run("check", "--format", "json", str(bad), str(article))
    assert code == 2
    report = json.loads(out)
    assert [f["path"] for f in report["files"]] == [str(bad), str(article)]
    assert report["files"][1]["diagnostics"], "the other file is still linted"
    assert "not valid UTF-8" in report["files"][0]["error"]
    assert f"{bad}: not valid UTF-8" in err
    code, out, _ = run("check", str(bad))
    assert code == 2 and "not valid UTF-8" in out and "Traceback" not in out


def test_malformed_rule_pack_from_config_is_reported_with_file_and_line(tmp_path, article):
    pack = tmp_path / "house"
    (pack / "x").mkdir(parents=True)
    (pack / "x" / "X001-bad.yaml").write_text("code: X001\nname: bad\nkind: pattern\nbogus: 1\n", encoding="utf-8")
    (tmp_path / "copydesk.toml").write_text('packs = ["house"]\n', encoding="utf-8")
    code, _, err = run("check", str(article))
    assert code == 2
    assert "X001-bad.yaml:4: bogus: unknown key" in err
    assert "Traceback" not in err


def test_bad_config_value_is_a_one_line_error(tmp_path, article):
    (tmp_path / "copydesk.toml").write_text('fail-on = "sometimes"\n', encoding="utf-8")
    code, _, err = run("check", str(article))
    assert code == 2 and "fail-on" in err and len(err.strip().splitlines()) == 1


def test_unknown_selector(article):
    code, _, err = run("check", "--select", "NOPE999", str(article))
    assert code == 2 and "NOPE999" in err


def test_select_ignore_and_config(tmp_path, article):
    code, out, _ = run("check", "--format", "json", "--select", "SEG", str(article))
    assert {d["code"] for d in json.loads(out)["files"][0]["diagnostics"]} == {"SEG001", "SEG002"}
    code, out, _ = run("check", "--format", "json", "--ignore", "SEG001,period-before-comma", str(article))
    assert {d["code"] for d in json.loads(out)["files"][0]["diagnostics"]} == {"FOOT001"}
    (tmp_path / "copydesk.toml").write_text('ignore = ["ui-leftover"]\n[severity]\nSEG = "info"\n', encoding="utf-8")
    code, out, _ = run("check", "--format", "json", str(article))
    diags = json.loads(out)["files"][0]["diagnostics"]
    assert {d["code"] for d in diags} == {"SEG001", "SEG002"}
    assert {d["severity"] for d in diags} == {"info"}
    assert code == 0  # info is below the default fail-on


def test_markdown_suppression_comments(tmp_path):
    md = tmp_path / "s.md"
    md.write_text(
        "# Title\n\nFirst line ends here. .\n\n"
        "<!-- copydesk-disable-next-line SEG001 -->\nSecond line ends here. .\n\n"
        "<!-- copydesk-disable -->\nThird line ends here. .\n\nSource link\n\n<!-- copydesk-enable -->\n\n"
        "Fourth line ends here. .\n", encoding="utf-8")
    code, out, _ = run("check", "--format", "json", str(md))
    lines = [d["start"]["line"] for d in json.loads(out)["files"][0]["diagnostics"]]
    assert lines == [3, 15]


def test_rules_and_explain():
    code, out, _ = run("rules")
    assert code == 0 and "SEG001" in out and "doubled-period" in out
    code, out, _ = run("rules", "--family", "UI", "--format", "json")
    assert {r["family"] for r in json.loads(out)} == {"UI"}
    code, out, _ = run("rules", "--category", "punctuation")
    assert "UI001" not in out and "SEG002" in out
    for key in ("SEG002", "period-before-comma"):
        code, out, _ = run("explain", key)
        assert code == 0
        assert "Why it matters" in out and "Fix: safe" in out and "⟦. ⟧" in out
    code, _, err = run("explain", "NOPE")
    assert code == 2 and "NOPE" in err


def test_python_dash_m_lint_is_the_same_command(article):
    proc = subprocess.run([sys.executable, "-m", "lint", "check", "--format", "json", str(article)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["files"][0]["diagnostics"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes (POSIX)")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_pipe_is_refused_without_reading_it(tmp_path, article, jobs):
    folder = tmp_path / "repo"
    folder.mkdir()
    os.mkfifo(folder / "stream.md")  # reading it would wait for a writer forever
    (folder / "story.txt").write_text(article.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run("check", "-j", jobs, "--format", "json", str(folder))
    assert code == 2
    files = {Path(f["path"]).name: f for f in json.loads(out)["files"]}
    assert "not a regular file" in files["stream.md"]["error"]
    assert files["story.txt"]["diagnostics"]


def test_a_file_too_deeply_nested_to_parse_is_one_error_and_the_run_finishes(tmp_path, article):
    deep = tmp_path / "deep.md"
    deep.write_text(">" * 2000 + " The harbour reopened. .\n", encoding="utf-8")
    code, out, err = run("check", "--format", "json", str(deep), str(article))
    assert code == 2
    files = json.loads(out)["files"]
    assert "nested too deeply" in files[0]["error"] and files[1]["diagnostics"]
    code, out, _ = run("check", str(deep))
    assert code == 2 and "nested too deeply" in out and "Traceback" not in out
    assert "All clear" not in out and "No problems found in the 0 files checked." in out


def test_a_rule_file_that_is_not_utf8_is_a_one_line_error(tmp_path, article):
    pack = tmp_path / "house" / "x"
    pack.mkdir(parents=True)
    (pack / "X001-bad.yaml").write_bytes(b"code: X001\nname: caf\xe9\n")
    (tmp_path / "copydesk.toml").write_text('packs = ["house"]\n', encoding="utf-8")
    code, out, err = run("check", "--config", str(tmp_path / "copydesk.toml"), str(article))
    assert code == 2 and "Traceback" not in out + err
    assert "X001-bad.yaml" in err and "not valid UTF-8" in err and len(err.strip().splitlines()) == 1


def test_an_unknown_selector_in_a_later_folders_configuration_names_that_file(tmp_path, article):
    for name in ("d1", "d2"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "a.txt").write_text(article.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "d2" / "copydesk.toml").write_text('select = ["NOPE"]\n', encoding="utf-8")
    code, out, err = run("check", str(tmp_path / "d1"), str(tmp_path / "d2"))
    assert code == 2 and not out
    assert err.strip() == f"copydesk: error: {tmp_path / 'd2' / 'copydesk.toml'}: unknown rule selector: NOPE (see `copydesk rules`)"


def test_a_utf16_file_is_named_as_utf16(tmp_path):
    p = tmp_path / "story.txt"
    p.write_bytes("The harbour reopened. .\n".encode("utf-16"))
    code, out, _ = run("check", str(p))
    assert code == 2 and f"{p}: error: UTF-16 text" in out


def test_standard_input_is_fixed_in_memory_for_a_diff_and_never_claimed_fixed():
    code, out, _ = run("fix", "--diff", "-", input="The harbour reopened. . Then it rained.\n")
    assert code == 1
    assert "-The harbour reopened. . Then it rained.\n+The harbour reopened. Then it rained.\n" in out
    code, out, err = run("fix", "-", input="The harbour reopened. . Then it rained.\n")
    assert code == 2 and "standard input cannot be fixed in place" in err and "Nothing to fix" not in err


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_looping_symbolic_link_is_named_as_one(tmp_path, article):
    os.symlink(tmp_path / "b.md", tmp_path / "a.md")
    os.symlink(tmp_path / "a.md", tmp_path / "b.md")
    code, out, _ = run("check", "--format", "json", str(tmp_path / "a.md"), str(article))
    files = json.loads(out)["files"]
    assert code == 2 and "symbolic link that leads nowhere" in files[0]["error"] and files[1]["diagnostics"]
