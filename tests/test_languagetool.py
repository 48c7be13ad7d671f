"""The LanguageTool backend against a fake ``/v2/check`` server started here (no network).

Positions: LanguageTool counts UTF-16 code units in the text it was sent; Copydesk reports
code points in the source file. Emoji, CJK, curly quotes and a Markdown link before a match
must not shift it, in any output format.
"""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from helpers import in_process_args
from lt_fake import FakeLanguageTool, closed_port

from lint.cli import main
from lint.document import parse
from lint.languagetool import (MASK_AS, Backend, Chunk, Client, LanguageToolError, check_url, chunks,
                               is_lt_selector, utf16_len, utf16_to_cp)
from lint.reporters import REPORTERS

SPELL = "LT:MORFOLOGIK_RULE_EN_US"
AN = "LT:EN_A_VS_AN"

MARKDOWN = (
    "# Party time in 東京\n"
    "\n"
    "The 🎉 party in 東京 was “great” 😀 — see [the report](https://example.com/r?q=teh) and `teh` "
    "then teh end.\n"
    "\n"
    "It was a apple  pie.\n"
)


def run(*args, input=None):
    """The CLI in-process; linting in this process too unless ``args`` give ``--jobs``."""
    result = CliRunner().invoke(main, in_process_args(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def server(lt_server):
    """The session's fake server (conftest.lt_server), its request log emptied for this test."""
    return lt_server


@pytest.fixture
def article(tmp_path):
    p = tmp_path / "party.md"
    p.write_text(MARKDOWN, encoding="utf-8")
    return p


def expected_position(source: str, needle: str, occurrence: int = -1) -> tuple[int, int, int]:
    """(offset, line, column) in code points of ``needle`` (the last occurrence by default)."""
    offsets = [i for i in range(len(source)) if source.startswith(needle, i)]
    off = offsets[occurrence]
    line = source.count("\n", 0, off) + 1
    col = off - (source.rfind("\n", 0, off) + 1) + 1
    return off, line, col


def lt_json(*args):
    code, out, err = run("check", "--format", "json", "--no-cache", *args)
    report = json.loads(out)
    return code, [d for f in report["files"] for d in f["diagnostics"]], err


# ----------------------------------------------------------------------------- offsets

def test_utf16_to_code_points():
    text = "a😀b東c"
    chunk = Chunk([], [0], text)
    astral = chunk.astral()
    assert astral == [1] and utf16_len(text) == 6 == len(text.encode("utf-16-le")) // 2
    assert [utf16_to_cp(u, astral) for u in (0, 1, 3, 4, 5, 6)] == [0, 1, 2, 3, 4, 5]
    assert utf16_to_cp(2, astral) == 1 and utf16_to_cp(2, astral, end=True) == 2  # inside the pair
    two = Chunk([], [0], "😀😀x").astral()
    assert two == [0, 2] and utf16_to_cp(4, two) == 2


def test_check_url_forms():
    assert check_url("http://h:8081") == "http://h:8081/v2/check"
    assert check_url("http://h:8081/") == "http://h:8081/v2/check"
    assert check_url("http://h:8081/v2/") == "http://h:8081/v2/check"
    assert check_url("https://h/lt/v2/check") == "https://h/lt/v2/check"
    assert check_url("localhost:8081") == "http://localhost:8081/v2/check"


def test_match_after_emoji_cjk_quotes_and_link_is_at_the_right_source_position(server, article):
    code, diags, err = lt_json("--languagetool", server.url, article)
    assert code == 1, err
    spell = [d for d in diags if d["code"] == SPELL]
    assert len(spell) == 1, diags  # "teh" in the URL and in the code span are not prose
    off, line, col = expected_position(MARKDOWN, "teh end")
    assert spell[0]["start"] == {"offset": off, "line": line, "column": col}
    assert spell[0]["end"]["offset"] == off + 3
    assert MARKDOWN[spell[0]["start"]["offset"]:spell[0]["end"]["offset"]] == "teh"
    (an,) = [d for d in diags if d["code"] == AN]
    off, line, col = expected_position(MARKDOWN, "a apple")
    assert (an["start"]["offset"], an["start"]["line"], an["start"]["column"]) == (off, line, col)
    assert an["category"] == "grammar" and an["name"] == "en-a-vs-an" and an["severity"] == "warning"
    ws = [d for d in diags if d["code"] == "LT:WHITESPACE_RULE"]
    assert ws and ws[0]["severity"] == "info"  # style and whitespace issue types are info


def test_masked_parts_are_sent_as_markup_and_matches_on_them_dropped(server, article):
    _, diags, _ = lt_json("--languagetool", server.url, article)
    assert not [d for d in diags if d["code"] == "LT:FAKE_MASK_RULE"]
    (request,) = server.checks
    annotation = json.loads(request["data"])["annotation"]
    markup = [p for p in annotation if "markup" in p]
    assert markup and all(p["markup"] == "\ufffc" and p["interpretAs"] == MASK_AS for p in markup)
    text = "".join(p.get("text", "") for p in annotation)
    assert "example.com" not in text and "`" not in text and "#" not in text and "[" not in text
    assert "Party time in 東京\n\nThe 🎉 party" in text


@pytest.mark.parametrize("name,source,needle", [
    ("story.txt", "Headline 😀 here\n\nThe “quote” in 東京 😀 had teh word.\n", "teh"),
    ("page.html", "<html><body><h1>Title</h1><p>The <b>bold</b> 😀 &amp; 東京 “x” "
                  "<a href=\"https://e.com/teh\">link</a> teh end.</p></body></html>\n", "teh end"),
])
def test_offsets_in_plain_text_and_html(server, tmp_path, name, source, needle):
    p = tmp_path / name
    p.write_text(source, encoding="utf-8")
    _, diags, _ = lt_json("--languagetool", server.url, p)
    (spell,) = [d for d in diags if d["code"] == SPELL]
    off, line, col = expected_position(source, needle)
    assert (spell["start"]["offset"], spell["start"]["line"], spell["start"]["column"]) == (off, line, col)
    assert source[off:spell["end"]["offset"]] == "teh"


def test_match_spanning_markup_maps_to_the_whole_span_and_is_display_only(server, tmp_path):
    source = "Some text here.\n\nIt was **a** apple.\n"
    p = tmp_path / "bold.md"
    p.write_text(source, encoding="utf-8")
    _, diags, _ = lt_json("--languagetool", server.url, "--config", _config(tmp_path, 'promote = ["EN_A_VS_AN"]'), p)
    (an,) = [d for d in diags if d["code"] == AN]
    assert source[an["start"]["offset"]:an["end"]["offset"]] == "a"
    assert an["fix"]["applicability"] == "unsafe"  # promoted, and "a" is literal text


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_every_output_format_reports_the_match_at_its_line_and_column(server, article, fmt):
    code, out, err = run("check", "--no-cache", "--format", fmt, "--languagetool", server.url, article)
    assert code == 1, err
    off, line, col = expected_position(MARKDOWN, "teh end")
    assert SPELL in out
    if fmt == "text":
        assert f"{article}:{line}:{col} {SPELL} [warning] Possible spelling mistake found." in out
        lines = out.splitlines()
        i = next(k for k, ln in enumerate(lines) if SPELL in ln)
        assert lines[i + 2].index("^") - 4 == col - 1 and lines[i + 2].count("^") == 3
    elif fmt == "json":
        (d,) = [d for d in json.loads(out)["files"][0]["diagnostics"] if d["code"] == SPELL]
        assert d["start"] == {"offset": off, "line": line, "column": col}
    else:  # formats added later (SARIF, JUnit, GitHub …): the line and column appear beside the code
        assert str(line) in out and str(col) in out


# ----------------------------------------------------------------------------- selection

def test_suppression_comments_silence_lt_findings(server, tmp_path):
    source = ("Intro line here.\n\n"
              "<!-- copydesk-disable-next-line LT:MORFOLOGIK_RULE_EN_US -->\n"
              "First teh line.\n\n"
              "<!-- copydesk-disable LT -->\n"
              "Second teh line and a apple.\n"
              "<!-- copydesk-enable -->\n\n"
              "Third teh line.\n")
    p = tmp_path / "s.md"
    p.write_text(source, encoding="utf-8")
    _, diags, _ = lt_json("--languagetool", server.url, p)
    assert [(d["code"], d["start"]["line"]) for d in diags] == [(SPELL, 10)]


def test_suppression_by_rule_name(server, tmp_path):
    p = tmp_path / "s.md"
    p.write_text("<!-- copydesk-disable morfologik-rule-en-us -->\nA teh line with a apple.\n", encoding="utf-8")
    _, diags, _ = lt_json("--languagetool", server.url, p)
    assert [d["code"] for d in diags] == [AN]


def test_ignore_lt_removes_the_findings_and_skips_the_server(server, article):
    code, diags, _ = lt_json("--languagetool", server.url, "--ignore", "LT", article)
    assert not [d for d in diags if d["code"].startswith("LT:")]
    assert server.checks == []


def test_ignore_one_lt_rule(server, article):
    _, diags, _ = lt_json("--languagetool", server.url, "--ignore", "LT:MORFOLOGIK_RULE_EN_US", article)
    codes = {d["code"] for d in diags}
    assert SPELL not in codes and AN in codes


def test_select_one_lt_rule(server, article):
    _, diags, _ = lt_json("--languagetool", server.url, "--select", SPELL, article)
    assert [d["code"] for d in diags] == [SPELL]


def test_select_by_category_and_code_prefix(server, article):
    for sel in ("grammar", "LT:EN_"):
        _, diags, _ = lt_json("--languagetool", server.url, "--select", sel, article)
        codes = {d["code"] for d in diags}
        assert AN in codes and all(c.startswith("LT:") for c in codes), (sel, codes)
        if sel != "grammar":
            assert codes == {AN}


def test_lt_selectors_are_known_without_a_server(article):
    code, _, err = run("check", "--ignore", "LT:WHITESPACE_RULE", "--ignore", "LT", article)
    assert "unknown rule selector" not in err
    assert is_lt_selector("LT") and is_lt_selector("LT:X") and is_lt_selector("grammar")
    assert not is_lt_selector("ALL") and not is_lt_selector("SEG")


def test_per_file_ignores_and_severity_overrides(server, tmp_path, article):
    cfg = _config(tmp_path, extra='[severity]\n"LT:EN_A_VS_AN" = "error"\n\n[per-file-ignores]\n"other.md" = ["LT"]\n')
    other = tmp_path / "other.md"
    other.write_text("A teh line.\n", encoding="utf-8")
    code, out, _ = run("check", "--no-cache", "--format", "json", "--config", cfg, "--languagetool", server.url,
                       article, other)
    files = {f["path"]: f["diagnostics"] for f in json.loads(out)["files"]}
    assert files[str(other)] == []
    (an,) = [d for d in files[str(article)] if d["code"] == AN]
    assert an["severity"] == "error"


# ----------------------------------------------------------------------------- configuration

def _config(tmp_path, lt="", extra=""):
    p = tmp_path / "copydesk.toml"
    p.write_text(f"{extra}\n[languagetool]\n{lt}\n", encoding="utf-8")
    return p


def test_url_language_and_rules_from_configuration(server, tmp_path, article):
    cfg = _config(tmp_path, f'url = "{server.url}"\nlanguage = "en-GB"\nmother-tongue = "de-DE"\n'
                            'enabled-rules = ["EN_QUOTES"]\ndisabled-rules = ["LT:WHITESPACE_RULE", "EN_A_VS_AN"]\n'
                            'enabled-categories = ["STYLE"]\ndisabled-categories = ["CASING"]\n')
    code, diags, _ = lt_json("--config", cfg, article)
    (request,) = server.checks
    assert request["language"] == "en-GB" and request["motherTongue"] == "de-DE"
    assert request["enabledRules"] == "EN_QUOTES"
    assert request["disabledRules"] == "WHITESPACE_RULE,EN_A_VS_AN"
    assert request["enabledCategories"] == "STYLE" and request["disabledCategories"] == "CASING"
    assert {d["code"] for d in diags} == {SPELL}


def test_default_language_is_en_us(server, article):
    lt_json("--languagetool", server.url, article)
    assert server.checks[0]["language"] == "en-US"


def test_command_line_url_wins_over_configuration(server, tmp_path, article):
    cfg = _config(tmp_path, f'url = "http://127.0.0.1:{closed_port()}"')
    code, diags, err = lt_json("--config", cfg, "--languagetool", server.url, article)
    assert SPELL in {d["code"] for d in diags}, err


def test_replacements_are_display_only_unless_promoted(server, tmp_path, article):
    _, diags, _ = lt_json("--languagetool", server.url, article)
    assert {d["fix"]["applicability"] for d in diags if d["code"].startswith("LT:")} == {"display-only"}
    cfg = _config(tmp_path, 'promote = ["EN_A_VS_AN"]')
    _, diags, _ = lt_json("--config", cfg, "--languagetool", server.url, article)
    fixes = {d["code"]: d["fix"] for d in diags}
    assert fixes[AN]["applicability"] == "unsafe" and fixes[AN]["edits"][0]["content"] == "an"
    assert fixes[SPELL]["applicability"] == "display-only"
    assert fixes[SPELL]["title"].startswith("Replace with 'the' (or 'ten'")


def test_fix_applies_promoted_replacements_only_with_unsafe_fixes(server, tmp_path, article):
    cfg = _config(tmp_path, 'promote = ["EN_A_VS_AN"]')
    run("fix", "--config", cfg, "--languagetool", server.url, article)
    assert article.read_text(encoding="utf-8") == MARKDOWN
    code, out, err = run("fix", "--unsafe-fixes", "--config", cfg, "--languagetool", server.url, article)
    fixed = article.read_text(encoding="utf-8")
    assert fixed == MARKDOWN.replace("a apple", "an apple"), err
    assert "teh end" in fixed  # not promoted: shown, never applied
    assert SPELL in out


def test_display_only_fix_has_no_star_in_text_output(server, article):
    _, out, _ = run("check", "--no-cache", "--languagetool", server.url, article)
    line = next(ln for ln in out.splitlines() if SPELL in ln)
    assert not line.endswith("[*]")


# ----------------------------------------------------------------------------- failures

def test_unreachable_server_is_one_error_line_and_exit_2(article):
    url = f"http://127.0.0.1:{closed_port()}"
    code, out, err = run("check", "--languagetool", url, article)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"copydesk: error: LanguageTool at {url}: ")
    assert "refused" in lines[0]


def test_ignored_lt_does_not_ask_the_server(article):
    code, out, err = run("check", "--ignore", "LT", "--languagetool", f"http://127.0.0.1:{closed_port()}", article)
    assert code in (0, 1) and err == ""


def test_required_false_warns_and_goes_on(tmp_path, article):
    url = f"http://127.0.0.1:{closed_port()}"
    cfg = _config(tmp_path, f'url = "{url}"\nrequired = false')
    code, out, err = run("check", "--no-cache", "--config", cfg, article)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"copydesk: warning: LanguageTool at {url}: ")
    assert "going on without" in lines[0]
    assert "LT:" not in out and code in (0, 1)


@pytest.mark.parametrize("mode,needle", [("error500", "HTTP 500"), ("garbage", "/v2/check JSON")])
def test_server_that_answers_wrongly(article, mode, needle):
    with FakeLanguageTool(mode) as fake:
        code, out, err = run("check", "--languagetool", fake.url, article)
    assert code == 2
    assert err.startswith(f"copydesk: error: LanguageTool at {fake.url}: ") and needle in err
    assert len(err.strip().splitlines()) == 1


def test_server_failing_mid_run_is_an_error_or_a_warning(server, tmp_path, article):
    doc = parse(MARKDOWN, "x.md")
    config_for = lambda p: __import__("lint.config", fromlist=["Config"]).Config()  # noqa: E731
    backend = Backend(Client(f"http://127.0.0.1:{closed_port()}"), config_for, required=True)
    with pytest.raises(LanguageToolError, match="refused"):
        backend.diagnostics(doc)
    warnings = []
    backend = Backend(Client(f"http://127.0.0.1:{closed_port()}"), config_for, required=False, warn=warnings.append)
    assert backend.diagnostics(doc) == [] and backend.diagnostics(doc) == []
    assert len(warnings) == 1 and "going on without LanguageTool" in warnings[0]


# ----------------------------------------------------------------------------- runs

def test_many_files_in_parallel_workers(server, tmp_path):
    for i in range(9):
        (tmp_path / f"a{i}.md").write_text(f"# Title {i}\n\nLine {i} has teh typo.\n", encoding="utf-8")
    code, out, err = run("check", "--format", "json", "-j", "2", "--languagetool", server.url, tmp_path)
    report = json.loads(out)
    assert code == 1, err
    assert [[d["code"] for d in f["diagnostics"] if d["code"].startswith("LT:")] for f in report["files"]] == [[SPELL]] * 9


def test_lt_results_are_not_cached(server, tmp_path, article):
    run("check", "--languagetool", server.url, article)
    run("check", "--languagetool", server.url, article)
    assert len(server.checks) == 2


def test_standard_input(server):
    code, out, _ = run("check", "--format", "json", "--stdin-filename", "in.md", "--languagetool", server.url, "-",
                       input=MARKDOWN)
    (d,) = [d for d in json.loads(out)["files"][0]["diagnostics"] if d["code"] == SPELL]
    assert d["start"]["offset"] == expected_position(MARKDOWN, "teh end")[0]


def test_long_documents_go_in_chunks_of_whole_blocks(server, tmp_path):
    paragraph = "Word " * 300 + "teh end."
    source = "\n\n".join([paragraph] * 30) + "\n"
    doc = parse(source, "x.txt")
    parts = chunks(doc.blocks)
    assert len(parts) > 1 and sum(len(c.blocks) for c in parts) == 30
    p = tmp_path / "long.txt"
    p.write_text(source, encoding="utf-8")
    _, diags, _ = lt_json("--languagetool", server.url, p)
    spell = [d for d in diags if d["code"] == SPELL]
    assert len(spell) == 30
    assert all(source[d["start"]["offset"]:d["end"]["offset"]] == "teh" for d in spell)


def test_local_server_through_language_tool_python(server, article, monkeypatch):
    import language_tool_python

    started = []

    class FakeTool:
        def __init__(self, language, mother_tongue=None):
            started.append((language, mother_tongue))
            self.url = server.url + "/v2/"

        def close(self):
            started.append("closed")

    monkeypatch.setattr(language_tool_python, "LanguageTool", FakeTool)
    cfg = _config(article.parent, 'local = true\nlanguage = "en-GB"')
    code, diags, err = lt_json("--config", cfg, article)
    assert started[0] == ("en-GB", None)
    assert SPELL in {d["code"] for d in diags}, err


def test_local_server_that_cannot_start(article, monkeypatch):
    import language_tool_python

    def broken(*args, **kwargs):
        raise language_tool_python.exceptions.LanguageToolError("Java is not installed\nmore detail")

    monkeypatch.setattr(language_tool_python, "LanguageTool", broken)
    cfg = _config(article.parent, "local = true")
    code, out, err = run("check", "--config", cfg, article)
    assert code == 2
    assert err.strip() == "copydesk: error: LanguageTool (local server): could not start (Java is not installed)"
