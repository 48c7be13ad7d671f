"""The per-user rule set cache (lint.rulecache): a hit gives the same rules and findings, and
nothing about the cache (corrupt, stale, unwritable) can break or change a run."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from lint import packs, regex, rulecache
from lint.cli import main
from lint.packs import builtin_pack_dir, load_rules
from lint.runner import lint_source

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ARTICLES = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".txt", ".md", ".html"))


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    d = tmp_path / "rule-cache"
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(d))
    return d


@pytest.fixture
def warm_cache_dir(cache_dir, warm_rule_cache):
    """cache_dir holding the built-in rule set's cache file already (conftest's warm_rule_cache:
    built and stored once per process), for tests of what happens after the first build."""
    shutil.copytree(warm_rule_cache, cache_dir)
    return cache_dir


def _no_build(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("the rule set was built, not loaded from the cache")

    monkeypatch.setattr(packs, "_build", fail)


def _findings(rules):
    out = []
    for path in ARTICLES:
        result = lint_source(path.read_text(encoding="utf-8"), str(path), rules)
        out.append([(d.code, d.start, d.end, d.message, d.fix) for d in result.diagnostics])
    return out


def _patterns(ruleset):
    found = []

    def walk(value):
        if isinstance(value, re.Pattern):
            found.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, (list, tuple, set)):
            for v in value:
                walk(v)

    for rule in ruleset.rules:
        walk(list(vars(rule.impl).values()))
    return found


def test_cache_dir_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path / "explicit"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert rulecache.cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("COPYDESK_CACHE_DIR")
    assert rulecache.cache_dir() == tmp_path / "xdg" / "copydesk"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert rulecache.cache_dir() == tmp_path / "home" / ".cache" / "copydesk"


def test_a_hit_gives_the_same_rules_and_findings(warm_cache_dir, monkeypatch):
    built = load_rules()  # no cache: the reference
    files = list(warm_cache_dir.glob("rules-*.pickle"))  # built and stored by a first load
    assert len(files) == 1
    _no_build(monkeypatch)
    hit = load_rules(cache=True)
    assert [r.meta.code for r in hit.rules] == [r.meta.code for r in built.rules]
    assert [r.meta for r in hit.rules] == [r.meta for r in built.rules]
    assert hit.fingerprint == built.fingerprint
    assert _findings(hit.rules) == _findings(built.rules)
    if regex.stored():
        stored = _patterns(hit)
        assert len(stored) > 100
        for p in stored:  # rebuilt without the compiler, yet identical (flags, groups, opcodes)
            # (the flags as a rule passes them, without the implied re.UNICODE: the compiler's
            # output for them is kept per process (lint.regex._stored.args), so that this test
            # does not compile the whole rule set a second time; the result is the same)
            assert p == regex._stored.build(p.pattern, p.flags & ~re.UNICODE if isinstance(p.pattern, str)
                                            else p.flags), p.pattern


def test_the_cli_output_is_the_same_on_a_hit(cache_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = ["check", "--format", "json", str(FIXTURES)]
    reference = CliRunner().invoke(main, [*args, "--no-cache"]).stdout
    assert not cache_dir.exists()  # --no-cache: the rule cache is neither read nor written
    miss = CliRunner().invoke(main, args).stdout
    assert list(cache_dir.glob("rules-*.pickle"))
    shutil.rmtree(tmp_path / ".copydesk_cache")
    _no_build(monkeypatch)
    hit = CliRunner().invoke(main, args).stdout
    assert json.loads(reference)["summary"]["diagnostics"] > 0
    assert reference == miss == hit


def test_a_corrupt_cache_file_is_ignored_and_replaced(warm_cache_dir):
    reference = [r.meta for r in load_rules().rules]
    (path,) = warm_cache_dir.glob("rules-*.pickle")
    good = path.read_bytes()
    folders, fingerprint = [builtin_pack_dir()], packs.fingerprint([builtin_pack_dir()])[0]
    assert rulecache.load(folders, fingerprint) is not None
    for junk in (b"", b"not a pickle"):
        path.write_bytes(junk)
        assert rulecache.load(folders, fingerprint) is None, junk  # ignored ...
    assert [r.meta for r in load_rules(cache=True).rules] == reference  # ... rebuilt and stored again
    assert path.stat().st_size > 1000 and rulecache.load(folders, fingerprint) is not None
    # a file cut short: its rules (read when needed) are built again
    path.write_bytes(good[: len(good) // 2])
    assert [r.meta for r in load_rules(cache=True).rules] == reference
    assert path.stat().st_size > 1000


def test_a_stored_pattern_that_does_not_rebuild_is_not_used(warm_cache_dir, monkeypatch):
    reference = [r.meta for r in load_rules().rules]

    def broken(*args):
        raise regex.StaleRegex("simulated")

    monkeypatch.setattr(regex._stored, "rebuild", broken)
    assert [r.meta for r in load_rules(cache=True).rules] == reference


def _copy_pack(tmp_path, family: str, rule: str) -> Path:
    """A user pack holding one built-in rule (``rule``: its code) of ``family``, with the family's
    data lists: building and storing a user pack (every pattern checked for backtracking) costs
    in the rules built, and what the tests edit is that one rule's file or list."""
    pack = tmp_path / "pack"
    top = builtin_pack_dir()
    shutil.copytree(top / family / "data", pack / family / "data")
    (source,) = (top / family).glob(f"{rule}-*.yaml")
    shutil.copy2(source, pack / family / source.name)
    return pack


def test_an_edited_rule_file_invalidates_the_cache(cache_dir, tmp_path):
    pack = _copy_pack(tmp_path, "seg", "SEG001")
    before = load_rules([pack], include_builtin=False, cache=True).find("SEG001")
    assert load_rules([pack], include_builtin=False, cache=True).find("SEG001").meta == before.meta
    (rule,) = pack.glob("seg/SEG001-*.yaml")
    text = rule.read_text(encoding="utf-8")
    rule.write_text(re.sub(r"(?m)^severity: \w+", "severity: info", text), encoding="utf-8")
    after = load_rules([pack], include_builtin=False, cache=True).find("SEG001")
    assert str(after.meta.severity) == "info" != str(before.meta.severity)
    assert after.meta == load_rules([pack], include_builtin=False).find("SEG001").meta


def test_an_edited_data_list_invalidates_the_cache(cache_dir, tmp_path):
    pack = _copy_pack(tmp_path, "foot", "FOOT001")
    text = "Residents gathered in the square.\n\nZzqx qqzv\n"

    def codes():
        rs = load_rules([pack], include_builtin=False, cache=True)
        return {d.code for d in lint_source(text, "a.txt", rs.rules).diagnostics}

    assert codes() == set()
    lists = list(pack.glob("foot/data/footers.txt"))
    assert lists, "the scraper footer list moved: update this test"
    with lists[0].open("a", encoding="utf-8") as fh:
        fh.write("\nzzqx qqzv\n")
    assert codes() == {"FOOT001"}


def test_a_data_list_outside_the_pack_is_checked_too(cache_dir, tmp_path):
    pack = tmp_path / "pack" / "x"
    pack.mkdir(parents=True)
    words = tmp_path / "words.lst"  # outside the pack, and not .txt: not in the fingerprint
    words.write_text("zzqx widget\n", encoding="utf-8")
    (pack / "X001-outside-list.yaml").write_text(
        "code: X001\nname: outside-list\nkind: standalone\ncategory: ui-leftover\nseverity: warning\n"
        "summary: Leftover {match}\nwhy: Test.\nlists:\n  labels: ../../words.lst\n"
        "examples:\n  fail: ['⟦zzqx widget⟧']\n  pass: ['A sentence.']\n", encoding="utf-8")

    def hits(text):
        rs = load_rules([tmp_path / "pack"], include_builtin=False, cache=True)
        return [d.code for d in lint_source(text, "a.txt", rs.rules).diagnostics]

    assert hits("zzqx widget\n") == ["X001"]
    assert hits("zzqx gadget\n") == []
    words.write_text("zzqx gadget\n", encoding="utf-8")
    assert hits("zzqx gadget\n") == ["X001"]


def test_an_unwritable_cache_dir_still_works(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(blocker / "cache"))  # cannot be created
    reference = [r.meta for r in load_rules().rules]
    assert [r.meta for r in load_rules(cache=True).rules] == reference
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("Source link\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "a.txt"])
    assert result.exit_code == 1 and "FOOT" in result.stdout
    assert not list(tmp_path.glob("**/rules-*"))


def test_without_a_home_the_run_still_works(tmp_path, monkeypatch):
    monkeypatch.delenv("COPYDESK_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(rulecache, "cache_dir", lambda: None)
    assert load_rules(cache=True).rules


def test_clean_removes_the_rule_cache(warm_cache_dir, tmp_path, monkeypatch):
    cache_dir = warm_cache_dir
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("Source link\n", encoding="utf-8")
    (cache_dir / "unrelated.txt").write_text("kept", encoding="utf-8")
    CliRunner().invoke(main, ["check", "a.txt"])
    assert list(cache_dir.glob("rules-*.pickle"))
    out = CliRunner().invoke(main, ["clean"]).stdout
    assert "Removed the cached rule sets" in out
    assert not list(cache_dir.glob("rules-*")) and (cache_dir / "unrelated.txt").exists()


def test_the_parsers_static_patterns_come_back_compiled_from_the_cache(warm_cache_dir, monkeypatch):
    """The Markdown parser's module-level patterns are stored with the rule set and handed back
    on a hit (regex.static), equal to what re.compile makes; a pattern the store does not
    hold (an edited one) is compiled as usual."""
    from lint.document import markdown  # noqa: F401 - its patterns registered (lint.regex.static)

    monkeypatch.setattr(regex, "_PROVIDED", {})
    cached = load_rules(cache=True)
    assert regex._PROVIDED == {}  # the metadata first; the rules (and patterns) when asked for
    assert cached.rules
    provided = regex._PROVIDED
    registered = regex.statics()  # whatever the parsers compile at import through lint.regex.static
    assert set(registered) <= set(provided)
    for (pattern, flags), p in provided.items():
        assert p == (regex._stored.build(pattern, flags) if regex.stored() else re.compile(pattern, flags)), pattern  # as built fresh
    if registered:
        key = next(iter(registered))
        assert regex.static(*key) is provided[key]  # the stored one, not a fresh compile
    fresh = regex.static(r"#{1,7}(?=[ \t]|$)")  # an edited pattern: compiled here
    assert fresh.match("####### x") and fresh is not provided.get((fresh.pattern, 0))


def test_fast_exit_flushes_the_report_and_keeps_the_status(tmp_path, warm_cache_dir):
    """`python -m lint` (and the console script) leave with os._exit after flushing: the whole
    report arrives, piped, and the exit status is the command's."""
    import subprocess
    import sys

    article = tmp_path / "a.txt"
    article.write_text("Comments are closed.\n" * 300, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "lint", "check", "--format", "json", str(article)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)  # complete: it parses
    assert report["summary"]["diagnostics"] == len(report["files"][0]["diagnostics"]) >= 300
    bad = subprocess.run([sys.executable, "-m", "lint", "check", "--select", "NOPE999", str(article)],
                         capture_output=True, text=True, cwd=tmp_path)
    assert bad.returncode == 2 and "unknown rule selector: NOPE999" in bad.stderr
