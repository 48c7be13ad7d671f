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


def summary(results) -> dict:
    counts = {"error": 0, "warning": 0, "info": 0}
    by_code: dict[str, int] = {}
    for r in results:
        for d in r.diagnostics:
            counts[str(d.severity)] += 1
            by_code[d.code] = by_code.get(d.code, 0) + 1
    return {
        "files": len(results),
        "files_with_findings": sum(1 for r in results if r.diagnostics),
        "files_with_errors": sum(1 for r in results if r.error),
        "diagnostics": sum(counts.values()),
        "by_severity": counts,
        "by_code": dict(sorted(by_code.items())),
        "likely_mt": sum(1 for r in results if r.verdict and r.verdict["likely_mt"]),
    }


def _dump(obj, prefix: str) -> str:
    """``obj`` as ``json.dumps(indent=1)`` prints it nested under ``prefix`` (JSON strings hold
    no raw newlines, so every line break is structure)."""
    return json.dumps(obj, ensure_ascii=False, indent=1).replace("\n", "\n" + prefix)


def render_chunks(results, ctx=None):
    """The report in pieces, one per file: joined, byte for byte ``json.dumps({"version",
    "files", "summary"}, indent=1)``; written as made, a big run never holds it whole."""
    yield '{\n "version": ' + json.dumps(VERSION) + ',\n "files": ['
    n = 0
    for r in results:
        yield ("\n  " if n == 0 else ",\n  ") + _dump(file_json(r), "  ")
        n += 1
    yield "\n ]" if n else "]"
    yield ',\n "summary": ' + _dump(summary(results), " ") + "\n}\n"


def render(results, ctx=None) -> str:
    return "".join(render_chunks(results, ctx))
