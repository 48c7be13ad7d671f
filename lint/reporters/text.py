"""Human output: ``path:line:col CODE [severity] message``, the line, a caret, a summary."""
from __future__ import annotations

from .common import shown
from .tally import Tally


def _excerpt(source: str, lines, start: int, end: int) -> list[str]:
    line, col = lines.position(start)
    s, e = lines.line_bounds(line, source)
    text = source[s:e].replace("\t", " ")
    width = max(1, min(end, e) - start)
    if len(text) > 200:  # show a window around the span on very long lines
        lo = max(0, col - 1 - 60)
        text = ("…" if lo else "") + text[lo:lo + 160]
        col = col - lo + (1 if lo else 0)
    width = min(width, max(1, len(text) - col + 1))
    return ["    " + text, "    " + " " * (col - 1) + "^" * width]


def render_chunks(results, ctx=None, tally: Tally | None = None):
    """The report in pieces, one per file (``results`` is read once: it may be a stream), then
    the verdicts and the summary; ``tally``, when given, is filled with the results."""
    show_source = True if ctx is None else ctx.get("show_source", True)
    tally = Tally() if tally is None else tally
    for r in results:
        tally.add(r)
        if r.error:
            why = r.error.split(': ', 1)[-1] if r.error.startswith(r.path) else r.error
            yield f"{shown(r.path)}: error: {shown(why)}\n"
            continue
        if not r.diagnostics:
            continue
        out: list[str] = []
        lines = r.lines
        path = shown(r.path)
        for d in r.diagnostics:
            line, col = lines.position(d.start)
            fix = " [*]" if d.fix and str(d.fix.applicability) != "display-only" else ""
            out.append(f"{path}:{line}:{col} {d.code} [{d.severity}] {d.message}{fix}")
            if show_source:
                out.extend(_excerpt(r.source, lines, d.start, d.end))
        yield "\n".join(out) + "\n"
    out = [f"{shown(path)}: likely machine-translated or spun (score {v['score']:g}; "
           f"evidence from {', '.join(v['families'])})" for path, v in tally.verdicts]
    if tally.with_findings:
        out.append("")
    out.extend(summary_lines(tally))
    yield "\n".join(out) + "\n"


def render(results, ctx=None) -> str:
    return "".join(render_chunks(results, ctx))


def summary_lines(results) -> list[str]:
    """The closing lines: how many problems in how many files, or all clear. ``results``: the
    results, or a Tally of them."""
    out: list[str] = []
    tally = results if isinstance(results, Tally) else Tally(results)
    s, unwritten = tally.summary(), tally.unwritten
    sev = s["by_severity"]
    if s["diagnostics"]:
        out.append(f"Found {s['diagnostics']} problem{'s' if s['diagnostics'] != 1 else ''} "
                   f"({sev['error']} error{'s' if sev['error'] != 1 else ''}, "
                   f"{sev['warning']} warning{'s' if sev['warning'] != 1 else ''}, {sev['info']} info) "
                   f"in {s['files_with_findings']} of {s['files']} file{'s' if s['files'] != 1 else ''}.")
    elif s["files_with_errors"]:  # not "all clear" beside the files that could not be read
        checked = s["files"] - s["files_with_errors"]
        if checked or s["files_with_errors"] > unwritten:
            out.append(f"No problems found in the {checked} file{'s' if checked != 1 else ''} checked.")
    else:
        out.append(f"All clear: {s['files']} file{'s' if s['files'] != 1 else ''} checked, no problems found.")
    failed = s["files_with_errors"] - unwritten
    if failed:
        out.append(f"{failed} file{'s' if failed != 1 else ''} could not be linted.")
    if unwritten:
        out.append(f"Could not write the fixes to {unwritten} file{'s' if unwritten != 1 else ''}: "
                   "nothing was written to {}.".format("it" if unwritten == 1 else "them"))
    return out
