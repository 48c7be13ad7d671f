"""Baselines for legacy archives: record today's findings, then report only new ones.

A finding is recorded by a *content fingerprint*: the rule code, the flagged text and a little
context on either side (up to ``CONTEXT`` code points, on the finding's own lines), with runs
of whitespace collapsed. Line numbers and offsets are not part of it, so editing other parts of
a file (adding a paragraph above, rewrapping another one) does not bring baselined findings
back; editing the flagged words or their immediate neighbours does.

The same text can be flagged more than once in a file (two "Source link" lines): the baseline
keeps a count per fingerprint, and that many occurrences are treated as known, in file order.

The file is JSON, sorted for readable diffs::

    {"version": 1, "tool": "copydesk", "files": {"articles/a.md": [
        {"code": "SEG001", "text": " .", "fingerprint": "3f0c…", "count": 1}]}}

Paths are stored relative to the baseline file's folder, so the baseline works from any
working directory and in any checkout of the repository.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

VERSION = 1
CONTEXT = 16
_TEXT_SHOWN = 80


class BaselineError(Exception):
    """A baseline that cannot be read or written: ``path: reason`` on one line."""


def _norm(text: str) -> str:
    return " ".join(text.split())


def fingerprint(code: str, source: str, start: int, end: int) -> str:
    """The content fingerprint of a finding ``[start, end)`` of ``source`` (see the module doc)."""
    line_start = source.rfind("\n", 0, start) + 1
    line_end = source.find("\n", end)
    if line_end < 0:
        line_end = len(source)
    # whitespace is collapsed before the context is cut, so rewrapping does not move the window
    before = _norm(source[max(line_start, start - 4 * CONTEXT):start])[-CONTEXT:]
    after = _norm(source[end:min(line_end, end + 4 * CONTEXT)])[:CONTEXT]
    key = "\x1f".join((code, before, _norm(source[start:end]), after))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def diagnostic_fingerprint(result, diag) -> str:
    return fingerprint(diag.code, result.source, diag.start, diag.end)


def _key(path: str, base_dir: Path) -> str:
    """A file's key in the baseline: its path relative to the baseline's folder."""
    if path.startswith("<"):
        return path
    from .reporters.common import shown  # a name that is not UTF-8: escaped as every report shows it

    rel = os.path.relpath(os.path.realpath(path), os.path.realpath(base_dir))
    return shown(rel.replace(os.sep, "/"))


def build(results, baseline_path) -> dict:
    base_dir = Path(baseline_path).resolve().parent
    files: dict[str, dict[str, dict]] = {}
    for r in results:
        if r.error or not r.diagnostics:
            continue
        entries = files.setdefault(_key(r.path, base_dir), {})
        for d in r.diagnostics:
            fp = diagnostic_fingerprint(r, d)
            if fp in entries:
                entries[fp]["count"] += 1
            else:
                text = r.source[d.start:d.end]
                if len(text) > _TEXT_SHOWN:
                    text = text[:_TEXT_SHOWN - 1] + "…"
                entries[fp] = {"code": d.code, "text": text, "fingerprint": fp, "count": 1}
    return {
        "version": VERSION,
        "tool": "copydesk",
        "files": {k: sorted(v.values(), key=lambda e: (e["code"], e["fingerprint"]))
                  for k, v in sorted(files.items()) if v},
    }


def write(results, baseline_path) -> int:
    """Write the baseline of ``results``; returns the number of findings recorded."""
    data = build(results, baseline_path)
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    try:
        Path(baseline_path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"{baseline_path}: cannot write the baseline ({exc.strerror or exc})") from None
    return sum(e["count"] for entries in data["files"].values() for e in entries)


class Baseline:
    def __init__(self, path, counts: dict[str, dict[str, int]]):
        self.path = Path(path)
        self.base_dir = self.path.resolve().parent
        self.counts = counts

    @classmethod
    def load(cls, path) -> "Baseline":
        p = Path(path)
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise BaselineError(f"{path}: baseline file not found (write one with --write-baseline)") from None
        except OSError as exc:
            raise BaselineError(f"{path}: cannot read the baseline ({exc.strerror or exc})") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BaselineError(f"{path}: not a Copydesk baseline (invalid JSON: {exc})") from None
        if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
            raise BaselineError(f"{path}: not a Copydesk baseline (no 'files' object)")
        if data.get("version") != VERSION:
            raise BaselineError(f"{path}: unsupported baseline version {data.get('version')!r} (expected {VERSION})")
        counts: dict[str, dict[str, int]] = {}
        for key, entries in data["files"].items():
            if not isinstance(entries, list):
                raise BaselineError(f"{path}: files.{key} must be a list")
            per = counts.setdefault(key, {})
            for e in entries:
                if not (isinstance(e, dict) and isinstance(e.get("fingerprint"), str)
                        and isinstance(e.get("count", 1), int)):
                    raise BaselineError(f"{path}: files.{key}: each entry needs a 'fingerprint' and a 'count'")
                per[e["fingerprint"]] = per.get(e["fingerprint"], 0) + e.get("count", 1)
        return cls(path, counts)

    def new_findings(self, result) -> list:
        """The diagnostics of ``result`` that the baseline does not account for."""
        known = dict(self.counts.get(_key(result.path, self.base_dir), {}))
        if not known:
            return list(result.diagnostics)
        out = []
        for d in result.diagnostics:
            fp = diagnostic_fingerprint(result, d)
            if known.get(fp, 0) > 0:
                known[fp] -= 1
            else:
                out.append(d)
        return out

    def filter(self, results) -> int:
        """Drop baselined findings from ``results`` in place; returns how many were dropped."""
        dropped = 0
        for r in results:
            if r.error or not r.diagnostics:
                continue
            keep = self.new_findings(r)
            dropped += len(r.diagnostics) - len(keep)
            r.diagnostics = keep
        return dropped
