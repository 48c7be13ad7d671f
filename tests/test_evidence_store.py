"""Cross-file evidence kept in the result store (lint.cache.Cache.evidence): a warm run of an
unchanged repository reads each file's repeated-line findings (UI025) instead of making them
again, and any change to what decides them (how many files hold the line, how many files the
run has) makes them again. The report is the fresh run's in every case."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from lint import cache as store
from lint import crossdoc
from lint.cli import main

_WORDS = ("the tram depot council orchard tide ballot week canal levy school warden bridge fair lane "
          "tenants autumn archive bakery timetable").split()
FURNITURE = "Read more stories from the Ellery Gazette"


def _site(folder: Path, n: int = 8, start: int = 0) -> None:
    rng = random.Random(11 + start)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        paras = [" ".join(rng.choice(_WORDS) for _ in range(14)).capitalize() + "." for _ in range(3)]
        if i % 2:
            (folder / f"s{i}.md").write_text(f"# Item {i}\n\n{paras[0]}\n\n{FURNITURE}\n\n{paras[1]}\n\n{paras[2]}\n",
                                             encoding="utf-8")
        else:
            (folder / f"s{i}.txt").write_text(f"{paras[0]}\n\n{FURNITURE}\n\n{paras[1]}\n\n{paras[2]}\n",
                                              encoding="utf-8")


def _json(*args) -> str:
    result = CliRunner().invoke(main, ["check", "-j", "1", "--format", "json", *args], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


@pytest.fixture
def made(monkeypatch):
    """How many times the findings were made (lint.crossdoc.findings calls) since cleared."""
    calls = []
    real = crossdoc.findings

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(crossdoc, "findings", counting)
    return calls


def _evidence_files(root: Path) -> list[Path]:
    return [p for p in sorted((root / store.CACHE_DIR / "evidence").rglob("*")) if p.is_file()]


def test_an_unchanged_run_reads_the_findings_and_a_changed_one_makes_them(tmp_path, monkeypatch, made):
    monkeypatch.chdir(tmp_path)
    _site(tmp_path / "site")
    fresh = _json("--no-cache", "site")
    n_files = len(list((tmp_path / "site").iterdir()))
    assert fresh.count('"code": "UI025"') == n_files
    assert _json("site") == fresh  # cold: the results and the evidence are stored
    assert _evidence_files(tmp_path)
    made.clear()
    assert _json("site") == fresh  # warm: every file's findings read back
    assert made == []
    # one more file holding the line: every message's "N of M documents" changes
    _site(tmp_path / "site", n=1, start=50)
    made.clear()
    grown = _json("site")
    assert grown == _json("--no-cache", "site") != fresh
    assert '"message": "Line repeated in 9 of 9 documents' in grown
    assert len(made) >= n_files + 1  # made again for the stored files too
    made.clear()
    assert _json("site") == grown and made == []  # and stored again
    # the line edited out of some files: the others' counts change, theirs have none
    for p in sorted((tmp_path / "site").iterdir())[:2]:
        p.write_text(p.read_text(encoding="utf-8").replace(FURNITURE, "A line of its own"), encoding="utf-8")
    assert _json("site") == _json("--no-cache", "site")


BAD_VALUES = [None, 1, "x", (), (None, (), ()), [1, 2, 3]]


def test_a_malformed_evidence_entry_is_made_again(tmp_path, monkeypatch, made):
    monkeypatch.chdir(tmp_path)
    _site(tmp_path / "site")
    fresh = _json("--no-cache", "site")
    _json("site")
    import marshal

    for bad in BAD_VALUES + ["swap-signature", "drop-item", "past-the-end", "bad-item", "doubled", "other-code",
                             "other-severity", "moved"]:
        for f in _evidence_files(tmp_path):
            entries, sealed = store.load_sealed(str(f))
            assert sealed
            fmt, version = store.FORMAT, store.__version__

            def spoil(value):
                signature, rows, items = value[:3]  # the places (a fourth) of a checked entry are not used
                if bad == "swap-signature":
                    return ((signature[0] + 1,) + signature[1:], rows, items)
                if bad == "drop-item":
                    return (signature, rows, items[1:])
                if bad == "past-the-end":
                    return (signature, tuple(r[:6] + (10 ** 6,) + r[7:] for r in rows), items)
                if bad == "bad-item":
                    return (signature, rows, tuple("{}" for _ in items))
                # of the right shape, but not what the signature decides
                if bad == "doubled":
                    return (signature, rows + rows, items + items)
                if bad == "other-code":
                    return (signature, tuple(("ZZ999",) + r[1:] for r in rows),
                            tuple(i.replace('"UI025"', '"ZZ999"') for i in items))
                if bad == "other-severity":
                    return (signature, tuple(r[:3] + (3 - r[3] if r[3] != 1 else 2,) + r[4:] for r in rows), items)
                if bad == "moved":
                    return (signature, tuple(r[:5] + (r[5] - 1,) + r[6:] for r in rows), items)
                return bad

            f.write_bytes(marshal.dumps(((fmt, version), {k: spoil(v) for k, v in entries.items()})))
        made.clear()
        assert _json("site") == fresh, bad
        assert made, bad  # refused, so made again
        made.clear()
        assert _json("site") == fresh and made == [], bad  # and stored again


def test_the_text_report_reads_stored_findings_too(tmp_path, monkeypatch, made):
    """A report that shows a file's text (text, SARIF, ...) makes its findings into objects: the
    stored ones are read back as objects, and nothing is written again on a warm run."""
    monkeypatch.chdir(tmp_path)
    _site(tmp_path / "site")
    fresh = CliRunner().invoke(main, ["check", "--no-cache", "-j", "1", "site"]).stdout
    for fmt in ("text", "sarif", "json"):
        want = CliRunner().invoke(main, ["check", "--no-cache", "-j", "1", "--format", fmt, "site"]).stdout
        for _ in range(3):
            made.clear()
            writes: list = []
            real = store._write
            monkeypatch.setattr(store, "_write", lambda path, entries: writes.append(path) or real(path, entries))
            assert CliRunner().invoke(main, ["check", "-j", "1", "--format", fmt, "site"]).stdout == want, fmt
            monkeypatch.setattr(store, "_write", real)
        assert made == [] and writes == [], (fmt, made, writes)  # the last warm run: read, nothing written
    assert "UI025" in fresh


def test_valid_delta_checks_what_it_returns():
    row = ("UI025", "repeated-line", "ui-leftover", 2, "Line repeated", 3, 9, 1.0,
           (2, "Delete it", ((3, 10, ""),)))
    item = '{\n     "code": "UI025",\n     "name": "repeated-line"\n    }'
    sig = (8, 2, (("read more", 3, 9, 8),))
    assert store.valid_delta((sig, (row,), (item,)), sig, 20) == ((row,), (item,))
    assert store.valid_delta((sig, (row,), (item,)), (9,) + sig[1:], 20) is None  # another signature
    assert store.valid_delta((sig, (row,), (item,)), sig, 8) is None  # past the text's end
    assert store.valid_delta((sig, (row, row), (item,)), sig, 20) is None
    assert store.valid_delta((sig, (row,), ('{"code": 1}',)), sig, 20) is None
    assert store.valid_delta((sig, (row[:8],), (item,)), sig, 20) is None
    assert store.valid_delta((sig, (), ()), sig, 20) is None
    assert store.valid_delta([sig, (row,), (item,)], sig, 20) is None
    # the right shape, not what the signature decides
    assert store.valid_delta((sig, (row, row), (item, item)), sig, 20) is None  # one per line it names
    assert store.valid_delta((sig, (("ZZ999",) + row[1:],), (item.replace("UI025", "ZZ999"),)), sig, 20) is None
    assert store.valid_delta((sig, (row[:3] + (3,) + row[4:],), (item,)), sig, 20) is None  # its severity
    assert store.valid_delta((sig, (row[:5] + (4,) + row[6:],), (item,)), sig, 20) is None  # its line


def test_json_of_a_warm_run_with_stored_evidence_matches_the_text_report(tmp_path, monkeypatch):
    """The text report makes the findings into objects (its path never reads stored evidence
    as rows): both reports say the same after the evidence was stored."""
    monkeypatch.chdir(tmp_path)
    _site(tmp_path / "site")
    _json("site")
    _json("site")
    report = json.loads(_json("site"))
    text = CliRunner().invoke(main, ["check", "-j", "1", "site"]).stdout
    assert text.count("UI025") == sum(d["code"] == "UI025" for f in report["files"] for d in f["diagnostics"])


def test_a_stored_library_result_whose_findings_are_replaced_still_renders(tmp_path, monkeypatch):
    """A result that came through the store (lint.runner.StoredResult) takes new findings without
    reading the stored ones first, and the reports use the new ones."""
    from lint.api import Linter
    from lint.reporters.json import render

    monkeypatch.chdir(tmp_path)
    _site(tmp_path / "site")
    for _ in range(2):  # cold, then warm
        results = Linter().lint_paths(["site"], jobs=1)
        results[0].diagnostics = []  # never read before
        report = json.loads(render(results))
        assert report["files"][0]["diagnostics"] == [] and report["files"][1]["diagnostics"]
        assert results[1].diagnostics and type(results[1]).__name__ == "StoredResult"


def _row(code: str, start: int, end: int) -> tuple:
    return (code, "n", "c", 2, f"m {code} {start}", start, end, 1.0, None)


def _stored(rows) -> store.Stored:
    from lint.reporters.json import diagnostics_text  # noqa: F401 - the items' shape, as delta makes them
    items = [store._ITEM + f'"{r[0]}",\n     "start": {r[5]},\n     "end": {r[6]}\n    }}' for r in rows]
    text = "[\n    " + ",\n    ".join(items) + "\n   ]" if items else "[]"
    return store.Stored(tuple(rows), False, (0,), 99, text, None, ()), tuple(items)


def test_with_delta_at_stored_places_is_the_sorted_merge():
    """A stored evidence entry keeps where its findings go among the result's own
    (Stored.places): inserting there gives the rows and JSON text that sorting gives, for
    findings before, between, after and at the same key as the stored ones."""
    rng = random.Random(5)
    codes = ("AA001", "UI025", "ZZ009")
    for trial in range(400):
        base = sorted((_row(rng.choice(codes), s, s + rng.randint(0, 3)) for s in
                       (rng.randint(0, 30) for _ in range(rng.randint(0, 6)))),
                      key=lambda r: (r[5], r[6], r[0]))
        new = sorted((_row(rng.choice(codes), s, s + rng.randint(0, 3)) for s in
                      (rng.randint(0, 30) for _ in range(rng.randint(1, 4)))),
                     key=lambda r: (r[5], r[6], r[0]))
        if trial % 7 == 0 and base:
            new.insert(0, base[-1])  # the same key as a stored one: after it, as the stable sort puts it
            new.sort(key=lambda r: (r[5], r[6], r[0]))
        stored, _ = _stored(base)
        _, items = _stored(new)
        places = stored.places(tuple(new))
        assert places is not None
        want = stored.with_delta(tuple(new), items)
        got = stored.with_delta(tuple(new), items, places)
        assert got.to_dict() == want.to_dict(), (base, new, places)
        assert json.loads(got.diagnostics_json) is not None or not got.findings


def test_places_are_none_out_of_order():
    stored, _ = _stored([_row("AA001", 9, 10), _row("AA001", 2, 3)])  # not in report order
    assert stored.places((_row("UI025", 4, 5),)) is None
    stored, _ = _stored([_row("AA001", 2, 3)])
    assert stored.places((_row("UI025", 9, 9), _row("UI025", 4, 5))) is None
    assert stored.places((_row("UI025", 4, 5), _row("UI025", 9, 9))) == ((1, len(stored.diagnostics_json) - 5),) * 2


def test_a_checked_entry_is_used_without_its_places():
    row = ("UI025", "repeated-line", "ui-leftover", 2, "Line repeated", 3, 9, 1.0, None)
    item = '{\n     "code": "UI025",\n     "name": "repeated-line"\n    }'
    sig = (8, 2, (("read more", 3, 9, 8),))
    assert store.valid_delta((sig, (row,), (item,), ((0, 6),)), sig, 20) == ((row,), (item,))
    assert store.valid_delta((sig, (row,), (item,), None, None), sig, 20) is None


def _glued_site(folder: Path, n: int = 8) -> None:
    """Files whose own findings stand before the repeated line: its finding goes last."""
    rng = random.Random(11)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        paras = [" ".join(rng.choice(_WORDS) for _ in range(14)).capitalize() + "." for _ in range(3)]
        paras[0] += " The council met（the tram depot）on Monday，said the warden."
        (folder / f"s{i}.txt").write_text(f"{paras[0]}\n\n{FURNITURE}\n\n{paras[1]}\n\n{paras[2]}\n", encoding="utf-8")


def _rewrite_results(root: Path, edit) -> int:
    """Every results shard written again without the seal (as a person would), ``edit`` applied
    to each entry with findings; how many were edited."""
    import marshal

    n = 0
    for f in sorted(p for p in (root / store.CACHE_DIR / "results").rglob("*") if p.is_file()):
        entries, _ = store.load_sealed(str(f))
        for v in entries.values():
            if v["findings"] and edit(v):
                n += 1
        f.write_bytes(marshal.dumps(((store.FORMAT, store.__version__), entries)))
    return n


def test_a_checked_result_in_another_json_layout_is_linted_again(tmp_path, monkeypatch):
    """A hand-written result whose findings' JSON is not in the reporter's layout (compacted)
    is refused by the check: the file is linted again, and the report is the fresh one (it
    crashed where cross-file findings were merged into it, and lost findings before that)."""
    monkeypatch.chdir(tmp_path)
    _glued_site(tmp_path / "site")
    want = {fmt: CliRunner().invoke(main, ["check", "-j", "1", "--no-cache", "--format", fmt, "site"]).stdout
            for fmt in ("json", "text")}
    assert "UI025" in want["json"]
    _json("site")

    def compact(v):
        v["diagnostics_json"] = json.dumps(json.loads(v["diagnostics_json"]), ensure_ascii=False)
        assert not store.valid_payload(v)
        return True

    assert _rewrite_results(tmp_path, compact)
    import shutil

    shutil.rmtree(tmp_path / store.CACHE_DIR / "evidence")  # the cross-file findings made again
    for fmt in ("text", "json"):
        result = CliRunner().invoke(main, ["check", "-j", "1", "--format", fmt, "site"])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert result.stdout == want[fmt], fmt


def test_stored_places_are_not_applied_to_a_checked_result(tmp_path, monkeypatch):
    """Where stored cross-file findings go (Stored.places) was found in the result as Copydesk
    stored it; a result read from a file without the seal (checked, maybe edited) gets them by
    the sort instead, and the report stays valid JSON with every finding in order."""
    monkeypatch.chdir(tmp_path)
    _glued_site(tmp_path / "site")
    _json("site")
    _json("site")  # the evidence stored, sealed

    def drop_first(v):
        if len(v["findings"]) < 2:
            return False
        items = store._json_items(v["diagnostics_json"])
        v["findings"] = v["findings"][1:]
        v["diagnostics_json"] = "[\n    " + ",\n    ".join(items[1:]) + "\n   ]"
        assert store.valid_payload(v)
        return True

    assert _rewrite_results(tmp_path, drop_first)
    report = json.loads(_json("site"))  # valid JSON (the places appended an item after the "]")
    for entry in report["files"]:
        codes = [d["code"] for d in entry["diagnostics"]]
        assert "UI025" in codes, entry["path"]
        spans = [(d["start"]["offset"], d["end"]["offset"], d["code"]) if isinstance(d["start"], dict)
                 else (d["start"], d["end"], d["code"]) for d in entry["diagnostics"]]
        assert spans == sorted(spans), entry["path"]
