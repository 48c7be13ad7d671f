"""The result store (.copydesk_cache): a warm run reports what a fresh run reports, without
linting, reading or even hashing unchanged files, and nothing about the store (changed files,
corrupt entries, another configuration) can make it report something else."""
from __future__ import annotations

import marshal
import os
import shutil
import time
from pathlib import Path, PurePath

import pytest
from click.testing import CliRunner

import lint.runner
from lint import cache as store
from lint import packs, rulecache
from lint.cli import main

from helpers import check_in_process, fixture_corpus
from lint.document import FORMATS, format_for_path

OLD = time.time() - 3600  # files last changed an hour ago: not racily clean


def _corpus(tmp_path, copies=1):
    """The ten fixture articles (``copies`` times), dated an hour back: enough files for the
    worker pool (8+ to lint), and every format."""
    return fixture_corpus(tmp_path, copies, mtime=OLD)


_check = check_in_process


@pytest.fixture
def repo(tmp_path, monkeypatch, warm_rule_cache):
    shutil.copytree(warm_rule_cache, tmp_path / "rule-cache")  # built once (conftest), not per test
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path / "rule-cache"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _forbid(monkeypatch, *names):
    def fail(*args, **kwargs):
        raise AssertionError("a warm run did work that the store should have spared")

    for module, name in names:
        monkeypatch.setattr(module, name, fail)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_warm_run_lints_reads_and_hashes_nothing(repo, monkeypatch, jobs):
    corpus = _corpus(repo)
    fresh = _check("--no-cache", "--format", "json", str(corpus))
    assert _check("-j", jobs, "--format", "json", str(corpus)) == fresh  # fills the store
    # now every file is known by its stat: no lint, no read, no hash, no rule built
    _forbid(monkeypatch, (lint.runner, "lint_source"), (lint.runner, "read_raw"), (lint.runner, "_read_seen"),
            (store, "sha256"), (packs, "_build"), (rulecache, "_body"))
    assert _check("-j", jobs, "--format", "json", str(corpus)) == fresh


def test_a_warm_json_report_with_filters_is_the_fresh_one(repo):
    """A stored result carries its findings' JSON text; a filter (severity floor, baseline)
    that drops findings must not let that text through."""
    corpus = _corpus(repo, copies=1)
    _check("--format", "json", str(corpus))
    for args in (["--min-severity", "error"], ["--min-severity", "warning"]):
        fresh = _check("--no-cache", "--format", "json", *args, str(corpus))
        assert _check("--format", "json", *args, str(corpus)) == fresh, args
    CliRunner().invoke(main, ["check", "--no-cache", "--write-baseline", "base.json", str(corpus / "copy0" / "wire-story-mt.txt")])
    fresh = _check("--no-cache", "--format", "json", "--baseline", "base.json", str(corpus))
    assert _check("--format", "json", "--baseline", "base.json", str(corpus)) == fresh
    assert '"SEG' in _check("--format", "json", str(corpus))[1]


def test_a_warm_text_report_is_the_fresh_one(repo):
    """Reports that show the text read it (only for files with findings)."""
    corpus = _corpus(repo, copies=1)
    fresh = _check("--no-cache", str(corpus))
    assert fresh[1].count("\n") > 10
    _check(str(corpus))
    assert _check(str(corpus)) == fresh
    assert _check("--format", "sarif", str(corpus)) == _check("--no-cache", "--format", "sarif", str(corpus))
    # the tally of stored results (counted from their rows): counts, fixable marks, exit status
    for args in (["--statistics"], ["--format", "json", "--statistics", "--fail-on", "error"]):
        want = CliRunner().invoke(main, ["check", "--no-cache", *args, str(corpus)])
        got = CliRunner().invoke(main, ["check", *args, str(corpus)])
        assert (got.exit_code, got.stdout, got.stderr) == (want.exit_code, want.stdout, want.stderr), args
        assert "[*]" in want.stdout + want.stderr


def test_a_changed_file_is_linted_again_even_with_the_same_size_and_mtime(repo):
    corpus = _corpus(repo, copies=1)
    victim = corpus / "copy0" / "clean-traps.txt"
    text = victim.read_text(encoding="utf-8")
    _check("--format", "json", str(corpus))
    changed = text.replace("a", "b", 1)
    assert len(changed.encode()) == len(text.encode()) and changed != text
    victim.write_text(changed, encoding="utf-8")
    os.utime(victim, (OLD, OLD))  # the old modification time back: the change time still moved
    assert _check("--format", "json", str(corpus)) == _check("--no-cache", "--format", "json", str(corpus))
    # and a touched but unchanged file is a hit: hashed, not linted
    victim.write_text(text, encoding="utf-8")
    _check("--format", "json", str(corpus))
    victim.touch()
    calls = []
    real = lint.runner.lint_source
    lint.runner.lint_source = lambda *a, **k: calls.append(a[1]) or real(*a, **k)
    try:
        _check("-j", "1", "--format", "json", str(corpus))
    finally:
        lint.runner.lint_source = real
    assert calls == []


def test_a_file_changed_just_before_its_read_is_not_trusted_by_its_stat(repo, monkeypatch):
    # a window of half an hour (OLD is an hour back): on a loaded machine the run may start
    # more than the real 2 s after the write
    monkeypatch.setattr(store, "RACY_NS", 1800 * 10**9)
    fresh = repo / "new.txt"
    fresh.write_text("Source link\n", encoding="utf-8")  # changed now: within the racy window
    old = repo / "old.txt"
    old.write_text("Source link\n", encoding="utf-8")
    os.utime(old, (OLD, OLD))
    _check("new.txt", "old.txt")
    paths = {}
    for shard in (repo / store.CACHE_DIR / store.PATHS).iterdir():
        entries, _ = store.load_sealed(str(shard))
        paths.update(entries)
    assert "old.txt" in paths and "new.txt" not in paths
    assert paths["old.txt"][:4] == store.stat_key(os.stat(old))


def test_another_configuration_gets_its_own_results(repo):
    corpus = _corpus(repo, copies=1)
    _check("--format", "json", str(corpus))
    for args in (["--select", "UI"], ["--ignore", "SEG"], ["--extend-select", "SEG009"]):
        assert _check(*args, "--format", "json", str(corpus)) == \
            _check("--no-cache", *args, "--format", "json", str(corpus)), args


def test_a_corrupt_or_foreign_store_is_ignored(repo):
    corpus = _corpus(repo, copies=1)
    want = _check("--no-cache", "--format", "json", str(corpus))
    _check("--format", "json", str(corpus))
    folder = repo / store.CACHE_DIR
    files = [*sorted((folder / store.PATHS).iterdir()),
             *(p for p in sorted((folder / "results").rglob("*")) if p.is_file())]
    assert len(files) > 4
    files[0].write_bytes(b"not marshal")
    files[1].write_bytes(marshal.dumps(((store.FORMAT, "0.0.0-other"), {})))
    files[-2].write_bytes(b"")
    files[-1].write_bytes(marshal.dumps(((store.FORMAT, store.__version__), {b"x": 1, "y": (1, 2)})))
    assert _check("--format", "json", str(corpus)) == want
    assert _check("--format", "json", str(corpus)) == want  # and the store mended itself


def test_results_are_written_in_batches_as_a_big_run_goes(repo, monkeypatch):
    """Memory stays flat: results are written in batches of at most FLUSH_MAX files (the first
    FLUSH_AT), not held to the end."""
    corpus = _corpus(repo)  # ten files: four batches of at most three
    monkeypatch.setattr(store, "FLUSH_AT", 3)
    monkeypatch.setattr(store, "FLUSH_MAX", 3)
    writes = []
    real = store._write
    monkeypatch.setattr(store, "_write", lambda path, entries: writes.append(path) or real(path, entries))
    want = _check("--no-cache", "--format", "json", str(corpus))
    assert _check("-j", "1", "--format", "json", str(corpus)) == want
    n_files = len(list(corpus.rglob("*.*")))
    assert sum(1 for w in writes if "results" in w) >= n_files // 3
    assert _check("-j", "1", "--format", "json", str(corpus)) == want


def test_batches_grow_with_what_was_written_up_to_the_cap(tmp_path, monkeypatch):
    """Batches double (FLUSH_AT, then what was written so far) up to FLUSH_MAX, so a big run
    writes its store in few pieces (each a segment of the shards: lint.cache._Sharded)."""
    monkeypatch.setattr(store, "FLUSH_AT", 2)
    monkeypatch.setattr(store, "FLUSH_MAX", 8)
    c = store.Cache(tmp_path)
    sizes = []
    real = c.flush
    monkeypatch.setattr(c, "flush", lambda final=True: sizes.append(c._results.n_pending) or real(final))
    for i in range(40):
        k = bytes([i]) * 32
        c.put(f"f{i}.txt", None, k, k, store.Stored((), False, None, 0, "[]", None))
    assert sizes == [2, 2, 4, 8, 8, 8, 8]


def test_a_stored_result_has_every_field_a_fresh_one_has():
    """StoredResult is made without FileResult's __init__: every field must come from somewhere."""
    from dataclasses import fields

    from lint.runner import FileResult, StoredResult, _RESULT_DEFAULTS

    assert {f.name for f in fields(FileResult)} == set(_RESULT_DEFAULTS) | {"path", "diagnostics", "verdict"}
    assert isinstance(StoredResult.diagnostics, property) and isinstance(StoredResult.verdict, property)


@pytest.mark.parametrize("name", ["a.md", ".md", "..md", "a..md", "a.MD", "x.txt", "a.", ".", "a.markdown",
                                  "...html", "b.htm", "c.md.bak", ".hidden.txt", "notes"])
def test_discovery_reads_a_suffix_as_splitext_does(name):
    from lint.runner import ARTICLE_SUFFIXES, _is_article

    assert _is_article(name) == (os.path.splitext(name)[1].lower() in ARTICLE_SUFFIXES)


@pytest.mark.parametrize("path", ["a.md", ".md", "dir/.md", "x/a.MD", "a.b/c", "a.", "a..md", "/x/y.html",
                                  "-", "<stdin>", "a.tar.txt", "..md", "d.txt/e", "notes.markdown"])
def test_format_for_path_reads_the_suffix_as_pathlib_does(path):
    assert format_for_path(path) == FORMATS.get(PurePath(path).suffix.lower())
