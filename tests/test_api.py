"""The library layer (lint.api, DESIGN.md §8): lint_text, Linter and its results, as a pipeline
calls them; results serialise to the JSON report's file entry (DESIGN.md §7)."""
from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

import lint
from lint.api import Linter
from lint.cli import main
from helpers import check_in_process, fixture_corpus

SCHEMA = Path(__file__).resolve().parent / "schemas" / "report-v1.schema.json"

PLAIN = "Tensions rose in the region. .\nThe council met on Monday.\n"
MARKDOWN = "# Floods\n\nTensions rose in the region. .\n\n```\nrun --until end. .\n```\n"
HTML = "<html><body><p>Tensions rose in the region. .</p><pre>x. .</pre></body></html>"


def _validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _report_of(entries):
    """A whole report around file entries, so that the schema's file definition checks them."""
    return {"version": 1, "files": entries, "summary": {
        "files": len(entries), "files_with_findings": 0, "files_with_errors": 0, "diagnostics": 0,
        "by_severity": {"error": 0, "warning": 0, "info": 0}, "by_code": {}, "likely_mt": 0}}


@pytest.mark.parametrize("text,fmt", [(PLAIN, "plain"), (MARKDOWN, "markdown"), (HTML, "html")])
def test_lint_text_in_each_format_finds_the_joined_period_in_prose_only(text, fmt):
    result = lint.lint_text(text, format=fmt)
    assert isinstance(result, lint.FileResult) and result.error is None
    seg = [d for d in result.diagnostics if d.code == "SEG001"]
    assert len(seg) == 1, [d.code for d in result.diagnostics]  # the code block's ". ." is not prose
    assert text[seg[0].start:seg[0].end].strip() == "."
    assert text.index("region. .") < seg[0].start < text.index("region. .") + len("region. .")


def test_the_format_changes_what_is_prose():
    text = "<p>Tensions rose in the region. .</p>"
    as_html = lint.lint_text(text, format="html").diagnostics
    assert as_html and all(not text[d.start:d.end].startswith("<") for d in as_html)


def test_lint_text_refuses_what_is_not_text_or_an_unknown_format():
    with pytest.raises(lint.InputError, match="unknown format"):
        lint.lint_text(PLAIN, format="rtf")
    with pytest.raises(lint.InputError, match="not bytes|expected text"):
        lint.lint_text(b"bytes")


def test_to_dict_is_what_the_json_report_writes(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(PLAIN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out = check_in_process("--no-cache", "--format", "json", "a.txt")
    assert code == 1
    entry = json.loads(out)["files"][0]
    assert lint.lint_text(PLAIN, path="a.txt").to_dict() == entry
    assert Linter().lint_file("a.txt").to_dict() == entry


def test_to_dict_matches_the_report_schema_for_findings_fixes_verdicts_and_errors():
    validator = _validator()
    mt = Path(__file__).resolve().parent.parent / "fixtures" / "wire-story-mt.txt"
    results = [lint.lint_text(PLAIN), lint.lint_text(mt.read_text(encoding="utf-8"), path="mt.txt"),
               *Linter().lint_records([{"id": "r1"}, {"id": "r2", "text": MARKDOWN, "f": "markdown"}],
                                      format_field="f")]
    entries = [r.to_dict() for r in results]
    assert any(d["fix"] for e in entries for d in e["diagnostics"])
    assert entries[1]["verdict"]["likely_mt"] is True
    assert "error" in entries[2] and entries[2]["diagnostics"] == []
    errors = sorted(validator.iter_errors(_report_of(entries)), key=str)
    assert not errors, errors[0]
    # the schema bites: a finding without its end is refused
    broken = json.loads(json.dumps(entries[0]))
    del broken["diagnostics"][0]["end"]
    assert list(validator.iter_errors(_report_of([broken])))


def test_lint_records_gives_one_result_per_record_and_an_error_result_for_a_bad_one():
    records = [
        {"id": "ok", "text": PLAIN},
        {"id": "no-text"},
        {"id": "number", "text": 42},
        "not a record",
        {"id": "bad-format", "text": PLAIN, "fmt": "rtf"},
        {"id": "bytes", "text": PLAIN.encode("utf-8")},
        {"id": "latin1", "text": "caf\xe9 . .".encode("latin-1")},
        {"text": MARKDOWN, "fmt": "markdown"},
    ]
    results = list(Linter().lint_records(iter(records), format_field="fmt"))
    assert [r.path for r in results] == ["ok", "no-text", "number", "#3", "bad-format", "bytes", "latin1", "#7"]
    by = {r.path: r for r in results}
    assert by["ok"].error is None and any(d.code == "SEG001" for d in by["ok"].diagnostics)
    assert "no field 'text'" in by["no-text"].error
    assert "int, not text" in by["number"].error
    assert "not a record" in by["#3"].error
    assert "unknown format 'rtf'" in by["bad-format"].error
    assert by["bytes"].error is None and [d.code for d in by["bytes"].diagnostics] == \
        [d.code for d in by["ok"].diagnostics]
    assert "not valid UTF-8" in by["latin1"].error
    assert by["#7"].error is None and by["#7"].format == "markdown"
    for r in results:  # an error result is never an empty success
        assert (r.error is None) or (r.diagnostics == [] and r.to_dict()["error"])


def test_lint_records_other_field_names():
    rows = [{"doc": "x1", "body": PLAIN}]
    (result,) = Linter().lint_records(rows, text_field="body", id_field="doc")
    assert result.path == "x1" and result.diagnostics


def test_config_as_dict_path_or_config_selects_the_same_rules(tmp_path):
    toml = tmp_path / "copydesk.toml"
    toml.write_text('select = ["SEG"]\n[severity]\nSEG001 = "error"\n', encoding="utf-8")
    from lint.config import load_config

    for config in ({"select": ["SEG"], "severity": {"SEG001": "error"}}, str(toml), toml, load_config(toml)):
        result = lint.lint_text(PLAIN + "Share this article\n", config=config)
        codes = {d.code for d in result.diagnostics}
        assert codes == {"SEG001"}, (config, codes)
        assert str(result.diagnostics[0].severity) == "error"
    default = {d.code for d in lint.lint_text(PLAIN + "Share this article\n").diagnostics}
    assert default > {"SEG001"}


def test_a_bad_configuration_raises_naming_the_key(tmp_path):
    with pytest.raises(lint.ConfigError, match="selectt"):
        Linter({"selectt": ["SEG"]})
    with pytest.raises(lint.ConfigError, match="unknown rule selector: NOPE"):
        Linter({"select": ["NOPE"]}).lint_text(PLAIN)
    with pytest.raises(lint.ConfigError, match="not found"):
        Linter(str(tmp_path / "missing.toml"))


def test_a_linter_pickles_with_its_rules_and_lints_the_same():
    linter = Linter({"select": ["SEG", "UI"], "severity": {"SEG": "info"}})
    want = [d for d in linter.lint_text(PLAIN + "Share this article\n").diagnostics]
    data = pickle.dumps(linter)
    clone = pickle.loads(data)
    assert clone._ruleset is None  # shipped with its selected rules: nothing to load on a worker
    assert clone.lint_text(PLAIN + "Share this article\n").diagnostics == want
    assert {str(d.severity) for d in want if d.code.startswith("SEG")} == {"info"}
    assert len(data) < len(pickle.dumps(Linter().ruleset.rules))  # not the whole rule set


def test_a_result_pickles_and_round_trips():
    result = lint.lint_text(PLAIN)
    back = pickle.loads(pickle.dumps(result))
    assert back.to_dict() == result.to_dict()


def test_lint_paths_is_what_check_does(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    corpus = fixture_corpus(tmp_path)
    code, out = check_in_process("--no-cache", "--format", "json", str(corpus), "missing.txt")
    want = json.loads(out)["files"]
    for jobs in (1, 2):
        got = [r.to_dict() for r in lint.lint_paths([str(corpus), "missing.txt"], jobs=jobs, cache=False)]
        assert got == want


def test_a_nested_document_is_an_error_result_not_an_exception():
    deep = "> " * 3000 + "text\n"
    result = lint.lint_text(deep, format="markdown")
    assert result.error and "nested too deeply" in result.error
    assert result.to_dict()["error"] == result.error and result.to_dict()["diagnostics"] == []


def test_the_cli_has_a_corpus_command():
    from click.testing import CliRunner

    out = CliRunner().invoke(main, ["corpus", "--help"])
    assert out.exit_code == 0 and "corpus" in out.output.lower()


def test_a_missing_corpus_module_is_one_line(monkeypatch):
    from click.testing import CliRunner

    import lint.cli

    monkeypatch.setitem(lint.cli._LAZY, "corpus", ("lint.no_such_module", "corpus"))
    out = CliRunner().invoke(main, ["corpus", "x.jsonl", "-o", "y.jsonl"])
    assert out.exit_code == 2
    assert out.stderr.count("\n") == 1 and "'corpus' command is not available" in out.stderr
