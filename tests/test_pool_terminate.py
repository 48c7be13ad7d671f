"""Pool.terminate ends the workers with SIGTERM. A worker killed on the spot while it held the
result queue's lock (sending a result) left the lock taken, and the parent's pool threads, which
put into that queue as they stop, waited for it forever: a Ctrl-C'd `check --jobs 2` that never
exited (seen once in the suite: py-spy showed the task handler in SimpleQueue.put). The workers
(lint.runner._child_init) unwind on SIGTERM instead, so a lock held in a ``with`` is released."""
import multiprocessing as mp
import os
import signal
import sys
import time

import pytest

from lint import runner

pytestmark = pytest.mark.skipif(sys.platform == "win32" or "fork" not in mp.get_all_start_methods(),
                                reason="the worker pool forks (POSIX only)")


def _worker_holding(lock, ready):
    runner._child_init()
    with lock:  # as SimpleQueue.put holds its lock while it sends a result
        ready.set()
        time.sleep(30)


def test_a_terminated_worker_releases_the_lock_it_held():
    ctx = mp.get_context("fork")
    lock, ready = ctx.Lock(), ctx.Event()
    p = ctx.Process(target=_worker_holding, args=(lock, ready))
    p.start()
    try:
        assert ready.wait(20), "the worker did not start"
        assert not lock.acquire(False)  # the worker holds it
        p.terminate()  # SIGTERM, as Pool.terminate sends
        p.join(20)
        assert p.exitcode == 128 + signal.SIGTERM  # it unwound (killed outright: -SIGTERM)
        assert lock.acquire(timeout=5), "the lock stayed taken"
        lock.release()
    finally:
        if p.is_alive():
            os.kill(p.pid, signal.SIGKILL)
            p.join(5)


def test_the_worker_init_leaves_ctrl_c_to_the_parent():
    ctx = mp.get_context("fork")
    q = ctx.Queue()

    def child():
        runner._child_init()
        q.put((signal.getsignal(signal.SIGINT) is signal.SIG_IGN,
               signal.getsignal(signal.SIGTERM) is getattr(runner, "_child_terminated", None)))

    p = ctx.Process(target=child)
    p.start()
    assert q.get(timeout=20) == (True, True)
    p.join(20)
