"""The JSON report (DESIGN.md §7): a contract read by evaluation scripts. Raise ``version``
before changing its shape; adding keys is allowed."""
from __future__ import annotations

import json

from ..model import LineIndex

VERSION = 1


def _pos(lines: LineIndex, offset: int) -> dict:
    line, col = lines.position(offset)
    return {"offset": offset, "line": line, "column": col}


def file_json(result) -> dict:
    lines = result.lines
    out = {"path": result.path, "diagnostics": []}
    for d in result.diagnostics:
        out["diagnostics"].append({
            "code": d.code, "name": d.name, "category": d.category, "severity": str(d.severity),
            "message": d.message, "start": _pos(lines, d.start), "end": _pos(lines, d.end),
            "fix": d.fix.to_json() if d.fix else None,
        })
    if result.verdict is not None:
        out["verdict"] = result.verdict
    if result.error:
        out["error"] = result.error
    return out


class Tally:
    """What a report says after the files: counts by severity and rule, files with findings or
    errors, verdicts, the fixable rules. Fed one result at a time (``add``), so that a streamed
    report need not hold the results it has written."""

    def __init__(self, results=()):
        self.files = self.with_findings = self.with_errors = self.likely_mt = 0
        self.counts = {"error": 0, "warning": 0, "info": 0}
        self.rules: dict[str, list] = {}  # code -> [findings, name, has a fix]
        self.errors: list[str] = []  # why files could not be linted
        self.verdicts: list[tuple[str, dict]] = []  # (path, verdict) of likely machine-translated files
        self.worst = None  # the highest severity found
        for r in results:
            self.add(r)

    def add(self, r) -> None:
        self.files += 1
        if r.diagnostics:
            self.with_findings += 1
        if r.error:
            self.with_errors += 1
            self.errors.append(r.error)
        if r.verdict and r.verdict["likely_mt"]:
            self.likely_mt += 1
            self.verdicts.append((r.path, r.verdict))
        for d in r.diagnostics:
            self.counts[str(d.severity)] += 1
            row = self.rules.get(d.code)
            if row is None:
                row = self.rules[d.code] = [0, d.name, False]
            row[0] += 1
            row[2] = row[2] or bool(d.fix and str(d.fix.applicability) != "display-only")
            if self.worst is None or d.severity > self.worst:
                self.worst = d.severity

    def summary(self) -> dict:
        return {
            "files": self.files,
            "files_with_findings": self.with_findings,
            "files_with_errors": self.with_errors,
            "diagnostics": sum(self.counts.values()),
            "by_severity": dict(self.counts),
            "by_code": {code: row[0] for code, row in sorted(self.rules.items())},
            "likely_mt": self.likely_mt,
        }


def summary(results) -> dict:
    return Tally(results).summary()


def _dump(obj, prefix: str) -> str:
    """``obj`` as ``json.dumps(indent=1)`` prints it nested under ``prefix`` (JSON strings hold
    no raw newlines, so every line break is structure)."""
    return json.dumps(obj, ensure_ascii=False, indent=1).replace("\n", "\n" + prefix)


def render_chunks(results, ctx=None, tally: Tally | None = None):
    """The report in pieces, one per file: joined, byte for byte ``json.dumps({"version",
    "files", "summary"}, indent=1)``; written as made, a big run never holds it whole.
    ``results`` is read once (it may be a stream); ``tally``, when given, is filled with them."""
    tally = Tally() if tally is None else tally
    yield '{\n "version": ' + json.dumps(VERSION) + ',\n "files": ['
    n = 0
    for r in results:
        yield ("\n  " if n == 0 else ",\n  ") + _dump(file_json(r), "  ")
        tally.add(r)
        n += 1
    yield "\n ]" if n else "]"
    yield ',\n "summary": ' + _dump(tally.summary(), " ") + "\n}\n"


def render(results, ctx=None) -> str:
    return "".join(render_chunks(results, ctx))
