"""``copydesk stats``: readability per file, as a table or JSON."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from lint.cli import main
from lint.document import parse
from lint.readability import document_stats

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ARTICLES = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".txt", ".md", ".html"))
KEYS = ["words", "sentences", "avg_sentence_length", "flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog"]


def run(*args, input=None):
    result = CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_table_on_the_fixtures():
    code, out, err = run("stats", FIXTURES)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["file", "words", "sentences", "words/sentence", "Flesch", "ease", "FK", "grade",
                                "Gunning", "fog"]
    assert len(lines) == 1 + len(ARTICLES)
    for line, article in zip(lines[1:], ARTICLES):
        cells = line.split()
        assert cells[0] == str(article)
        words, sentences = int(cells[1]), int(cells[2])
        assert words > 100 and sentences > 5
        assert float(cells[3]) == round(words / sentences, 1)
        assert 0 < float(cells[4]) < 100 and 0 < float(cells[5]) < 20 and 0 < float(cells[6]) < 20


def test_json_on_the_fixtures_matches_the_table():
    code, out, _ = run("stats", "--format", "json", FIXTURES)
    assert code == 0
    report = json.loads(out)
    assert report["version"] == 1
    assert [f["path"] for f in report["files"]] == [str(a) for a in ARTICLES]
    for f, article in zip(report["files"], ARTICLES):
        assert list(f) == ["path"] + KEYS
        doc = parse(article.read_text(encoding="utf-8"), str(article))
        assert {k: f[k] for k in KEYS} == document_stats(doc)
    _, table, _ = run("stats", "--format", "table", FIXTURES)
    first = table.splitlines()[1].split()
    assert int(first[1]) == report["files"][0]["words"] and float(first[4]) == report["files"][0]["flesch_reading_ease"]


def test_figures_are_taken_on_the_prose_only(tmp_path):
    prose = "The council met on Tuesday. It voted to close the old bridge.\n"
    md = tmp_path / "a.md"
    md.write_text("---\ndescription: Many words in the front matter here\n---\n\n"
                  "The council met on [Tuesday](https://example.com/a/very/long/path/with/words). It voted to "
                  "close the old bridge.\n\n```\ncode block with lots of words that do not count at all\n```\n",
                  encoding="utf-8")
    txt = tmp_path / "b.txt"
    txt.write_text(prose, encoding="utf-8")
    _, out, _ = run("stats", "--format", "json", md, txt)
    a, b = json.loads(out)["files"]
    assert {k: a[k] for k in KEYS} == {k: b[k] for k in KEYS}
    assert b["words"] == 12 and b["sentences"] == 2


def test_html_is_measured_on_its_body_text(tmp_path):
    p = tmp_path / "p.html"
    p.write_text("<html><head><title>T</title><script>var a = 'lots of words here';</script></head>"
                 "<body><p>The council met on Tuesday.</p><p>It voted to close the old bridge.</p></body></html>",
                 encoding="utf-8")
    _, out, _ = run("stats", "--format", "json", p)
    (f,) = json.loads(out)["files"]
    assert f["words"] == 12 and f["sentences"] == 2


def test_empty_article_has_no_formula_values(tmp_path):
    p = tmp_path / "empty.md"
    p.write_text("```\nonly code\n```\n", encoding="utf-8")
    code, out, _ = run("stats", "--format", "json", p)
    (f,) = json.loads(out)["files"]
    assert code == 0 and f["words"] == 0 and f["flesch_reading_ease"] is None
    _, table, _ = run("stats", p)
    assert table.splitlines()[1].split()[1:] == ["0", "0", "-", "-", "-", "-"]


def test_errors(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9 not utf-8")
    good = tmp_path / "good.txt"
    good.write_text("A short sentence here.\n", encoding="utf-8")
    code, out, err = run("stats", good, bad)
    assert code == 2
    assert f"{bad}: error: not valid UTF-8" in out
    code, out, err = run("stats", "--format", "json", good, bad)
    assert code == 2 and json.loads(out)["files"][1]["error"].startswith(f"{bad}: not valid UTF-8")
    code, out, err = run("stats", tmp_path / "missing.md")
    assert code == 2 and "no such file or folder" in err


def test_standard_input():
    code, out, _ = run("stats", "--format", "json", "-", input="The council met. It voted again.\n")
    (f,) = json.loads(out)["files"]
    assert code == 0 and f["path"] == "<stdin>" and f["words"] == 6 and f["sentences"] == 2
