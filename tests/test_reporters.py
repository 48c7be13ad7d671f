"""CI and machine-readable reports: SARIF (against the official 2.1.0 schema), JUnit, GitHub
workflow commands, GitLab Code Quality, reviewdog rdjson; --output-file, --min-severity,
--statistics and the progress bar."""
from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from lint.cli import main
from lint.model import Applicability, Diagnostic, Edit, Fix, Severity
from lint.reporters import REPORTERS
from lint.runner import FileResult

# The official OASIS schema, vendored so that the test runs offline (see tests/schemas/README.md).
SARIF_SCHEMA = Path(__file__).resolve().parent / "schemas" / "sarif-schema-2.1.0.json"

# Emoji (outside the BMP: two UTF-16 code units, four UTF-8 bytes) and CJK (one code unit,
# three bytes) before the flagged spans, so that every column unit is exercised.
ARTICLE = (
    "# Grid 😀 update 电网\n\n"
    "The minister 😀😀 said the talks had stalled in the region 北京. .\n\n"
    "Officials met again 在 June. , which helped.\n\n"
    "Source link\n"
)
CLEAN = "A quiet day\n\nNothing happened in the valley, and the council met as planned.\n"


def run(*args, input=None):
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def articles(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "story.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "clean.md").write_text(CLEAN, encoding="utf-8")
    return tmp_path


def findings(path="story.md"):
    code, out, _ = run("check", "--no-cache", "--format", "json", path)
    return json.loads(out)["files"][0]["diagnostics"]


# --------------------------------------------------------------------------- every format


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_every_format_comes_out_of_the_cli_with_the_usual_exit_status(articles, fmt):
    code, out, err = run("check", "--no-cache", "--format", fmt, "story.md", "clean.md")
    assert code == 1, err
    assert out.strip()
    code, _, _ = run("check", "--no-cache", "--format", fmt, "--exit-zero", "story.md")
    assert code == 0
    code, _, _ = run("check", "--no-cache", "--format", fmt, "clean.md")
    assert code == 0


# --------------------------------------------------------------------------- SARIF


@pytest.fixture(scope="module")
def sarif_validator():
    import jsonschema  # in the test extra: the SARIF check must not silently skip
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def _valid(validator, doc):
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_sarif_validates_and_counts_columns_in_code_points(articles, sarif_validator):
    code, out, _ = run("check", "--no-cache", "--format", "sarif", "story.md", "clean.md")
    assert code == 1
    doc = json.loads(out)
    _valid(sarif_validator, doc)
    assert doc["version"] == "2.1.0"
    (run_,) = doc["runs"]
    assert run_["columnKind"] == "unicodeCodePoints"
    lines = ARTICLE.split("\n")
    results = run_["results"]
    assert [r["ruleId"] for r in results] == [d["code"] for d in findings()]
    for res in results:
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"] == {"uri": "story.md", "uriBaseId": "SRCROOT"}
        reg = loc["region"]
        assert reg["startLine"] == reg["endLine"]
        line = lines[reg["startLine"] - 1]
        assert line[reg["startColumn"] - 1:reg["endColumn"] - 1] == reg["snippet"]["text"]
    seg001 = next(r for r in results if r["ruleId"] == "SEG001")
    assert seg001["locations"][0]["physicalLocation"]["region"]["snippet"]["text"] == " ."
    # the same positions as the JSON report
    first = findings()[0]
    reg = results[0]["locations"][0]["physicalLocation"]["region"]
    assert (reg["startLine"], reg["startColumn"]) == (first["start"]["line"], first["start"]["column"])
    assert run_["originalUriBaseIds"]["SRCROOT"]["uri"].endswith("/")


def test_sarif_rules_come_from_the_rule_metadata(articles, ruleset):
    _, out, _ = run("check", "--no-cache", "--format", "sarif", "story.md")
    run_ = json.loads(out)["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    by_id = {r["id"]: r for r in rules}
    meta = ruleset.find("SEG001").meta
    rule = by_id["SEG001"]
    assert rule["name"] == meta.name
    assert rule["shortDescription"]["text"] == " ".join(meta.summary.replace("{match}", "…").split())
    assert rule["fullDescription"]["text"] == " ".join(meta.why.split())
    assert " ".join(meta.why.split()) in rule["help"]["text"]
    assert str(meta.fix_applicability) in rule["help"]["text"]
    assert rule["defaultConfiguration"]["level"] == {"error": "error", "warning": "warning", "info": "note"}[
        str(meta.severity)]
    assert meta.category in rule["properties"]["tags"]
    for res in run_["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]


def test_sarif_fixes_are_sarif_fixes(articles):
    _, out, _ = run("check", "--no-cache", "--format", "sarif", "story.md")
    results = json.loads(out)["runs"][0]["results"]
    seg = next(r for r in results if r["ruleId"] == "SEG001")
    (fix,) = seg["fixes"]
    assert fix["description"]["text"]
    assert fix["properties"]["applicability"] == "safe"
    (change,) = fix["artifactChanges"]
    (rep,) = change["replacements"]
    region = seg["locations"][0]["physicalLocation"]["region"]
    deleted = rep["deletedRegion"]
    assert (deleted["startLine"], deleted["startColumn"], deleted["endColumn"]) == (
        region["startLine"], region["startColumn"], region["endColumn"])
    assert rep["insertedContent"]["text"] == ""
    # applying the SARIF edit to the line gives the fixed text
    line = ARTICLE.split("\n")[deleted["startLine"] - 1]
    fixed = line[:deleted["startColumn"] - 1] + rep["insertedContent"]["text"] + line[deleted["endColumn"] - 1:]
    assert fixed.endswith("北京.")


def test_sarif_can_count_columns_in_utf16_code_units(sarif_validator):
    source = ARTICLE
    d = Diagnostic("SEG001", "doubled-period", "punctuation", Severity.WARNING, "Stray period",
                   source.index(". .") + 1, source.index(". .") + 3,
                   Fix((Edit(source.index(". .") + 1, source.index(". .") + 3, ""),), Applicability.SAFE, "Delete it"))
    r = FileResult("story.md", source, "markdown", [d])
    doc = json.loads(REPORTERS["sarif"]([r], {"column_kind": "utf16CodeUnits"}))
    _valid(sarif_validator, doc)
    assert doc["runs"][0]["columnKind"] == "utf16CodeUnits"
    reg = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    line = source.split("\n")[reg["startLine"] - 1]
    units = line.encode("utf-16-le")
    flagged = units[2 * (reg["startColumn"] - 1):2 * (reg["endColumn"] - 1)].decode("utf-16-le")
    assert flagged == " ."
    cp_col = line.index(" .") + 1
    assert reg["startColumn"] == cp_col + 2  # two emoji before it: one extra code unit each


def test_sarif_reports_unreadable_files_as_notifications(articles, sarif_validator):
    (articles / "bad.txt").write_bytes(b"caf\xe9 au lait\n")
    code, out, err = run("check", "--no-cache", "--format", "sarif", "story.md", "bad.txt")
    assert code == 2
    doc = json.loads(out)
    _valid(sarif_validator, doc)
    inv = doc["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    (note,) = inv["toolExecutionNotifications"]
    assert "not valid UTF-8" in note["message"]["text"]
    assert "bad.txt" in err


def test_sarif_of_a_clean_run_is_valid(articles, sarif_validator):
    code, out, _ = run("check", "--no-cache", "--format", "sarif", "clean.md")
    assert code == 0
    doc = json.loads(out)
    _valid(sarif_validator, doc)
    assert doc["runs"][0]["results"] == []


# --------------------------------------------------------------------------- JUnit


def test_junit_one_testcase_per_file_one_failure_per_finding(articles):
    (articles / "bad.txt").write_bytes(b"\xff\xfe oops\n")
    code, out, _ = run("check", "--no-cache", "--format", "junit", "story.md", "clean.md", "bad.txt")
    assert code == 2
    root = ET.fromstring(out.encode("utf-8"))
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["story.md", "clean.md", "bad.txt"]
    expected = findings()
    failures = cases[0].findall("failure")
    assert [f.get("type") for f in failures] == [d["code"] for d in expected]
    assert all(f.get("message") and f.text for f in failures)
    first = expected[0]
    assert failures[0].get("message").startswith(f"story.md:{first['start']['line']}:{first['start']['column']} ")
    assert cases[1].findall("failure") == [] and cases[1].findall("error") == []
    assert len(cases[2].findall("error")) == 1
    assert suite.get("tests") == "3" and suite.get("failures") == str(len(expected)) and suite.get("errors") == "1"


def test_junit_parses_with_junitparser(articles):
    junitparser = pytest.importorskip("junitparser", reason="junitparser is not installed (optional)")
    _, out, _ = run("check", "--no-cache", "--format", "junit", "story.md", "clean.md")
    xml = junitparser.JUnitXml.fromstring(out)
    suites = list(xml) if isinstance(xml, junitparser.JUnitXml) else [xml]
    cases = [c for s in suites for c in s]
    assert [c.name for c in cases] == ["story.md", "clean.md"]
    results = cases[0].result
    assert len(results) == len(findings())
    assert all(isinstance(r, junitparser.Failure) for r in results)
    assert cases[1].is_passed


def test_junit_survives_control_characters(articles):
    (articles / "ctrl.md").write_text("The minister\x0b said the talks had stalled in the region. .\n",
                                      encoding="utf-8")
    _, out, _ = run("check", "--no-cache", "--format", "junit", "ctrl.md")
    root = ET.fromstring(out.encode("utf-8"))
    assert root.find("testsuite/testcase/failure") is not None


# --------------------------------------------------------------------------- GitHub

GH = re.compile(r"^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),"
                r"title=([A-Z]+\d{3})::(.+)$")


def test_github_workflow_commands(articles):
    _, out, _ = run("check", "--no-cache", "--format", "github", "story.md", "clean.md")
    lines = out.splitlines()
    expected = findings()
    assert len(lines) == len(expected)
    for line, d in zip(lines, expected):
        m = GH.match(line)
        assert m, line
        kind, path, ln, col, eln, ecol, title, message = m.groups()
        assert kind == {"error": "error", "warning": "warning", "info": "notice"}[d["severity"]]
        assert path == "story.md" and title == d["code"] and message == f"{d['code']}: {d['message']}"
        assert (int(ln), int(col), int(eln), int(ecol)) == (
            d["start"]["line"], d["start"]["column"], d["end"]["line"], d["end"]["column"])


def test_github_severities_and_escaping():
    src = "one\ntwo 100% sure\nthree\n"
    diags = [
        Diagnostic("AAA001", "a", "punctuation", Severity.INFO, "50% done\nnext line", 4, 7),
        Diagnostic("AAA002", "b", "punctuation", Severity.WARNING, "w", 0, 3),
        Diagnostic("AAA003", "c", "punctuation", Severity.ERROR, "over lines", 0, 19),
        Diagnostic("AAA004", "d", "punctuation", Severity.ERROR, "two whole lines", 0, 18),
    ]
    r = FileResult("dir,with:odd/a.md", src, "markdown", diags)
    out = REPORTERS["github"]([r], {}).splitlines()
    assert out[0] == "::notice file=dir%2Cwith%3Aodd/a.md,line=2,col=1,endLine=2,endColumn=4,title=AAA001::AAA001: 50%25 done%0Anext line"
    assert out[1].startswith("::warning ")
    assert out[2] == "::error file=dir%2Cwith%3Aodd/a.md,line=1,endLine=3,title=AAA003::AAA003: over lines"
    # a span that ends with its line break ends on that line
    assert out[3] == "::error file=dir%2Cwith%3Aodd/a.md,line=1,endLine=2,title=AAA004::AAA004: two whole lines"


# --------------------------------------------------------------------------- GitLab

SEVERITIES_GL = {"info", "minor", "major", "critical", "blocker"}


def _gitlab(*paths):
    code, out, _ = run("check", "--no-cache", "--format", "gitlab", *paths)
    return json.loads(out)


def test_gitlab_code_quality_keys_and_stable_fingerprints(articles):
    issues = _gitlab("story.md", "clean.md")
    assert isinstance(issues, list) and len(issues) == len(findings())
    for i in issues:
        assert isinstance(i["description"], str) and i["description"]
        assert isinstance(i["check_name"], str) and i["check_name"]
        assert isinstance(i["fingerprint"], str) and i["fingerprint"]
        assert i["severity"] in SEVERITIES_GL
        assert i["location"]["path"] == "story.md"
        assert isinstance(i["location"]["lines"]["begin"], int)
        assert i["location"]["positions"]["begin"]["line"] == i["location"]["lines"]["begin"]
    assert [(i["location"]["positions"]["begin"]["column"], i["location"]["positions"]["end"]["column"])
            for i in issues] == [(d["start"]["column"], d["end"]["column"]) for d in findings()]
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert _gitlab("story.md", "clean.md") == issues  # same run, same report
    # unrelated edits: a new paragraph at the top, the heading rewritten, a paragraph at the end
    before = {i["check_name"]: i["fingerprint"] for i in issues}
    edited = "Breaking: more later.\n\n" + ARTICLE.replace("# Grid 😀 update 电网", "# The grid, revised") + "\nMore soon.\n"
    assert edited != ARTICLE
    (articles / "story.md").write_text(edited, encoding="utf-8")
    after_issues = _gitlab("story.md")
    after = {i["check_name"]: i["fingerprint"] for i in after_issues}
    assert after == before
    assert [i["location"]["lines"]["begin"] for i in after_issues] == [
        i["location"]["lines"]["begin"] + 2 for i in issues]


def test_gitlab_fingerprints_of_identical_findings_are_distinct(articles):
    (articles / "twice.md").write_text("Hello there.\n\nSource link\n\nMore text here.\n\nSource link\n",
                                       encoding="utf-8")
    issues = [i for i in _gitlab("twice.md") if i["check_name"] == "FOOT001"]
    if len(issues) < 2:
        pytest.skip("FOOT001 flags only one of the two lines")
    assert len({i["fingerprint"] for i in issues}) == len(issues)


# --------------------------------------------------------------------------- rdjson

_POS = {"type": "object", "required": ["line", "column"], "additionalProperties": False,
        "properties": {"line": {"type": "integer", "minimum": 1}, "column": {"type": "integer", "minimum": 1}}}
_RANGE = {"type": "object", "required": ["start"], "additionalProperties": False,
          "properties": {"start": _POS, "end": _POS}}
RDJSON_SCHEMA = {  # reviewdog's DiagnosticResult (proto/rdf/reviewdog.proto), strict
    "type": "object",
    "required": ["diagnostics"],
    "additionalProperties": False,
    "properties": {
        "source": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"},
                                                                           "url": {"type": "string"}}},
        "severity": {"enum": ["UNKNOWN_SEVERITY", "ERROR", "WARNING", "INFO"]},
        "diagnostics": {"type": "array", "items": {
            "type": "object",
            "required": ["message", "location"],
            "additionalProperties": False,
            "properties": {
                "message": {"type": "string"},
                "location": {"type": "object", "required": ["path"], "additionalProperties": False,
                             "properties": {"path": {"type": "string"}, "range": _RANGE}},
                "severity": {"enum": ["UNKNOWN_SEVERITY", "ERROR", "WARNING", "INFO"]},
                "source": {"type": "object", "required": ["name"]},
                "code": {"type": "object", "required": ["value"], "additionalProperties": False,
                         "properties": {"value": {"type": "string"}, "url": {"type": "string"}}},
                "suggestions": {"type": "array", "items": {
                    "type": "object", "required": ["range", "text"], "additionalProperties": False,
                    "properties": {"range": _RANGE, "text": {"type": "string"}}}},
                "original_output": {"type": "string"},
            },
        }},
    },
}


def test_rdjson_structure_and_utf8_byte_columns(articles):
    jsonschema = pytest.importorskip("jsonschema")
    code, out, _ = run("check", "--no-cache", "--format", "rdjson", "story.md", "clean.md")
    assert code == 1
    doc = json.loads(out)
    jsonschema.validate(doc, RDJSON_SCHEMA)
    expected = findings()
    diags = doc["diagnostics"]
    assert [d["code"]["value"] for d in diags] == [d["code"] for d in expected]
    lines = ARTICLE.split("\n")
    for d, e in zip(diags, expected):
        rng = d["location"]["range"]
        assert d["severity"] == e["severity"].upper()
        assert rng["start"]["line"] == rng["end"]["line"] == e["start"]["line"]
        raw = lines[rng["start"]["line"] - 1].encode("utf-8")
        flagged = raw[rng["start"]["column"] - 1:rng["end"]["column"] - 1].decode("utf-8")
        assert flagged == ARTICLE[e["start"]["offset"]:e["end"]["offset"]]
    seg = next(d for d in diags if d["code"]["value"] == "SEG001")
    assert seg["location"]["range"]["start"]["column"] > expected[0]["start"]["column"]  # bytes, not characters
    (sug,) = seg["suggestions"]
    assert sug["text"] == "" and sug["range"] == seg["location"]["range"]


# --------------------------------------------------------------------------- options


def test_output_file_gets_the_report_and_the_terminal_the_summary(articles):
    code, out, _ = run("check", "--no-cache", "--format", "sarif", "--output-file", "out.sarif", "story.md")
    assert code == 1
    doc = json.loads((articles / "out.sarif").read_text(encoding="utf-8"))
    assert len(doc["runs"][0]["results"]) == len(findings())
    assert "Found 3 problems" in out and "out.sarif" in out
    assert not out.lstrip().startswith("{")


def test_output_file_for_text_reports_too(articles):
    code, out, _ = run("check", "--no-cache", "--output-file", "report.txt", "story.md")
    assert code == 1
    assert "SEG001" in (articles / "report.txt").read_text(encoding="utf-8")
    assert "SEG001" not in out and "Found 3 problems" in out


def test_min_severity_limits_what_is_reported(articles):
    all_codes = {d["code"]: d["severity"] for d in findings()}
    assert "warning" in all_codes.values()
    code, out, _ = run("check", "--no-cache", "--format", "json", "--min-severity", "error", "story.md")
    kept = json.loads(out)["files"][0]["diagnostics"]
    assert kept and all(d["severity"] == "error" for d in kept)
    assert len(kept) == sum(1 for s in all_codes.values() if s == "error")
    assert code == 1
    # only warnings left, --min-severity error: nothing reported, exit 0
    (articles / "warn.md").write_text("The minister said the talks had stalled in the region. .\n", encoding="utf-8")
    assert {d["severity"] for d in findings("warn.md")} == {"warning"}
    code, out, _ = run("check", "--no-cache", "--min-severity", "error", "warn.md")
    assert code == 0 and "All clear" in out


def test_statistics_counts_per_rule(articles):
    code, out, _ = run("check", "--no-cache", "--no-source", "--statistics", "story.md")
    assert code == 1
    stats = [line for line in out.splitlines() if re.match(r"^\s+\d+\s+[A-Z]+\d{3}\s", line)]
    counts = {line.split()[1]: int(line.split()[0]) for line in stats}
    expected: dict[str, int] = {}
    for d in findings():
        expected[d["code"]] = expected.get(d["code"], 0) + 1
    assert counts == expected
    assert re.search(r"^\s+3\s+findings from 3 rules$", out, re.M)


def test_statistics_never_inside_machine_readable_output(articles):
    code, out, err = run("check", "--no-cache", "--format", "json", "--statistics", "story.md")
    json.loads(out)  # the whole of stdout is the report
    assert "SEG001" in err and "findings from" in err


# --------------------------------------------------------------------------- progress bar


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_only_on_a_terminal_and_for_long_runs():
    from lint.progress import MIN_FILES, Progress, wanted

    assert not wanted(100, io.StringIO())
    assert not wanted(MIN_FILES - 1, _Tty())
    assert wanted(MIN_FILES, _Tty())
    assert not wanted(100, _Tty(), disabled=True)
    tty = _Tty()
    with Progress(3, tty) as bar:
        for _ in range(3):
            bar()
    text = tty.getvalue()
    assert "3/3 files" in text and text.endswith("\r\x1b[2K")  # erased at the end


def test_progress_goes_to_stderr_and_leaves_the_report_alone(articles, monkeypatch):
    import lint.progress

    for i in range(25):
        (articles / f"a{i:02}.md").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.setattr(lint.progress, "wanted", lambda total, stream=None, disabled=False: not disabled)
    code, out, err = run("check", "--no-cache", "-j", "1", "--format", "json", ".")
    assert code == 1
    report = json.loads(out)
    assert len(report["files"]) == 27
    assert "27/27 files" in err
    code, out, err = run("check", "--no-cache", "-j", "1", "--format", "json", "--no-progress", ".")
    assert "files" not in err


@pytest.mark.parametrize("which", ["fixtures", "empty", "error"])
def test_json_report_is_built_per_file_but_prints_exactly_as_one_dump(which):
    import lint.reporters.json as jr
    from lint.packs import load_rules
    from lint.runner import discover, iter_many

    if which == "fixtures":
        rs = load_rules()
        codes = tuple(r.meta.code for r in rs.rules if r.meta.default_enabled)
        fixtures = Path(__file__).resolve().parent.parent / "fixtures"
        results = list(iter_many([(p, codes, {}, "t") for p in discover([str(fixtures)])], rs.by_code(), 1, None))
        assert any(r.diagnostics for r in results)
    else:
        results = [] if which == "empty" else [FileResult("bad.txt", error="bad.txt: not valid UTF-8")]
    whole = {"version": jr.VERSION, "files": [jr.file_json(r) for r in results], "summary": jr.summary(results)}
    assert jr.render(results) == json.dumps(whole, ensure_ascii=False, indent=1) + "\n"


def test_a_file_entry_written_out_prints_what_json_dumps_prints():
    """file_text (the report's entry for one file, written for its shape) against json.dumps of
    file_json, on the shapes a result can take: fixes with and without edits, odd characters,
    errors, verdicts clean, likely and with unusual value types."""
    import lint.reporters.json as jr
    from lint.model import Applicability, Diagnostic, Edit, Fix, Severity

    text = "Line one. .\nZweite “Zeile”\tmit \\ und \u2028 und \x01\n\nlast"
    fixes = [None, Fix((), Applicability.DISPLAY_ONLY, "look"),
             Fix((Edit(9, 11, ""), Edit(12, 12, "é\"\n")), Applicability.SAFE, "Remove “it”")]
    diags = [Diagnostic("SEG001", "joined-segments", "mt-artifact", sev, "Message with \"quotes\" and é",
                        start, end, fix, 0.5)
             for sev, (start, end), fix in zip(Severity, [(9, 11), (12, 30), (len(text), len(text) + 5)], fixes)]
    verdicts = [None, {"likely_mt": False, "score": 0.0, "families": [], "evidence": []},
                {"likely_mt": 0, "score": 0, "families": [], "evidence": []},
                {"score": 0.0, "likely_mt": False, "families": [], "evidence": []},
                {"likely_mt": True, "score": 0.75, "families": ["SEG", "CALQ"],
                 "evidence": [{"family": "SEG", "code": "SEG001", "start": 9, "end": 11},
                              {"family": "CALQ", "code": "CALQ001", "start": 0, "end": 4}]},
                {"likely_mt": False, "score": 1.0, "families": ["SEG"], "evidence": []},
                {"likely_mt": False, "score": 0.5, "families": [], "evidence": [{"family": "X", "code": "Y",
                                                                                "start": True, "end": 2}]},
                {"likely_mt": False, "score": 0.5, "families": [1], "evidence": [], "extra": None}]
    for verdict in verdicts:
        for error in (None, "", "x.txt: not valid UTF-8 (byte 0xe9 at offset 3)"):
            for ds in ([], diags):
                r = FileResult("dir/ä “b”.md", text, "markdown", list(ds), error=error, verdict=verdict)
                want = json.dumps(jr.file_json(r), ensure_ascii=False, indent=1).replace("\n", "\n  ")
                assert jr.file_text(r) == want, (verdict, error, len(ds))


@pytest.mark.parametrize("value", [
    {"a": 1, "b": [1, 2, {"c": None, "d": True, "e": False}], "f": {}, "g": [], "i": 1.5, "j": -0.0,
     "k": 1e300, "l": float("inf"), "m": 10 ** 30, 1: "int key", None: "none key", 2.5: "float key"},
    {"s": "é\"\\\n\t\u2028\x00\x1f\ud800 “quoted” ’"}, [], {}, "text", 3, [[[]], [{}], {"x": [1]}],
])
def test_the_json_writer_prints_what_json_dumps_prints(value):
    """The report's hand-written indenter (json's own is pure Python) gives json.dumps's bytes."""
    import lint.reporters.json as jr

    for prefix in ("", " ", "  "):
        assert jr._dump(value, prefix) == json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + prefix)
