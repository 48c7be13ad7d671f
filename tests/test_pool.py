"""The worker processes of a parallel run (lint.runner._Workers). multiprocessing.Pool was used
before: its workers share one result queue and its lock. A worker killed while it held that lock
(Pool.terminate on Ctrl-C) left the parent waiting forever (a `check --jobs 2` that never
exited, seen in the suite); a worker that died (a signal, the OOM killer) lost its tasks and the
run waited for them forever; and Pool.terminate waited without a limit for a worker that did
not stop on SIGTERM. Each of these ends now, and is checked here: the runs are made in a thread,
so that a hang fails the test instead of stopping the suite."""
import multiprocessing as mp
import os
import signal
import sys
import threading
import time

import pytest

from lint import runner
from lint.runner import FileResult

pytestmark = pytest.mark.skipif(sys.platform == "win32" or "fork" not in mp.get_all_start_methods(),
                                reason="the workers are forked (POSIX only)")


def _files(tmp_path, names):
    paths = []
    for name in names:
        p = tmp_path / name
        p.write_text(f"The text of {name}.\n", encoding="utf-8")
        paths.append(str(p))
    return [(p, (), {}, "t") for p in paths]


def _within(seconds, work):
    """``work()``'s value, or a failure when it takes more than ``seconds``."""
    box = {}

    def target():
        try:
            box["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            box["error"] = exc

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"still running after {seconds} s"
    if "error" in box:
        raise box["error"]
    return box["value"]


@pytest.fixture
def patched(monkeypatch):
    """lint_source as the workers (forked after this) see it: a file named die.txt kills its
    worker with SIGKILL, one named stuck.txt makes it ignore SIGTERM and sleep; the others give
    a result with their text."""
    started = mp.get_context("fork").Event()

    def lint_source(source, path, rules, severity_for=None, fmt=None):
        name = os.path.basename(path)
        if name == "die.txt":
            os.kill(os.getpid(), signal.SIGKILL)
        if name == "stuck.txt":
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            started.set()
            time.sleep(120)
        return FileResult(path, source)

    monkeypatch.setattr(runner, "lint_source", lint_source)
    return started


def test_results_come_in_task_order_from_two_workers(tmp_path, patched):
    tasks = _files(tmp_path, [f"f{i:02d}.txt" for i in range(40)])
    got = _within(60, lambda: [r.path for r in runner.iter_many(tasks, {}, jobs=2)])
    assert got == [t[0] for t in tasks]


def test_a_worker_that_dies_ends_the_run_with_one_line_naming_its_files(tmp_path, patched):
    tasks = _files(tmp_path, [f"f{i:02d}.txt" for i in range(20)] + ["die.txt"] + [f"g{i:02d}.txt" for i in range(20)])
    with pytest.raises(runner.WorkerDied) as info:
        _within(60, lambda: list(runner.iter_many(tasks, {}, jobs=2)))
    message = str(info.value)
    assert "\n" not in message and "die.txt" in message and "signal 9" in message, message
    assert isinstance(info.value, runner.InputError)  # the CLI's one-line error, exit status 2


def test_stopping_a_run_ends_a_worker_that_ignores_sigterm(tmp_path, patched):
    tasks = _files(tmp_path, [f"f{i:02d}.txt" for i in range(20)] + ["stuck.txt"])
    stream = runner.iter_many(tasks, {}, jobs=2)
    first = next(stream)  # the workers are running, one of them on its way to stuck.txt
    assert first.path == tasks[0][0]
    assert patched.wait(30), "no worker reached stuck.txt"
    pools = list(runner._POOLS)
    assert len(pools) == 1
    _within(30, stream.close)  # the consumer stops: the generator's cleanup stops the workers
    assert all(p.exitcode is not None for p in pools[0].procs)
    assert runner._POOLS == []


def test_ctrl_c_stops_the_workers_at_once(tmp_path, patched):
    tasks = _files(tmp_path, [f"f{i:02d}.txt" for i in range(20)] + ["stuck.txt"])
    stream = runner.iter_many(tasks, {}, jobs=2)
    next(stream)
    assert patched.wait(30), "no worker reached stuck.txt"
    (pool,) = runner._POOLS
    started = time.monotonic()
    _within(30, runner.stop_workers)  # what the CLI's Ctrl-C handler calls
    assert all(p.exitcode is not None for p in pool.procs)
    assert time.monotonic() - started < 10
    stream.close()


def _explode():
    raise ValueError("this object cannot be rebuilt here")


class _Unreadable:
    """Pickles in the worker, fails to unpickle in the parent."""

    def __reduce__(self):
        return (_explode, ())


def test_an_answer_the_parent_cannot_read_is_an_error_at_once(tmp_path, monkeypatch):
    def lint_source(source, path, rules, severity_for=None, fmt=None):
        result = FileResult(path, source)
        if path.endswith("odd.txt"):
            result.note = _Unreadable()
        return result

    monkeypatch.setattr(runner, "lint_source", lint_source)
    tasks = _files(tmp_path, [f"f{i:02d}.txt" for i in range(10)] + ["odd.txt"])
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="could not be read") as info:
        _within(60, lambda: list(runner.iter_many(tasks, {}, jobs=2)))
    assert not isinstance(info.value, runner.WorkerDied)  # the worker was alive: not called dead
    assert time.monotonic() - started < 10


def test_a_dead_worker_is_named_with_path_objects_too(tmp_path, patched):
    from pathlib import Path

    tasks = [(Path(t[0]), *t[1:]) for t in _files(tmp_path, ["die.txt"] + [f"f{i:02d}.txt" for i in range(12)])]
    with pytest.raises(runner.WorkerDied, match="die.txt"):
        _within(60, lambda: list(runner.iter_many(tasks, {}, jobs=2)))


def test_a_failed_start_stops_the_workers_already_started():
    real = mp.get_context("fork")

    class Ctx:  # the second worker cannot be started (a failed fork, a Ctrl-C)
        made = 0

        def Pipe(self, duplex=True):
            return real.Pipe(duplex)

        def Process(self, **kw):
            Ctx.made += 1
            if Ctx.made == 2:
                raise KeyboardInterrupt
            proc = real.Process(**kw)
            started.append(proc)
            return proc

    started: list = []
    with pytest.raises(KeyboardInterrupt):
        runner._Workers(Ctx(), 2)
    assert len(started) == 1 and started[0].exitcode is not None  # ended, not left behind


def test_the_workers_end_when_their_parent_dies_without_stopping_them(tmp_path):
    """A parent that leaves by os._exit (as the CLI does) or is killed: its workers' pipes end
    and they exit (they used to hold the other ends themselves, inherited by the fork, and
    waited for a chunk forever)."""
    import subprocess

    script = (
        "import multiprocessing as mp, os, sys\n"
        "from lint import runner\n"
        "pool = runner._Workers(mp.get_context('fork'), 2)\n"
        "print(' '.join(str(p.pid) for p in pool.procs), flush=True)\n"
        "os._exit(0)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                         cwd=str(tmp_path), env=dict(os.environ, PYTHONPATH=str(runner.Path(runner.__file__).parent.parent)))
    pids = [int(p) for p in out.stdout.split()]
    assert len(pids) == 2, out.stderr

    def alive(pid):
        try:
            with open(f"/proc/{pid}/status") as fh:
                return "\nState:\tZ" not in fh.read()  # a zombie has ended
        except FileNotFoundError:
            return False

    deadline = time.monotonic() + 20
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [p for p in pids if alive(p)]
    for p in left:
        os.kill(p, signal.SIGKILL)
    assert not left, "workers outlived their parent"
