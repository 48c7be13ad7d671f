"""SARIF 2.1.0 (GitHub code scanning, Azure DevOps, IDE viewers).

One run. The rules come from the rule metadata in ``ctx["rules"]`` (short description: the
summary; full description: why it matters; help: both plus the fix's safety; default level:
the rule's severity). Columns are Unicode code points, as every offset in Copydesk is, and the
run says so (``columnKind``); ``ctx["column_kind"] = "utf16CodeUnits"`` converts instead.
Fixes become SARIF fixes (one artifact change with a replacement per edit), their
applicability in the fix's property bag. Each result carries the baseline's content fingerprint
as a partial fingerprint, so that viewers can follow a finding across edits.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from .common import position, rel_path, rule_map, shown, uri_path

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_UNITS = {"unicodeCodePoints": "codepoint", "utf16CodeUnits": "utf16"}


def _text(s: str) -> str:
    return " ".join(str(s).replace("{match}", "…").split())


def _descriptor(meta) -> dict:
    summary, why = _text(meta.summary), _text(meta.why)
    if meta.fix_applicability:
        fix_line = f"Fix: {meta.fix_applicability}. {_text(meta.fix_safety)}".strip()
    else:
        fix_line = "Fix: none (a person decides)."
    help_text = f"{summary}\n\nWhy it matters: {why}\n\n{fix_line}"
    md = [f"**{meta.code} {meta.name}**: {summary}", "", f"*Why it matters:* {why}", "", fix_line]
    if meta.fail:
        ex = meta.fail[0]
        md += ["", "Flagged:", "", "```text", ex.text.rstrip("\n"), "```"]
    tags = []
    for t in (meta.family, meta.category, *meta.tags):
        if t and t not in tags:
            tags.append(t)
    props = {"tags": tags, "family": meta.family, "category": meta.category, "kind": meta.kind}
    if meta.fix_applicability:
        props["fixApplicability"] = str(meta.fix_applicability)
    return {
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": why},
        "help": {"text": help_text, "markdown": "\n".join(md)},
        "defaultConfiguration": {"level": LEVELS[str(meta.severity)], "enabled": bool(meta.default_enabled)},
        "properties": props,
    }


def _bare_descriptor(d) -> dict:
    """A rule known only from its findings (LanguageTool's codes come from the server)."""
    return {"id": d.code, "name": d.name, "shortDescription": {"text": _text(d.name) or d.code},
            "defaultConfiguration": {"level": LEVELS[str(d.severity)]},
            "properties": {"tags": [t for t in (d.category,) if t], "category": d.category}}


def _uri(path: str, root: str) -> dict:
    rel = rel_path(path, root)
    if rel.startswith("<"):
        return {"uri": quote(shown(rel.strip("<>")))}
    if os.path.isabs(rel):
        return {"uri": Path(rel).as_uri()}  # percent-encodes the name's own bytes (os.fsencode)
    return {"uri": uri_path(rel), "uriBaseId": "SRCROOT"}


def _region(result, start: int, end: int, unit: str, snippet: bool = True) -> dict:
    sl, sc = position(result, start, unit)
    el, ec = position(result, end, unit)
    region = {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec}
    if snippet:
        region["snippet"] = {"text": result.source[start:end]}
    return region


def render(results, ctx=None) -> str:
    from .. import __version__
    from ..baseline import diagnostic_fingerprint

    ctx = ctx or {}
    root = os.path.abspath(ctx.get("root") or os.getcwd())
    column_kind = ctx.get("column_kind", "unicodeCodePoints")
    unit = _UNITS[column_kind]
    metas = rule_map(ctx)
    rules: list[dict] = []
    index: dict[str, int] = {}
    for code in sorted(metas):
        index[code] = len(rules)
        rules.append(_descriptor(metas[code]))
    out_results = []
    notifications = []
    for r in results:
        location = _uri(r.path, root)
        if r.error:
            notifications.append({
                "level": "error", "message": {"text": shown(r.error)},
                "locations": [{"physicalLocation": {"artifactLocation": location}}],
            })
            continue
        for d in r.diagnostics:
            if d.code not in index:
                index[d.code] = len(rules)
                rules.append(_bare_descriptor(d))
            res = {
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": LEVELS[str(d.severity)],
                "message": {"text": d.message},
                "locations": [{"physicalLocation": {"artifactLocation": dict(location),
                                                    "region": _region(r, d.start, d.end, unit)}}],
                "partialFingerprints": {"copydeskContent/v1": diagnostic_fingerprint(r, d)},
                "properties": {"name": d.name, "category": d.category},
            }
            if d.fix is not None:
                res["fixes"] = [{
                    "description": {"text": d.fix.title},
                    "artifactChanges": [{
                        "artifactLocation": dict(location),
                        "replacements": [{"deletedRegion": _region(r, e.start, e.end, unit, snippet=False),
                                          "insertedContent": {"text": e.content}} for e in d.fix.edits],
                    }],
                    "properties": {"applicability": str(d.fix.applicability)},
                }]
            out_results.append(res)
    run = {
        "tool": {"driver": {"name": "Copydesk", "version": __version__, "semanticVersion": __version__,
                            "rules": rules}},
        "columnKind": column_kind,
        "originalUriBaseIds": {"SRCROOT": {"uri": Path(root).as_uri().rstrip("/") + "/"}},
        "results": out_results,
        "invocations": [{"executionSuccessful": not notifications,
                         "toolExecutionNotifications": notifications}],
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=1) + "\n"
