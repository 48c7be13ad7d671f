"""End-to-end fixtures: whole sample articles linted with every default-enabled rule.

Each article ``fixtures/NAME.EXT`` (.txt, .md, .html) has ``fixtures/NAME.EXT.expected.json``:
a list of ``{"code", "line", "text"}`` objects, sorted by line then code, naming the findings
the article was written to contain (``text`` is the exact flagged source slice). The
``clean-traps`` articles are professional prose full of look-alikes and must expect nothing.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from lint.packs import load_rules
from lint.runner import lint_source

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SUFFIXES = (".txt", ".md", ".html")
ARTICLES = sorted(p for p in FIXTURES.iterdir() if p.is_file() and p.suffix in SUFFIXES) \
    if FIXTURES.is_dir() else []
RULES = [r for r in load_rules().rules if r.meta.default_enabled]


def _expected_path(article: Path) -> Path:
    return article.with_name(article.name + ".expected.json")


def _key(f: dict) -> tuple:
    return (f["line"], f["code"], f["text"])


def _load_expected(article: Path) -> list[dict]:
    return json.loads(_expected_path(article).read_text(encoding="utf-8"))


def _findings(article: Path) -> list[dict]:
    source = article.read_text(encoding="utf-8")
    res = lint_source(source, article.name, RULES)
    assert res.error is None, res.error
    out = [{"code": d.code, "line": res.document.lines.position(d.start)[0], "text": source[d.start:d.end]}
           for d in res.diagnostics]
    return sorted(out, key=_key)


def test_there_are_fixture_articles():
    assert ARTICLES, f"no articles in {FIXTURES}"
    assert {p.suffix for p in ARTICLES} == set(SUFFIXES), "every supported format needs a fixture"


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.name)
def test_every_fixture_has_a_well_formed_expected_file(article):
    path = _expected_path(article)
    assert path.is_file(), f"{article.name}: missing {path.name}"
    expected = _load_expected(article)
    assert isinstance(expected, list)
    lines = article.read_text(encoding="utf-8").split("\n")
    for f in expected:
        assert set(f) == {"code", "line", "text"}, f
        assert isinstance(f["line"], int) and 1 <= f["line"] <= len(lines), f
        # a finding starts on its line (multi-line spans run on from there)
        assert f["text"].split("\n")[0] in lines[f["line"] - 1], f
    assert [(f["line"], f["code"]) for f in expected] == sorted((f["line"], f["code"]) for f in expected), \
        f"{path.name}: not sorted by line then code"


@pytest.mark.parametrize("name", ["clean-traps.md", "clean-traps.txt"])
def test_clean_traps_expect_nothing(name):
    article = FIXTURES / name
    assert article.is_file(), f"missing fixture {name}"
    assert _load_expected(article) == []


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.name)
def test_fixture_findings_match_expected(article):
    if not _expected_path(article).is_file():
        pytest.fail(f"{article.name}: no expected file")
    expected = sorted(_load_expected(article), key=_key)
    actual = _findings(article)
    missing = [f for f in expected if f not in actual]
    unexpected = [f for f in actual if f not in expected]
    assert actual == expected, (
        f"{article.name}:\n  missing (planted but not reported): {missing}\n"
        f"  unexpected (reported but not planted): {unexpected}"
    )
