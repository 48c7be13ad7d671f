"""Meta-tests over the shipped rule packs, and the errors a malformed rule file gives."""
from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lint.packs import PackError, builtin_pack_dir, load_rule, load_rules, rule_files

PACK = builtin_pack_dir()
RULES = load_rules().rules


def test_codes_and_names_are_unique():
    codes = [r.meta.code for r in RULES] + [a for r in RULES for a in r.meta.aliases]
    names = [r.meta.name for r in RULES]
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.meta.code)
def test_rule_file_is_named_after_its_code_and_name_in_its_family_folder(rule):
    path = Path(rule.meta.path)
    assert path.name == f"{rule.meta.code}-{rule.meta.name}.yaml"
    assert path.parent.name == rule.meta.family.lower()


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.meta.code)
def test_rule_docs_fields(rule):
    m = rule.meta
    assert len(m.why.split()) >= 15, "why: explain the artifact in a few sentences"
    assert m.since
    assert m.fail and m.passes
    if m.fix_applicability is not None:
        assert m.fix_safety, "a fix says why it is or is not safe"
    if m.fixes:
        assert m.fix_applicability is not None


DATA_FILES = sorted(p for p in PACK.rglob("data/*.txt") if p.name != "inflections.txt")


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_data_lists_sorted_and_unique(path):
    entries = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()
               if ln.strip() and not ln.startswith("#")]
    assert entries, "empty data list"
    folded = [e.casefold() for e in entries]
    assert folded == sorted(folded), "keep data lists sorted (case-insensitively)"
    dupes = {e for e in folded if folded.count(e) > 1}
    assert not dupes, f"duplicates: {sorted(dupes)}"


@pytest.mark.skipif(importlib.util.find_spec("lemminflect") is None, reason="lemminflect not installed")
def test_generated_inflections_are_current():
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, str(root / "tools" / "build_inflections.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _write(tmp_path, text):
    p = tmp_path / "X001-bad.yaml"
    p.write_text(text, encoding="utf-8")
    return p


GOOD = """code: SEG901
name: test-rule
kind: pattern
category: punctuation
severity: error
summary: "found {match}"
why: because
patterns: ['x+']
examples:
  fail: ["a ⟦xx⟧ b"]
  pass: ["a b"]
"""


def test_good_rule_loads(tmp_path):
    rule = load_rule(_write(tmp_path, GOOD))
    assert rule.meta.code == "SEG901"


@pytest.mark.parametrize("change,line,needle", [
    (("severity: error", "severity: fatal"), 5, "severity"),
    (("kind: pattern", "kind: nonsense"), 3, "kind"),
    (("why: because", "why: because\ncolour: red"), 8, "colour: unknown key"),
    (("code: SEG901", "code: seg-1"), 1, "code"),
    (("name: test-rule", "name: Test_Rule"), 2, "name"),
    (("category: punctuation", "category: vibes"), 4, "category"),
    (("patterns: ['x+']", "patterns: ['x+(']"), None, "bad regular expression"),
    (("why: because", "why: because\ndemote_after: 0"), 8, "demote_after"),
    (("why: because", "why: because\ndemote_after: two"), 8, "demote_after"),
    (('  fail: ["a ⟦xx⟧ b"]', '  fail: ["a xx b"]'), 10, "without a ⟦marked⟧ span"),
    (("summary: \"found {match}\"", "summary: \"found {match}\n  oops: ["), None, "invalid YAML"),
    # 'scope' was validated and never read: removed, with a message saying so
    (("why: because", "why: because\nscope: block"), 8, "'scope' is no longer a rule key"),
    (('  pass: ["a b"]', '  pass: ["a b"]\n  fix:\n    - {in: "a xx", out: "a ", colour: red}'), 13,
     "colour: unknown key in a fix example"),
    (('  pass: ["a b"]', '  pass: ["a b"]\n  fix:\n    - {in: "a xx", out: "a ", applicability: safe}'), 13,
     "applicability can only be 'unsafe'"),
])
def test_malformed_rule_file_errors_name_file_line_and_key(tmp_path, change, line, needle):
    path = _write(tmp_path, GOOD.replace(*change))
    with pytest.raises(PackError) as info:
        load_rule(path)
    msg = str(info.value)
    assert msg.startswith(str(path))
    assert needle in msg
    if line:
        assert msg.startswith(f"{path}:{line}:")
    assert "\n" not in msg


def test_missing_required_key(tmp_path):
    path = _write(tmp_path, GOOD.replace("why: because\n", ""))
    with pytest.raises(PackError, match=r"missing required key 'why'"):
        load_rule(path)


def test_rule_files_skip_data_folders():
    assert all("data" not in p.parts[-2:-1] for p in rule_files(PACK))
