"""Issue 16, the stores: nothing found in ``.copydesk_cache`` or in the rule-set cache can hang a
run or crash it. A FIFO (or any file that is not a regular file) where a store file belongs is
never opened for a blocking read; a store file with a valid header and malformed entries is a
miss for each bad entry (the file is linted again), and the report is the fresh one (such files
carry no seal, lint.cache.SEAL: tests/test_store_seal.py has the sealed ones)."""
from __future__ import annotations

import functools
import marshal
import os
import pickle
import shutil
import stat
import subprocess
import sys
import time

import pytest

from lint import cache as store
from lint import rulecache
from lint.cli import main

from helpers import check_in_process, fixture_corpus

OLD = time.time() - 3600
HANG = 120  # seconds: far above a run of these few files; reaching it means the run hung

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


def _corpus(tmp_path):
    return fixture_corpus(tmp_path, mtime=OLD)


_check = check_in_process
_FRESH: dict = {}


def _fresh(*args):
    """``check --no-cache ARGS corpus`` on the fixture corpus (every test here makes the same
    one, under the same relative name): made once per process, as it cannot differ."""
    if args not in _FRESH:
        _FRESH[args] = _check("--no-cache", *args, "corpus")
    return _FRESH[args]


def _count_lints(monkeypatch) -> list:
    """The files linted from now on (lint.runner.lint_source, in this process: --jobs 1)."""
    import lint.runner

    calls: list = []
    real = lint.runner.lint_source
    monkeypatch.setattr(lint.runner, "lint_source", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    return calls


def _run(repo, *args):
    """The command in a child process (a hang is a timeout, not a stuck test run)."""
    env = dict(os.environ, COPYDESK_CACHE_DIR=str(repo / "rule-cache"))
    p = subprocess.run([sys.executable, "-m", "lint", "check", *args], cwd=repo, env=env,
                       capture_output=True, text=True, timeout=HANG)
    return p.returncode, p.stdout, p.stderr


@pytest.fixture
def repo(tmp_path, monkeypatch, warm_rule_cache):
    shutil.copytree(warm_rule_cache, tmp_path / "rule-cache")  # built once (conftest), not per test
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path / "rule-cache"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _shards(repo):
    folder = repo / store.CACHE_DIR
    # results are kept in folders per code version and configuration (lint.cache._shard_name)
    return sorted((folder / store.PATHS).iterdir()), [p for p in sorted((folder / "results").rglob("*")) if not p.is_dir()]


@needs_fifo
@pytest.mark.parametrize("where", ["results", "paths"])
def test_a_fifo_in_the_store_does_not_hang_the_run(repo, where):
    corpus = _corpus(repo)
    want = _fresh("--format", "json")
    assert _check("--format", "json", "corpus") == want  # fills the store
    paths, results = _shards(repo)
    for f in (results if where == "results" else paths):
        f.unlink()
        os.mkfifo(f)
    code, out, err = _run(repo, "--format", "json", "corpus")
    assert (code, out) == want, err
    assert "Traceback" not in err
    # and again: the store mended itself
    if where == "results":
        # every result was stored again: each FIFO was replaced by a regular file, so the run
        # can be made in this process (no store file is left that a blocking read could hang
        # on; a child costs ~0.25 s) ...
        for f in sum(_shards(repo), []):
            assert stat.S_ISREG(os.lstat(f).st_mode), f"{f} is still not a regular file"
        assert _check("--format", "json", "corpus") == want  # ... and what it holds is right
    else:  # a path shard is written again only where an entry changed: FIFOs are left, a child
        code, out, err = _run(repo, "--format", "json", "corpus")
        assert (code, out) == want, err
    assert corpus.is_dir()


@needs_fifo
def test_a_fifo_as_the_rule_cache_does_not_hang_the_run(repo):
    _corpus(repo)
    want = _fresh("--format", "json")
    files = list((repo / "rule-cache").glob("rules-*"))  # the repo fixture copied it in
    assert len(files) == 1
    files[0].unlink()
    os.mkfifo(files[0])
    code, out, err = _run(repo, "--format", "json", "corpus")
    assert (code, out) == want, err
    assert "Traceback" not in err


def test_read_regular_refuses_what_is_not_a_regular_file(tmp_path):
    assert store.read_regular(str(tmp_path)) is None  # a folder
    f = tmp_path / "f"
    f.write_bytes(b"abc")
    assert store.read_regular(str(f)) == b"abc"
    assert store.read_regular(str(f), limit=2) is None
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "fifo")
        assert store.read_regular(str(tmp_path / "fifo")) is None  # at once, not when a writer comes
    with pytest.raises(OSError):
        store.read_regular(str(tmp_path / "missing"))


ONE = '[\n    {\n     "code": "SEG001"\n    }\n   ]'  # the JSON text of one finding, in the reporter's layout (all the store checks)
_DIAG = ("SEG001", "doubled-period", "punctuation", 3, "m", 0, 1, 1.0, None)
_KEYS = ("findings", "likely_mt", "line_starts", "length", "diagnostics_json", "verdict_json")


def _entry(*fields, lines=()):
    """A stored entry (lint.cache.Stored.to_dict) from its fields in order."""
    return {**dict(zip(_KEYS, fields)), "lines": lines}


_RAW_BAD = [1, None, "x", b"x", (), [], {}, (1, 2), ((), False, None, 0, "[]", None),  # not a dict
            _entry((), False, None, 0, "[]"),  # a key missing
            {**_entry((), False, None, 0, "[]", None), "extra": 7},  # a key too many
            _entry((), False, None, 0, "[]", None, lines=[("x", 0, 1, 0, "x\n", True, 0)]),  # a list, not a tuple
            # a candidate line is (key, start, end, snippet offset, snippet, live, fingerprint)
            _entry((), False, (0,), 10, "[]", None, lines=("x",)),
            _entry((), False, (0,), 10, "[]", None, lines=(("x", 0, 1, 0, "x\n"),)),
            _entry((), False, (0,), 10, "[]", None, lines=((1, 0, 1, 0, "x\n", True, 0),)),
            _entry((), False, (0,), 10, "[]", None, lines=(("x", 0, 1, 0, "x\n", 1, 0),)),
            _entry((), False, (0,), 10, "[]", None, lines=(("x", 0, 1, 0, "x\n", True),)),  # no fingerprint
            _entry((), False, (0,), 10, "[]", None, lines=(("x", 0, 1, 0, "x\n", True, "0"),)),
            _entry((), False, (0,), 10, "[]", None, lines=(("x", 5, 2, 0, "x" * 6, True, 0),)),  # end before start
            _entry((), False, (0,), 10, "[]", None, lines=(("x", 0, 11, 0, "x" * 11, True, 0),)),  # past the text
            _entry((), False, (0,), 10, "[]", None, lines=(("x", 2, 4, 3, "xx", True, 0),)),  # before its snippet
            _entry((), False, (0,), 10, "[]", None, lines=(("x", 2, 4, 0, "xx", True, 0),)),  # past its snippet
            _entry((), False, None, 0, "[]", None, lines=(("x", 0, 1, 0, "x\n", True, 0),)),  # no line starts
            ]
BAD_PAYLOADS = _RAW_BAD + [_entry(*p) for p in [
    ("no", False, None, 0, "[]", None), ((), "no", None, 0, "[]", None),
    ((), False, None, "0", "[]", None), ((), False, None, 0, 5, None), ((), False, None, 0, "[]", 5),
    ((), False, None, 0, "[", None), ((), False, None, 0, "[]", "{"), ((), False, None, 0, "[]", "[]"),
    ((), False, None, 0, "[1]", None), ((), False, (0,), 0, "[]", None),
    ((_DIAG,), False, None, 10, ONE, None),  # findings without line starts
    ((_DIAG,), False, (0,), 10, "[]", None),  # the JSON text does not match
    ((_DIAG,), False, (0,), 10, '[{"code": "A"}, {"code": "B"}]', None),
    ((_DIAG,), False, (0,), 10, ONE, "null"),
    ((_DIAG,), False, ("0",), 10, ONE, None), ((_DIAG,), False, (1,), 10, ONE, None),
    ((_DIAG,), False, (0, 6, 3), 10, ONE, None), ((_DIAG,), False, (0, 3, 3), 10, ONE, None),  # not increasing
    ((_DIAG,), False, (0, 5, 10 ** 6), 10, ONE, None),  # a line past the text
    ((_DIAG[:8],), False, (0,), 10, ONE, None), (("SEG001",), False, (0,), 10, ONE, None),
    ((_DIAG[:3] + (9,) + _DIAG[4:],), False, (0,), 10, ONE, None),  # no such severity
    ((_DIAG[:5] + (5, 2) + _DIAG[7:],), False, (0,), 10, ONE, None),  # end before start
    ((_DIAG[:5] + (0, 99) + _DIAG[7:],), False, (0,), 10, ONE, None),  # past the text
    ((_DIAG[:3] + ("error",) + _DIAG[4:],), False, (0,), 10, ONE, None),
    ((_DIAG[:8] + ((9, "t", ()),),), False, (0,), 10, ONE, None),  # no such applicability
    ((_DIAG[:8] + ((3, "t", ((0, 1)),)),), False, (0,), 10, ONE, None),
    ((_DIAG[:8] + ((3, "t", ((0, "1", ""),)),),), False, (0,), 10, ONE, None),
    ((_DIAG[:8] + ((3, "t"),),), False, (0,), 10, ONE, None),
]]
BAD_PATH_ENTRIES = [1, None, "x", (), (1, 2, 3, 4), (1, 2, 3, 4, b"short"), ("1", 2, 3, 4, b"x" * 32),
                    (1, 2, 3, 4, "x" * 32), [1, 2, 3, 4, b"x" * 32]]


def _entries(files) -> dict:
    """Every entry of these store files: key -> value."""
    out = {}
    for f in files:
        entries, sealed = store.load_sealed(str(f))
        assert entries is not None and sealed
        out.update(entries)
    return out


def _rewrite(files, value_for):
    """Each entry's value replaced by ``value_for(key, value)``, the file written without the
    seal Copydesk puts on its own (lint.cache.SEAL): as by hand, or by a broken writer, so that
    each entry is checked when read."""
    for f in files:
        entries, _ = store.load_sealed(str(f))
        assert entries is not None
        f.write_bytes(marshal.dumps(((store.FORMAT, store.__version__),
                                     {k: value_for(k, v) for k, v in entries.items()})))


def test_every_bad_payload_is_refused_and_a_good_one_taken():
    for bad in BAD_PAYLOADS:
        assert not store.valid_payload(bad), bad
    assert store.valid_payload(_entry((), False, None, 0, "[]", None))
    assert store.valid_payload(_entry((_DIAG,), True, (0, 5), 10, ONE, '{"likely_mt": true}'))
    assert store.valid_payload(_entry((_DIAG[:8] + ((3, "t", ((0, 1, ""),)),),), False, (0,), 10, ONE, None))
    assert store.valid_payload(_entry((), False, (0, 5), 20, "[]", None, lines=(("share this", 0, 10, 0, "Share this\n", True, 0),)))
    good = _entry((_DIAG,), True, (0, 5), 10, ONE, '{"likely_mt": true}')
    stored = store.Stored.from_dict(good)
    assert stored.to_dict() == good and stored.diagnostics()[0].code == "SEG001"
    assert stored.verdict() == {"likely_mt": True} and stored.line_index().position(6) == (2, 2)
    assert all(store.Stored.from_dict(bad) is None for bad in BAD_PAYLOADS)
    assert not any(map(store._valid_path_entry, BAD_PATH_ENTRIES))
    assert store._valid_path_entry((1, 2, 3, 4, b"x" * 32))


def test_malformed_results_behind_a_valid_header_are_misses(repo, monkeypatch):
    """Every bad payload, each put in place of a stored result with findings (in rounds: one
    bad payload per result), is a miss: exactly those files are linted again, stored again,
    and the report is the fresh one. (Each payload is refused at unit level above; this is
    the store's own path to that check.)"""
    _corpus(repo)
    want = _fresh("--format", "json")
    assert _check("--format", "json", "corpus") == want  # fills the store
    results = _shards(repo)[1]
    keys = sorted(k for k, v in _entries(results).items() if v["findings"])
    assert len(keys) >= 5, "too few fixture articles with findings to spread the payloads over"
    linted = _count_lints(monkeypatch)
    for start in range(0, len(BAD_PAYLOADS), len(keys)):
        batch = dict(zip(keys, BAD_PAYLOADS[start:start + len(keys)]))
        _rewrite(results, lambda k, v: batch.get(k, v))
        linted.clear()
        assert _check("--format", "json", "corpus") == want, f"payloads {start}..{start + len(batch) - 1}"
        assert len(linted) == len(batch), (start, linted)  # those files, and no other
        linted.clear()
        assert _check("--format", "json", "corpus") == want  # re-linted and stored again
        assert linted == []
    assert _check("--format", "text", "corpus") == _fresh("--format", "text")


def test_malformed_path_entries_behind_a_valid_header_are_misses(repo, monkeypatch):
    """Every bad path entry, one per file: the file's content is hashed instead, its stored
    result is still found (nothing is linted), and the report is the fresh one."""
    _corpus(repo)
    want = _fresh("--format", "json")
    _check("--format", "json", "corpus")
    paths = _shards(repo)[0]
    names = sorted(_entries(paths))
    assert len(names) >= len(BAD_PATH_ENTRIES)
    bad = dict(zip(names, BAD_PATH_ENTRIES))
    _rewrite(paths, lambda k, v: bad.get(k, v))
    linted = _count_lints(monkeypatch)
    assert _check("--format", "json", "corpus") == want
    assert linted == []
    assert _check("--format", "json", "corpus") == want


def test_a_path_entry_pointing_to_a_malformed_result_is_a_miss(repo):
    """Entries of the right shape can still disagree: a finding placed past the text's end."""
    _corpus(repo)
    want = _fresh("--format", "json")
    _check("--format", "json", "corpus")

    def past_the_end(k, v):
        if not v["findings"]:
            return v
        d = v["findings"][0]
        return {**v, "findings": (d[:6] + (v["length"] + 5,) + d[7:],) + v["findings"][1:]}

    _rewrite(_shards(repo)[1], past_the_end)
    assert _check("--format", "json", "corpus") == want


# -- the rule-set cache ---------------------------------------------------------------------

def _rule_cache_file(repo):
    """The rule-set cache file the repo fixture copied in (lint.rulecache)."""
    _corpus(repo)
    files = list((repo / "rule-cache").glob("rules-*"))
    assert len(files) == 1
    assert rulecache.load(_folders(), _fingerprint()) is not None  # valid as it stands
    return files[0]


def _parts(path):
    import io

    stream = io.BytesIO(path.read_bytes())
    header = pickle.load(stream)
    metas = pickle.load(stream)
    return header, metas, stream.read()


def _folders():
    from lint.packs import builtin_pack_dir

    return [builtin_pack_dir()]


@functools.cache  # the rule files do not change during the tests (reading and hashing them: ~3 ms a call)
def _fingerprint():
    from lint.packs import fingerprint

    return fingerprint(_folders())[0]


def _rebuilt_by_a_run(repo):
    """A run that reads the rule cache (no stored results) reports what a fresh run does, and
    leaves a valid rule cache behind (the refused one was rebuilt and replaced)."""
    shutil.rmtree(repo / store.CACHE_DIR, ignore_errors=True)
    assert _check("--format", "json", "corpus") == _fresh("--format", "json")
    assert rulecache.load(_folders(), _fingerprint()) is not None


BAD_DEPS = [5, "x", [5], [("a",)], [(1, "d")], [("a", 1)], {"a": "b"}]
BAD_META_FIELDS = [("code", 5), ("severity", "error"), ("zones", ["body"]), ("options", None),
                   ("fix_applicability", "safe"), ("demote_after", "2"), ("aliases", (5,))]


def _with_deps(f, deps):
    header, metas, body = _parts(f)
    f.write_bytes(pickle.dumps({**header, "deps": deps}) + pickle.dumps(metas) + body)


def _with_a_bad_meta(f, field, value):
    import dataclasses

    header, metas, body = _parts(f)
    metas = [dataclasses.replace(metas[0])] + metas[1:]
    object.__setattr__(metas[0], field, value)
    f.write_bytes(pickle.dumps(header) + pickle.dumps(metas) + body)


def test_a_rule_cache_with_malformed_deps_is_refused(repo):
    f = _rule_cache_file(repo)
    good = f.read_bytes()
    for deps in BAD_DEPS:
        _with_deps(f, deps)
        assert rulecache.load(_folders(), _fingerprint()) is None, deps
        f.write_bytes(good)
    assert rulecache.load(_folders(), _fingerprint()) is not None


def test_a_rule_cache_with_a_malformed_rule_is_refused(repo):
    f = _rule_cache_file(repo)
    good = f.read_bytes()
    for field, value in BAD_META_FIELDS:
        _with_a_bad_meta(f, field, value)
        assert rulecache.load(_folders(), _fingerprint()) is None, field
        f.write_bytes(good)
    assert rulecache.load(_folders(), _fingerprint()) is not None


@pytest.mark.parametrize("how", ["deps", "rule"])
def test_a_refused_rule_cache_is_rebuilt_by_the_run(repo, how):
    """End to end, for one malformed header and one malformed rule (the refusals above all end
    in the same rebuild)."""
    f = _rule_cache_file(repo)
    if how == "deps":
        _with_deps(f, BAD_DEPS[1])
    else:
        _with_a_bad_meta(f, *BAD_META_FIELDS[0])
    assert rulecache.load(_folders(), _fingerprint()) is None
    _rebuilt_by_a_run(repo)


def test_a_rule_cache_with_a_malformed_body_is_rebuilt(repo):
    f = _rule_cache_file(repo)
    header, metas, body = _parts(f)
    for bad in [(5, {}), ([], {}), None]:
        f.write_bytes(pickle.dumps(header) + pickle.dumps(metas) + pickle.dumps(bad))
        cached = rulecache.load(_folders(), _fingerprint())
        assert cached is not None  # the metadata is fine: the body is read when the rules are needed
        assert rulecache._body(cached._data, cached._offset, _fingerprint()) is None, bad  # refused ...
    assert [r.meta.code for r in cached.rules] == [m.code for m in metas]  # ... and built again
    shutil.rmtree(repo / store.CACHE_DIR, ignore_errors=True)
    assert _check("--format", "json", "corpus") == _fresh("--format", "json")
