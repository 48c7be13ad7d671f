"""The document verdict needs two independent families of evidence."""
from __future__ import annotations

import json

from click.testing import CliRunner

from lint.cli import main
from lint.model import Diagnostic, Severity
from lint.verdict import verdict


def diag(code, sev=Severity.WARNING):
    return Diagnostic(code, "n", "c", sev, "m", 0, 1)


def test_one_family_is_never_enough():
    v = verdict([diag("CALQ001")] * 5)
    assert v["families"] == ["CALQ"] and not v["likely_mt"]


def test_two_families_with_enough_weight():
    v = verdict([diag("CALQ001"), diag("CALQ001"), diag("SEG002")])
    assert v["likely_mt"] and v["families"] == ["CALQ", "SEG"] and v["score"] == 2.5
    assert [e["code"] for e in v["evidence"]] == ["CALQ001", "CALQ001", "SEG002"]


def test_weak_evidence_and_scraping_families_do_not_count():
    assert not verdict([diag("SEG001"), diag("CONS001")])["likely_mt"]  # score 1.0
    assert verdict([diag("UI001", Severity.ERROR)] * 4 + [diag("FOOT001")])["families"] == []
    assert verdict([diag("CALQ001", Severity.INFO), diag("SEG001")])["families"] == ["SEG"]


def test_verdict_in_json_and_text(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Talks\n\nOfficials so far came to a halt before describing it as an attack. .\n\n"
                 "Our partners, how can I say in moderation, do not listen.\n", encoding="utf-8")
    out = CliRunner().invoke(main, ["check", "--format", "json", str(p)]).stdout
    v = json.loads(out)["files"][0]["verdict"]
    assert v["likely_mt"] and v["families"] == ["CALQ", "SEG"]
    assert json.loads(out)["summary"]["likely_mt"] == 1
    text = CliRunner().invoke(main, ["check", str(p)]).stdout
    assert "likely machine-translated or spun (score 2.5; evidence from CALQ, SEG)" in text
