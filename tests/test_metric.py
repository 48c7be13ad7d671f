"""The ``metric`` kind (textstat) and the READ family."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from lint.cli import main
from lint.packs import PackError, load_rule, load_rules
from lint.readability import METRICS, clean, measure, prose
from lint.runner import lint_source

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
READ = [r for r in load_rules().rules if r.meta.family == "READ"]

LONG = ("The minister, who had arrived late from a regional summit where delegates from nine provinces had "
        "argued for most of the night about water rights, grazing permits and the long-delayed railway link, "
        "said that the government would respond to the proposals within weeks rather than months.")


def run(*args, input=None):
    result = CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


RULE = """code: HOUSE001
name: house-metric
kind: metric
category: readability
severity: info
summary: "{metric} {value} (threshold {threshold}, {words} words, per {unit})"
why: A test rule for the metric kind, measuring things in the article with textstat here.
enabled: false
{options}
examples:
  fail: ["⟦x⟧"]
  pass: ["y"]
"""


def _rule(tmp_path, options: str):
    p = tmp_path / "HOUSE001-house-metric.yaml"
    p.write_text(RULE.replace("{options}", options), encoding="utf-8")
    return load_rule(p)


def _hits(rule, text, path="x.txt"):
    return [(text[d.start:d.end], d.message) for d in lint_source(text, path, [rule]).diagnostics]


# ----------------------------------------------------------------------------- the kind

def test_read_family_rules_are_off_by_default_and_well_formed():
    assert [r.meta.code for r in READ] == ["READ001", "READ002", "READ003", "READ004", "READ005"]
    for r in READ:
        assert r.meta.kind == "metric" and r.meta.category == "readability"
        assert not r.meta.default_enabled
        assert r.meta.severity in (r.meta.severity.INFO, r.meta.severity.WARNING)


@pytest.mark.parametrize("options,needle", [
    ("metric: beauty\nabove: 3", "unknown metric 'beauty'"),
    ("metric: words\nunit: chapter\nabove: 3", "unit must be one of sentence, paragraph, document"),
    ("metric: words", "needs 'above' or 'below'"),
    ("metric: words\nabove: many", "'above' must be of type int or float"),
    ("above: 3", "missing required key 'metric'"),
])
def test_bad_options_are_pack_errors(tmp_path, options, needle):
    with pytest.raises(PackError, match=needle):
        _rule(tmp_path, options)


def test_sentence_unit_reports_the_sentence(tmp_path):
    rule = _rule(tmp_path, "metric: words\nunit: sentence\nabove: 5")
    text = "Short one here. This sentence has rather more than five words in it. Tiny.\n"
    assert _hits(rule, text) == [("This sentence has rather more than five words in it.",
                                  "words 10 (threshold 5, 10 words, per sentence)")]


def test_paragraph_unit_reports_the_block_and_below_threshold(tmp_path):
    rule = _rule(tmp_path, "metric: flesch_reading_ease\nunit: paragraph\nbelow: 30\nmin_words: 5")
    hard = ("Implementation necessitates comprehensive institutional coordination and considerable "
            "administrative reorganisation.")
    text = f"The cat sat on the mat and was happy all day.\n\n{hard}\n\nIt rains.\n"
    (hit,) = _hits(rule, text)
    assert hit[0] == hard
    assert hit[1].startswith("Flesch reading ease -") and "per paragraph" in hit[1]


def test_min_words_skips_short_units(tmp_path):
    rule = _rule(tmp_path, "metric: flesch_reading_ease\nunit: paragraph\nbelow: 30\nmin_words: 20")
    assert _hits(rule, "Implementation necessitates comprehensive institutional coordination.\n") == []


def test_document_unit_spans_first_to_last_measured_block(tmp_path):
    rule = _rule(tmp_path, "metric: words\nunit: document\nabove: 30\nzones: [body]")
    first = "The first paragraph has quite a few words in it, enough to count as a full paragraph."
    second = "The second one has more words too, and it is long enough not to be taken for the tail."
    text = f"Headline without a period\n\n{first}\n\n{second}\n"
    (hit,) = _hits(rule, text)
    assert hit[0] == f"{first}\n\n{second}"  # the headline is not in the body zone
    assert "words 36" in hit[1] and "per document" in hit[1]


def test_metrics_ignore_markup_code_and_urls(tmp_path):
    rule = _rule(tmp_path, "metric: words\nunit: sentence\nabove: 6")
    md = ("Read [the report](https://example.com/a/b/c/d/e/f/g/h) and run `pip install a b c d e f` "
          "now.\n\nSee https://example.com/one/two/three/four/five/six here.\n")
    assert _hits(rule, md, "x.md") == []
    assert clean("Read the report and run \ufffc now.") == "Read the report and run now."


def test_prose_closes_headings_so_they_are_their_own_sentence():
    ts_text = prose(["The big headline", "First sentence here.", "", "\ufffc"])
    assert ts_text == "The big headline.\nFirst sentence here."
    assert measure("sentences", ts_text) == 2


def test_every_metric_name_computes():
    text = "The storm reached the coast after midnight. Power lines came down across three districts."
    for name in METRICS:
        assert isinstance(measure(name, text), (int, float)), name
    assert measure("words", "") is None


def test_syllables_come_from_the_shipped_dictionary_without_nltk():
    code = ("import sys; from lint.readability import textstat, measure; "
            "print(measure('avg_syllables_per_word', 'beautiful reading'), 'nltk' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    value, nltk = out.stdout.split()
    assert float(value) == 2.5  # beau-ti-ful (3) + read-ing (2): CMU dictionary counts
    assert nltk == "False"


def test_textstat_is_imported_only_when_a_metric_rule_runs(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(LONG + "\n", encoding="utf-8")
    # one fresh process: a run without a metric rule, then one with them (a module once
    # imported stays, so the order matters)
    # (with the rule cache this process's tests share, not --no-cache: a child builds no rules;
    # the result store goes to tmp_path)
    code = ("import sys; from click.testing import CliRunner; from lint.cli import main; "
            "run = lambda *a: CliRunner().invoke(main, ['check', '--jobs', '1', *a]); "
            f"r = run({str(p)!r}); print(r.exit_code, 'textstat' in sys.modules); "
            f"r = run('--select', 'READ', {str(p)!r}); print(r.exit_code, 'textstat' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert out.stdout.split() == ["0", "False", "1", "True"], out.stderr


# ----------------------------------------------------------------------------- the READ family

@pytest.fixture
def long_article(tmp_path):
    p = tmp_path / "story.md"
    p.write_text(f"# Talks end\n\nThe talks ended early. {LONG} Reporters left.\n", encoding="utf-8")
    return p


def _codes(out):
    return [d["code"] for f in json.loads(out)["files"] for d in f["diagnostics"]]


def test_read_is_off_by_default(long_article):
    code, out, _ = run("check", "--no-cache", "--format", "json", long_article)
    assert code == 0 and _codes(out) == []


def test_select_read_turns_it_on(long_article):
    code, out, _ = run("check", "--no-cache", "--format", "json", "--select", "READ", long_article)
    assert code == 1
    report = json.loads(out)
    (d,) = report["files"][0]["diagnostics"]
    assert d["code"] == "READ001" and d["category"] == "readability" and d["severity"] == "warning"
    source = long_article.read_text(encoding="utf-8")
    assert source[d["start"]["offset"]:d["end"]["offset"]] == LONG
    assert d["message"] == "Sentence of 46 words (more than 45): split it"


def test_configuration_turns_it_on_and_changes_severity(tmp_path, long_article):
    cfg = tmp_path / "copydesk.toml"
    cfg.write_text('extend-select = ["READ"]\n[severity]\nREAD001 = "info"\n', encoding="utf-8")
    code, out, _ = run("check", "--no-cache", "--format", "json", long_article)
    assert code == 0  # info is below the default --fail-on warning
    assert _codes(out) == ["READ001"]
    assert json.loads(out)["files"][0]["diagnostics"][0]["severity"] == "info"


def test_category_alone_does_not_turn_on_off_by_default_rules(long_article):
    code, out, _ = run("check", "--no-cache", "--format", "json", "--extend-select", "readability", long_article)
    assert _codes(out) == []


def test_suppression_comment_silences_a_read_finding(tmp_path):
    p = tmp_path / "s.md"
    p.write_text(f"Intro.\n\n<!-- copydesk-disable-next-line READ001 -->\n{LONG}\n", encoding="utf-8")
    code, out, _ = run("check", "--no-cache", "--format", "json", "--select", "READ", p)
    assert _codes(out) == []


def test_read_rules_find_nothing_on_the_fixtures():
    code, out, _ = run("check", "--no-cache", "--format", "json", "--select", "READ", FIXTURES)
    assert code == 0, _codes(out)
    assert _codes(out) == []


def test_read_rules_on_a_hard_article(tmp_path):
    rule = next(r for r in READ if r.meta.code == "READ003")
    text = rule.meta.fail[0].text
    p = tmp_path / "hard.txt"
    p.write_text(text + "\n", encoding="utf-8")
    code, out, _ = run("check", "--no-cache", "--format", "json", "--select", "READ", p)
    codes = _codes(out)
    assert {"READ002", "READ003", "READ004"} <= set(codes)
