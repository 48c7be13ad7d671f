"""A shard of the result store is written as segments beside its file (lint.cache._Sharded): a
big run's flushes add what is new instead of rewriting the store again and again; after
MAX_SEGMENTS, or when a file of the shard cannot be read, a write merges them into one file."""
from __future__ import annotations

import os
import time

from lint import cache as store

from helpers import check_in_process, fixture_corpus


def _sharded(folder):
    return store._Sharded(str(folder), lambda k, v: isinstance(v, int))


def _files(folder):
    return sorted(p.name for p in folder.iterdir())


def test_writes_add_segments_and_a_merge_folds_them(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "MAX_SEGMENTS", 3)
    folder = tmp_path / "s"
    a = _sharded(folder)
    a.set("0", "k0", 0)
    a.flush()
    assert _files(folder) == ["0"]  # a new shard: its file
    for i in range(1, 4):
        b = _sharded(folder)  # a later run
        assert b.get("0", f"k{i - 1}") == i - 1
        b.set("0", f"k{i}", i)
        b.set("0", "k0", None if i == 2 else 100 + i)  # overwritten, deleted, written again
        b.flush()
        assert b.get("0", f"k{i}") == i  # what it wrote, read back in the same run
    assert len(_files(folder)) == 4  # the file and three segments, oldest first
    c = _sharded(folder)
    assert c.shard("0") == {"k0": 103, "k1": 1, "k2": 2, "k3": 3}
    c.set("0", "k4", 4)
    c.flush()  # MAX_SEGMENTS reached: merged into the file
    assert _files(folder) == ["0"]
    entries, sealed = store.load_sealed(str(folder / "0"))
    assert sealed and entries == {"k0": 103, "k1": 1, "k2": 2, "k3": 3, "k4": 4}
    d = _sharded(folder)
    d.set("0", "k1", None)
    d.flush()
    assert len(_files(folder)) == 2
    assert _sharded(folder).shard("0") == {"k0": 103, "k2": 2, "k3": 3, "k4": 4}
    e = _sharded(folder)
    e.set("0", "k5", 5)
    e.flush(merge=True)  # a run's last write: whole
    assert _files(folder) == ["0"]
    assert store.load_sealed(str(folder / "0")) == ({"k0": 103, "k2": 2, "k3": 3, "k4": 4, "k5": 5}, True)


def test_a_merge_keeps_a_segment_written_after_it_looked(tmp_path):
    folder = tmp_path / "s"
    a = _sharded(folder)
    a.set("0", "a", 1)
    a.flush()
    b = _sharded(folder)
    b.set("0", "b", 2)
    b.flush()  # a segment
    c = _sharded(folder)
    path = str(folder / "0")
    segments = c.segments(path)
    late = _sharded(folder)  # another run writes while c merges
    late.set("0", "late", 3)
    late.flush()
    c.compact(path, segments, {"c": 4})
    assert len(_files(folder)) == 2  # the merged file, and the late segment
    assert _sharded(folder).shard("0") == {"a": 1, "b": 2, "c": 4, "late": 3}


def test_an_unreadable_or_unsealed_shard_is_replaced_by_a_merge(tmp_path):
    folder = tmp_path / "s"
    a = _sharded(folder)
    a.set("0", "a", 1)
    a.flush()
    (folder / "0").write_bytes(b"torn")
    b = _sharded(folder)
    assert b.shard("0") == {} and "0" in b.broken
    b.set("0", "b", 2)
    b.flush()
    assert _files(folder) == ["0"] and store.load_sealed(str(folder / "0")) == ({"b": 2}, True)
    import marshal

    (folder / "0").write_bytes(marshal.dumps(((store.FORMAT, store.__version__), {"good": 5, "bad": "x"})))
    c = _sharded(folder)
    assert c.shard("0") == {"good": 5, "bad": "x"} and "0" in c.unsealed
    c.set("0", "c", 3)
    c.flush()  # merged: the entry that is not valid is not sealed in
    assert store.load_sealed(str(folder / "0")) == ({"good": 5, "c": 3}, True)


def test_a_big_run_in_batches_gives_the_same_reports(tmp_path, monkeypatch, warm_rule_cache):
    import shutil

    shutil.copytree(warm_rule_cache, tmp_path / "rule-cache")
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path / "rule-cache"))
    monkeypatch.chdir(tmp_path)
    corpus = fixture_corpus(tmp_path, copies=2, mtime=time.time() - 3600)
    monkeypatch.setattr(store, "FLUSH_AT", 2)
    monkeypatch.setattr(store, "FLUSH_MAX", 2)
    monkeypatch.setattr(store, "MAX_SEGMENTS", 3)
    segments: list = []
    real = store._write

    def counting(path, entries):
        if "." in os.path.basename(path):
            segments.append(path)
        real(path, entries)

    monkeypatch.setattr(store, "_write", counting)
    want = check_in_process("--no-cache", "--format", "json", str(corpus))
    assert check_in_process("--format", "json", str(corpus)) == want  # cold, in batches of two
    results = tmp_path / store.CACHE_DIR / "results"
    names = [p.name for p in results.rglob("*") if p.is_file()]
    assert segments and not any("." in n for n in names), names  # segments, merged by the last write
    import lint.runner

    linted: list = []
    real_lint = lint.runner.lint_source
    monkeypatch.setattr(lint.runner, "lint_source", lambda *a, **k: linted.append(a[1]) or real_lint(*a, **k))
    for _ in range(2):
        assert check_in_process("--format", "json", str(corpus)) == want  # warm: every result found
    assert linted == []
    # every file changed: all linted again, the shards written again as segments then merged
    for p in corpus.rglob("*.*"):
        p.write_text(p.read_text(encoding="utf-8") + "\nSource link\n", encoding="utf-8")
        os.utime(p, (time.time() - 3600,) * 2)
    want2 = check_in_process("--no-cache", "--format", "json", str(corpus))
    assert check_in_process("--format", "json", str(corpus)) == want2 != want
    assert check_in_process("--format", "json", str(corpus)) == want2


def test_only_segment_files_named_as_written_are_segments(tmp_path):
    folder = tmp_path / "s"
    a = _sharded(folder)
    a.set("0", "a", 1)
    a.flush()
    (folder / ("0." + "0" * 36)).mkdir()  # a folder named like a segment
    (folder / ("0." + "٣" * 36)).write_bytes(b"x")  # digits, but not ASCII ones
    (folder / "0.123").write_bytes(b"x")  # too short
    b = _sharded(folder)
    assert b.shard("0") == {"a": 1} and "0" not in b.broken
    b.set("0", "b", 2)
    b.flush()  # a segment: nothing broken to merge away
    assert len(_sharded(folder).segments(str(folder / "0"))) == 1
    assert _sharded(folder).shard("0") == {"a": 1, "b": 2}


def test_a_merged_unsealed_shard_stays_checked_for_the_run(tmp_path):
    import marshal

    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "0").write_bytes(marshal.dumps(((store.FORMAT, store.__version__), {"bad": "x", "good": 1})))
    a = _sharded(folder)
    assert a.shard("0") == {"bad": "x", "good": 1} and "0" in a.unsealed
    a.set("0", "new", 2)
    a.flush()  # merged: the file holds only checked entries, sealed
    assert store.load_sealed(str(folder / "0")) == ({"good": 1, "new": 2}, True)
    assert "0" in a.unsealed  # what this run loaded from the unsealed file is still checked


def test_a_shard_that_cannot_be_written_does_not_stop_the_others(tmp_path):
    folder = tmp_path / "s"
    (folder / "0").mkdir(parents=True)  # a folder where shard 0's file belongs
    a = _sharded(folder)
    a.set("0", "a", 1)
    a.set("1", "b", 2)
    a.flush()
    assert store.load_sealed(str(folder / "1")) == ({"b": 2}, True)
