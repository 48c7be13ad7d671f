"""JUnit XML (GitLab, Jenkins, Azure, CircleCI test reports): one testcase per file, one
failure per finding (its type is the rule code), an error for a file that could not be linted.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from .common import shown, shown_path

# characters XML 1.0 does not allow, even escaped
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID.sub("\ufffd", str(text))


def _excerpt(result, d) -> str:
    line, _ = result.lines.position(d.start)
    s, e = result.lines.line_bounds(line, result.source)
    return result.source[s:e]


def render(results, ctx=None) -> str:
    ctx = ctx or {}
    root = ctx.get("root")
    total_failures = sum(len(r.diagnostics) for r in results if not r.error)
    total_errors = sum(1 for r in results if r.error)
    suites = ET.Element("testsuites", name="copydesk", tests=str(len(results)),
                        failures=str(total_failures), errors=str(total_errors), time="0")
    suite = ET.SubElement(suites, "testsuite", name="copydesk", tests=str(len(results)),
                          failures=str(total_failures), errors=str(total_errors), skipped="0", time="0")
    for r in results:
        path = shown_path(r.path, root)
        case = ET.SubElement(suite, "testcase", classname="copydesk", name=_clean(path), file=_clean(path),
                             time="0")
        if r.error:
            err = ET.SubElement(case, "error", message=_clean(shown(r.error)), type="input-error")
            err.text = _clean(shown(r.error))
            continue
        for d in r.diagnostics:
            line, col = r.lines.position(d.start)
            where = f"{path}:{line}:{col}"
            failure = ET.SubElement(case, "failure", type=d.code,
                                    message=_clean(f"{where} {d.code} [{d.severity}] {d.message}"))
            body = [f"{where} {d.code} {d.name} [{d.severity}]", _clean(d.message), "", "    " + _clean(_excerpt(r, d))]
            if d.fix is not None:
                body.append(f"Fix ({d.fix.applicability}): {_clean(d.fix.title)}")
            failure.text = "\n".join(body)
    ET.indent(suites, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
