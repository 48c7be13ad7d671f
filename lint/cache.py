"""A cache of lint results keyed by file content, rule set, selection, severities and version,
so that an unchanged repository re-lints almost for free. One small JSON file per entry under
``.copydesk_cache/`` (safe for parallel writers: written to a temporary name, then renamed)."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from . import __version__
from ._sha import sha256
from .model import Applicability, Diagnostic, Edit, Fix, Severity

CACHE_DIR = ".copydesk_cache"


def key(*parts) -> str:
    h = sha256(__version__.encode())
    for p in parts:
        h.update(b"\0")
        h.update(p if isinstance(p, bytes) else str(p).encode("utf-8"))
    return h.hexdigest()


def diag_to_dict(d: Diagnostic) -> dict:
    return {"code": d.code, "name": d.name, "category": d.category, "severity": int(d.severity),
            "message": d.message, "start": d.start, "end": d.end, "confidence": d.confidence,
            "fix": None if d.fix is None else {
                "applicability": int(d.fix.applicability), "title": d.fix.title,
                "edits": [[e.start, e.end, e.content] for e in d.fix.edits]}}


def diag_from_dict(x: dict) -> Diagnostic:
    fix = None
    if x["fix"] is not None:
        fix = Fix(tuple(Edit(*e) for e in x["fix"]["edits"]), Applicability(x["fix"]["applicability"]),
                  x["fix"]["title"])
    return Diagnostic(x["code"], x["name"], x["category"], Severity(x["severity"]), x["message"],
                      x["start"], x["end"], fix, x.get("confidence", 1.0))


class Cache:
    def __init__(self, root: Path | None = None):
        self.dir = Path(root or Path.cwd()) / CACHE_DIR
        self._dir = str(self.dir)
        self._ready = False

    def _path(self, k: str) -> str:
        return os.path.join(self._dir, k[:2], k[2:] + ".json")  # a str: a Path per file costs more

    def get(self, k: str):
        try:
            with open(self._path(k), encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError):
            return None
        return [diag_from_dict(x) for x in data["diagnostics"]], data.get("verdict")

    def put(self, k: str, diagnostics, verdict) -> None:
        path = self._path(k)
        try:
            if not self._ready:
                self.dir.mkdir(exist_ok=True)
                gi = self.dir / ".gitignore"
                if not gi.exists():
                    gi.write_text("# created by copydesk\n*\n", encoding="utf-8")
                self._ready = True
            folder = os.path.dirname(path)
            try:
                os.mkdir(folder)
            except FileExistsError:
                pass
            fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"diagnostics": [diag_to_dict(d) for d in diagnostics], "verdict": verdict}, fh)
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written is only slower


def clean(root: Path | None = None) -> bool:
    d = Path(root or Path.cwd()) / CACHE_DIR
    if d.is_dir():
        shutil.rmtree(d)
        return True
    return False
