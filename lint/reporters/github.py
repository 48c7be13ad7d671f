"""GitHub Actions workflow commands: one annotation per finding, by severity
(``error``, ``warning``; ``info`` becomes ``notice``)::

    ::error file=a.md,line=3,col=55,endLine=3,endColumn=57,title=SEG001::SEG001: Stray second period …

Columns are code points, 1-based, and the end column is the column just after the span (as in
the JSON report). GitHub supports column ranges on one line only, so a finding over several
lines gets lines and no columns. Property values are escaped as the Actions toolkit does
(``%``, line breaks, ``:`` and ``,``), so ``title=LT%3ARULE`` shows as ``LT:RULE``.
"""
from __future__ import annotations

from .common import shown, shown_path

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(s: str) -> str:
    return str(s).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(s: str) -> str:
    return _data(s).replace(":", "%3A").replace(",", "%2C")


def render(results, ctx=None) -> str:
    root = (ctx or {}).get("root")
    out = []
    for r in results:
        path = shown_path(r.path, root)
        if r.error:
            out.append(f"::error file={_prop(path)},title=copydesk::{_data(shown(r.error))}")
            continue
        for d in r.diagnostics:
            line, col = r.lines.position(d.start)
            end_line, end_col = r.lines.position(d.end)
            if end_line > line and end_col == 1 and d.end > d.start:  # the span ends with its line break
                end_line -= 1
            props = [f"file={_prop(path)}", f"line={line}"]
            if end_line == line:
                props += [f"col={col}", f"endLine={end_line}", f"endColumn={max(end_col, col)}"]
            else:
                props.append(f"endLine={end_line}")
            props.append(f"title={_prop(d.code)}")
            # the code starts the message too: the raw log shows the message, not the title
            out.append(f"::{COMMANDS[str(d.severity)]} {','.join(props)}::{_data(d.code)}: {_data(d.message)}")
    return "".join(line + "\n" for line in out)
