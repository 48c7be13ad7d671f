"""Against a real LanguageTool server: runs only when COPYDESK_LANGUAGETOOL_URL is set, e.g.

    docker run --rm -p 8010:8010 erikvl87/languagetool     # on a machine that can download it
    COPYDESK_LANGUAGETOOL_URL=http://localhost:8010 python -m pytest tests/test_languagetool_live.py

(README, "Readability and grammar"). The fake server in test_languagetool.py covers the rest.
"""
from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from lint.cli import main

URL = os.environ.get("COPYDESK_LANGUAGETOOL_URL")
pytestmark = pytest.mark.skipif(not URL, reason="set COPYDESK_LANGUAGETOOL_URL to test against a real "
                                                "LanguageTool server")

SOURCE = (
    "# A day in 東京\n"
    "\n"
    "The 🎉 party in 東京 was “great” 😀 — see [the report](https://example.com/teh) and `teh` "
    "then we saw teh river.\n"
    "\n"
    "She ate a apple after the show.\n"
)


def _report(tmp_path, *args):
    p = tmp_path / "live.md"
    p.write_text(SOURCE, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--format", "json", "--no-cache", "--languagetool", URL, *args, str(p)],
                                catch_exceptions=False)
    assert result.exit_code in (0, 1), result.stderr
    return [d for f in json.loads(result.stdout)["files"] for d in f["diagnostics"] if d["code"].startswith("LT:")]


def test_real_server_matches_land_on_the_right_source_text(tmp_path):
    diags = _report(tmp_path)
    slices = {(d["code"], SOURCE[d["start"]["offset"]:d["end"]["offset"]]) for d in diags}
    spelled = [d for d in diags if SOURCE[d["start"]["offset"]:d["end"]["offset"]] == "teh"]
    assert spelled, f"no match on 'teh': {sorted(slices)}"
    assert all(d["start"]["offset"] == SOURCE.index("teh river") for d in spelled)  # not in the URL or code
    assert any(SOURCE[d["start"]["offset"]:d["end"]["offset"]] in ("a", "a apple") for d in diags), sorted(slices)
    for d in diags:
        assert d["category"] == "grammar"
        assert d["fix"] is None or d["fix"]["applicability"] == "display-only"


def test_real_server_respects_ignore(tmp_path):
    assert _report(tmp_path, "--ignore", "LT") == []
