"""Replacing a file whole: the new content goes to a temporary file in the same folder, which is
then renamed over the target, so that a reader sees the old file or the new one, never half of
one. Used for fixed articles, the result store and the rule-set cache."""
from __future__ import annotations

import os


def write_then_rename(target: str, data: bytes, *, prefix: str = "", suffix: str = ".tmp",
                      fsync: bool = False, mode: int | None = None, rename=os.replace) -> None:
    """Write ``data`` beside ``target`` and rename it over ``target`` (``rename``); the
    temporary file is removed when anything fails, and the error is raised."""
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
