"""A big run hashes file contents with OpenSSL's sha256 (lint.cache.bulk_hashing): the digests,
and so the store's keys, must be the ones the built-in gives."""
import hashlib

from lint import cache


def test_bulk_hashing_keeps_the_digests(monkeypatch):
    monkeypatch.setattr(cache, "_CONTENT_SHA", list(cache._CONTENT_SHA))
    samples = [b"", b"Source link\n", "Caf\u00e9 \u2014 \u201cquoted\u201d\n".encode(), bytes(range(256)) * 300]
    before = [cache.digest(s) for s in samples]
    cache.bulk_hashing()
    assert cache._CONTENT_SHA[0] is hashlib.sha256
    assert [cache.digest(s) for s in samples] == before == [hashlib.sha256(s).digest() for s in samples]


def _run(tmp_path, n):
    from click.testing import CliRunner

    from lint.cli import main

    # a text of its own per run: the store holds results by content
    folder = tmp_path / f"corpus{n}"
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i}.txt").write_text(f"Article {i} of {n}. The council met on Tuesday.\nSource link\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--format", "json", "-j", "1", str(folder)], catch_exceptions=False)
    assert result.exit_code == 1 and '"FOOT001"' in result.stdout  # linted: each file's leftover found


def test_a_big_run_switches_and_a_small_one_does_not(tmp_path, monkeypatch):
    from lint import runner

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cache, "_CONTENT_SHA", list(cache._CONTENT_SHA))
    builtin = cache._CONTENT_SHA[0]
    _run(tmp_path, 3)
    assert cache._CONTENT_SHA[0] is builtin  # a small run does not load OpenSSL
    _run(tmp_path, runner.FILES_PER_WORKER)
    assert cache._CONTENT_SHA[0] is hashlib.sha256
