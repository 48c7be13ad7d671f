"""A progress bar on standard error for long runs.

Shown only when standard error is a terminal (so never inside a report that is piped or
redirected, and never in CI logs) and the run has at least ``MIN_FILES`` files. The bar redraws
one line at most ten times a second and erases itself when the run ends, before any report is
printed.
"""
from __future__ import annotations

import sys
import time

MIN_FILES = 20


def wanted(total: int, stream=None, disabled: bool = False) -> bool:
    stream = stream or sys.stderr
    if disabled or total < MIN_FILES:
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class Progress:
    def __init__(self, total: int, stream=None, label: str = "Linting", width: int = 30):
        self.total, self.done = max(total, 1), 0
        self.stream = stream or sys.stderr
        self.label, self.width = label, width
        self._last = 0.0
        self._drawn = False

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if now - self._last >= 0.1 or self.done >= self.total:
            self._last = now
            self._draw()

    __call__ = advance

    def _draw(self) -> None:
        frac = min(1.0, self.done / self.total)
        filled = int(frac * self.width)
        bar = "█" * filled + "░" * (self.width - filled)
        self.stream.write(f"\r{self.label} {bar} {self.done}/{self.total} files")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self._drawn = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
