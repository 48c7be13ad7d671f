"""What a one-file run no longer does at start-up: hash every rule file when their stats are the
ones stored with the rule set (lint.packs.pack_stats), run the regex engine's self-test when the
stored rule set's key already vouches for it (lint.regex.trust_self_test), and compile the
patterns modules build at import (the seed file read by ``import lint``,
lint.regex._stored.load_seeds). Each is checked to stay correct: a changed file is still seen,
a wrong seed file is never used."""
from __future__ import annotations

import marshal
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from lint import packs, regex, rulecache
from lint.cli import main
from lint.packs import builtin_pack_dir, load_rules
from lint.regex import _stored
from lint.runner import lint_source

ROOT = Path(__file__).resolve().parent.parent
stored_engine = pytest.mark.skipif(not regex.ENABLED or not _stored.self_test(),
                                   reason="the stored regex engine is not used on this interpreter")


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    d = tmp_path / "rule-cache"
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(d))
    return d


def _pack(tmp_path) -> Path:
    """A user pack of one rule (FOOT001) and its family's data lists."""
    pack = tmp_path / "pack"
    top = builtin_pack_dir()
    shutil.copytree(top / "foot" / "data", pack / "foot" / "data")
    (source,) = (top / "foot").glob("FOOT001-*.yaml")
    shutil.copy2(source, pack / "foot" / source.name)
    return pack


@pytest.fixture
def settled(monkeypatch):
    """Pack files count as settled at once (lint.cache.RACY_NS): a file copied by a test has a
    change time of now, which no program can set back, and the stats of a file changed in the
    last two seconds are never stored (test_a_file_changed_just_now_is_always_hashed)."""
    from lint import cache

    monkeypatch.setattr(cache, "RACY_NS", 0)


def _no_hashing(monkeypatch):
    def fail(folders):
        raise AssertionError("the pack files were read and hashed")

    monkeypatch.setattr(packs, "fingerprint", fail)


def test_unchanged_pack_files_are_not_hashed_again(cache_dir, tmp_path, monkeypatch, settled):
    pack = _pack(tmp_path)
    built = load_rules([pack], include_builtin=False, cache=True)
    with monkeypatch.context() as m:
        _no_hashing(m)
        again = load_rules([pack], include_builtin=False, cache=True)
        assert again.fingerprint == built.fingerprint and [r.meta for r in again.rules] == [r.meta for r in built.rules]
    # a file touched (new times, same content): hashed again, and the stored rule set still serves
    (lst,) = pack.glob("foot/data/footers.txt")
    os.utime(lst)
    assert load_rules([pack], include_builtin=False, cache=True).fingerprint == built.fingerprint
    with monkeypatch.context() as m:  # its new stats were stored: no hashing next time
        _no_hashing(m)
        load_rules([pack], include_builtin=False, cache=True)


def test_an_edit_that_keeps_size_and_modification_time_is_still_seen(cache_dir, tmp_path, settled):
    """Same size, the old modification time put back: the change time (which no program sets)
    and the content still differ, so the list is hashed and the rule sees the new entry."""
    pack = _pack(tmp_path)
    text = "Residents gathered in the square.\n\nZzqx qqzv\n"

    def codes():
        rs = load_rules([pack], include_builtin=False, cache=True)
        return {d.code for d in lint_source(text, "a.txt", rs.rules).diagnostics}

    assert codes() == set()
    (lst,) = pack.glob("foot/data/footers.txt")
    st = lst.stat()
    data = lst.read_bytes()
    entry = b"zzqx qqzv\n"
    assert data.endswith(b"\n") and len(data) > len(entry) + 2
    lst.write_bytes(data[: -len(entry) - 1] + b"\n" + entry)  # the last bytes replaced: same size
    os.utime(lst, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert lst.stat().st_size == st.st_size and lst.stat().st_mtime_ns == st.st_mtime_ns
    assert codes() == {"FOOT001"}


def test_a_file_changed_just_now_is_always_hashed(cache_dir, tmp_path, monkeypatch):
    """On a file system with coarse times (a second, or a kernel tick), a file written, read and
    then edited to the same size within one tick keeps every stat: no stats are stored while a
    pack file is that recent, so its content is hashed."""
    pack = _pack(tmp_path)
    assert packs.pack_stats([pack]) is None  # just copied
    load_rules([pack], include_builtin=False, cache=True)
    with monkeypatch.context() as m:
        _no_hashing(m)
        with pytest.raises(AssertionError, match="hashed"):
            load_rules([pack], include_builtin=False, cache=True)


def test_the_stats_cover_every_file_the_fingerprint_reads(tmp_path, settled):
    pack = _pack(tmp_path)
    (pack / "foot" / "notes.md").write_text("not a rule file", encoding="utf-8")
    hashed = packs.fingerprint([pack])[1]
    stats = packs.pack_stats([pack])
    assert [s[0] for s in stats] == hashed and len(hashed) > 2
    assert all(len(s) == 6 and s[1] == os.stat(s[0]).st_size for s in stats)


@stored_engine
def test_a_stored_rule_set_spares_the_engines_self_test(cache_dir, warm_rule_cache, monkeypatch):
    shutil.copytree(warm_rule_cache, cache_dir)
    folders = [builtin_pack_dir()]
    monkeypatch.setattr(_stored, "_SELF_TESTED", None)

    runs = []
    real = _stored.self_test
    monkeypatch.setattr(_stored, "self_test", lambda: runs.append(1) or real())
    cached = rulecache.load(folders, packs.fingerprint(folders)[0])
    assert cached is not None and _stored._SELF_TESTED is True and not runs
    # a key that does not match (another fingerprint) proves nothing: the self-test is run
    monkeypatch.setattr(_stored, "_SELF_TESTED", None)
    assert rulecache.load(folders, "0" * 64) is None and runs


# -- the seed file ---------------------------------------------------------------------------------

def _seed_file(folder) -> Path:
    return Path(_stored.seeds_file(folder))


def _seeds(path) -> list:
    header, digest, payload = marshal.loads(path.read_bytes())
    return marshal.loads(payload)


def _sealed(header, seeds) -> bytes:
    """A seed file of ``seeds`` with a digest that matches them (as store_seeds writes it)."""
    from lint._sha import sha256

    payload = marshal.dumps(seeds)
    return marshal.dumps((header, sha256(payload).digest(), payload))


@stored_engine
def test_storing_a_rule_set_writes_the_seed_file_and_import_reads_it(cache_dir, warm_rule_cache, monkeypatch):
    shutil.copytree(warm_rule_cache, cache_dir)
    path = _seed_file(cache_dir)
    assert path.is_file(), "the warm rule cache holds no seed file"
    seeds = _seeds(path)
    # the patterns of modules imported before the rule set is loaded (here Copydesk's own; json's
    # too in a command's process, where json is imported after lint: in this one pytest imported
    # it first, and patterns in re's cache before `import lint` are not written)
    from lint import crossdoc, suppress

    for rx in (crossdoc._MARKUP, suppress._DIRECTIVE):
        assert any(p == rx.pattern and pf == rx.flags for p, _, pf, *_ in seeds), rx.pattern
    re.purge()
    n = _stored.load_seeds(cache_dir)
    assert n >= len(seeds) // 2
    for pattern, flags, *_ in seeds[:50]:  # each one what re.compile gives
        cached = re._cache.get((str, pattern, flags))
        if cached is not None:
            assert cached == re._compiler.compile(pattern, flags)
    # a fresh interpreter: `import lint` seeds re's cache before anything else is imported
    code = ("import re, sys; n = len(re._cache); import lint; "
            "print(len(re._cache) - n, 'json' in sys.modules, 'lint.model' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(ROOT), "COPYDESK_CACHE_DIR": str(cache_dir)})
    added, json_first, _ = out.stdout.split()
    assert int(added) >= n // 2 and json_first == "False", out.stdout + out.stderr


@stored_engine
def test_a_wrong_seed_file_is_never_used(cache_dir, warm_rule_cache):
    shutil.copytree(warm_rule_cache, cache_dir)
    path = _seed_file(cache_dir)
    good = path.read_bytes()
    header, digest, payload = marshal.loads(good)
    seeds = marshal.loads(payload)
    pattern, flags, pflags, code, groups, groupindex, indexgroup = next(s for s in seeds if len(s[3]) > 8)
    flipped = bytearray(payload)
    flipped[len(flipped) // 2] ^= 0x04  # one bit, in the middle of the seeds
    wrong = [
        b"",
        b"not marshal data",
        good[: len(good) // 2],  # cut short
        marshal.dumps((header, digest, bytes(flipped))),  # damaged: the digest does not match
        _sealed(("another", "interpreter"), seeds),  # another interpreter's
        _sealed(header, seeds[:3] + [("x",)]),  # a malformed entry
        # a well-formed file whose one pattern has another pattern's code: it is the shortest,
        # so it is compared with a fresh compile
        _sealed(header, [(pattern, flags, pflags, next(s[3] for s in seeds if s[3] != code), groups,
                          groupindex, indexgroup)]),
    ]
    for data in wrong:
        path.write_bytes(data)
        re.purge()
        before = dict(re._cache)
        assert _stored.load_seeds(cache_dir) == 0, data[:40]
        assert re._cache == before
    path.unlink()
    os.mkfifo(path)  # a FIFO where the file was: skipped, not waited on
    assert _stored.load_seeds(cache_dir) == 0
    path.unlink()
    path.write_bytes(good)
    re.purge()
    assert _stored.load_seeds(cache_dir) > 50  # the file as written: used


@stored_engine
def test_patterns_compiled_before_import_lint_are_not_written(cache_dir, monkeypatch):
    """Another program's patterns (in re's cache before ``import lint``) stay out of the file."""
    mine = (str, r"zz(?:qx)+ another program's pattern", 0)
    re.compile(mine[1])
    seeds = _stored.re_cache_seeds()
    assert any((str, p, f) == mine for p, f, *_ in seeds)
    cache_dir.mkdir()
    monkeypatch.setattr(_stored, "BEFORE", frozenset({mine}))
    assert _stored.store_seeds(cache_dir, seeds)
    written = _seeds(_seed_file(cache_dir))
    assert written and not any((str, p, f) == mine for p, f, *_ in written)


@stored_engine
def test_clean_removes_the_seed_file(cache_dir, warm_rule_cache, tmp_path, monkeypatch):
    shutil.copytree(warm_rule_cache, cache_dir)
    assert _seed_file(cache_dir).is_file()
    monkeypatch.chdir(tmp_path)
    CliRunner().invoke(main, ["clean"])
    assert not _seed_file(cache_dir).exists()


def test_fix_and_report_are_made_only_when_named():
    """A `check` does not pay for building the options of `fix` and `report` (lint.cli._LAZY);
    naming them, or listing the commands, makes them."""
    import json

    code = ("import json; from lint import cli; before = sorted(cli.main.commands); "
            "fix = cli.main.get_command(None, 'fix'); "
            "print(json.dumps([before, sorted(cli.main.commands), len(fix.params)]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    before, after, n_params = json.loads(out.stdout)
    assert "check" in before and "fix" not in before and "report" not in before
    assert "fix" in after and "report" not in after
    assert n_params > 20  # the options it shares with check (_common)
