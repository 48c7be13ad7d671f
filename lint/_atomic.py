"""Replacing a file whole: the new content goes to a temporary file in the same folder, which is
then renamed over the target, so that a reader sees the old file or the new one, never half of
one. Used for fixed articles, the result store and the rule-set cache; and reading such a file
back (:func:`read_regular`) without ever blocking on what was put in its place."""
from __future__ import annotations

import os
from contextlib import contextmanager


def read_regular(path: str, limit: int | None = None, own: bool = False) -> bytes | None:
    """The bytes of ``path`` when it is a regular file (None for a FIFO, a device, a socket or a
    folder put where a stored file belongs), opened without blocking: a FIFO there must not hang
    the run. None too, with ``limit``, for a file larger than that, and with ``own`` for a file
    of another user (what is read runs as code: a pickle, compiled regex code). Raises OSError."""
    from stat import S_ISREG

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)
        if not S_ISREG(st.st_mode) or (limit is not None and st.st_size > limit) \
                or (own and hasattr(os, "getuid") and st.st_uid != os.getuid()):
            return None
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # a regular file: reads never block anyway
        with os.fdopen(fd, "rb") as fh:
            fd = -1
            return fh.read()
    finally:
        if fd >= 0:
            os.close(fd)


@contextmanager
def interrupts_deferred():
    """Ctrl-C (SIGINT) held back until the block is done, then handed to the handler in place
    (Python's raises KeyboardInterrupt): a temporary file is never left behind, and a target is
    replaced whole or not at all. Only in the main thread and where a Python handler is in
    place (elsewhere nothing changes)."""
    import signal
    import threading

    previous = signal.getsignal(signal.SIGINT) \
        if threading.current_thread() is threading.main_thread() else None
    if not callable(previous):
        yield
        return
    caught: list = []
    signal.signal(signal.SIGINT, lambda signum, frame: caught.append((signum, frame)))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            previous(*caught[0])


def write_then_rename(target: str, data: bytes, *, prefix: str = "", suffix: str = ".tmp",
                      fsync: bool = False, mode: int | None = None, rename=os.replace) -> None:
    """Write ``data`` beside ``target`` and rename it over ``target`` (``rename``); the
    temporary file is removed when anything fails, and the error is raised. Ctrl-C waits for
    the rename (``interrupts_deferred``)."""
    with interrupts_deferred():
        _write_then_rename(target, data, prefix, suffix, fsync, mode, rename)


def _write_then_rename(target, data, prefix, suffix, fsync, mode, rename) -> None:
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target) or ".", prefix=prefix, suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        rename(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
