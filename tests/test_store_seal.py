"""Store files Copydesk writes are sealed (lint.cache.SEAL: a CRC-32 of the rest): a warm run
trusts their entries as written and checks none of them, a sealed file that fails its checksum
is not read at all, and a file without the seal (by hand, by a broken writer) is read with each
entry checked, and never sealed with an entry that fails the check."""
from __future__ import annotations

import marshal

import pytest

from lint import cache as store

from helpers import check_in_process



@pytest.fixture
def repo(store_repo):
    return store_repo  # (conftest.store_repo)


def _shards(repo, kind="results"):
    return [p for p in sorted((repo / store.CACHE_DIR / kind).rglob("*")) if p.is_file()]


def _checks(monkeypatch) -> list:
    """The entries checked from now on (lint.cache.valid_payload calls)."""
    calls: list = []
    real = store.valid_payload
    monkeypatch.setattr(store, "valid_payload", lambda v: calls.append(1) or real(v))
    return calls


def _unseal(f):
    entries, sealed = store.load_sealed(str(f))
    assert sealed
    f.write_bytes(marshal.dumps(((store.FORMAT, store.__version__), entries)))
    return entries


def test_a_sealed_store_is_trusted_and_an_unsealed_one_checked(repo, monkeypatch):
    want = check_in_process("--no-cache", "--format", "json", "corpus")
    assert check_in_process("--format", "json", "corpus") == want
    files = _shards(repo)
    assert files and all(f.read_bytes().startswith(store.SEAL) for f in files)
    assert all(f.read_bytes().startswith(store.SEAL) for f in _shards(repo, store.PATHS))
    checks = _checks(monkeypatch)
    assert check_in_process("--format", "json", "corpus") == want
    assert checks == []  # every entry as written: none checked
    n = sum(len(_unseal(f)) for f in files)
    assert check_in_process("--format", "json", "corpus") == want
    assert len(checks) == n  # the same entries, unsealed: each checked once


def test_a_sealed_file_that_fails_its_checksum_is_not_read(repo, monkeypatch):
    want = check_in_process("--no-cache", "--format", "json", "corpus")
    check_in_process("--format", "json", "corpus")
    linted: list = []
    import lint.runner

    real = lint.runner.lint_source
    monkeypatch.setattr(lint.runner, "lint_source", lambda *a, **k: linted.append(a[1]) or real(*a, **k))
    for f in _shards(repo):
        entries, _ = store.load_sealed(str(f))
        raw = bytearray(f.read_bytes())
        raw[len(raw) // 2] ^= 0x20  # one bit, in the middle of the entries
        f.write_bytes(bytes(raw))
        assert store.load_sealed(str(f)) == (None, False)
        linted.clear()
        assert check_in_process("--format", "json", "corpus") == want
        assert len(linted) == len(entries)  # that file's results, linted again
        assert store.load_sealed(str(f))[1]  # and written again, sealed
        linted.clear()
        assert check_in_process("--format", "json", "corpus") == want and linted == []


def test_an_unsealed_files_bad_entry_is_not_sealed_in(repo):
    want = check_in_process("--no-cache", "--format", "json", "corpus")
    check_in_process("--format", "json", "corpus")
    files = _shards(repo)
    target = files[0]
    entries = _unseal(target)
    shard = int(target.name[-1], 16)  # <configuration byte, 2 hex digits><shard> (lint.cache._shard_name)
    some = next(iter(entries))
    bogus = some[:9] + bytes(38) + bytes([shard])  # a key of this shard that no file has
    bad = {**next(iter(entries.values())), "findings": ((1, 2, 3),)}
    target.write_bytes(marshal.dumps(((store.FORMAT, store.__version__), {**entries, bogus: bad})))
    # a new file whose result falls in that shard (by the last byte of its content's digest, the
    # last of its key's) makes the run write the shard again
    import hashlib

    text = next(t for t in (f"Item {i}: the council met on Tuesday.\n" for i in range(10_000))
                if hashlib.sha256(t.encode()).digest()[-1] % store.SHARDS == shard)
    p = repo / "corpus" / "extra.txt"
    p.write_text(text, encoding="utf-8")
    check_in_process("--format", "json", str(p))
    written, sealed = store.load_sealed(str(target))
    assert sealed
    assert bogus not in written and set(entries) <= set(written)
    assert check_in_process("--format", "json", "corpus") == check_in_process("--no-cache", "--format", "json", "corpus")
    assert want != check_in_process("--format", "json", "corpus")  # (the new file is in the report)


def test_a_trusted_entry_becomes_the_stored_result_it_was_made_from():
    """A sealed entry is read without checks (Stored.from_dict, trusted): the object made is
    the one to_dict came from, field by field, with no field more or fewer."""
    from dataclasses import fields

    rows = (("UI001", "n", "c", 2, "m", 1, 4, 1.0, (2, "Delete it", ((1, 4, ""),))),)
    for stored in (store.Stored((), False, None, 0, "[]", None, ()),
                   store.Stored(rows, True, (0, 5), 9, '[\n    {}\n   ]', '{"likely_mt": true}',
                                (("key", 1, 4, 0, "text", True, 7),))):
        back = store.Stored.from_dict(stored.to_dict(), trusted=True)
        assert back == stored and type(back) is store.Stored
        assert sorted(vars(back)) == sorted(f.name for f in fields(store.Stored))
        if not stored.findings:  # (the made-up JSON text of the other is not what a check passes)
            assert store.Stored.from_dict(stored.to_dict()) == stored
        with pytest.raises(Exception):
            back.length = 3  # still frozen
