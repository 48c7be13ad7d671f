"""Each configuration's results are kept in shard files of their own (lint.cache._shard_name:
the code version's folder, the configuration's first digest byte, the shard): a warm run reads
its own configuration's files only, however many other rule selections were run in
the same repository (a pre-commit hook with a few rules, CI with all of them), and each
configuration's warm report is still its fresh one."""
from __future__ import annotations

from pathlib import Path

import pytest

from lint import cache as store

from helpers import check_in_process



@pytest.fixture
def repo(store_repo):
    return store_repo  # (conftest.store_repo)


def _prefix(path) -> str:
    return path.name.split(".")[0][:-1]  # <configuration byte><shard>[.<segment>]


def test_a_warm_run_reads_its_own_configurations_shards_only(repo, monkeypatch):
    runs = [("--format", "json"), ("--format", "text"), ("--format", "json", "--select", "SEG")]
    want = {args: check_in_process("--no-cache", *args, "corpus") for args in runs}
    for args in runs:
        assert check_in_process(*args, "corpus") == want[args]
    results = [p for p in (repo / store.CACHE_DIR / "results").rglob("*") if p.is_file()]
    prefixes = {_prefix(p) for p in results}
    read_by_run = {}
    for args in runs:
        read: list = []
        real = store.load_sealed
        monkeypatch.setattr(store, "load_sealed", lambda path: read.append(path) or real(path))
        assert check_in_process(*args, "corpus") == want[args]
        monkeypatch.setattr(store, "load_sealed", real)
        read_by_run[args] = {_prefix(Path(p)) for p in read if Path(p).parent.parent.name == "results"}
    # the files are chosen by the rule selection and severities, not by the kind of document
    # (Markdown, plain text and HTML here share them) nor by the report's format (one stored
    # result serves every format)
    full, text, some = (read_by_run[args] for args in runs)
    assert len(full) == 1 and len(some) == 1 and full == text
    assert full.isdisjoint(some) and full | some == prefixes  # neither read the other's files
