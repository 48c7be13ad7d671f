"""GitLab Code Quality report (a JSON array of Code Climate issues).

The fingerprint is stable across runs and across unrelated edits: it is built from the path,
the baseline's content fingerprint (rule, flagged text, a little context; no line numbers) and
the occurrence number of that same content in the file, so identical findings stay unique.
Severity: error -> major, warning -> minor, info -> info. The location has ``lines`` (what
GitLab reads) and also Code Climate ``positions`` with columns (code points, end exclusive).
"""
from __future__ import annotations

import hashlib
import json

from .common import rule_map, shown_path

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def render(results, ctx=None) -> str:
    from ..baseline import diagnostic_fingerprint

    ctx = ctx or {}
    root = ctx.get("root")
    metas = rule_map(ctx)
    issues = []
    for r in results:
        path = shown_path(r.path, root)
        if r.error:
            continue  # not a code quality issue; reported on stderr
        seen: dict[str, int] = {}
        for d in r.diagnostics:
            content = diagnostic_fingerprint(r, d)
            n = seen.get(content, 0)
            seen[content] = n + 1
            fp = hashlib.sha256(f"{path}\x1f{content}\x1f{n}".encode("utf-8")).hexdigest()[:32]
            line, col = r.lines.position(d.start)
            end_line, _ = r.lines.position(max(d.start, d.end - 1))
            pos_end_line, pos_end_col = r.lines.position(d.end)
            issue = {
                "type": "issue",
                "check_name": d.code,
                "description": f"{d.code} {d.message}",
                "categories": ["Style"],
                "severity": SEVERITIES[str(d.severity)],
                "fingerprint": fp,
                "location": {"path": path, "lines": {"begin": line, "end": end_line},
                             "positions": {"begin": {"line": line, "column": col},
                                           "end": {"line": pos_end_line, "column": pos_end_col}}},
                "engine_name": "copydesk",
            }
            meta = metas.get(d.code)
            if meta is not None:
                issue["content"] = {"body": " ".join(meta.why.split())}
            issues.append(issue)
    return json.dumps(issues, ensure_ascii=False, indent=1) + "\n"
