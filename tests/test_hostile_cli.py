"""Hostile inputs and interruptions at the command line (issue 16): file names that are not
UTF-8, Ctrl-C, fixes that cannot be written, ``exclude`` on named files, configuration
mistakes, dangling symbolic links."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest

from helpers import run

ROOT = Path(__file__).resolve().parent.parent
SARIF_SCHEMA = Path(__file__).resolve().parent / "schemas" / "sarif-schema-2.1.0.json"

ARTICLE = "The region. . It was fine.\nA second line , with a stray comma.\n"
LATIN1 = b"caf\xe9.txt"  # a Latin-1 name: not valid UTF-8
CONTROL = b"tab\there\x1b.md"  # a tab and an ESC in the name

needs_bytes_names = pytest.mark.skipif(sys.platform in ("win32", "darwin"),
                                       reason="file names are arbitrary bytes on Linux only")


def cli(*args, cwd, env=None, timeout=120):
    """Run ``python -m lint`` as a user would: (exit code, stdout bytes, stderr bytes)."""
    full_env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONPATH": str(ROOT), **(env or {})}
    full_env.pop("PYTHONIOENCODING", None)
    p = subprocess.run([sys.executable, "-m", "lint", *args], cwd=cwd, capture_output=True,
                       env=full_env, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


# ----------------------------------------------------------------------------- file names


@pytest.fixture
def hostile(tmp_path):
    d = tmp_path / "names"
    d.mkdir()
    (d / os.fsdecode(LATIN1)).write_text(ARTICLE, encoding="utf-8")
    (d / os.fsdecode(CONTROL)).write_text(ARTICLE, encoding="utf-8")
    # not valid UTF-8 inside either: an error that names the file
    (d / os.fsdecode(b"bad\xff.txt")).write_bytes(b"caf\xe9 au lait\n")
    return tmp_path


SHOWN = {"names/caf\\xe9.txt", "names/tab\\x09here\\x1b.md", "names/bad\\xff.txt"}
URI_OK = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})+$")


def _no_raw(data: bytes) -> str:
    text = data.decode("utf-8")  # strict: a raw byte of a name would fail here
    assert "\x1b" not in text
    return text


def _format(hostile, fmt):
    code, out, err = cli("check", "--no-cache", "--format", fmt, "names", cwd=hostile)
    assert b"Traceback" not in err, err.decode("utf-8", "replace")
    assert code == 2, (code, err)  # bad\xff.txt could not be read
    err_text = _no_raw(err)
    assert "names/bad\\xff.txt: not valid UTF-8" in err_text or fmt == "text"
    return _no_raw(out)


@needs_bytes_names
def test_text_and_github_show_escaped_names(hostile):
    out = _format(hostile, "text")
    assert "names/caf\\xe9.txt:1:12 SEG001" in out
    assert "names/tab\\x09here\\x1b.md:1:12 SEG001" in out
    assert "names/bad\\xff.txt: error: not valid UTF-8" in out
    out = _format(hostile, "github")
    lines = out.splitlines()
    assert all(line.startswith("::") for line in lines)
    assert any(line.startswith("::warning file=names/caf\\xe9.txt,line=1,col=12") for line in lines)
    assert any(line.startswith("::error file=names/bad\\xff.txt,") for line in lines)


@needs_bytes_names
def test_json_rdjson_gitlab_are_valid_and_name_files_alike(hostile):
    doc = json.loads(_format(hostile, "json"))
    assert {f["path"] for f in doc["files"]} == SHOWN
    assert [f["error"] for f in doc["files"] if "error" in f][0].startswith("names/bad\\xff.txt: not valid UTF-8")
    doc = json.loads(_format(hostile, "rdjson"))
    assert {d["location"]["path"] for d in doc["diagnostics"]} == SHOWN - {"names/bad\\xff.txt"}
    assert all(d["original_output"].startswith(d["location"]["path"] + ":") for d in doc["diagnostics"])
    issues = json.loads(_format(hostile, "gitlab"))
    assert {i["location"]["path"] for i in issues} == SHOWN - {"names/bad\\xff.txt"}
    assert len({i["fingerprint"] for i in issues}) == len(issues)


@needs_bytes_names
def test_sarif_is_schema_valid_with_exact_percent_encoded_uris(hostile):
    jsonschema = pytest.importorskip("jsonschema")
    doc = json.loads(_format(hostile, "sarif"))
    validator = jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    errors = list(validator.iter_errors(doc))
    assert not errors, errors[:3]
    run_ = doc["runs"][0]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run_["results"]}
    uris |= {n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
             for n in run_["invocations"][0]["toolExecutionNotifications"]}
    assert all(URI_OK.match(u) for u in uris), uris
    # the URI names the very bytes of the file
    assert {unquote_to_bytes(u) for u in uris} == {b"names/" + LATIN1, b"names/" + CONTROL, b"names/bad\xff.txt"}
    notes = run_["invocations"][0]["toolExecutionNotifications"]
    assert notes[0]["message"]["text"].startswith("names/bad\\xff.txt: not valid UTF-8")


@needs_bytes_names
def test_junit_parses(hostile):
    junitparser = pytest.importorskip("junitparser")
    out = _format(hostile, "junit")
    xml = junitparser.JUnitXml.fromstring(out)
    suites = list(xml) if isinstance(xml, junitparser.JUnitXml) else [xml]
    names = {case.name for suite in suites for case in suite}
    assert names == SHOWN


@needs_bytes_names
def test_html_report_and_fix_diff_and_baseline_messages(hostile):
    code, out, err = cli("report", "--no-cache", "names", "-o", "r.html", cwd=hostile)
    assert code == 2 and b"Traceback" not in err
    html = (hostile / "r.html").read_bytes().decode("utf-8")
    assert "names/caf\\xe9.txt" in html and "\udce9" not in html
    code, out, err = cli("fix", "--diff", "--no-cache", "names", cwd=hostile)
    assert b"Traceback" not in err
    text = _no_raw(out)
    assert "--- names/caf\\xe9.txt" in text


@needs_bytes_names
def test_a_missing_named_file_with_a_raw_byte_is_escaped_on_stderr(tmp_path):
    code, out, err = cli("check", os.fsdecode(b"nope\xe9.md"), cwd=tmp_path)
    assert code == 2
    assert "nope\\xe9.md: error: no such file or folder" in _no_raw(out) and not err
    code, out, err = cli("check", "--format", "json", os.fsdecode(b"nope\xe9.md"), cwd=tmp_path)
    assert code == 2 and json.loads(out)["files"][0]["path"] == "nope\\xe9.md"
    assert "copydesk: error: nope\\xe9.md: no such file or folder" in _no_raw(err)
