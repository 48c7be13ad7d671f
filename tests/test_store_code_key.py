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


def test_two_versions_side_by_side_keep_their_path_index(tmp_path, monkeypatch):
    """A pinned older Copydesk (a pre-commit hook) and a newer one in the same repository: each
    keeps its own path index, so neither reads an unchanged file on a warm run; a path index
    lost is rebuilt by the next run that finds the files' results by their content."""
    import lint
    import lint.runner

    assert cache.PATHS == f"paths-{cache.FORMAT}-{lint.__version__}"  # the constant that keeps them apart
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("Source link\n\nThe council met on Tuesday.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# Title\n\nPlay the video.\n", encoding="utf-8")
    for p in (tmp_path / "a.txt", tmp_path / "b.md"):
        os.utime(p, (time.time() - 3600,) * 2)  # not racily clean
    reads: list = []
    real = cache.read_regular
    monkeypatch.setattr(cache, "read_regular", lambda path, *a, **k: reads.append(path) or real(path, *a, **k))
    real_lint = lint.runner.lint_source
    linted: list = []
    monkeypatch.setattr(lint.runner, "lint_source", lambda *a, **k: linted.append(a[1]) or real_lint(*a, **k))

    def run(version):
        monkeypatch.setattr(cache, "__version__", version)
        monkeypatch.setattr(cache, "PATHS", f"paths-{cache.FORMAT}-{version}")
        _fresh_digests()
        reads.clear()
        linted.clear()
        out = CliRunner().invoke(main, ["check", "--format", "json", "-j", "1", "a.txt", "b.md"],
                                 catch_exceptions=False).stdout
        _fresh_digests()
        return out, [r for r in reads if r.endswith((".txt", ".md"))], list(linted)

    new = run("9.0.0")
    assert new[2]  # cold: linted
    old = run("0.0.9")
    assert old[2] and old[0] == new[0]
    for version, want in (("9.0.0", new[0]), ("0.0.9", old[0]), ("9.0.0", new[0])):
        out, article_reads, lints = run(version)
        assert out == want and article_reads == [] and lints == [], version
    # the path index lost: files found by their content once, then by their stat again
    import shutil

    shutil.rmtree(tmp_path / cache.CACHE_DIR / f"paths-{cache.FORMAT}-9.0.0")
    out, article_reads, lints = run("9.0.0")
    assert out == new[0] and lints == [] and len(article_reads) == 2
    out, article_reads, lints = run("9.0.0")
    assert out == new[0] and lints == [] and article_reads == []
