"""A stored result is keyed by Copydesk's own code as well as its version: an edited checkout (or
an upgrade that kept the version number) must lint again instead of serving old results. What
older code stored is removed, but for the most recently written versions (lint.cache.KEEP_VERSIONS)."""
import os
import time

from click.testing import CliRunner

from lint import cache, rulecache
from lint.cli import main


def _fresh_digests():
    cache._CONFIG_DIGESTS.clear()
    cache._CODE.clear()
    cache._FOLDERS.clear()


def test_a_change_to_copydesks_code_changes_the_result_key(monkeypatch):
    _fresh_digests()
    before = cache.result_key("rules|SEG001", "json", b"digest")
    other_config = cache.result_key("rules|SEG002", "json", b"digest")
    _fresh_digests()
    monkeypatch.setattr(rulecache, "_code_stamp", lambda: "another build")
    after = cache.result_key("rules|SEG001", "json", b"digest")
    _fresh_digests()
    assert before != after and before.endswith(b"digest") and after.endswith(b"digest")
    assert before[:8] != after[:8] and before[8:16] == after[8:16]  # the code's part, the configuration's
    assert before[:8] == other_config[:8] and before[8:16] != other_config[8:16]


def _run(tmp_path, stamp, monkeypatch):
    _fresh_digests()
    monkeypatch.setattr(rulecache, "_code_stamp", lambda: stamp)
    result = CliRunner().invoke(main, ["check", "--format", "json", "-j", "1", "a.txt", "b.md"],
                                catch_exceptions=False)
    _fresh_digests()
    return result.stdout


def test_older_code_versions_results_are_removed_but_the_latest_few(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("Source link\n\nThe council met on Tuesday.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# Title\n\nPlay the video.\n", encoding="utf-8")
    results = tmp_path / cache.CACHE_DIR / "results"
    # shards of the layout before folders per code version (an older Copydesk's, which may still
    # run beside this one): one more version, as old as the newest of them
    results.mkdir(parents=True)
    for name, age in (("3", 7200), ("a", 3600)):
        (results / name).write_bytes(b"old layout")
        os.utime(results / name, (time.time() - age,) * 2)
    want = None
    for i in range(cache.KEEP_VERSIONS + 3):
        out = _run(tmp_path, f"build {i}", monkeypatch)
        assert want is None or out == want
        want = out
        loose = sorted(p.name for p in results.iterdir() if not p.is_dir())
        # kept while it is among the KEEP_VERSIONS most recently written other versions
        assert loose == (["3", "a"] if i < cache.KEEP_VERSIONS else []), (i, loose)
        folders = sorted(p for p in results.iterdir() if p.is_dir())
        # the current one, and at most KEEP_VERSIONS others
        assert len(folders) == min(i + 1, cache.KEEP_VERSIONS + 1 - len(loose) // 2), (i, folders)
        for p in folders:  # each version's folder holds its shards
            assert [c for c in p.iterdir() if c.is_file()]
        os.utime(results, None)
    # the versions kept are the most recently written: an older one used again is kept
    _run(tmp_path, "build 0", monkeypatch)  # written now: the newest
    _run(tmp_path, "build 9", monkeypatch)
    kept = {p.name for p in results.iterdir()}
    _fresh_digests()
    monkeypatch.setattr(rulecache, "_code_stamp", lambda: "build 0")
    assert cache.code_digest().hex() in kept
    _fresh_digests()
    # a warm run of the current code stores nothing and removes nothing
    before = sorted(results.rglob("*"))
    _run(tmp_path, "build 9", monkeypatch)
    assert sorted(results.rglob("*")) == before
