"""Issue 16, rule patterns: a user's rule pack cannot hang a run.

1. At load, every pattern a user's rule compiles is read (lint.regex.check_backtracking):
   a repeated part whose repetitions can split one text in more than one way (a nested
   quantifier such as ``(a+)+``, a repeated group that can match empty text, overlapping
   alternatives under a repeat) is refused, on one line naming the rule, its file and the part.
2. At run time, a user's rule runs with a time limit per document (lint.packs.TimeLimited): a
   rule still too slow becomes that file's one-line error naming the rule and its file.

Every built-in pattern passes the check, or is in REVIEWED with the reason it is safe."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lint import packs, regex
from lint.regex import UnsafeRegex, check_backtracking

from helpers import pattern_rule_yaml, run

HANG = 120  # seconds: a run of one small file that reaches this hung


@pytest.fixture(scope="module", autouse=True)
def _each_pattern_analysed_once():
    """lint.regex.check_backtracking is a function of (pattern, flags) alone, and analysing
    every built-in pattern takes seconds: two tests here do it (one directly, one through a
    user-pack load, which calls it through lint.regex). In this module it keeps its answers,
    so that whichever runs second reads them (the first asks the real analysis)."""
    real = regex.check_backtracking
    answers: dict = {}

    def analysed(pattern, flags=0):
        key = (pattern, flags)
        if key not in answers:
            try:
                real(pattern, flags)
                answers[key] = None
            except UnsafeRegex as exc:
                answers[key] = exc
        if answers[key] is not None:
            raise answers[key]

    regex.check_backtracking = analysed
    try:
        yield
    finally:
        regex.check_backtracking = real


EXPONENTIAL = [
    r"(a+)+$", r"(a+)+?$", r"(a*)*b", r"(\w+\s?)+$", r"(?:.*,)+x", r"(\d{1,3})+!", r"(a|ab)*c",
    r"(a|a)+$", r"(?:a\w+)+!", r"(?:\w+a)+!", r"(?:a\w+a)+!", r"x(?:(?:a+)+)y", r"((a+)b?)+$",
    r"(?:a?a)+$", r"(.+)+$", r"([^,]+,?)+$", r"(?:\s*\w+\s*)+$", r"(?i:(?:A+a)+)$", r"(a+){2,20}$",
    r"(?=(a+)+$)", r"(?:(?:x|a+)+)y",
]
SAFE = [
    r"(?:\s+\w+)*", r"(?:,\d{3})+", r"[^\W\d_]+(?:['’-]\w+)*", r"(?:ab|ac)+", r"(?:\w+\s+){0,3}",
    r"(?>a+)+", r"(?:a++)+", r"a+b+", r"\w+\w+", r"(?:\S+\s+){1,5}", r"(?:a|b)+", r"(?:ab)+",
    r"(\w|\d)+",  # one character class once compiled: nothing to backtrack into
    r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\w,])", r"\b(?:Mr|Mrs|Dr)\.?\s", r"a{2,5}",
]


@pytest.mark.parametrize("pattern", EXPONENTIAL)
def test_exponential_patterns_are_refused(pattern):
    with pytest.raises(UnsafeRegex) as info:
        check_backtracking(pattern)
    message = str(info.value)
    assert "\n" not in message and "backtrack exponentially" in message
    # the offending part is named, and it is part of the pattern as the parser reads it
    assert info.value.part and re_compiles(info.value.part)


def re_compiles(text: str) -> bool:
    import re

    re.compile(text)
    return True


@pytest.mark.parametrize("pattern", SAFE)
def test_patterns_that_cannot_split_a_text_two_ways_pass(pattern):
    check_backtracking(pattern)


def test_the_issue_example_is_refused_naming_the_part():
    with pytest.raises(UnsafeRegex) as info:
        check_backtracking(r"(a+)+$")
    assert info.value.part == "(a+)+"


# -- the built-in patterns ----------------------------------------------------------------------

#: built-in rules with patterns the check refuses, each reviewed and measured: why it cannot
#: backtrack exponentially (lint.packs.REVIEWED_BUILTINS). The rest of what the check refuses is
#: lint.packs.SLOW_BUILTINS (measured: minutes), run with the time limit. Both lists must stay
#: equal to what the check refuses (so they only shrink as patterns are rewritten).
REVIEWED = packs.REVIEWED_BUILTINS


def test_every_builtin_pattern_passes_or_is_reviewed_or_is_time_limited():
    from lint.document import markdown  # noqa: F401 - the parsers' own patterns (regex.static)

    refused: dict[str, list[str]] = {}
    by_pattern = {}
    regex.SEEN = []
    try:
        for path in packs.rule_files(packs.builtin_pack_dir()):
            start = len(regex.SEEN)
            rule = packs.load_rule(path)
            for pattern, flags in regex.SEEN[start:]:
                by_pattern.setdefault((pattern, flags), rule.meta.code)
            assert isinstance(rule.impl, packs.TimeLimited) == (rule.meta.code in packs.SLOW_BUILTINS)
    finally:
        regex.SEEN = None
    assert len(by_pattern) > 100
    for (pattern, flags), code in by_pattern.items():
        try:
            regex.check_backtracking(pattern, flags)  # (the module's shared answers)
        except UnsafeRegex as exc:
            refused.setdefault(code, []).append(str(exc))
    assert not set(REVIEWED) & set(packs.SLOW_BUILTINS)
    assert set(refused) == set(REVIEWED) | set(packs.SLOW_BUILTINS), (
        "refused, not listed:", set(refused) - set(REVIEWED) - set(packs.SLOW_BUILTINS),
        "listed, not refused (take them off the list):", set(REVIEWED) | set(packs.SLOW_BUILTINS) - set(refused))
    refused_static = []
    for key in list(regex._STATIC):  # the Markdown parser's own patterns
        try:
            check_backtracking(*key)
        except UnsafeRegex:
            refused_static.append(key[0])
    for pattern in refused_static:
        assert any(k in pattern for k in REVIEWED_STATIC), pattern
    for k in REVIEWED_STATIC:
        assert any(k in pattern for pattern, _ in regex._STATIC), ("stale entry: no such pattern", k)
        assert any(k in pattern for pattern in refused_static), ("reviewed, not refused", k)


#: the Markdown parser's patterns the check refuses (by a piece of their text), reviewed and
#: measured (tests/test_hostile_markdown.py has crafted lines for them)
#: (empty since the markdown-it-py parser: the hand-written parser's HTML-attribute and e-mail
#: autolink patterns were the two entries)
REVIEWED_STATIC: dict[str, str] = {}


#: lines that made CAP004, UI011, UI015 and UI019 backtrack for minutes before their patterns
#: were rewritten (possessive repeats, atomic groups), and longer relatives of them
CRAFTED = {
    "cap004-amp": "Photo: " + "A&" * 3000 + "a!",
    "cap004-names": "Photo: " + "Ana de " * 2000 + "!",
    "cap004-slashes": "A/" * 2000 + "x!",
    "cap004-wire": "AP" + "/agencies" * 2000 + "x",
    "ui015-word": "Read more about " + "x" * 30000 + " a b c d e",
    "ui019-glued": "Links: " + "http://abc" * 3000 + ' "',
    "ui019-labels": "http://abc" + "Foo :" * 2000 + "x",
    "ui011-digits": "Updated: " + "1" * 5000 + "x",
    "ui011-words": "Updated " + "sat" * 2000 + "!",
    "ui011-ordinals": "Updated " + "1st" * 2000 + "!",
}


def test_crafted_lines_that_hung_the_rewritten_builtin_rules_lint_at_once(tmp_path, warm_rule_cache):
    assert packs.SLOW_BUILTINS == {}, "no built-in rule needs the time limit"
    # the child loads the built-in rule set from a copy of the warm rule cache (building it is
    # not what this test is about: ~0.2 s of the child's time); the lines are linted all the
    # same (a fresh result store: nothing stored yet)
    shutil.copytree(warm_rule_cache, tmp_path / "rule-cache")
    for name, line in CRAFTED.items():
        (tmp_path / f"{name}.txt").write_text(line + "\n", encoding="utf-8")
    (tmp_path / "real.txt").write_text("Photo: Ana Ruiz, AP\n\nThe plant opened in 2015, and production has "
                                       "doubled since then, the company said.\n", encoding="utf-8")
    started = time.monotonic()
    code, out, err = _run(tmp_path, "--select", "CAP004,UI011,UI015,UI019", "--format", "json", "--jobs", "1", ".",
                          no_cache=False)
    took = time.monotonic() - started
    assert "Traceback" not in err and code == 1, (code, err)
    found = {Path(f["path"]).stem: [d["code"] for d in f["diagnostics"]] for f in json.loads(out)["files"]}
    assert found.pop("real") == ["CAP004"]  # the rewritten pattern still finds a credit line
    assert found == {name: [] for name in CRAFTED}
    assert took < 30, f"{took:.1f} s"  # seconds (mostly start-up); each line took minutes before


# -- user packs ---------------------------------------------------------------------------------

def _house_rule(pattern: str, fail: str = "⟦aaa⟧b", extra: str = "") -> str:
    return pattern_rule_yaml(pattern, fail, extra, code="HOUSE001", name="house-rule")


def _pack(tmp_path, pattern, fail="⟦aaa⟧b"):
    pack = tmp_path / "house" / "x"
    pack.mkdir(parents=True)
    rule = pack / "HOUSE001-house-rule.yaml"
    rule.write_text(_house_rule(pattern, fail), encoding="utf-8")
    (tmp_path / "copydesk.toml").write_text('packs = ["house"]\n', encoding="utf-8")
    article = tmp_path / "story.txt"
    article.write_text("The harbour reopened. " + "a" * 4000 + "b and more.\n", encoding="utf-8")
    return rule, article


def _run(tmp_path, *args, env=None, no_cache=True):
    """``check ARGS`` in a child process (a hang is a timeout, not a stuck test run), with
    ``--no-cache`` (no result store, and the rule set built, not loaded) unless ``no_cache``
    is False (then the rule cache is ``tmp_path/rule-cache``)."""
    e = dict(os.environ, COPYDESK_CACHE_DIR=str(tmp_path / "rule-cache"), **(env or {}))
    p = subprocess.run([sys.executable, "-m", "lint", "check", *(["--no-cache"] if no_cache else []), *args],
                       cwd=tmp_path, env=e, capture_output=True, text=True, timeout=HANG)
    return p.returncode, p.stdout, p.stderr


def test_a_user_rule_that_backtracks_exponentially_is_refused_at_load(tmp_path, monkeypatch):
    rule, article = _pack(tmp_path, r"(a+)+$", fail="⟦aaa⟧")
    # in this process (a child built the whole built-in rule set first, ~0.4 s): an exception
    # would propagate here, and were the check to let the rule through, its run on the article
    # would still end, stopped by the user rules' time limit (lint.packs.RULE_TIME_LIMIT)
    monkeypatch.chdir(tmp_path)
    code, out, err = run("check", "--no-cache", str(article))
    assert code == 2 and "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert str(rule) in lines[0] and "HOUSE001" in lines[0] and "'(a+)+'" in lines[0], lines[0]


def test_the_check_applies_to_every_pattern_option_of_a_user_rule(tmp_path):
    for key, value in [("exceptions", r"(x+)+y"), ("prefilter", r"(x|xy)*z")]:
        path = tmp_path / f"{key}.yaml"
        option = f"{key}: {value!r}\n" if key == "prefilter" else f"{key}: ['{value}']\n"
        path.write_text(_house_rule("aaa", extra=option), encoding="utf-8")
        with pytest.raises(packs.PackError, match="HOUSE001 refused"):
            packs.load_rule(path, user=True)
        packs.load_rule(path)  # the built-in pack is not checked at load (a test reviews it)


#: the time limit of the slow-rule runs (seconds): the slow rule spins on the long article until
#: it (CPU time of the child or a pool worker, so kept short: 0.5 s cost twice this), and it is
#: still far above what the rule takes on a short file (microseconds)
LIMIT = "0.25"
#: polynomial, not exponential: passes the check, and still takes minutes on a long word
SLOW = r"a*a*a*a*a*a*a*a*c"


@pytest.fixture(scope="module")
def slow_project(tmp_path_factory):
    """A project whose pack holds the slow rule (HOUSE001: SLOW), its long article story.txt,
    other.txt and ok0..ok9.txt (one SEG001 each), and a rule cache (``rule-cache``, the
    children's COPYDESK_CACHE_DIR) holding the rule set of the built-in pack and the house
    pack. The set is built here, once, in this process (its patterns checked, its rules time
    limited: lint.packs._build; ~0.1 s), and loaded by the children of the tests, as a user's
    later runs load it, where each child built it (~0.3 s each). (That a time-limited rule
    survives the cache is also tested on its own below.) The tests only read the folder."""
    root = tmp_path_factory.mktemp("slow-project")
    rule, article = _pack(root, SLOW, fail="⟦aac⟧")
    for name in ["other"] + [f"ok{i}" for i in range(10)]:
        (root / f"{name}.txt").write_text("The harbour reopened. .\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COPYDESK_CACHE_DIR", str(root / "rule-cache"))
        rs = packs.load_rules([root / "house"], cache=True)
    assert any(isinstance(r.impl, packs.TimeLimited) for r in rs.rules)
    assert len(list((root / "rule-cache").glob("rules-*"))) == 1
    return root, rule, article


def _run_slow(root, *args):
    """``check ARGS`` in a child in the slow project, with the rule set from its rule cache (not
    --no-cache) and no result store left by the other test."""
    shutil.rmtree(root / ".copydesk_cache", ignore_errors=True)
    return _run(root, *args, env={"COPYDESK_RULE_TIME_LIMIT": LIMIT}, no_cache=False)


def test_a_slow_user_rule_is_stopped_and_named_on_one_line(slow_project):
    check_backtracking(SLOW)
    root, rule, article = slow_project
    code, out, err = _run_slow(root, str(article), str(root / "other.txt"))
    assert code == 2 and "Traceback" not in out + err
    errors = [ln for ln in out.splitlines() if "story.txt" in ln]
    assert len(errors) == 1 and "HOUSE001" in errors[0] and str(rule) in errors[0], out
    assert f"more than {LIMIT} s" in errors[0]
    assert "SEG001" in out  # the other file was linted


def test_a_slow_user_rule_is_stopped_in_pool_workers_too(slow_project):
    root, rule, article = slow_project
    code, out, err = _run_slow(root, "-j", "2", ".")
    assert code == 2 and "Traceback" not in out + err
    errors = [ln for ln in out.splitlines() if "story.txt" in ln and "HOUSE001" in ln]
    assert len(errors) == 1 and str(rule) in errors[0], out
    assert out.count("SEG001") >= 10  # other.txt and ok0..ok9.txt were linted


def test_the_time_limit_restores_the_signal_handler_and_a_fast_rule_is_unchanged(tmp_path):
    import signal

    rule, _ = _pack(tmp_path, "aaa", fail="⟦aaa⟧b")
    loaded = packs.load_rule(rule, user=True)
    assert isinstance(loaded.impl, packs.TimeLimited)
    plain = packs.load_rule(rule)
    from lint.document import parse

    doc = parse("x aaab y aaa", "t.txt")
    before = signal.getsignal(signal.SIGALRM)
    got = [(h.start, h.end) for h in loaded.impl.check(doc, doc.blocks)]
    assert got == [(h.start, h.end) for h in plain.impl.check(doc, doc.blocks)] and got
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert loaded.impl.requires == plain.impl.requires  # the rule's own attributes


def test_a_time_limited_rule_survives_the_rule_cache(tmp_path, monkeypatch):
    import pickle

    rule, _ = _pack(tmp_path, "aaa", fail="⟦aaa⟧b")
    loaded = packs.load_rule(rule, user=True)
    again = pickle.loads(pickle.dumps(loaded))
    assert isinstance(again.impl, packs.TimeLimited) and again.impl.requires == loaded.impl.requires


def test_the_time_limit_setting():
    env = os.environ.copy()
    try:
        os.environ["COPYDESK_RULE_TIME_LIMIT"] = "0.25"
        assert packs.time_limit() == 0.25
        os.environ["COPYDESK_RULE_TIME_LIMIT"] = "nonsense"
        assert packs.time_limit() == packs.RULE_TIME_LIMIT
        os.environ["COPYDESK_RULE_TIME_LIMIT"] = "0"
        assert packs.time_limit() == 0
    finally:
        os.environ.clear()
        os.environ.update(env)


def test_a_copy_of_the_builtin_pack_loads_as_a_user_pack(tmp_path):
    """Its rules that the check refuses are the reviewed or slow built-in ones: built, and time
    limited like every rule of a user's pack."""
    import shutil

    pack = tmp_path / "pack"
    shutil.copytree(packs.builtin_pack_dir(), pack)
    rs = packs.load_rules([pack], include_builtin=False)
    assert rs.rules and all(isinstance(r.impl, packs.TimeLimited) for r in rs.rules)
