"""A run's last write to the result store is done by a forked child while the parent makes its
report (lint.cache.Cache.flush_behind): the store it leaves is the one an in-process flush
leaves, the parent waits for the child before it writes again or ends, and without a safe fork
(another thread running) the write is done in-process."""
from __future__ import annotations

import os
import threading

import pytest

from lint import cache as store
from lint.runner import format_for_path, iter_many

from helpers import fixture_corpus

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this platform")


@pytest.fixture(autouse=True)
def _small_batches(monkeypatch):
    monkeypatch.setattr(store, "BEHIND_AT", 1)  # the tests' few results are written behind too


def _fill(cache, n=5):
    for i in range(n):
        k = bytes([i]) * 32
        cache._results.set(store._shard_name(k), k, {"n": i})
        cache._paths.set(store._path_shard(f"/x/{i}"), f"/x/{i}", None)
    return [bytes([i]) * 32 for i in range(n)]


def _entries(root):
    c = store.Cache(root)
    out = {}
    for name in sorted({store._shard_name(bytes([i]) * 32) for i in range(5)}):
        out.update(c._results.shard(name))
    return out


@needs_fork
def test_the_child_writes_what_an_in_process_flush_writes(tmp_path):
    here, there = tmp_path / "a", tmp_path / "b"
    here.mkdir(), there.mkdir()
    a, b = store.Cache(here), store.Cache(there)
    _fill(a), _fill(b)
    a.flush()
    b.flush_behind()
    assert b._behind is not None or threading.active_count() > 1  # a child is (or was) writing
    assert not b._results.pending and not b._paths.pending  # this process counts them written
    b.join_behind()
    assert b._behind is None
    assert _entries(there) == _entries(here) and len(_entries(here)) == 5
    assert sorted(p.name for p in (there / store.CACHE_DIR).iterdir()) == \
        sorted(p.name for p in (here / store.CACHE_DIR).iterdir())


@needs_fork
def test_the_next_write_waits_for_the_child(tmp_path, monkeypatch):
    if not store._fork_safe():
        pytest.skip("another thread runs in this test process (left by an earlier test): no fork")
    c = store.Cache(tmp_path)
    _fill(c)
    waited = []
    real = os.waitpid
    monkeypatch.setattr(store.os, "waitpid", lambda pid, flags: waited.append(pid) or real(pid, flags))
    c.flush_behind()
    child = c._behind
    c._evidence.set("00", b"k", ("sig",))
    c.flush()  # joins first
    assert waited == [child] and c._behind is None
    assert len(_entries(tmp_path)) == 5


def test_no_fork_while_another_thread_runs(tmp_path, monkeypatch):
    def no_fork():
        raise AssertionError("forked with another thread running")

    monkeypatch.setattr(store.os, "fork", no_fork, raising=False)
    c = store.Cache(tmp_path)
    _fill(c)
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        c.flush_behind()
    finally:
        stop.set()
        t.join()
    assert c._behind is None and len(_entries(tmp_path)) == 5


def test_pending_evidence_is_written_in_process(tmp_path, monkeypatch):
    monkeypatch.setattr(store.os, "fork", lambda: (_ for _ in ()).throw(AssertionError("forked")), raising=False)
    c = store.Cache(tmp_path)
    _fill(c)
    c._evidence.set("00", b"k", ("sig",))
    c.flush_behind()
    assert c._behind is None and len(_entries(tmp_path)) == 5


@needs_fork
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_run_leaves_its_store_written_when_its_results_are_read(tmp_path, jobs, monkeypatch):
    """iter_many's last result is recorded without the batch write, the store written behind;
    once the stream is read whole, the store holds every file (a second run finds them all)."""
    from lint.packs import load_rules

    children = []
    real = store.Cache.flush_behind

    def flush_behind(self):
        alone = threading.active_count() == 1  # the pool's threads ended (pytest's own may run)
        real(self)
        children.append((alone, self._behind))

    monkeypatch.setattr(store.Cache, "flush_behind", flush_behind)

    import time

    corpus = fixture_corpus(tmp_path, 4, mtime=time.time() - 3600)
    rules = {r.meta.code: r for r in load_rules(cache=True).rules}
    codes = tuple(sorted(rules))
    tasks = [(str(p), codes, {}, "k") for p in sorted(corpus.rglob("*")) if p.is_file()]
    cache = store.Cache(tmp_path)
    first = list(iter_many(tasks, rules, jobs=jobs, cache=cache))
    assert cache._behind is None  # joined when the stream ended
    again = store.Cache(tmp_path)
    found = [again.find(t[0], t[3], format_for_path(t[0]) or "text") for t in tasks]
    assert all(f is not None for f in found) and len(first) == len(tasks)
    assert len(children) == 1 and (children[0][1] is not None or not children[0][0])  # forked if it could


def test_a_few_results_are_written_in_process(tmp_path, monkeypatch):
    """Below BEHIND_AT results (a one-file run) the fork would cost more than the write."""
    monkeypatch.setattr(store, "BEHIND_AT", 6)
    monkeypatch.setattr(store.os, "fork", lambda: (_ for _ in ()).throw(AssertionError("forked")), raising=False)
    c = store.Cache(tmp_path)
    _fill(c)
    c.flush_behind()
    assert c._behind is None and len(_entries(tmp_path)) == 5
