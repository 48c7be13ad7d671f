"""`copydesk report`: one self-contained HTML file. Its counts match the JSON report; it renders
in headless Chromium (Debian's `chromium`), where its script checks every count; a screenshot
is written to /tmp/copydesk-report.png."""
from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import in_process_args
from lint.cli import main
from lint.model import Diagnostic, Severity
from lint.reporters import REPORTERS
from lint.runner import FileResult

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = Path("/tmp/copydesk-report.png")


def run(*args):
    result = CliRunner().invoke(main, in_process_args(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


class _Collect(HTMLParser):
    """Elements with their attributes (enough to read the report's data attributes)."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._open: list[list] = []

    def handle_starttag(self, tag, attrs):
        el = [tag, dict(attrs), ""]
        self.elements.append(el)
        if tag not in ("br", "meta", "input", "rect", "line"):
            self._open.append(el)

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        for el in self._open:
            el[2] += data
        self.text.append(data)


def parse(html: str) -> _Collect:
    p = _Collect()
    p.feed(html)
    return p


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The JSON report and the HTML report of fixtures/ (read-only: --no-cache, nothing is
    written in the checkout)."""
    out_dir = tmp_path_factory.mktemp("report")
    import os

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        code, out, err = run("check", "--no-cache", "--format", "json", "fixtures")
        assert code in (0, 1), err
        report = json.loads(out)
        html_path = out_dir / "report.html"
        code, out, err = run("report", "--no-cache", "fixtures", "-o", str(html_path))
        assert code == 0, err
        assert "written to" in out and "Found" in out
    finally:
        os.chdir(cwd)
    return report, html_path


def test_report_counts_match_the_json_report(reports):
    report, html_path = reports
    html = html_path.read_text(encoding="utf-8")
    doc = parse(html)
    s = report["summary"]
    counts = {a["data-count"]: text.strip() for tag, a, text in doc.elements
              if "data-count" in a and tag == "div"}
    assert counts == {
        "files": str(s["files"]), "diagnostics": str(s["diagnostics"]), "error": str(s["by_severity"]["error"]),
        "warning": str(s["by_severity"]["warning"]), "info": str(s["by_severity"]["info"]),
        "files_with_findings": str(s["files_with_findings"]), "likely_mt": str(s["likely_mt"]),
        "files_with_errors": str(s["files_with_errors"]),
    }
    sections = {a["data-path"]: a for tag, a, _ in doc.elements if tag == "section" and "data-path" in a}
    assert set(sections) == {f["path"] for f in report["files"]}
    for f in report["files"]:
        sec = sections[f["path"]]
        assert int(sec["data-findings"]) == len(f["diagnostics"])
        assert int(sec["data-errors"]) == sum(d["severity"] == "error" for d in f["diagnostics"])
    rules = {a["data-rule-count"]: int(text) for tag, a, text in doc.elements if "data-rule-count" in a}
    assert rules == s["by_code"]
    marks = [a for tag, a, _ in doc.elements if tag == "mark"]
    assert marks and all(a["class"].startswith("hl sev-") for a in marks)
    flagged = {fid for a in marks for fid in a["data-findings"].split()}
    items = [a["id"] for tag, a, _ in doc.elements if tag == "li" and "finding" in a.get("class", "")]
    assert len(items) == s["diagnostics"]
    assert set(items) == flagged  # every finding is highlighted in its context


def test_report_sections_charts_verdicts_and_readability(reports):
    report, html_path = reports
    html = html_path.read_text(encoding="utf-8")
    doc = parse(html)
    charts = {a["data-chart"]: None for tag, a, _ in doc.elements if tag == "svg" and "data-chart" in a}
    assert set(charts) == {"family", "file", "flesch"}
    families = {re.match(r"[A-Z]+", d["code"]).group(0) for f in report["files"] for d in f["diagnostics"]}
    bars = [a for tag, a, _ in doc.elements if tag == "g" and a.get("class") == "bar"]
    fam_bars = {a["data-label"]: int(a["data-total"]) for a in bars if a["data-label"] in families}
    assert set(fam_bars) == families
    assert sum(fam_bars.values()) == report["summary"]["diagnostics"]
    bins = [int(a["data-count"]) for tag, a, _ in doc.elements if tag == "g" and a.get("class") == "bin"]
    assert len(bins) == 10 and sum(bins) == len(report["files"])
    verdict_rows = [a for tag, a, _ in doc.elements if tag == "tr" and "data-likely-mt" in a]
    assert len(verdict_rows) == len(report["files"])
    assert sum(a["data-likely-mt"] == "true" for a in verdict_rows) == report["summary"]["likely_mt"]
    flesch = [float(a["data-flesch"]) for tag, a, _ in doc.elements if tag == "tr" and "data-flesch" in a]
    assert len(flesch) == len(report["files"]) and all(-50 < v < 130 for v in flesch)
    for heading in ("Findings per family", "Findings per file", "Document verdicts", "Readability",
                    "Findings in context"):
        assert heading in html


def test_report_is_self_contained(reports):
    _, html_path = reports
    html = html_path.read_text(encoding="utf-8")
    assert "<style>" in html and "<svg" in html and "<script>" in html
    assert not re.search(r"<(link|img|iframe|object|embed)\b", html, re.I)
    assert not re.search(r"""\b(src|href)\s*=\s*["']?(https?:|//)""", html, re.I)
    assert "@import" not in html and "url(" not in html


def test_no_verdict_when_a_result_has_none():
    src = "Hello there. .\n"
    d = Diagnostic("SEG001", "doubled-period", "punctuation", Severity.WARNING, "Stray period", 12, 14)
    r = FileResult("a.txt", src, "text", [d])
    r.verdict = None
    html = REPORTERS["html"]([r], {})
    assert "no verdict" in html
    assert '<mark class="hl sev-warning"' in html


def test_highlights_overlapping_empty_and_multiline_spans():
    src = "first line here\nsecond <line> & more\nthird\n"
    d1 = Diagnostic("AAA001", "a", "punctuation", Severity.ERROR, "one", 6, 25)  # over the line break
    d2 = Diagnostic("AAA002", "b", "punctuation", Severity.INFO, "two", 8, 12)  # inside d1
    d3 = Diagnostic("AAA003", "c", "punctuation", Severity.WARNING, "three", 38, 38)  # empty
    r = FileResult("x.md", src, "markdown", [d1, d2, d3])
    html = REPORTERS["html"]([r], {})
    assert "second &lt;l</mark>ine&gt; &amp; more" in html  # escaped, the mark ends inside "<line>"
    doc = parse(html)
    marks = [(a, text) for tag, a, text in doc.elements if tag == "mark"]
    texts = [t for _, t in marks]
    assert "first " not in "".join(texts)
    assert "".join(texts[:3]) == "line here" and texts[-2] == "second <l"  # d1, split over its two lines
    assert any("f0-0" in a["data-findings"] and "f0-1" in a["data-findings"] for a, _ in marks)
    assert any("zw" in a["class"] for a, _ in marks)


# --------------------------------------------------------------------------- headless Chromium

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(),
                                    reason="/usr/bin/chromium is absent (apt-get install chromium)")


def _chromium(tmp_path, *args, timeout=120):
    profile = tmp_path / "chromium-profile"
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={profile}",
           *args]
    return subprocess.run(cmd, capture_output=True, timeout=timeout)


@pytest.fixture(scope="module")
def rendered(reports, tmp_path_factory):
    """One headless Chromium run over the HTML report: its DOM after the script ran, and the
    screenshot written to SCREENSHOT (a browser start costs more than either)."""
    _, html_path = reports
    if SCREENSHOT.exists():
        SCREENSHOT.unlink()
    proc = _chromium(tmp_path_factory.mktemp("chromium"), "--hide-scrollbars", "--window-size=1280,2200",
                     "--virtual-time-budget=5000", f"--screenshot={SCREENSHOT}", "--dump-dom", html_path.as_uri())
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")[-2000:]
    return proc.stdout.decode("utf-8")


@needs_chromium
def test_report_renders_in_headless_chromium(reports, rendered):
    report, html_path = reports
    dom = rendered
    assert 'data-rendered="ok"' in dom, "the report's script did not run"
    doc = parse(dom)
    s = report["summary"]
    expected = {"files": s["files"], "diagnostics": s["diagnostics"], "error": s["by_severity"]["error"],
                "warning": s["by_severity"]["warning"], "info": s["by_severity"]["info"],
                "files_with_findings": s["files_with_findings"], "likely_mt": s["likely_mt"],
                "files_with_errors": s["files_with_errors"]}
    seen = {}
    for tag, a, text in doc.elements:
        if tag == "div" and "data-count" in a:
            assert "data-js-value" in a, f"count {a['data-count']} was not checked by the script"
            assert "data-js-mismatch" not in a
            seen[a["data-count"]] = (int(a["data-js-value"]), int(text.strip()))
    assert seen == {k: (v, v) for k, v in expected.items()}
    per_file = [int(a["data-js-findings"]) for tag, a, _ in doc.elements if tag == "section" and "data-path" in a]
    assert sorted(per_file) == sorted(len(f["diagnostics"]) for f in report["files"])


@needs_chromium
def test_report_screenshot(rendered):
    data = SCREENSHOT.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2200)
    assert len(data) > 50_000  # a rendered page, not a blank one
