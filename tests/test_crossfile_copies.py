"""Cross-file evidence in `copydesk check` counts copies of one article once, as `copydesk
corpus` does (lint.crossdoc.document_fingerprint): an article crawled five times does not make
its own short lines look like a site's boilerplate."""
import json

from helpers import check_in_process

_BODY = ("The council voted on Tuesday to close the {n} branch library after a review of its "
         "costs found that repairs to the roof would take most of next year's budget.\n\n"
         "Residents said the library was the only quiet place in the district to study.\n\n")


def _ui025(folder):
    code, out = check_in_process("--no-cache", "--select", "UI025", "--format", "json", str(folder))
    assert code in (0, 1)
    return [d for f in json.loads(out)["files"] for d in f["diagnostics"]]


def test_copies_of_one_article_count_once(tmp_path):
    for i in range(6):
        (tmp_path / f"copy{i}.txt").write_text(_BODY.format(n="Elm Street") + "Share this story\n", encoding="utf-8")
    assert _ui025(tmp_path) == []


def test_different_articles_with_one_line_report_it(tmp_path):
    streets = ["Elm Street", "Oak Lane", "Mill Road", "Station Hill", "Bridge End", "Castle Row"]
    for i, street in enumerate(streets):
        (tmp_path / f"article{i}.txt").write_text(_BODY.format(n=street) + "Share this story\n", encoding="utf-8")
    found = _ui025(tmp_path)
    assert len(found) == len(streets)
    assert all(d["code"] == "UI025" for d in found)
