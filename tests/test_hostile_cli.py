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
def hostile(tmp_path, monkeypatch):
    """A folder ``names`` of three files with hostile names; the test runs in its parent (for
    the commands run in this process)."""
    monkeypatch.chdir(tmp_path)
    d = tmp_path / "names"
    d.mkdir()
    (d / os.fsdecode(LATIN1)).write_text(ARTICLE, encoding="utf-8")
    (d / os.fsdecode(CONTROL)).write_text(ARTICLE, encoding="utf-8")
    # not valid UTF-8 inside either: an error that names the file
    (d / os.fsdecode(b"bad\xff.txt")).write_bytes(b"caf\xe9 au lait\n")
    return tmp_path


SHOWN = {"names/caf\\xe9.txt", "names/tab\\x09here\\x1b.md", "names/bad\\xff.txt"}
URI_OK = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})+$")


def _no_raw(data) -> str:
    """The output as text, holding no raw byte of a name (and no ESC). A child's output is
    bytes: decoded strictly, a raw byte of a name fails. In this process (helpers.run) standard
    output is strict UTF-8 (a surrogate-escaped name written there raises) and standard error
    backslash-replaces it (a ``\\udcXX`` in the text)."""
    if isinstance(data, bytes):
        text = data.decode("utf-8")  # strict: a raw byte of a name would fail here
    else:
        text = data
        text.encode("utf-8")  # strict: no surrogate (a name's raw byte) in it
        assert "\\udc" not in text, text
    assert "\x1b" not in text
    return text


def _format(hostile, fmt, child=False):
    """``check --format FMT names``: in this process (the name escaping is the reporters'; a
    child costs a start-up and a rule-cache load, ~0.25 s), or with ``child`` as a user runs
    it (a real interpreter's standard streams: a machine-readable report goes to the file
    descriptor from a spooled file, lint.cli._emit). With the result store (a fresh one per
    test): a test's later formats render stored results."""
    if child:
        code, out, err = cli("check", "--format", fmt, "names", cwd=hostile)
    else:
        code, out, err = run("check", "--format", fmt, "names")
    err_text = _no_raw(err)
    assert "Traceback" not in err_text, err_text
    assert code == 2, (code, err)  # bad\xff.txt could not be read
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
    doc = json.loads(_format(hostile, "json", child=True))  # one format through a real process's streams
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
    # in this process (helpers.run: an exception would propagate, not print a traceback)
    code, out, err = run("report", "names", "-o", "r.html")
    assert code == 2
    _no_raw(err)
    html = (hostile / "r.html").read_bytes().decode("utf-8")
    assert "names/caf\\xe9.txt" in html and "\udce9" not in html
    code, out, err = run("fix", "--diff", "names")
    _no_raw(err)
    text = _no_raw(out)
    assert "--- names/caf\\xe9.txt" in text
    code, out, err = run("check", "--write-baseline", "b.json", "names")
    _no_raw(err)
    assert "names/caf\\xe9.txt" in json.loads((hostile / "b.json").read_bytes().decode("utf-8"))["files"]
    code, out, err = run("check", "--baseline", "b.json", "--format", "json", "names")
    assert code == 2 and sum(len(f["diagnostics"]) for f in json.loads(out)["files"]) == 0  # all baselined
    code, out, err = run("stats", "--format", "json", "names")
    assert {f["path"] for f in json.loads(_no_raw(out))["files"]} == SHOWN


@needs_bytes_names
def test_a_missing_named_file_with_a_raw_byte_is_escaped_on_stderr(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run("check", os.fsdecode(b"nope\xe9.md"))  # in this process: the same argument
    assert code == 2
    assert "nope\\xe9.md: error: no such file or folder" in _no_raw(out) and not err
    # as a user runs it: the raw byte comes through a new interpreter's command line
    code, out, err = cli("check", "--format", "json", os.fsdecode(b"nope\xe9.md"), cwd=tmp_path)
    assert code == 2 and json.loads(out)["files"][0]["path"] == "nope\\xe9.md"
    assert "copydesk: error: nope\\xe9.md: no such file or folder" in _no_raw(err)


# ----------------------------------------------------------------------------- Ctrl-C

#: the command, with Ctrl-C (a real SIGINT, sent by the process to itself) at a chosen point:
#: the Nth result handed to the result store ("put": in the middle of linting; the store is
#: written every 8 results, so the interrupted run leaves part of it) or the Nth rename of a
#: fixed file ("rename": the signal comes while the file is being replaced). A point, not a
#: delay: the interruption lands mid-run on any machine, with a small corpus.
_INTERRUPTED = """
import os, signal
from lint import cache, runner
from lint.cli import entry

at, where = int(os.environ["COPYDESK_TEST_SIGINT_AT"]), os.environ["COPYDESK_TEST_SIGINT_IN"]
cache.FLUSH_AT = 8
calls = [0]

def hooked(real):
    def call(*args, **kwargs):
        calls[0] += 1
        if calls[0] == at:
            os.kill(os.getpid(), signal.SIGINT)
        return real(*args, **kwargs)
    return call

if where == "put":
    cache.Cache.put = hooked(cache.Cache.put)
else:
    runner._replace = hooked(runner._replace)
entry()
"""
_WORDS = ("the region said officials on monday that a report was published about new rules for trade "
          "and the ministry would answer questions from reporters later in the week").split()


def _corpus(folder: Path, n: int) -> None:
    import random

    rnd = random.Random(16)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        paras = [" ".join(rnd.choice(_WORDS) for _ in range(50)).capitalize() + ". . Then , one." for _ in range(6)]
        (folder / f"a{i:04d}.md").write_text("\n\n".join(paras) + "\n", encoding="utf-8")


_NO_CACHE: dict = {}


def _no_cache_report(n: int) -> tuple[int, str]:
    """``check --format json --no-cache arts`` of the corpus of ``n`` articles (in the current
    folder, under the same relative name in every test): made once per process, as it cannot
    differ between the Ctrl-C variants."""
    from helpers import check_in_process

    if n not in _NO_CACHE:
        _NO_CACHE[n] = check_in_process("--format", "json", "--no-cache", "arts")
    return _NO_CACHE[n]


def _leftovers(*folders) -> list[str]:
    return [str(p) for folder in folders for p in Path(folder).rglob("*")
            if "tmp" in p.name.lower() and p.is_file()]


def _sigint_default():
    """In the child before exec: SIGINT as a terminal gives it. A non-interactive shell starts
    background jobs with SIGINT ignored, and a child inherits that (then Python installs no
    KeyboardInterrupt handler): a suite started with '&' would test nohup, not Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _interrupt(cwd, args, at, where="put", stderr_pty=False):
    """Run the command with Ctrl-C at the ``at``-th ``where`` (see _INTERRUPTED): (exit code,
    stdout, stderr; stderr empty when it is a terminal, which shows the progress bar)."""
    import threading

    env = {**os.environ, "PYTHONPATH": str(ROOT), "COPYDESK_TEST_SIGINT_AT": str(at),
           "COPYDESK_TEST_SIGINT_IN": where}
    cmd = [sys.executable, "-c", _INTERRUPTED, *args]
    if not stderr_pty:
        p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             preexec_fn=_sigint_default)
        out, err = p.communicate(timeout=120)
        return p.returncode, out, err
    import pty

    master, slave = pty.openpty()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=slave, preexec_fn=_sigint_default)
    os.close(slave)
    seen: list = []

    def drain():  # the terminal's side: read what it shows until the child is gone
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                return
            if not chunk:
                return
            seen.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    out, _ = p.communicate(timeout=120)
    reader.join(10)
    os.close(master)
    assert b"Linting" in b"".join(seen)  # it was a terminal: the progress bar was shown
    return p.returncode, out, b""


@pytest.mark.parametrize("jobs,pty_", [("1", False), ("2", False), ("2", True)])
def test_ctrl_c_exits_130_with_no_partial_report_and_no_temporary_files(tmp_path, monkeypatch, jobs, pty_):
    from helpers import check_in_process

    if pty_ and sys.platform == "win32":
        pytest.skip("no pty")
    n = 40
    _corpus(tmp_path / "arts", n)
    code, out, err = _interrupt(tmp_path, ["check", "--format", "json", "--jobs", jobs, "arts"], n // 2,
                                stderr_pty=pty_)
    assert code == 130, (code, err[-2000:])
    # no half a JSON document: nothing, or (Ctrl-C while the finished report was being written
    # into a full pipe) the whole report
    assert out == b"" or len(json.loads(out)["files"]) == n
    assert b"Traceback" not in err and b"Aborted" not in err
    assert pty_ or b"copydesk: interrupted" in err
    assert not _leftovers(tmp_path, os.environ["COPYDESK_CACHE_DIR"])
    assert list((tmp_path / ".copydesk_cache" / "results").iterdir())  # part of the run was stored
    # the store the interrupted run left behind changes nothing
    monkeypatch.chdir(tmp_path)
    code1, warm = check_in_process("--format", "json", "arts")
    assert (code1, warm) == _no_cache_report(n) and code1 == 1
    assert len(json.loads(warm)["files"]) == n


def test_ctrl_c_during_fix_leaves_whole_files_and_no_temporary_files(tmp_path):
    n = 24
    _corpus(tmp_path / "arts", n)
    before = {p.name: p.read_bytes() for p in (tmp_path / "arts").iterdir()}
    code, out, err = _interrupt(tmp_path, ["fix", "--format", "json", "arts"], n // 3, where="rename")
    assert code == 130 and out == b"", (code, err[-2000:])
    assert b"Traceback" not in err and b"copydesk: interrupted" in err
    assert not _leftovers(tmp_path)
    # each file is as it was or wholly fixed (fixing the originals gives the same texts), and
    # the renames before and during the Ctrl-C were made, the rest not
    after = {p.name: p.read_bytes() for p in (tmp_path / "arts").iterdir()}
    assert set(after) == set(before)
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    for name, data in before.items():
        (fresh / name).write_bytes(data)
    run("fix", "--no-cache", str(fresh))
    fixed = {p.name: p.read_bytes() for p in fresh.iterdir()}
    assert all(fixed[name] != before[name] for name in before)
    assert all(after[name] in (before[name], fixed[name]) for name in after)
    assert sum(after[name] == fixed[name] for name in after) == n // 3


# ----------------------------------------------------------------------------- fixes not written

FIXABLE = "The region. . It was fine.\n"


def _says_unwritten(code, out, err, why):
    assert code == 2
    assert f"could not write fixes: {why}; nothing written" in out
    assert "Could not write the fixes to 1 file: nothing was written to it." in out
    assert "could not be linted" not in out + err and "Nothing to fix" not in err
    assert "could not write the fixes to 1 file." in err


def test_a_file_changed_between_read_and_write_is_named_as_not_written(tmp_path, monkeypatch):
    p = tmp_path / "a.txt"
    p.write_text(FIXABLE, encoding="utf-8")
    from lint import fixer

    original = fixer.fix_source

    def meddling(*args, **kwargs):
        out = original(*args, **kwargs)
        p.write_text(FIXABLE + "An editor's new line.\n", encoding="utf-8")
        return out

    monkeypatch.setattr(fixer, "fix_source", meddling)
    code, out, err = run("fix", "--no-cache", str(p))
    _says_unwritten(code, out, err, "the file changed on disk since it was read")
    assert p.read_text(encoding="utf-8").endswith("An editor's new line.\n")


def test_a_read_only_file_is_not_written(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(FIXABLE, encoding="utf-8")
    p.chmod(0o444)
    try:
        code, out, err = run("fix", "--no-cache", str(p))
        _says_unwritten(code, out, err, "the file is read-only")
        assert p.read_text(encoding="utf-8") == FIXABLE
    finally:
        p.chmod(0o644)


def test_a_file_in_a_read_only_folder_is_not_written(tmp_path):
    d = tmp_path / "ro"
    d.mkdir()
    p = d / "a.txt"
    p.write_text(FIXABLE, encoding="utf-8")
    (d / "b.txt").write_text(FIXABLE, encoding="utf-8")
    (d / "b.txt").chmod(0o644)
    d.chmod(0o555)
    try:
        code, out, err = run("fix", "--no-cache", "--format", "json", str(p))
        assert code == 2
        doc = json.loads(out)
        assert "could not write fixes: its folder is read-only" in doc["files"][0]["error"]
        assert "could not write fixes: its folder is read-only" in err
        assert "Nothing to fix" not in err and len(err.splitlines()) == 1
        assert not _leftovers(d)
    finally:
        d.chmod(0o755)
    assert p.read_text(encoding="utf-8") == FIXABLE


def test_a_failed_rename_is_named_and_others_are_still_fixed(tmp_path, monkeypatch):
    from lint import runner

    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(FIXABLE, encoding="utf-8")
    b.write_text(FIXABLE, encoding="utf-8")

    def refuse(tmp, target):
        if target.endswith("a.txt"):
            raise PermissionError(13, "Permission denied")
        os.replace(tmp, target)

    monkeypatch.setattr(runner, "_replace", refuse)
    code, out, err = run("fix", "--no-cache", str(a), str(b))
    assert code == 2
    assert "a.txt: error: could not write fixes: Permission denied; nothing written" in out
    assert "Fixed 1 file; could not write the fixes to 1 file." in err
    assert a.read_text(encoding="utf-8") == FIXABLE and b.read_text(encoding="utf-8") != FIXABLE
    assert not _leftovers(tmp_path)


# ----------------------------------------------------------------------------- exclude on named files


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "old.md").write_text(FIXABLE, encoding="utf-8")
    (tmp_path / "new.md").write_text(FIXABLE, encoding="utf-8")
    (tmp_path / "copydesk.toml").write_text('exclude = ["archive/**"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_exclude_applies_to_files_named_on_the_command_line(project):
    code, out, _ = run("check", "--no-cache", "--format", "json", "archive/old.md", "new.md")
    assert code == 1
    assert [f["path"] for f in json.loads(out)["files"]] == ["new.md"]
    code, out, _ = run("check", "--no-cache", "archive")  # a folder the configuration empties: no error
    assert code == 0 and "0 files checked" in out


def test_the_fix_hook_leaves_excluded_files_alone(project):
    # what the copydesk-fix hook of .pre-commit-hooks.yaml runs: its entry and the staged files
    import yaml

    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    entry = hooks["copydesk-fix"]["entry"].split()
    assert entry[0] == "copydesk"
    assert re.search(hooks["copydesk-fix"]["files"], "archive/old.md")
    code, out, err = run(*entry[1:], "--no-cache", "archive/old.md", "new.md")
    assert (project / "archive" / "old.md").read_text(encoding="utf-8") == FIXABLE
    assert (project / "new.md").read_text(encoding="utf-8") != FIXABLE
    code, out, err = run(*hooks["copydesk"]["entry"].split()[1:], "--no-cache", "archive/old.md")
    assert code == 0 and "0 files checked" in out


def test_no_force_exclude_lints_a_named_excluded_file(project):
    code, out, _ = run("check", "--no-cache", "--no-force-exclude", "--format", "json", "archive/old.md", "new.md")
    assert code == 1
    assert [f["path"] for f in json.loads(out)["files"]] == ["archive/old.md", "new.md"]
    code, out, _ = run("fix", "--no-cache", "--no-force-exclude", "archive/old.md")
    assert (project / "archive" / "old.md").read_text(encoding="utf-8") != FIXABLE
    # a folder walk still leaves excluded files out
    code, out, _ = run("check", "--no-cache", "--no-force-exclude", "--format", "json", ".")
    assert [f["path"] for f in json.loads(out)["files"]] == ["new.md"]


@pytest.mark.parametrize("setting,message", [
    ('exclude = ["../elsewhere/**"]', "copydesk.toml: exclude[0]: '../elsewhere/**' points outside the project"),
    ('exclude = ["ok", "~/notes/*.md"]', "copydesk.toml: exclude[1]: '~/notes/*.md' points outside the project"),
    ('exclude = ["/etc/**"]', "copydesk.toml: exclude[0]: '/etc/**' points outside the project"),
    ('exclude = ["drafts/[abc"]', "copydesk.toml: exclude[0]: invalid glob 'drafts/[abc': '[' at 1 in '[abc' is never closed"),
    ('exclude = ["[z-a].md"]', "copydesk.toml: exclude[0]: invalid glob '[z-a].md': bad character range z-a"),
    ('[per-file-ignores]\n"x[" = ["SEG"]', "copydesk.toml: per-file-ignores.\"x[\": invalid glob 'x['"),
    ('packs = ["house"]', "copydesk.toml: packs[0]: house: no rule files (*.yaml) in this folder"),
    ('packs = ["nope"]', "copydesk.toml: packs[0]: nope: no such folder"),
])
def test_configuration_mistakes_are_one_line_errors_naming_the_key(project, setting, message):
    (project / "house").mkdir()
    (project / "house" / "README.md").write_text("rules to come\n", encoding="utf-8")
    (project / "copydesk.toml").write_text(setting + "\n", encoding="utf-8")
    code, out, err = run("check", "--no-cache", "new.md")
    assert code == 2 and out == ""
    assert err.startswith(f"copydesk: error: {message}") and len(err.splitlines()) == 1, err


def test_pyproject_names_the_key_with_its_table(project):
    (project / "copydesk.toml").unlink()
    (project / "pyproject.toml").write_text('[tool.copydesk]\npacks = ["nope"]\n', encoding="utf-8")
    code, _, err = run("check", "--no-cache", "new.md")
    assert code == 2 and err.strip() == "copydesk: error: pyproject.toml: tool.copydesk.packs[0]: nope: no such folder"


# ----------------------------------------------------------------------------- dangling links


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_a_dangling_link_is_named_alike_in_a_folder_and_on_the_command_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "ok.md").write_text(FIXABLE, encoding="utf-8")
    os.symlink("nowhere.md", tmp_path / "d" / "broken.md")
    os.symlink("loop.md", tmp_path / "d" / "loop.md")
    want = {"d/broken.md: error: a symbolic link that leads nowhere (broken or looping)",
            "d/loop.md: error: a symbolic link that leads nowhere (broken or looping)"}
    for args in (["d"], ["d/broken.md", "d/loop.md"], ["d/broken.md", "d"]):
        code, out, _ = run("check", "--no-cache", *args)
        assert code == 2
        named = [line for line in out.splitlines() if ": error: " in line]
        assert set(named) == want and len(named) == 2, out
    code, out, err = run("fix", "--no-cache", "--format", "json", "d")
    errors = sorted(f["error"] for f in json.loads(out)["files"] if "error" in f)
    assert errors == sorted(w.replace(": error:", ":") for w in want)
