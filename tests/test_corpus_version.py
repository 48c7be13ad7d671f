"""A pickled lint.Linter names the Copydesk that built it (lint/api.py), and a process running
other code refuses it with one line naming both versions, before unpickling anything of the
other code's classes (what a Dask or Spark worker with another install would otherwise show as
a TypeError or KeyError from deep inside pickle)."""
from __future__ import annotations

import pickle

import pytest

import lint
from lint import api


def test_the_same_code_round_trips_and_lints_the_same():
    linter = lint.Linter({"select": ["SEG"]})
    state = linter.__getstate__()
    assert state["version"] == api.code_version() and state["version"][0] == lint.__version__
    assert len(state["version"][1]) == 12
    clone = pickle.loads(pickle.dumps(linter))
    text = "Tensions rose in the region. .\n"
    assert clone.lint_text(text).to_dict() == linter.lint_text(text).to_dict()


def test_other_code_is_one_clear_line_naming_both_versions(monkeypatch):
    data = pickle.dumps(lint.Linter({"select": ["SEG"]}))
    built = api.code_version()
    monkeypatch.setattr(api, "_CODE_VERSION", ("0.0.9", "feedfacecafe"))
    with pytest.raises(api.VersionSkewError) as info:
        pickle.loads(data)
    msg = str(info.value)
    assert f"built by Copydesk {built[0]} (code {built[1]})" in msg
    assert "this process runs Copydesk 0.0.9 (code feedfacecafe)" in msg
    assert "\n" not in msg


def test_the_version_is_checked_before_the_payload_is_unpickled(monkeypatch):
    """A state whose payload this code could not read (another release's classes): the version
    check speaks first; an older pickle without a version is named as such."""
    state = lint.Linter({"select": ["SEG"]}).__getstate__()
    broken = dict(state, payload=b"not a pickle", rules=b"nor this", version=("0.0.1", "0" * 12))
    with pytest.raises(api.VersionSkewError, match=r"Copydesk 0\.0\.1 \(code 000000000000\)"):
        lint.Linter.__new__(lint.Linter).__setstate__(broken)
    old = {"config": None, "cache": True, "rules": b""}  # the state of a Linter before versions
    with pytest.raises(api.VersionSkewError, match="an unknown \\(older\\) Copydesk version"):
        lint.Linter.__new__(lint.Linter).__setstate__(old)


def test_the_code_fingerprint_follows_the_package_files(monkeypatch, tmp_path):
    """It hashes the package's Python files, so any change of the code changes it."""
    first = api.code_version()
    monkeypatch.setattr(api, "_CODE_CACHE", ((), None))
    assert api.code_version() == first  # recomputed: the same files, the same fingerprint
    fake = tmp_path / "lint"
    (fake / "sub").mkdir(parents=True)
    (fake / "api.py").write_text("x = 1\n")
    (fake / "sub" / "m.py").write_text("y = 2\n")
    monkeypatch.setattr(api, "__file__", str(fake / "api.py"))
    one = api.code_version()
    assert api.code_version() == one
    (fake / "sub" / "m.py").write_text("y = 30\n")  # seen without resetting anything
    assert api.code_version()[1] != one[1] and one[1] != first[1]
    assert api.code_version()[0] == first[0] == lint.__version__
