"""reviewdog's rdjson (a ``DiagnosticResult``): ``reviewdog -f=rdjson``.

Positions follow reviewdog's format: 1-based lines, 1-based columns counted in UTF-8 bytes, the
end exclusive. Fixes become suggestions, one per edit.
"""
from __future__ import annotations

import json

from .common import position, shown_path

SEVERITIES = {"error": "ERROR", "warning": "WARNING", "info": "INFO"}


def _range(result, start: int, end: int) -> dict:
    sl, sc = position(result, start, "utf8")
    el, ec = position(result, end, "utf8")
    return {"start": {"line": sl, "column": sc}, "end": {"line": el, "column": ec}}


def render(results, ctx=None) -> str:
    root = (ctx or {}).get("root")
    diagnostics = []
    for r in results:
        if r.error:
            continue
        path = shown_path(r.path, root)
        for d in r.diagnostics:
            line, col = r.lines.position(d.start)
            item = {
                "message": d.message,
                "location": {"path": path, "range": _range(r, d.start, d.end)},
                "severity": SEVERITIES[str(d.severity)],
                "source": {"name": "copydesk"},
                "code": {"value": d.code},
                "original_output": f"{path}:{line}:{col} {d.code} [{d.severity}] {d.message}",
            }
            if d.fix is not None:
                item["suggestions"] = [{"range": _range(r, e.start, e.end), "text": e.content}
                                       for e in d.fix.edits]
            diagnostics.append(item)
    worst = next((SEVERITIES[s] for s in ("error", "warning", "info")
                  if any(str(d.severity) == s for r in results for d in r.diagnostics)), None)
    out = {"source": {"name": "copydesk"}, "diagnostics": diagnostics}
    if worst:
        out["severity"] = worst
    return json.dumps(out, ensure_ascii=False, indent=1) + "\n"
