"""copydesk corpus (lint/corpus.py) on real Dask clusters: the same diagnostics as check, the
command's own cluster and one that is not (a scheduler in the test process, a worker process),
Parquet in and out, --resume, bad records.

The cluster tests are marked ``cluster`` (select them with ``-m cluster``); they run by default.
"""
from __future__ import annotations

import gzip
import importlib.util
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

# installed or not, asked without importing them (distributed costs ~0.4 s of CPU to import, in
# every pytest-xdist worker that collects this file, whether or not it runs its tests)
for _name in ("distributed", "pyarrow"):
    if importlib.util.find_spec(_name) is None:
        pytest.skip(f"{_name} is not installed (copydesk[corpus])", allow_module_level=True)

from click.testing import CliRunner  # noqa: E402

from lint import crossdoc  # noqa: E402
from lint.api import FORMATS  # noqa: E402
from lint import corpus as engine  # noqa: E402
from lint.corpus_cli import corpus as corpus_cmd  # noqa: E402

from helpers import FIXTURES, check_in_process  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from corpus import article  # noqa: E402  (bench/corpus.py: the seeded article generator)

FURNITURE = ["Harbour Gazette is a member of the press standards council",
             "Get the morning briefing in your inbox", "Sign up"]
SUFFIX = {"plain": "txt", "markdown": "md", "html": "html"}


def _documents(n: int, seed: int = 11) -> list[dict]:
    """Generated articles (plain and Markdown, with and without artifacts), the fixture articles
    (plain, Markdown, HTML) and site furniture lines that recur across a third of them."""
    rng = random.Random(seed)
    fixtures = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".txt", ".md", ".html"))
    docs = []
    for i in range(n):
        if i < len(fixtures):
            p = fixtures[i]
            fmt = {"txt": "plain", "md": "markdown", "html": "html"}[p.suffix[1:]]
            text = p.read_text(encoding="utf-8")
        else:
            fmt = "markdown" if rng.random() < 0.4 else "plain"
            text = article(rng, fmt == "markdown")
            if i % 3 == 0:
                text += ("\n" if fmt == "plain" else "\n\n") + rng.choice(FURNITURE) + "\n"
        docs.append({"id": f"doc{i:04d}", "text": text, "fmt": fmt, "site": f"site{i % 2}"})
    return docs


def _write_jsonl(path: Path, rows) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def _by_id(rows) -> dict:
    return {r["id"]: r for r in rows}


@pytest.fixture(scope="module")
def scheduler():
    """A Dask scheduler in this process (a LocalCluster of no workers: distributed is imported
    here already, a scheduler process cost about a second of CPU to start) and a worker started
    as a process of its own (distributed's `dask worker` command), shared by the module's
    cluster tests: the scheduler's address. For the command, a cluster that is not its own
    (--scheduler, or a client passed in). One worker: each process costs about a second of CPU
    to start (importing distributed), more than most of these tests' runs. Two workers sharing
    a run (partitions, sketches and pairs passed between processes) are the command's own
    LocalCluster in test_corpus_gives_the_diagnostics_of_check_on_the_same_texts."""
    def warm():  # defined here: pickled by value (the worker cannot import this module)
        """Load the built-in rule set in the worker from the rule cache (a few hundredths of a
        second): its patterns are then the gate key of the warm rule cache, whose Hyperscan
        database (lint.regex.gate) the worker loads. A worker that only unpickles a Linter keys
        the gate by the Linter's rules, finds no database stored under that key and lints ungated
        (about four times slower) until its 64th document, when it builds one (~1 s of CPU).
        The output is the same either way; test_corpus_gives_the_diagnostics_of_check_on_the_same_texts
        runs on fresh workers, as a user's run does."""
        from lint.packs import load_rules
        from lint.regex import gate

        load_rules(cache=True).rules
        gate.current()  # None without Hyperscan (an optional dependency): then nothing is gated

    from distributed import Client, LocalCluster

    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    cluster = LocalCluster(n_workers=0, processes=False, protocol="tcp", host="127.0.0.1", scheduler_port=0,
                           dashboard_address=None)
    proc = None
    try:
        addr = cluster.scheduler_address
        # --no-nanny: the worker is this process, not a second one started by a nanny
        proc = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", addr, "--nthreads", "1",
                                 "--no-nanny", "--no-dashboard"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with Client(addr, timeout="20s") as c:
            c.wait_for_workers(1, timeout=60)
            c.run(warm)
        yield addr
    finally:
        # the worker is killed outright: it holds nothing of the tests, and one told to stop
        # (SIGTERM) hung in its own shutdown in most runs (distributed's close is cancelled and
        # asyncio waits on it)
        if proc is not None:
            proc.kill()
            proc.wait()
        cluster.close()


@pytest.fixture(scope="module")
def client(scheduler):
    """A client of the module's cluster for the in-process runs."""
    from distributed import Client

    with Client(scheduler, timeout="20s") as c:
        yield c


def _run(tmp_path, client, inputs, out, **kw):
    on_partition = kw.pop("on_partition", None)
    spec = engine.Spec(text_field=kw.pop("text_field", "text"), id_field="id", format_field=kw.pop("format_field", "fmt"),
                       group_by=kw.pop("group_by", None))
    opts = engine.Options(inputs=[str(i) for i in inputs], output=str(out), spec=spec, progress=False,
                          partition_bytes=kw.pop("partition_bytes", 24_000), **kw)
    return engine.run(opts, client=client, on_partition=on_partition)


# ------------------------------------------------------------------ no cluster: partitions

def test_byte_range_partitions_read_every_record_once_in_order(tmp_path):
    rows = [{"id": str(i), "text": "x" * random.Random(i).randint(0, 300)} for i in range(200)]
    path = _write_jsonl(tmp_path / "a.jsonl", rows)
    for size in (7, 97, 1000, 10**9):
        parts = engine.plan([str(path)], size)
        got = [rec["id"] for p in parts for _, rec, why in engine.records(p, engine.Spec())]
        assert got == [r["id"] for r in rows], size
    assert len(engine.plan([str(path)], 1000)) > 10


def test_inputs_and_output_names_are_checked(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(engine.CorpusError, match="no JSONL or Parquet"):
        engine.input_files([tmp_path / "empty"])
    (tmp_path / "a.csv").write_text("x")
    with pytest.raises(engine.CorpusError, match="not a JSONL"):
        engine.input_files([tmp_path / "a.csv"])
    with pytest.raises(engine.CorpusError, match="no such file"):
        engine.input_files([tmp_path / "missing.jsonl"])
    with pytest.raises(engine.CorpusError, match=".jsonl or .parquet"):
        engine.out_kind("out.csv")


# ------------------------------------------------------------------ clusters

@pytest.mark.cluster
def test_corpus_gives_the_diagnostics_of_check_on_the_same_texts(tmp_path):
    """A real LocalCluster of 2 workers (made by the command, --workers 2) against `copydesk
    check` on the same texts written as files. check's folder run reports the cross-document
    rule (UI025) when it is wired to lint.crossdoc; until then its report plus the reference
    pass (crossdoc.run over the same texts) is what the corpus must give."""
    # 60 documents (the 10 fixture articles and 50 generated, 170 KB: 9 partitions of 20 KB)
    # hold 35 UI025 findings in 24 documents, and each worker lints fewer than 64 of them: a
    # fresh worker that reaches 64 builds the Hyperscan gate's database (~1.5 s of CPU each;
    # lint.regex.gate.BUILD_AT), which is no part of what this compares (200 documents did)
    docs = _documents(60)
    src = _write_jsonl(tmp_path / "docs.jsonl", docs)
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(corpus_cmd, [str(src), "-o", str(out), "--format-field", "fmt", "--workers", "2",
                                          "--partition-size", "20KB", "--no-progress"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert "60 documents (0 errors)" in res.output
    rows = engine.read_output(out)
    assert [r["id"] for r in rows] == [d["id"] for d in docs]  # input order, one row each
    summary = json.loads(Path(str(out) + ".summary.json").read_text())
    assert summary["documents"] == 60 and summary["partitions"] > 4

    folder = tmp_path / "files"
    folder.mkdir()
    for d in docs:
        (folder / f"{d['id']}.{SUFFIX[d['fmt']]}").write_text(d["text"], encoding="utf-8")
    code, stdout = check_in_process("--format", "json", "--no-cache", "--jobs", "1", str(folder))
    assert code in (0, 1)
    report = {Path(f["path"]).stem: f["diagnostics"] for f in json.loads(stdout)["files"]}
    if not any(d["code"] == "UI025" for ds in report.values() for d in ds):
        ref = crossdoc.run([(d["text"], FORMATS[d["fmt"]]) for d in docs])
        for d, extra in zip(docs, ref):
            merged = report[d["id"]] + [_as_json(d["text"], x) for x in extra]
            report[d["id"]] = sorted(merged, key=lambda x: (x["start"]["offset"], x["end"]["offset"], x["code"]))
    assert sum(1 for r in rows for x in r["diagnostics"] if x["code"] == "UI025") >= 30
    for r in rows:
        assert r["error"] is None
        assert r["diagnostics"] == report[r["id"]], r["id"]
    assert summary["by_rule"]["UI025"] == sum(1 for ds in report.values() for x in ds if x["code"] == "UI025")


def _as_json(text, d) -> dict:
    from lint.model import LineIndex
    from lint.reporters.json import _pos

    lines = LineIndex(text)
    return {"code": d.code, "name": d.name, "category": d.category, "severity": str(d.severity),
            "message": d.message, "start": _pos(lines, d.start), "end": _pos(lines, d.end),
            "fix": d.fix.to_json() if d.fix else None}


@pytest.mark.cluster
def test_corpus_on_a_cluster_not_its_own_with_a_worker_process(tmp_path, scheduler, client):
    """`copydesk corpus --scheduler ADDRESS` on a cluster that is not the command's own (the
    module's: a scheduler in this process, a worker started as a process of its own): one row a record, check's diagnostics (UI025 ignored), and
    the workers' profilers running again afterwards (the command paused them for the run)."""
    docs = _documents(30, seed=5)
    src = _write_jsonl(tmp_path / "docs.jsonl", docs)
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(corpus_cmd, [str(src), "-o", str(out), "--format-field", "fmt", "--scheduler", scheduler,
                                          "--partition-size", "20KB", "--no-progress", "--ignore", "UI025"],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    import lint

    linter = lint.Linter({"ignore": ["UI025"]})
    rows = engine.read_output(out)
    assert len(rows) == 30
    for d, r in zip(docs, rows):
        want = linter.lint_text(d["text"], format=d["fmt"], path=d["id"]).to_dict()
        assert r["id"] == d["id"] and r["diagnostics"] == want["diagnostics"]
    assert not any(x["code"] == "UI025" for r in rows for x in r["diagnostics"])
    assert any(r["diagnostics"] for r in rows)

    def running(dask_worker):
        return [dask_worker.periodic_callbacks[k].is_running() for k in ("profile", "profile-cycle")]

    assert all(v == [True, True] for v in client.run(running).values())


@pytest.mark.cluster
def test_parquet_in_and_out_and_group_by(tmp_path, client):
    import pyarrow as pa
    import pyarrow.parquet as pq

    docs = _documents(60, seed=3)
    src = tmp_path / "docs.parquet"
    pq.write_table(pa.Table.from_pylist(docs), src, row_group_size=25)  # 3 row groups, 3 partitions
    out = tmp_path / "out.parquet"
    summary = _run(tmp_path, client, [src], out, group_by="site")
    rows = engine.read_output(out)
    assert [r["id"] for r in rows] == [d["id"] for d in docs]
    assert summary["partitions"] == 3 and set(summary["groups"]) == {"site0", "site1"}
    assert summary["groups"]["site0"]["documents"] == 30
    # the same records as JSONL give the same rows (Parquet's nested columns hold the §7 shape)
    jl = _run(tmp_path, client, [_write_jsonl(tmp_path / "docs.jsonl", docs)], tmp_path / "out.jsonl", group_by="site")
    assert engine.read_output(tmp_path / "out.jsonl") == rows
    assert jl["by_rule"] == summary["by_rule"]
    # counted per group: a furniture line's message names its group's size
    ui025 = [x for r in rows for x in r["diagnostics"] if x["code"] == "UI025"]
    assert ui025 and all("of 30 documents" in x["message"] for x in ui025)


@pytest.mark.cluster
def test_resume_skips_the_partitions_already_written(tmp_path, client):
    # 25 documents (64 KB) in 6 partitions of 12 KB: two recorded before the stop, four resumed
    docs = _documents(25, seed=7)
    src = _write_jsonl(tmp_path / "docs.jsonl", docs)

    def run(out, **kw):
        return _run(tmp_path, client, [src], out, partition_bytes=12_000, **kw)

    fresh = run(tmp_path / "fresh.jsonl")

    class Stop(Exception):
        pass

    seen: list = []

    def stop_after_two(index, summary):
        seen.append(index)
        if len(seen) == 2:
            raise Stop

    out = tmp_path / "out.jsonl"
    with pytest.raises(Stop):
        run(out, on_partition=stop_after_two)
    assert not out.exists()
    manifest = json.loads((tmp_path / "out.jsonl.parts" / "manifest.json").read_text())
    log = (tmp_path / "out.jsonl.parts" / "done.jsonl").read_text().splitlines()
    assert sorted(json.loads(line)["index"] for line in log) == sorted(seen)
    assert manifest["cross"] is not None
    # an interrupted write leaves a line cut short: resume ignores it (and the partitions after)
    with open(tmp_path / "out.jsonl.parts" / "done.jsonl", "a") as fh:
        fh.write('{"index": 99, "summ')

    again: list = []
    summary = run(out, resume=True, on_partition=lambda i, s: again.append(i))
    assert not set(again) & set(seen) and len(again) + 2 == fresh["partitions"]
    assert engine.read_output(out) == engine.read_output(tmp_path / "fresh.jsonl")
    assert {k: summary[k] for k in ("documents", "by_rule", "by_severity")} == \
        {k: fresh[k] for k in ("documents", "by_rule", "by_severity")}
    assert not (tmp_path / "out.jsonl.parts").exists()

    # an interrupted run over other inputs is not resumed
    seen.clear()
    with pytest.raises(Stop):
        run(out, on_partition=stop_after_two)
    _write_jsonl(src, docs[:-1])
    with pytest.raises(engine.CorpusError, match="changed"):
        run(out, resume=True)


@pytest.mark.cluster
def test_a_bad_record_is_one_error_row_and_the_run_goes_on(tmp_path, client):
    good = _documents(12, seed=9)
    lines = [json.dumps(good[0]).encode(), b"{not json", json.dumps({"id": "no-text", "body": "x"}).encode(),
             json.dumps({"id": "number", "text": 42}).encode(), b"", b"[1, 2]",
             b'{"id": "latin1", "text": "caf\xe9"}', json.dumps({"id": "odd-format", "text": "x", "fmt": "rtf"}).encode()]
    lines += [json.dumps(d).encode() for d in good[1:]]
    src = tmp_path / "mixed.jsonl"
    src.write_bytes(b"\n".join(lines) + b"\n")
    gz = tmp_path / "more.jsonl.gz"
    with gzip.open(gz, "wb") as fh:
        fh.write(b"".join(json.dumps(d).encode() + b"\n" for d in _documents(6, seed=2)) + b"oops\n")
    out = tmp_path / "out.jsonl"
    summary = _run(tmp_path, client, [src, gz], out, partition_bytes=4000)  # ranges end inside records
    rows = engine.read_output(out)
    errors = {r["id"]: r["error"] for r in rows if r["error"]}
    assert summary["errors"] == len(errors) == 7 and summary["documents"] == len(rows) == 12 + 6 + 7
    assert "no field 'text'" in errors["no-text"] and "int, not text" in errors["number"]
    assert "unknown format" in errors["odd-format"]
    assert any("not a JSON record" in e for e in errors.values())
    assert any("not valid UTF-8" in e for k, e in errors.items() if k.startswith("mixed.jsonl@"))
    assert any(k.startswith("more.jsonl.gz@") for k in errors)
    assert all(r["diagnostics"] == [] for r in rows if r["error"])
    assert sum(1 for r in rows if not r["error"]) == 18


@pytest.mark.cluster
def test_house_style_by_majority_across_the_corpus(tmp_path, client):
    docs = [{"id": f"u{k}", "text": f"Mr Hale{'x' * k} opened the new pier on Monday, the council said.\n"}
            for k in range(8)]
    docs += [{"id": "d1", "text": "Mr. Okafor opened the new pier on Monday, the council said.\n"},
             {"id": "s1", "text": "The pier opened on Monday, the council said.\n"}]
    src = _write_jsonl(tmp_path / "docs.jsonl", docs)
    on = _run(tmp_path, client, [src], tmp_path / "on.jsonl", format_field=None, house_style=True)
    rows = _by_id(engine.read_output(tmp_path / "on.jsonl"))
    [d] = rows["d1"]["diagnostics"]
    assert d["code"] == "CONS001" and "8 of the 9 documents" in d["message"] and d["start"]["offset"] == 0
    assert not any(rows[k]["diagnostics"] for k in rows if k != "d1")
    assert on["cross_document"]["house_style"][""]["CONS001"]["documents"] == 8
    _run(tmp_path, client, [src], tmp_path / "off.jsonl", format_field=None)
    assert not any(r["diagnostics"] for r in engine.read_output(tmp_path / "off.jsonl"))
    # readability figures when a READ rule is selected (Parquet: a struct column)
    _run(tmp_path, client, [src], tmp_path / "read.parquet", format_field=None, config={"extend-select": ["READ"]})
    read = _by_id(engine.read_output(tmp_path / "read.parquet"))
    assert read["s1"]["readability"]["words"] == 8 and read["s1"]["readability"]["sentences"] == 1
    assert "readability" not in engine.read_output(tmp_path / "off.jsonl")[0]


@pytest.mark.cluster
def test_the_sharded_reduction_finds_what_the_one_process_reference_finds(tmp_path, client):
    # 60 documents in 19 partitions of 9 KB: more than 2 x FANIN (a reduction costs about its
    # tasks, two or three a partition). min_share 0.1 (6 of the 60 documents) binds above
    # min_docs 5, as UI025's 3% does in corpora of more than 167 documents: of the 5 lines held
    # by 5 or more documents, the 2 held by exactly 5 are not frequent
    docs = _documents(60, seed=13)
    src = _write_jsonl(tmp_path / "docs.jsonl", docs)
    parts = engine.plan([str(src)], 9_000)
    assert len(parts) > 2 * engine.FANIN  # sketches folded in a chain above the first level
    spec = engine.Spec(format_field="fmt")
    one = engine.reduce_counts(client, parts, spec, 5, 0.1, shards=1)
    many = engine.reduce_counts(client, parts, spec, 5, 0.1, shards=7)
    # a sketch of 2 x 16 counters passes nearly every line to pass 1b, which counts them exactly
    tiny = engine.reduce_counts(client, parts, spec, 5, 0.1, shards=3, width=16, depth=2)
    assert one == many == tiny and one["docs"] == {"": 60}
    texts = [(d["text"], FORMATS[d["fmt"]]) for d in docs]
    counter = crossdoc.count(([k for k, _, _ in crossdoc.candidates(t, f)] for t, f in texts),
                             [crossdoc.fingerprint(t, f) for t, f in texts])
    ref = {engine.hkey(k): counter[k] for k in crossdoc.frequent(counter, 60, min_docs=5, min_share=0.1)}
    assert many["frequent"][""] == ref and len(ref) >= 3
    assert len(ref) < len(crossdoc.frequent(counter, 60, min_docs=5, min_share=0.03))  # the share bound bites


@pytest.mark.cluster
def test_a_linter_from_other_code_is_a_one_line_error_on_the_workers(tmp_path, client, monkeypatch):
    """The client pickles the Linter as another Copydesk would (its code version patched); the
    workers, which run this one, refuse it with both versions named, and the command says so
    in one line (exit 2), not with a TypeError from deep inside unpickling."""
    from lint import api

    src = _write_jsonl(tmp_path / "docs.jsonl", _documents(3, seed=1))
    monkeypatch.setattr(api, "_CODE_VERSION", ("9.9.9", "0123456789ab"))
    with pytest.raises(api.VersionSkewError) as info:
        _run(tmp_path, client, [src], tmp_path / "out.jsonl", cross_doc=False)
    here = client.run(lambda: api.code_version())
    [worker_version] = set(here.values())
    msg = str(info.value)
    assert "Copydesk 9.9.9 (code 0123456789ab)" in msg and f"(code {worker_version[1]})" in msg
    assert "\n" not in msg


@pytest.mark.cluster
def test_the_workers_profiler_is_paused_during_a_run_and_resumed_after(tmp_path, client):
    """Its per-second history of stacks grew a worker's memory with the run's length."""
    def running(dask_worker):
        return [dask_worker.periodic_callbacks[k].is_running() for k in ("profile", "profile-cycle")]

    src = _write_jsonl(tmp_path / "docs.jsonl", _documents(8, seed=6))
    during: list = []
    _run(tmp_path, client, [src], tmp_path / "out.jsonl",
         on_partition=lambda i, s: during.extend(client.run(running).values()))
    assert during and all(v == [False, False] for v in during)
    assert all(v == [True, True] for v in client.run(running).values())
