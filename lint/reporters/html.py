"""The HTML report (``copydesk report PATH… -o report.html``): one self-contained file.

No network: the CSS, the charts (SVG) and a few lines of script are inline. Every count is
written into the page when it is rendered; the script recomputes the summary from a small JSON
block and marks each count as checked (``data-js-value``), and adds the severity filters.

Sections: the summary; findings per family and per file (bar charts); findings per rule; the
document-level verdicts ("no verdict" when a result has none); readability per file from
textstat (Flesch reading ease, Flesch-Kincaid grade, average sentence length) with a histogram
of reading ease across files; then each file's findings, and its flagged spans highlighted in
their lines (two lines of context either side).
"""
from __future__ import annotations

import json
from html import escape

from .common import SEVERITY_ORDER, family_of, rule_map, shown, shown_path

CONTEXT_LINES = 2
_LABEL_MAX = 38


def _e(s) -> str:
    return escape(str(s), quote=True)


def _counts(diags) -> dict:
    out = {s: 0 for s in SEVERITY_ORDER}
    for d in diags:
        out[str(d.severity)] += 1
    return out


def _short(label: str, n: int = _LABEL_MAX) -> str:
    return label if len(label) <= n else "…" + label[-(n - 1):]


def _fmt(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


# --------------------------------------------------------------------------- charts (SVG)

def _hbar_chart(rows, name: str, aria: str) -> str:
    """Horizontal stacked bars: rows = [(label, {severity: n}, href or None)]."""
    if not rows:
        return '<p class="empty">No findings.</p>'
    width, label_w, right = 760, 270, 50
    bar_w = width - label_w - right
    row_h = 24
    height = row_h * len(rows) + 8
    top = max(sum(c.values()) for _, c, _ in rows) or 1
    parts = [f'<svg class="chart" data-chart="{_e(name)}" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" aria-label="{_e(aria)}">']
    for i, (label, counts, href) in enumerate(rows):
        y = 4 + i * row_h
        total = sum(counts.values())
        text = f'<text class="label" x="{label_w - 8}" y="{y + 15}" text-anchor="end">{_e(_short(label))}</text>'
        if href:
            text = f'<a href="{_e(href)}">{text}</a>'
        parts.append(f'<g class="bar" data-label="{_e(label)}" data-total="{total}"><title>{_e(label)}: {total} '
                     f'({", ".join(f"{counts[s]} {s}" for s in SEVERITY_ORDER if counts[s])})</title>{text}')
        x = float(label_w)
        for sev in SEVERITY_ORDER:
            n = counts.get(sev, 0)
            if not n:
                continue
            w = n / top * bar_w
            parts.append(f'<rect class="sev-{sev}" x="{x:.1f}" y="{y + 2}" width="{max(w, 1.5):.1f}" height="{row_h - 8}" '
                         f'rx="2"/>')
            x += w
        parts.append(f'<text class="value" x="{x + 6:.1f}" y="{y + 15}">{total}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def _histogram(values, name: str, aria: str) -> str:
    """Flesch reading ease across files: ten bins of 10 points (below 0 and above 100 clipped)."""
    if not values:
        return '<p class="empty">No readable prose.</p>'
    bins = [0] * 10
    members: list[list[str]] = [[] for _ in range(10)]
    for label, v in values:
        i = min(9, max(0, int(v // 10)))
        bins[i] += 1
        members[i].append(f"{label} ({v:.1f})")
    width, height, left, bottom, top_pad = 760, 240, 40, 40, 20
    plot_w, plot_h = width - left - 10, height - bottom - top_pad
    slot = plot_w / 10
    top = max(bins) or 1
    parts = [f'<svg class="chart" data-chart="{_e(name)}" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" aria-label="{_e(aria)}">',
             f'<line class="axis" x1="{left}" y1="{top_pad + plot_h}" x2="{width - 10}" y2="{top_pad + plot_h}"/>']
    for i, n in enumerate(bins):
        x = left + i * slot
        h = n / top * plot_h
        y = top_pad + plot_h - h
        label = f"{i * 10}–{i * 10 + 10}"
        tip = f"Flesch {label}: {n} file{'s' if n != 1 else ''}" + (": " + "; ".join(members[i]) if members[i] else "")
        parts.append(f'<g class="bin" data-bin="{i * 10}" data-count="{n}"><title>{_e(tip)}</title>')
        if n:
            parts.append(f'<rect class="hist" x="{x + 4:.1f}" y="{y:.1f}" width="{slot - 8:.1f}" height="{h:.1f}" rx="2"/>'
                         f'<text class="value" x="{x + slot / 2:.1f}" y="{y - 5:.1f}" text-anchor="middle">{n}</text>')
        parts.append(f'<text class="tick" x="{x + slot / 2:.1f}" y="{top_pad + plot_h + 16}" '
                     f'text-anchor="middle">{label}</text></g>')
    parts.append(f'<text class="tick" x="{left + plot_w / 2:.1f}" y="{height - 4}" text-anchor="middle">'
                 f'Flesch reading ease (higher is easier); files per band</text></svg>')
    return "".join(parts)


# --------------------------------------------------------------------------- findings in context

def _line_span(r, d) -> tuple[int, int]:
    first, _ = r.lines.position(d.start)
    last, _ = r.lines.position(max(d.start, d.end - 1))
    return first, last


def _render_line(r, fid: int, line: int, spans) -> str:
    """One source line with the findings that touch it marked. ``spans``: (start, end, j, diag)."""
    src = r.source
    ls, le = r.lines.line_bounds(line, src)
    stop = r.lines.starts[line] if line < len(r.lines.starts) else len(src)  # after the line break
    here = [(s, e, j, d) for s, e, j, d in spans if (s < stop and e > ls) or (s == e and ls <= s <= le)]
    if not here:
        return _e(src[ls:le])
    points = {ls, le}
    zero: dict[int, list] = {}
    for s, e, j, d in here:
        if s >= le or s == e:  # empty, or only the line break: an insertion mark
            at = min(max(s, ls), le)
            zero.setdefault(at, []).append((j, d))
            points.add(at)
            continue
        points.add(max(s, ls))
        points.add(min(e, le))
    cuts = sorted(points)
    out = []

    def mark(items, text, extra=""):
        worst = max(items, key=lambda x: x[1].severity)[1]
        tip = "\n".join(f"{d.code} [{d.severity}] {d.message}" for _, d in items)
        ids = " ".join(f"f{fid}-{j}" for j, _ in items)
        return (f'<mark class="hl sev-{worst.severity}{extra}" data-findings="{ids}" '
                f'title="{_e(tip)}">{text}</mark>')

    for a, b in zip(cuts, cuts[1:] + [None]):
        if a in zero:
            out.append(mark(zero.pop(a), "", " zw"))
        if b is None or a >= b:
            continue
        cover = [(j, d) for s, e, j, d in here if s < e and s <= a and e >= b and s < le]
        text = _e(src[a:b])
        out.append(mark(cover, text) if cover else text)
    return "".join(out)


def _context(r, fid: int, diags) -> str:
    n_lines = len(r.lines.starts)
    wanted = set()
    for d in diags:
        first, last = _line_span(r, d)
        wanted.update(range(max(1, first - CONTEXT_LINES), min(n_lines, last + CONTEXT_LINES) + 1))
    spans = [(d.start, d.end, j, d) for j, d in enumerate(diags)]
    flagged = {n for d in diags for n in range(_line_span(r, d)[0], _line_span(r, d)[1] + 1)}
    rows, prev = [], None
    for n in sorted(wanted):
        if prev is not None and n != prev + 1:
            rows.append('<tr class="gap"><td class="ln">⋮</td><td></td></tr>')
        cls = ' class="flagged"' if n in flagged else ""
        rows.append(f'<tr id="f{fid}-L{n}"{cls}><td class="ln">{n}</td>'
                    f'<td class="src">{_render_line(r, fid, n, spans)}</td></tr>')
        prev = n
    return f'<table class="source">{"".join(rows)}</table>'


def _file_section(r, fid: int, path: str, metas: dict) -> str:
    diags = list(r.diagnostics)
    c = _counts(diags)
    head = (f'<section class="file" id="file-{fid}" data-path="{_e(path)}" data-findings="{len(diags)}" '
            f'data-errors="{c["error"]}" data-warnings="{c["warning"]}" data-info="{c["info"]}">'
            f'<h3><span class="path">{_e(path)}</span> ')
    if r.error:
        return head + f'<span class="badge bad">not linted</span></h3><p class="error">{_e(shown(r.error))}</p></section>'
    plural = {"error": "errors", "warning": "warnings", "info": "info"}
    badges = "".join(f'<span class="badge sev-{s}">{c[s]} {s if c[s] == 1 else plural[s]}</span>'
                     for s in SEVERITY_ORDER if c[s])
    if not diags:
        return head + '<span class="badge ok">clean</span></h3></section>'
    items = []
    for j, d in enumerate(diags):
        line, col = r.lines.position(d.start)
        fix = ""
        if d.fix is not None:
            fix = f' <span class="fix" title="{_e(d.fix.title)}">fix: {_e(d.fix.applicability)}</span>'
        meta = metas.get(d.code)
        why = f' title="{_e(" ".join(meta.why.split()))}"' if meta else ""
        items.append(f'<li class="finding sev-{d.severity}-row" id="f{fid}-{j}" data-code="{_e(d.code)}" '
                     f'data-severity="{d.severity}"><a class="pos" href="#f{fid}-L{line}">{line}:{col}</a> '
                     f'<span class="sev sev-{d.severity}">{d.severity}</span> <code{why}>{_e(d.code)}</code> '
                     f'<span class="msg">{_e(d.message)}</span>{fix}</li>')
    return (head + badges + "</h3>" + f'<ol class="findings">{"".join(items)}</ol>'
            + _context(r, fid, diags) + "</section>")


# --------------------------------------------------------------------------- readability

def _readability(r):
    """The ``copydesk stats`` figures of a result (textstat is loaded on first use)."""
    if r.error:
        return None
    from ..readability import document_stats

    doc = r.document
    if doc is None:
        from ..document import parse

        doc = parse(r.source, r.path, r.format)
    try:
        return document_stats(doc)
    except Exception as exc:  # pragma: no cover - a readability failure must not lose the report
        return {"error": str(exc)}


# --------------------------------------------------------------------------- the page

_CSS = """
:root{--err:#c62828;--warn:#b26a00;--info:#1565c0;--ok:#2e7d32;--bg:#fff;--fg:#1c1e21;--mute:#5f6368;
--line:#e3e5e8;--card:#f6f7f9;--mark-err:#ffd7d5;--mark-warn:#ffe9b3;--mark-info:#d6e6ff;--hist:#5c6bc0}
@media (prefers-color-scheme:dark){:root{--bg:#16181c;--fg:#e6e6e6;--mute:#9aa0a6;--line:#2d3036;--card:#1f2227;
--mark-err:#6b2622;--mark-warn:#5c4300;--mark-info:#1d3a66;--err:#ef5350;--warn:#ffb74d;--info:#64b5f6;--hist:#7986cb}}
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
background:var(--bg);color:var(--fg)}main{max-width:1120px;margin:0 auto;padding:24px 28px 60px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:36px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:0 0 8px;display:flex;flex-wrap:wrap;gap:6px;align-items:center}
.sub{color:var(--mute);margin:0 0 18px}.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(118px,1fr));gap:10px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.card .num{font-size:26px;font-weight:650}.card .lbl{color:var(--mute);font-size:13px}
.card.error .num{color:var(--err)}.card.warning .num{color:var(--warn)}.card.info .num{color:var(--info)}
.card.mt .num{color:var(--err)}[data-js-mismatch]{outline:2px dashed var(--err)}
svg.chart{max-width:100%;height:auto;display:block}svg text{fill:var(--fg);font-size:12px}
svg .label{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:11.5px}
svg .value,svg .tick{fill:var(--mute)}svg .axis{stroke:var(--line)}svg a text{text-decoration:underline}
rect.sev-error{fill:var(--err)}rect.sev-warning{fill:var(--warn)}rect.sev-info{fill:var(--info)}rect.hist{fill:var(--hist)}
.legend span{margin-right:14px;font-size:13px;color:var(--mute)}.legend i{display:inline-block;width:10px;height:10px;
border-radius:2px;margin-right:5px;vertical-align:-1px}.legend .e{background:var(--err)}.legend .w{background:var(--warn)}
.legend .n{background:var(--info)}.grid2{display:grid;grid-template-columns:1fr;gap:18px}
table.data{border-collapse:collapse;width:100%;font-size:14px}table.data th,table.data td{text-align:left;padding:5px 8px;
border-bottom:1px solid var(--line)}table.data td.n,table.data th.n{text-align:right;font-variant-numeric:tabular-nums}
table.data code,.path{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
.badge{display:inline-block;font-size:12px;font-weight:600;padding:1px 8px;border-radius:10px;border:1px solid currentColor}
.badge.sev-error,.sev.sev-error{color:var(--err)}.badge.sev-warning,.sev.sev-warning{color:var(--warn)}
.badge.sev-info,.sev.sev-info{color:var(--info)}.badge.ok{color:var(--ok)}.badge.bad{color:var(--err)}.badge.none{color:var(--mute)}
section.file{border:1px solid var(--line);border-radius:8px;padding:12px 14px;margin:12px 0;background:var(--bg)}
ol.findings{margin:4px 0 10px;padding-left:22px;font-size:14px}ol.findings li{margin:2px 0}
.pos{font-family:ui-monospace,monospace;font-size:12.5px;color:var(--mute)}.sev{font-size:12px;font-weight:600}
.fix{font-size:12px;color:var(--ok)}.error{color:var(--err)}.empty{color:var(--mute)}
table.source{border-collapse:collapse;width:100%;font:12.5px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;
background:var(--card);border-radius:6px}table.source td{padding:0 8px;vertical-align:top}
table.source td.ln{color:var(--mute);text-align:right;user-select:none;width:1%;white-space:nowrap;border-right:1px solid var(--line)}
table.source td.src{white-space:pre-wrap;word-break:break-word}table.source tr.flagged td.ln{color:var(--fg);font-weight:700}
table.source tr.gap td{color:var(--mute)}:target{background:var(--mark-warn)}
mark.hl{color:inherit;border-radius:2px;padding:0 1px;border-bottom:2px solid}
mark.sev-error{background:var(--mark-err);border-color:var(--err)}mark.sev-warning{background:var(--mark-warn);border-color:var(--warn)}
mark.sev-info{background:var(--mark-info);border-color:var(--info)}mark.zw{padding:0;border-bottom:0;border-left:3px solid}
.filters{margin:8px 0 0;font-size:14px}.filters label{margin-right:14px}
body.hide-error .sev-error-row,body.hide-warning .sev-warning-row,body.hide-info .sev-info-row{display:none}
footer{margin-top:40px;color:var(--mute);font-size:13px}#readability h3{margin-top:22px}
"""

_JS = """
(function(){
var data=JSON.parse(document.getElementById('copydesk-data').textContent);
var t={files:0,diagnostics:0,error:0,warning:0,info:0,files_with_findings:0,files_with_errors:0,likely_mt:0};
data.files.forEach(function(f){t.files++;var n=f.error+f.warning+f.info;t.diagnostics+=n;t.error+=f.error;
t.warning+=f.warning;t.info+=f.info;if(n)t.files_with_findings++;if(f.failed)t.files_with_errors++;if(f.likely_mt)t.likely_mt++;});
document.querySelectorAll('[data-count]').forEach(function(el){var k=el.getAttribute('data-count');
if(!(k in t))return;el.setAttribute('data-js-value',String(t[k]));
if(String(t[k])!==el.textContent.trim())el.setAttribute('data-js-mismatch','');});
document.querySelectorAll('section.file').forEach(function(s){
s.setAttribute('data-js-findings',String(s.querySelectorAll('li.finding').length));});
document.querySelectorAll('.filters input').forEach(function(box){box.addEventListener('change',function(){
document.body.classList.toggle('hide-'+box.value,!box.checked);});});
document.documentElement.setAttribute('data-rendered','ok');
})();
"""


def _json_for_script(obj) -> str:
    return (json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def render(results, ctx=None) -> str:
    from .. import __version__
    from .json import summary

    ctx = ctx or {}
    root = ctx.get("root")
    metas = rule_map(ctx)
    s = summary(results)
    paths = [shown_path(r.path, root) for r in results]
    sev = s["by_severity"]

    def card(key, value, label, cls=""):
        return (f'<div class="card {cls}"><div class="num" data-count="{key}">{value}</div>'
                f'<div class="lbl">{_e(label)}</div></div>')

    cards = "".join([
        card("files", s["files"], "files"),
        card("diagnostics", s["diagnostics"], "findings"),
        card("error", sev["error"], "errors", "error"),
        card("warning", sev["warning"], "warnings", "warning"),
        card("info", sev["info"], "info", "info"),
        card("files_with_findings", s["files_with_findings"], "files with findings"),
        card("likely_mt", s["likely_mt"], "likely machine-translated", "mt"),
        card("files_with_errors", s["files_with_errors"], "files not linted"),
    ])

    # findings per family and per file
    fam: dict[str, dict] = {}
    for r in results:
        for d in r.diagnostics:
            c = fam.setdefault(family_of(d.code), {x: 0 for x in SEVERITY_ORDER})
            c[str(d.severity)] += 1
    fam_rows = sorted(((k, v, None) for k, v in fam.items()), key=lambda x: (-sum(x[1].values()), x[0]))
    file_rows = [(p, _counts(r.diagnostics), f"#file-{i}") for i, (r, p) in enumerate(zip(results, paths))
                 if r.diagnostics]
    file_rows.sort(key=lambda x: (-sum(x[1].values()), x[0]))
    legend = ('<p class="legend"><span><i class="e"></i>error</span><span><i class="w"></i>warning</span>'
              '<span><i class="n"></i>info</span></p>')

    # per rule
    by_rule = []
    for code, n in sorted(s["by_code"].items(), key=lambda x: (-x[1], x[0])):
        meta = metas.get(code)
        name = meta.name if meta else next((d.name for r in results for d in r.diagnostics if d.code == code), "")
        by_rule.append(f'<tr data-code="{_e(code)}"><td><code>{_e(code)}</code></td><td>{_e(name)}</td>'
                       f'<td class="n" data-rule-count="{_e(code)}">{n}</td></tr>')
    rule_table = ('<table class="data"><thead><tr><th>rule</th><th>name</th><th class="n">findings</th></tr></thead>'
                  f'<tbody>{"".join(by_rule)}</tbody></table>') if by_rule else '<p class="empty">No findings.</p>'

    # verdicts
    vrows = []
    for i, (r, p) in enumerate(zip(results, paths)):
        v = getattr(r, "verdict", None)
        if r.error:
            badge, score, fams, ev = '<span class="badge none">not linted</span>', "–", "", "–"
        elif not v:
            badge, score, fams, ev = '<span class="badge none">no verdict</span>', "–", "", "–"
        else:
            badge = ('<span class="badge bad">likely machine-translated or spun</span>' if v.get("likely_mt")
                     else '<span class="badge ok">not likely</span>')
            score = _fmt(v.get("score"), 2) if isinstance(v.get("score"), float) else _fmt(v.get("score"))
            fams = ", ".join(v.get("families") or [])
            ev = str(len(v.get("evidence") or []))
        likely = "true" if (v and v.get("likely_mt") and not r.error) else "false"
        vrows.append(f'<tr data-path="{_e(p)}" data-likely-mt="{likely}"><td class="path"><a href="#file-{i}">'
                     f'{_e(p)}</a></td><td>{badge}</td><td class="n">{score}</td><td>{_e(fams) or "–"}</td>'
                     f'<td class="n">{ev}</td></tr>')
    verdict_table = ('<table class="data"><thead><tr><th>file</th><th>verdict</th><th class="n">score</th>'
                     '<th>evidence families</th><th class="n">evidence</th></tr></thead>'
                     f'<tbody>{"".join(vrows)}</tbody></table>')

    # readability
    rrows, hist = [], []
    for i, (r, p) in enumerate(zip(results, paths)):
        st = _readability(r)
        if not st or "error" in st:
            rrows.append(f'<tr data-path="{_e(p)}"><td class="path">{_e(p)}</td>'
                         + '<td class="n">–</td>' * 5 + "</tr>")
            continue
        ease = st.get("flesch_reading_ease")
        if ease is not None:
            hist.append((p, float(ease)))
        rrows.append(f'<tr data-path="{_e(p)}" data-flesch="{_fmt(ease)}"><td class="path">{_e(p)}</td>'
                     f'<td class="n">{_fmt(st.get("words"))}</td><td class="n">{_fmt(st.get("sentences"))}</td>'
                     f'<td class="n">{_fmt(st.get("avg_sentence_length"))}</td><td class="n">{_fmt(ease)}</td>'
                     f'<td class="n">{_fmt(st.get("flesch_kincaid_grade"))}</td></tr>')
    read_table = ('<table class="data"><thead><tr><th>file</th><th class="n">words</th><th class="n">sentences</th>'
                  '<th class="n">words / sentence</th><th class="n">Flesch reading ease</th>'
                  '<th class="n">grade level (FK)</th></tr></thead>'
                  f'<tbody>{"".join(rrows)}</tbody></table>')

    data = {"version": 1, "files": [{"path": p, **_counts(r.diagnostics), "failed": bool(r.error),
                                     "likely_mt": bool(getattr(r, "verdict", None) and r.verdict.get("likely_mt")
                                                       and not r.error)}
                                    for r, p in zip(results, paths)]}
    sections = "".join(_file_section(r, i, p, metas) for i, (r, p) in enumerate(zip(results, paths)))
    title = ctx.get("title") or "Copydesk report"
    n = s["files"]
    sub = (f'{n} file{"s" if n != 1 else ""} checked · {s["diagnostics"]} finding'
           f'{"s" if s["diagnostics"] != 1 else ""} · Copydesk {__version__}')
    return f"""<!DOCTYPE html>
<html lang="en" data-rendered="no">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Copydesk {_e(__version__)}">
<title>{_e(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<main>
<h1>{_e(title)}</h1>
<p class="sub">{_e(sub)}</p>
<section id="summary"><h2>Summary</h2><div class="cards">{cards}</div></section>
<section id="charts"><h2>Findings per family</h2>{legend}{_hbar_chart(fam_rows, "family", "Findings per rule family")}
<h2>Findings per file</h2>{legend}{_hbar_chart(file_rows, "file", "Findings per file")}
<h2>Findings per rule</h2>{rule_table}</section>
<section id="verdicts"><h2>Document verdicts</h2>{verdict_table}</section>
<section id="readability"><h2>Readability</h2>{read_table}
<h3>Reading ease across files</h3>{_histogram(hist, "flesch", "Histogram of Flesch reading ease across files")}</section>
<section id="files"><h2>Findings in context</h2>
<div class="filters">Show: <label><input type="checkbox" value="error" checked> errors</label>
<label><input type="checkbox" value="warning" checked> warnings</label>
<label><input type="checkbox" value="info" checked> info</label></div>
{sections}</section>
<footer>Generated by Copydesk {_e(__version__)}. Positions are line:column, columns counted in characters
(code points).</footer>
</main>
<script type="application/json" id="copydesk-data">{_json_for_script(data)}</script>
<script>{_JS}</script>
</body>
</html>
"""
