"""Corpus mode (``copydesk corpus``): lint millions of records on Dask (issue 18).

The engine, without the command line (lint/corpus_cli.py parses options and calls :func:`run`):

- **Inputs** are JSONL files (``.jsonl``, ``.jsonl.gz``), Parquet files, or folders of either.
  They are cut into **partitions** that a worker reads by itself (:func:`plan`): an uncompressed
  JSONL file in byte ranges of ``partition_bytes`` (a line belongs to the range where it starts,
  as Hadoop splits text), a gzip file whole (it cannot be entered in the middle: read as a
  stream), a Parquet file by row group (read in batches of 1,000 rows). No process ever holds
  a whole input; a worker holds one batch of records and writes its rows as it goes.
- **Pass 1** (the cross-document reduction, when UI025 is selected, and the house style's
  with ``--house-style majority``), in memory that does not grow with the corpus
  (:func:`reduce_counts`). 1a: each partition maps its documents to the counting keys of their
  short lines (lint.crossdoc.candidates, hashed to 64 bits with blake2b: the same in every
  process), a line counted once per document, and the partitions' counts are added in a tree
  into one fixed-size count-min sketch (4 x 2**17 counters, 2 MB), which never undercounts;
  the documents per group and the house-style forms are added alongside. 1b: the lines whose
  estimate reaches their group's threshold (lint.crossdoc.frequent's rule; a superset of the
  frequent ones, bounded: each truly frequent line covers ``min_share`` of its group) are
  counted exactly as distinct (key, document fingerprint) pairs, so copies of an article count
  once, united in a tree per shard of the fingerprints (one shard per GiB of input). 1a leaves
  each partition's rows (hashed key, fingerprint, group) in the parts folder, so 1b reads them
  instead of parsing the input again.
- **Pass 2**: the rule set is built once in the client (a :class:`lint.Linter`), scattered to
  every worker, pickled, with the frequent keys (a worker unpickles it once, first of all,
  before pass 1: one that runs other Copydesk code stops the run with
  lint.api.VersionSkewError, which names both versions), and each partition is linted into a part file
  ``OUT.parts/part-NNNNN.(jsonl|parquet)`` (written under a temporary name, then renamed); the
  worker returns only the partition's summary. The client adds it to the run's total and
  appends it to ``OUT.parts/done.jsonl`` (one line a partition: nothing in the client grows
  with the corpus); ``resume`` skips the partitions it lists (and reuses pass 1's result,
  stored in ``OUT.parts/manifest.json`` with the run's signature), provided the inputs and
  options are the same. Finally the parts are
  concatenated, in input order, into ``OUT`` (JSONL or Parquet by its suffix), the summary is
  written to ``OUT.summary.json``, and the parts are removed.

One output row per record: ``id``, ``group`` (with ``--group-by``), ``error`` (null, or why the
record could not be linted: not JSON, not UTF-8, no text field, text that is not a string …),
``diagnostics`` (the JSON report's shape, DESIGN.md §7), ``verdict``, and ``readability`` (the
``copydesk stats`` figures) when a READ rule is selected. A bad record is one error row; the
run goes on.
"""
from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import os
import shutil
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
PARQUET_SUFFIXES = (".parquet", ".pq")
BATCH_ROWS = 1000
DEFAULT_PARTITION_BYTES = 16 << 20


class CorpusError(Exception):
    """A usage or input mistake: one line, exit status 2."""


# --------------------------------------------------------------------------- planning

@dataclass(frozen=True)
class Part:
    """One partition: ``path`` with a byte range ``[start, end)`` (JSONL), the whole stream
    (gzip: start 0, end -1) or one row group (Parquet: ``start`` is its index)."""

    index: int
    path: str
    kind: str  # "jsonl", "gzip", "parquet"
    start: int
    end: int


@dataclass(frozen=True)
class Spec:
    """How records are read: field names and the default format."""

    text_field: str = "text"
    id_field: str | None = "id"
    format_field: str | None = None
    format: str = "plain"
    group_by: str | None = None


def _kind(path: str) -> str | None:
    low = path.lower()
    if low.endswith(PARQUET_SUFFIXES):
        return "parquet"
    if low.endswith(JSONL_SUFFIXES):
        return "gzip" if low.endswith(".gz") else "jsonl"
    return None


def input_files(inputs) -> list[str]:
    """The input files, in order: files as named, folders searched (sorted, recursively) for
    JSONL and Parquet files."""
    out: list[str] = []
    for raw in inputs:
        p = Path(raw)
        if p.is_dir():
            found = sorted(str(q) for q in p.rglob("*") if q.is_file() and _kind(str(q)))
            if not found:
                raise CorpusError(f"{raw}: no JSONL or Parquet files (.jsonl, .jsonl.gz, .parquet) in this folder")
            out.extend(found)
        elif p.is_file():
            if _kind(str(p)) is None:
                raise CorpusError(f"{raw}: not a JSONL (.jsonl, .jsonl.gz) or Parquet (.parquet) file")
            out.append(str(p))
        else:
            raise CorpusError(f"{raw}: no such file or folder")
    seen: set = set()
    return [x for x in out if not (x in seen or seen.add(x))]


def plan(files, partition_bytes: int = DEFAULT_PARTITION_BYTES) -> list[Part]:
    parts: list[Part] = []
    for path in files:
        kind = _kind(path)
        if kind == "parquet":
            import pyarrow.parquet as pq

            try:
                n = pq.ParquetFile(path).metadata.num_row_groups
            except Exception as exc:  # noqa: BLE001
                raise CorpusError(f"{path}: not a readable Parquet file ({type(exc).__name__}: {exc})") from None
            parts.extend(Part(len(parts), path, kind, i, i + 1) for i in range(n))
        elif kind == "gzip":
            parts.append(Part(len(parts), path, kind, 0, -1))
        else:
            size = os.path.getsize(path)
            for start in range(0, max(size, 1), max(1, partition_bytes)):
                parts.append(Part(len(parts), path, kind, start, min(size, start + partition_bytes)))
    return parts


def signature(files, parts, options: dict) -> dict:
    """What a resumed run must share with the run it resumes."""
    stats = []
    for f in files:
        st = os.stat(f)
        stats.append([os.path.abspath(f), st.st_size, st.st_mtime_ns])
    return {"inputs": stats, "partitions": len(parts), "options": options}


# --------------------------------------------------------------------------- reading

def _jsonl_lines(part: Part):
    """(byte offset, line bytes) of the lines that start in the part's range."""
    if part.kind == "gzip":
        with gzip.open(part.path, "rb") as fh:
            pos = 0
            for line in fh:
                yield pos, line
                pos += len(line)
        return
    with open(part.path, "rb") as fh:
        if part.start > 0:
            fh.seek(part.start - 1)
            fh.readline()  # the rest of the line that started in the previous range
        while True:
            pos = fh.tell()
            if pos >= part.end:
                return
            line = fh.readline()
            if not line:
                return
            yield pos, line


def records(part: Part, spec: Spec):
    """The part's records as (name, record) or (name, None, why) for a line that is no record."""
    base = os.path.basename(part.path)
    if part.kind == "parquet":
        yield from _parquet_records(part, spec, base)
        return
    try:
        for pos, raw in _jsonl_lines(part):
            if not raw.strip():
                continue
            name = f"{base}@{pos}"
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield name, None, f"{name}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {pos + exc.start})"
                continue
            try:
                rec = json.loads(text)
            except ValueError as exc:
                yield name, None, f"{name}: not a JSON record ({exc})"
                continue
            yield name, rec, None
    except (OSError, EOFError) as exc:  # a truncated or corrupt gzip stream: the rest of the file
        name = f"{base}"
        yield name, None, f"{name}: cannot read further ({type(exc).__name__}: {exc})"


def _parquet_records(part: Part, spec: Spec, base: str):
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(part.path)
    names = set(pf.schema_arrow.names)
    wanted = [c for c in (spec.text_field, spec.id_field, spec.format_field, spec.group_by) if c and c in names]
    row = 0
    for batch in pf.iter_batches(batch_size=BATCH_ROWS, row_groups=[part.start], columns=list(dict.fromkeys(wanted))):
        for rec in batch.to_pylist():
            yield f"{base}#{part.start}:{row}", rec, None
            row += 1


# --------------------------------------------------------------------------- pass 1

def hkey(key: str) -> int:
    """A line's counting key as 64 bits, the same in every process (unlike ``hash``)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


def _group(rec, spec: Spec) -> str:
    if not spec.group_by or not isinstance(rec, dict):
        return ""
    g = rec.get(spec.group_by)
    return "" if g is None else str(g)


def _text_and_format(rec, spec: Spec):
    """(text, parser format) of a good record, else None."""
    from .api import FORMATS

    if not isinstance(rec, dict):
        return None
    text = rec.get(spec.text_field)
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            return None
    if not isinstance(text, str):
        return None
    fmt = FORMATS.get(spec.format)
    if spec.format_field and rec.get(spec.format_field) is not None:
        fmt = FORMATS.get(str(rec[spec.format_field]).strip().lower())
    return None if fmt is None else (text, fmt)


#: pass 1a's count-min sketch: SKETCH_DEPTH rows of SKETCH_WIDTH uint32 counters (2 MB), the
#: same size for any corpus. A row's cell of a line is a multiply-shift hash of its 64-bit key.
SKETCH_DEPTH = 4
SKETCH_WIDTH = 1 << 17
_MULT = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
         0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9)
#: pieces folded by one reduction task (pass 1a's sketches, pass 1b's pairs)
FANIN = 8
#: pass 1b's (key, fingerprint) pairs are counted in one shard (by fingerprint) per this many
#: bytes of input, so the pairs one reducer holds do not grow with the corpus
PAIR_SHARD_BYTES = 1 << 30


def _ghash(group: str) -> int:
    """What a group adds (XOR) to a key's hash in the sketch: 0 for the one group of a run
    without --group-by."""
    return hkey("\x00group\x00" + group) if group else 0


def _scan(part: Part, spec: Spec, lines: bool, srules, docs, styles, fingerprints: bool = False):
    """The good documents of a partition, parsed as the lint parses them: yields
    ``(group, set of hashed candidate keys, fingerprint or 0)`` for those with candidate lines
    (``lines``); counts every document that can be linted in ``docs`` (group -> n) and, with
    ``srules``, the house-style forms in ``styles`` ((group, code, form) -> documents)."""
    from . import crossdoc
    from .document import parse

    for name, rec, why in records(part, spec):
        tf = None if why else _text_and_format(rec, spec)
        if tf is None:
            continue
        g = _group(rec, spec)
        if docs is not None:
            docs[g] += 1
        try:
            doc = parse(tf[0], name, tf[1])
        except Exception:  # noqa: BLE001 - pass 2 reports the record's error
            continue
        if srules:
            styles.update((g, code, i) for code, i in crossdoc.style_usage(doc, srules))
        if lines:
            keys = {hkey(k) for k, _, _ in crossdoc.document_candidates(doc)}
            if keys:
                yield g, keys, crossdoc.document_fingerprint(doc) if fingerprints else 0


def _cells(xs, width: int, depth: int):
    """The sketch cell of each 64-bit value of ``xs`` (uint64 array) in each row."""
    import numpy as np

    shift = np.uint64(64 - (width.bit_length() - 1))
    for i in range(depth):
        yield ((xs * np.uint64(_MULT[i])) >> shift).astype(np.intp)


def spill_path(spill_dir: str, index: int) -> str:
    """Where pass 1a leaves a partition's (key, fingerprint, group) rows for pass 1b."""
    return os.path.join(spill_dir, f"pass1-{index:05d}.npz")


def _rows(scanned):
    """:func:`_scan`'s documents as rows, one per (document, short line): ``(keys, fps, gi,
    names)``, the hashed keys and fingerprints (uint64), each row's group as an index into
    ``names`` (the groups in order of first sight)."""
    import numpy as np

    order: dict = {}
    ks: list = []
    fps: list = []
    gl: list = []
    for g, keys, fp in scanned:
        j = order.setdefault(g, len(order))
        ks.extend(keys)
        fps.extend([fp] * len(keys))
        gl.extend([j] * len(keys))
    return (np.fromiter(ks, dtype=np.uint64, count=len(ks)), np.fromiter(fps, dtype=np.uint64, count=len(fps)),
            np.asarray(gl, dtype=np.intp), list(order))


def _group_hashes(names):
    import numpy as np

    return np.asarray([_ghash(g) for g in names], dtype=np.uint64)


def sketch_part(part: Part, spec: Spec, lines: bool = True, srules=(), spill_dir: str | None = None) -> dict:
    """Pass 1a of one partition: ``{"keys": (values, documents), "sketch": None, "docs",
    "styles"}``, ``values`` the distinct ``hashed key ^ group hash`` of its documents' short
    lines (uint64, sorted) and ``documents`` how many of its documents hold each (a document
    counts a line once): the partition's share of the sketch, sparse (its size is the
    partition's, not the corpus's). With ``spill_dir`` (a folder every worker sees: the run's
    parts folder) it also writes each document's (hashed key, fingerprint, group) rows there
    (:func:`spill_path`, about 24 bytes a short line), so that pass 1b need not parse again."""
    import numpy as np

    docs: Counter = Counter()
    styles: Counter = Counter()
    k, fp, gi, names = _rows(_scan(part, spec, lines, srules, docs, styles, fingerprints=spill_dir is not None))
    if spill_dir is not None and lines:
        path = spill_path(spill_dir, part.index)
        with open(path + ".tmp", "wb") as fh:
            np.savez(fh, keys=k, fps=fp, groups=gi.astype(np.int64), names=np.asarray(names, dtype=np.str_))
        os.replace(path + ".tmp", path)
    values, counts = np.unique(k ^ _group_hashes(names)[gi] if len(k) else k, return_counts=True)
    return {"keys": (values, counts.astype(np.uint32)), "sketch": None, "docs": docs, "styles": styles}


def _fold_sketch(width: int, depth: int, *pieces) -> dict:
    """Pieces of pass 1a (partitions' sparse counts or folded sketches) added into one sketch."""
    import numpy as np

    sk = None
    docs: Counter = Counter()
    styles: Counter = Counter()
    for p in pieces:
        docs.update(p["docs"])
        styles.update(p["styles"])
        if p["sketch"] is not None:
            if sk is None:
                sk = p["sketch"].copy()
            else:
                sk += p["sketch"]
        if p["keys"] is not None and len(p["keys"][0]):
            if sk is None:
                sk = np.zeros((depth, width), dtype=np.uint32)
            values, counts = p["keys"]
            for i, cells in enumerate(_cells(values, width, depth)):
                np.add.at(sk[i], cells, counts)
    return {"keys": None, "sketch": sk, "docs": docs, "styles": styles}


def estimate(sketch, values):
    """The count-min estimate of each value (uint64 array): never below its true count."""
    import numpy as np

    depth, width = sketch.shape
    est = None
    for i, cells in enumerate(_cells(values, width, depth)):
        est = sketch[i][cells] if est is None else np.minimum(est, sketch[i][cells])
    return est


def _sketch_small(folded: dict) -> tuple:
    """(documents per group, house-style counts, the largest estimate any line can have)."""
    sk = folded["sketch"]
    bound = -1 if sk is None else int(sk.max(axis=1).min())
    return folded["docs"], folded["styles"], bound


def pairs_part(part: Part, spec: Spec, folded: dict, need: dict, shards: int, spill_dir: str | None = None) -> list:
    """Pass 1b of one partition: for the lines whose sketch estimate reaches their group's
    threshold (``need``: group -> documents), the distinct (hashed key, fingerprint) pairs, as
    ``shards`` dicts (by fingerprint) of group -> uint64 array (n, 2). The rows come from pass
    1a's file in ``spill_dir``, else from reading and parsing the partition again."""
    import numpy as np

    if spill_dir is not None:
        path = spill_path(spill_dir, part.index)
        with np.load(path, allow_pickle=False) as z:
            k, fp, gi, names = z["keys"], z["fps"], z["groups"].astype(np.intp), [str(x) for x in z["names"]]
    else:
        k, fp, gi, names = _rows(_scan(part, spec, True, (), None, None, fingerprints=True))
    out: list = [{} for _ in range(shards)]
    if not len(k):
        return out
    hs = _group_hashes(names)
    needs = np.asarray([need.get(g, np.inf) for g in names], dtype=np.float64)
    keep = estimate(folded["sketch"], k ^ hs[gi]) >= needs[gi]
    shard = fp % np.uint64(shards)
    for j, name in enumerate(names):
        for b in range(shards):
            sel = keep & (gi == j) & (shard == b)
            if sel.any():
                out[b][name] = np.unique(np.stack([k[sel], fp[sel]], axis=1), axis=0)
    return out


def _fold_pairs(shard, *pieces) -> dict:
    """Pieces of pass 1b united: group -> distinct (key, fingerprint) rows. ``shard``: the
    shard to take of partitions' results (lists by shard), None for already folded pieces."""
    import numpy as np

    by_group: dict = {}
    for p in pieces:
        for g, arr in (p[shard] if shard is not None else p).items():
            by_group.setdefault(g, []).append(arr)
    return {g: np.unique(np.concatenate(arrs), axis=0) for g, arrs in by_group.items()}


def _count_pairs(folded: dict) -> dict:
    """group -> {hashed key: distinct fingerprints} of one shard's united pairs."""
    import numpy as np

    out = {}
    for g, arr in folded.items():
        keys, counts = np.unique(arr[:, 0], return_counts=True)
        out[g] = dict(zip(keys.tolist(), counts.tolist()))
    return out


def _tree(client, leaves: list, first, then, fanin: int = FANIN, then_fanin: int | None = FANIN):
    """``first`` over chunks of ``fanin`` leaves, then ``then`` over chunks of ``then_fanin`` of
    those, up to one future; ``then_fanin`` None: ``then`` in a chain instead (each result
    folded into the one before: one accumulator, for pieces of a fixed size such as sketches,
    where a tree would hold one pending piece per level). Each level runs at a higher priority
    than the one below, so a fold runs as soon as its pieces exist and frees them (maps first
    would hold every partition's piece at once)."""
    fs, fn, k, level = leaves, first, fanin, 1
    while True:
        fs = [client.submit(fn, *fs[i:i + k], pure=False, priority=level) for i in range(0, len(fs), k)]
        if len(fs) == 1:
            return fs[0]
        fn, k, level = then, then_fanin, level + 1
        if k is None:
            acc = fs[0]
            for f in fs[1:]:
                acc = client.submit(fn, acc, f, pure=False, priority=level)
            return acc


def pair_shards(parts) -> int:
    """Pass 1b's shards for these partitions: one per PAIR_SHARD_BYTES of input (at least 1)."""
    size = 0
    for path in {p.path for p in parts}:
        try:
            size += os.path.getsize(path)
        except OSError:
            pass
    return max(1, min(256, -(-size // PAIR_SHARD_BYTES)))


def reduce_counts(client, parts, spec: Spec, min_docs: int | None, min_share: float | None, srules=(),
                  style_docs: int | None = None, shards: int | None = None, width: int = SKETCH_WIDTH,
                  depth: int = SKETCH_DEPTH, spill_dir: str | None = None) -> dict:
    """Pass 1 on the cluster, in memory that does not grow with the corpus:

    - 1a: a map over the partitions (:func:`sketch_part`), folded in a tree into one count-min
      sketch of ``depth`` x ``width`` counters (documents per line and group, an over-estimate,
      never under), with the documents per group and the house-style counts;
    - 1b: a second map (:func:`pairs_part`: the rows 1a left in ``spill_dir``, a folder every
      worker sees, or else the input read and parsed again) keeps only the lines whose
      estimate reaches their group's threshold (a superset of the frequent ones), as distinct
      (key, fingerprint) pairs, united in a tree per shard of the fingerprints (``shards``;
      None: :func:`pair_shards`) and counted exactly: copies of an article count once. The
      client keeps the keys held by at least ``min_docs`` and ``min_share`` of their group.

    1b is skipped when no line can reach the threshold; 1a's files are removed at the end.
    ``min_docs`` None: no repeated lines (UI025 off); ``srules`` empty: no house style."""
    from . import crossdoc

    out: dict = {"docs": {}, "frequent": {}, "styles": {}}
    if not parts:
        return out
    lines = min_docs is not None
    spill = spill_dir if lines else None
    mapped = [client.submit(sketch_part, p, spec, lines, tuple(srules), spill, pure=False) for p in parts]
    from functools import partial

    fold = partial(_fold_sketch, width, depth)
    root = _tree(client, mapped, fold, fold, FANIN, None)  # sketches above the leaves: in a chain
    del mapped
    docs, styles, bound = client.submit(_sketch_small, root, pure=False).result()
    out["docs"] = dict(docs)
    need = {g: max(min_docs, min_share * n) for g, n in docs.items()} if lines else {}
    if lines and need and bound >= min(need.values()):
        shards = shards or pair_shards(parts)
        mapped = [client.submit(pairs_part, p, spec, root, need, shards, spill, pure=False) for p in parts]
        trees = [_tree(client, mapped, partial(_fold_pairs, b), partial(_fold_pairs, None)) for b in range(shards)]
        counted = [client.submit(_count_pairs, t, pure=False, priority=100) for t in trees]
        del trees
        del mapped
        totals: dict = {}
        for part in client.gather(counted):
            for g, c in part.items():
                tg = totals.setdefault(g, Counter())
                tg.update(c)
        for g, c in totals.items():
            freq = {h: n for h, n in c.items() if n >= need[g]}
            if freq:
                out["frequent"][g] = freq
    del root
    for p in parts if spill else ():
        with contextlib.suppress(OSError):
            os.remove(spill_path(spill, p.index))
    if srules and style_docs is not None:
        per_group: dict = {}
        for (g, code, i), n in styles.items():
            per_group.setdefault(g, Counter())[(code, i)] = n
        for g, c in per_group.items():
            major = crossdoc.majorities(c, min_docs=style_docs)
            if major:
                out["styles"][g] = major
    return out


# --------------------------------------------------------------------------- pass 2

def _diag_rows(result) -> dict:
    return result.to_dict()


def _empty_summary() -> dict:
    return {"documents": 0, "errors": 0, "with_findings": 0, "likely_mt": 0,
            "by_rule": {}, "by_category": {}, "by_severity": {}}


def _tally(s: dict, row: dict) -> None:
    s["documents"] += 1
    if row.get("error"):
        s["errors"] += 1
    if row["diagnostics"]:
        s["with_findings"] += 1
    if (row.get("verdict") or {}).get("likely_mt"):
        s["likely_mt"] += 1
    for d in row["diagnostics"]:
        for key, val in (("by_rule", d["code"]), ("by_category", d["category"]), ("by_severity", d["severity"])):
            s[key][val] = s[key].get(val, 0) + 1


def merge_summaries(a: dict, b: dict) -> dict:
    """``a`` plus ``b`` (summaries of disjoint sets of documents), in place into ``a``."""
    for k, v in b.items():
        if isinstance(v, dict):
            tgt = a.setdefault(k, {})
            if k == "groups":
                for g, sub in v.items():
                    merge_summaries(tgt.setdefault(g, _empty_summary()), sub)
            else:
                for kk, vv in v.items():
                    tgt[kk] = tgt.get(kk, 0) + vv
        else:
            a[k] = a.get(k, 0) + v
    return a


def lint_record(linter, rec, name: str, spec: Spec, why: str | None, cross: dict | None,
                severity=None, readability: bool = False, srules=(), severity_for=None) -> dict:
    """One output row."""
    from . import crossdoc
    from .document import parse
    from .runner import FileResult, lint_source
    from .verdict import verdict

    rid = name
    if isinstance(rec, dict) and spec.id_field and rec.get(spec.id_field) is not None:
        rid = str(rec[spec.id_field])
    group = _group(rec, spec) if spec.group_by else None
    tf = _text_and_format(rec, spec) if why is None and isinstance(rec, dict) and isinstance(rec.get(spec.text_field), str) \
        else None
    if why is not None:
        result = FileResult(rid, error=why)
    elif tf is None:  # the API says what is wrong with the record (or decodes its bytes)
        result = next(linter.lint_records([rec], text_field=spec.text_field, id_field=spec.id_field,
                                          format_field=spec.format_field, format=spec.format))
        if result.path.startswith("#") and rid == name:
            result.path = rid  # the API numbers records from 0 within its call: name it by its place
            if result.error and result.error.startswith("#0"):
                result.error = rid + result.error[2:]
        if result.error is None and (cross or readability):
            tf = _text_and_format(rec, spec)
    else:  # what Linter.lint_text does, keeping the parsed document for the passes below
        result = lint_source(tf[0], rid, linter.rules(rid), linter._severity_for, fmt=tf[1])
    doc = result.document
    if result.error is not None:
        tf = None
    if tf is not None and cross:
        freq = cross["frequent"].get(group or "", {})
        if freq:
            text, fmt = tf
            if doc is None:
                doc = parse(text, rid, fmt)
            cands = [(hkey(k), s, e) for k, s, e in crossdoc.document_candidates(doc)]
            extra = crossdoc.findings(cands, freq, cross["docs"].get(group or "", 0), counts=freq,
                                      source=text, severity=severity or crossdoc.Severity.WARNING)
            extra = crossdoc.suppressed(extra, doc) if extra else extra
            if extra:
                result.diagnostics = crossdoc.merge(result.diagnostics, extra)
                result.verdict = verdict(result.diagnostics)
    if tf is not None and cross and srules and cross.get("styles", {}).get(group or ""):
        if doc is None:
            doc = parse(tf[0], rid, tf[1])
        extra = crossdoc.style_findings(doc, srules, cross["styles"][group or ""], result.diagnostics, severity_for)
        extra = crossdoc.suppressed(extra, doc) if extra else extra
        if extra:
            result.diagnostics = crossdoc.merge(result.diagnostics, extra)
            result.verdict = verdict(result.diagnostics)
    result.document = None
    row = {"id": rid}
    if spec.group_by:
        row["group"] = group
    d = result.to_dict()
    row["error"] = d.get("error")
    row["diagnostics"] = d["diagnostics"]
    row["verdict"] = d.get("verdict")
    if readability:
        row["readability"] = None
        if tf is not None:
            from .readability import document_stats

            row["readability"] = document_stats(doc if doc is not None else parse(tf[0], rid, tf[1]))
    return row


#: the last Linter unpickled in this (worker) process: (its pickle's digest, the Linter)
_WORKER_LINTER: tuple = (b"", None)


def load_linter(blob: bytes):
    """The :class:`lint.Linter` pickled in ``blob``, unpickled once per process. The client
    ships the pickle, not the object: a worker that runs other Copydesk code then raises
    lint.api.VersionSkewError in a task, which reaches the client as itself (an object that
    fails to unpickle when scattered comes back as a bare ``Exception`` of its text)."""
    import pickle

    global _WORKER_LINTER
    digest = hashlib.blake2b(blob, digest_size=16).digest()
    if _WORKER_LINTER[0] != digest:
        _WORKER_LINTER = (b"", None)
        _WORKER_LINTER = (digest, pickle.loads(blob))
    return _WORKER_LINTER[1]


def _check_linter(blob: bytes) -> None:
    load_linter(blob)


def lint_part(part: Part, spec: Spec, linter, cross: dict | None, out_dir: str, out_kind: str,
              opts: dict) -> dict:
    """Pass 2 of one partition: lint its records into its part file; its summary back.
    ``linter``: a :class:`lint.Linter` or its pickle (:func:`load_linter`)."""
    if isinstance(linter, bytes):
        linter = load_linter(linter)
    srules, severity_for = (), None
    if opts.get("house_style"):
        from . import crossdoc

        rules = linter.rules()
        srules = crossdoc.style_rules(rules)
        sev = {r.meta.code: (linter._severity_for(r.meta) if linter._severity_for else r.meta.severity) for r in rules}
        severity_for = sev.get
    rows_iter = (lint_record(linter, rec, name, spec, why, cross, opts.get("severity"), opts.get("readability", False),
                             srules, severity_for)
                 for name, rec, why in records(part, spec))
    summary = _empty_summary()
    if spec.group_by:
        summary["groups"] = {}
    final = os.path.join(out_dir, part_name(part.index, out_kind))
    tmp = final + ".tmp"

    def counted(rows):
        for row in rows:
            _tally(summary, row)
            if spec.group_by:
                _tally(summary["groups"].setdefault(row["group"], _empty_summary()), row)
            yield row

    if out_kind == "parquet":
        _write_parquet(tmp, counted(rows_iter), spec, opts.get("readability", False))
    else:
        with open(tmp, "w", encoding="utf-8") as fh:
            for row in counted(rows_iter):
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    os.replace(tmp, final)
    return summary


def part_name(index: int, out_kind: str) -> str:
    return f"part-{index:05d}.{'parquet' if out_kind == 'parquet' else 'jsonl'}"


# --------------------------------------------------------------------------- Parquet output

def arrow_schema(group: bool, readability: bool):
    import pyarrow as pa

    pos = pa.struct([("offset", pa.int64()), ("line", pa.int64()), ("column", pa.int64())])
    edit = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("content", pa.string())])
    fix = pa.struct([("applicability", pa.string()), ("title", pa.string()), ("edits", pa.list_(edit))])
    diag = pa.struct([("code", pa.string()), ("name", pa.string()), ("category", pa.string()),
                      ("severity", pa.string()), ("message", pa.string()), ("start", pos), ("end", pos),
                      ("fix", fix)])
    evidence = pa.struct([("family", pa.string()), ("code", pa.string()), ("start", pa.int64()), ("end", pa.int64())])
    verdict = pa.struct([("likely_mt", pa.bool_()), ("score", pa.float64()), ("families", pa.list_(pa.string())),
                         ("evidence", pa.list_(evidence))])
    fields = [("id", pa.string())]
    if group:
        fields.append(("group", pa.string()))
    fields += [("error", pa.string()), ("diagnostics", pa.list_(diag)), ("verdict", verdict)]
    if readability:
        from .readability import STATS

        fields.append(("readability", pa.struct([(s, pa.int64() if s in ("words", "sentences") else pa.float64())
                                                 for s in STATS])))
    return pa.schema(fields)


def _write_parquet(path: str, rows, spec: Spec, readability: bool) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(bool(spec.group_by), readability)
    with pq.ParquetWriter(path, schema) as writer:
        batch: list = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH_ROWS:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        if batch or True:  # an empty part still has the schema
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))


def read_output(path) -> list[dict]:
    """The rows of a corpus output (JSONL or Parquet), for tests and small outputs."""
    path = str(path)
    if _kind(path) == "parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pylist()
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


# --------------------------------------------------------------------------- the run

@dataclass
class Options:
    """What ``copydesk corpus`` was asked to do: inputs, output, record fields, cluster and run
    settings."""
    inputs: list
    output: str
    spec: Spec = field(default_factory=Spec)
    config: object = None  # for lint.Linter: None, a path or a dict
    workers: int = 0  # 0: the number of cores
    scheduler: str | None = None
    partition_bytes: int = DEFAULT_PARTITION_BYTES
    resume: bool = False
    progress: bool = True
    cross_doc: bool = True
    house_style: bool = False  # house style by majority across the corpus (or each --group-by group)
    profile: bool = False  # keep the workers' statistical profiler running (see _profiler)


def out_kind(output: str) -> str:
    low = output.lower()
    if low.endswith(PARQUET_SUFFIXES):
        return "parquet"
    if low.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    raise CorpusError(f"{output}: the output is .jsonl or .parquet (by its suffix)")


class _Progress:
    def __init__(self, enabled: bool, total_parts: int, stream=None):
        self.enabled, self.total = enabled, total_parts
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self.docs = self.parts = self.errors = 0
        self.last = 0.0

    def update(self, summary: dict, parts: int = 1) -> None:
        self.docs += summary["documents"]
        self.errors += summary["errors"]
        self.parts += parts
        now = time.monotonic()
        if self.enabled and (now - self.last > 0.2 or self.parts == self.total):
            self.last = now
            rate = self.docs / max(now - self.start, 1e-9)
            self.stream.write(f"\rcopydesk corpus: {self.docs:,} documents ({self.errors:,} errors), "
                              f"partitions {self.parts}/{self.total}, {rate:,.0f} documents/s ")
            self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def _atomic_json(path: str, obj) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(obj, fh, ensure_ascii=False, indent=1, sort_keys=True)
    os.replace(tmp, path)


def _client(opts: Options):
    """(client, cluster or None). Local: a LocalCluster of worker processes, one thread each."""
    import logging

    from distributed import Client, LocalCluster

    if opts.scheduler:
        try:
            return Client(opts.scheduler, timeout="20s"), None
        except (OSError, TimeoutError) as exc:
            raise CorpusError(f"{opts.scheduler}: cannot reach the Dask scheduler ({exc})") from None
    n = opts.workers or os.cpu_count() or 1
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
                           silence_logs=logging.ERROR)
    return Client(cluster), cluster


def _gate_first(files) -> None:
    """Load, or build and store, the Hyperscan gate's database (lint.regex.gate) in the client
    before any worker starts, when the input holds enough articles to pay for it (counted at
    one per 4 KB): the workers of this machine then load it instead of each building its own."""
    from .regex import gate

    try:
        size = sum(os.path.getsize(f) for f in files)
    except OSError:
        return  # the run itself says which input it cannot read
    gate.prepare(size // 4096)


def run(opts: Options, linter=None, client=None, on_partition=None) -> dict:
    """The whole run; returns the summary (also written to ``OUT.summary.json``). ``linter``:
    a :class:`lint.Linter` (else one of ``opts.config``); ``client``: a ``distributed.Client``
    to run on (else one is made: ``opts.scheduler`` or a LocalCluster of ``opts.workers``);
    ``on_partition(index, summary)`` is called in the client as each partition is recorded
    (an exception from it stops the run as an interruption would: what was recorded stays)."""
    from .api import Linter

    kind = out_kind(opts.output)
    files = input_files(opts.inputs)
    parts = plan(files, opts.partition_bytes)
    linter = linter if linter is not None else Linter(opts.config)
    rules = linter.rules()
    _gate_first(files)
    ui025 = next((r for r in rules if r.meta.code == "UI025"), None) if opts.cross_doc else None
    readability = any(r.meta.family == "READ" for r in rules)
    severity = None
    if ui025 is not None:
        severity = linter._severity_for(ui025.meta) if linter._severity_for else ui025.meta.severity
    min_docs = getattr(getattr(ui025, "impl", None), "min_docs", None)
    min_share = getattr(getattr(ui025, "impl", None), "min_share", None)
    from . import crossdoc

    srules = crossdoc.style_rules(rules) if opts.house_style else []
    style_docs = min_docs or crossdoc.MIN_DOCS
    options = {"spec": asdict(opts.spec), "partition_bytes": opts.partition_bytes, "cross_doc": ui025 is not None,
               "min_docs": min_docs, "min_share": min_share, "rules": sorted(r.meta.code for r in rules),
               "severity": str(severity) if severity else None, "readability": readability, "output": kind,
               "house_style": [r[0] for r in srules]}
    sig = signature(files, parts, options)

    parts_dir = opts.output + ".parts"
    manifest_path = os.path.join(parts_dir, "manifest.json")
    done_path = os.path.join(parts_dir, "done.jsonl")
    manifest = {"signature": sig, "cross": None}
    total = _empty_summary()
    if opts.spec.group_by:
        total["groups"] = {}
    done: set = set()  # the partitions finished (their summaries are added into total)
    if opts.resume and os.path.exists(manifest_path):
        try:
            with open(manifest_path, encoding="utf-8") as fh:
                old = json.load(fh)
        except (OSError, ValueError):
            old = None
        if not old or old.get("signature") != json.loads(json.dumps(sig)):
            raise CorpusError(f"{opts.output}: the inputs or options changed since the run to resume; "
                              "run again without --resume")
        manifest = {"signature": old["signature"], "cross": old.get("cross")}
        kept = []
        for entry in _read_done(done_path):
            i = entry["index"]
            if i not in done and os.path.exists(os.path.join(parts_dir, part_name(i, kind))):
                done.add(i)
                merge_summaries(total, entry["summary"])
                kept.append(entry)
        with open(done_path + ".tmp", "w", encoding="utf-8") as fh:  # without a line cut short
            fh.writelines(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in kept)
        os.replace(done_path + ".tmp", done_path)
        del kept
    else:
        shutil.rmtree(parts_dir, ignore_errors=True)
    os.makedirs(parts_dir, exist_ok=True)
    _atomic_json(manifest_path, manifest)

    own_client = client is None
    cluster = None
    if own_client:
        client, cluster = _client(opts)
    started = time.monotonic()
    paused = False
    try:
        import pickle

        # the rule set travels pickled, and a worker unpickles it first of all: one that runs
        # other Copydesk code says so (VersionSkewError) before pass 1 costs anything. hash=False:
        # a key of its own, since the same bytes scattered by the run before (same content, same
        # key) may still be being released ("lost data")
        [linter_f] = client.scatter([pickle.dumps(linter, protocol=pickle.HIGHEST_PROTOCOL)], broadcast=True,
                                    hash=False)
        client.submit(_check_linter, linter_f, pure=False).result()
        if not opts.profile:
            client.run(_profiler, False)
            paused = True
        cross = None
        t_cross = 0.0
        if ui025 is not None or srules:
            if manifest.get("cross") is not None:
                cross = _cross_from_json(manifest["cross"])
            else:
                t0 = time.monotonic()
                cross = reduce_counts(client, parts, opts.spec, min_docs, min_share, srules, style_docs,
                                      spill_dir=os.path.abspath(parts_dir))
                t_cross = time.monotonic() - t0
                manifest["cross"] = _cross_to_json(cross)
                _atomic_json(manifest_path, manifest)
        todo = [p for p in parts if p.index not in done]
        progress = _Progress(opts.progress, len(parts))
        if done:
            progress.update(total, parts=len(done))
        if todo:
            [cross_f] = client.scatter([cross], broadcast=True, hash=False) if cross is not None else [None]
            popts = {"severity": severity, "readability": readability, "house_style": bool(srules)}
            futures = {p.index: client.submit(lint_part, p, opts.spec, linter_f, cross_f, os.path.abspath(parts_dir),
                                              kind, popts, key=f"copydesk-part-{p.index}-{os.getpid()}-{started}",
                                              pure=False)
                       for p in todo}
            try:
                _collect(futures, total, done, done_path, progress, on_partition)
            except BaseException:
                client.cancel(list(futures.values()))
                raise
        progress.done()
    finally:
        if paused and cluster is None:  # a cluster of someone else's (a client passed in, or
            with contextlib.suppress(Exception):  # --scheduler): its workers' profilers as they were
                client.run(_profiler, True)
        if own_client:
            client.close()
            if cluster is not None:
                cluster.close()
    elapsed = time.monotonic() - started

    _concatenate(parts_dir, [p.index for p in parts], kind, opts.output, opts.spec, readability)
    linted = total["documents"] - total["errors"]
    total["verdict_rate"] = round(total["likely_mt"] / linted, 4) if linted else 0.0
    for g in (total.get("groups") or {}).values():
        n = g["documents"] - g["errors"]
        g["verdict_rate"] = round(g["likely_mt"] / n, 4) if n else 0.0
    total["cross_document"] = None if cross is None else {
        "rule": "UI025" if ui025 is not None else None, "min_docs": min_docs, "min_share": min_share,
        "frequent_lines": sum(len(v) for v in cross["frequent"].values()),
        "house_style": {g: {code: {"majority": next(r[5][m][0] for r in srules if r[0] == code),
                                   "documents": n, "of": t} for code, (m, n, t) in v.items()}
                        for g, v in cross.get("styles", {}).items()},
        "seconds": round(t_cross, 3)}
    total["partitions"] = len(parts)
    total["seconds"] = round(elapsed, 3)
    total["output"] = opts.output
    _atomic_json(opts.output + ".summary.json", total)
    shutil.rmtree(parts_dir, ignore_errors=True)
    return total


def _profiler(on: bool, dask_worker=None) -> None:
    """Pause (``on`` False) or resume a worker's statistical profiler (``client.run`` passes the
    worker). It samples the running task's stack every 10 ms and keeps a tree of the stacks of
    each second for the last 1,000 seconds (``distributed.admin.low-level-log-length``): over
    the lint's many call paths that history, not the documents, is what made a worker's memory
    grow with the length of the run (about 50 MB in 15 minutes). Only the dashboard's profile
    page reads it."""
    if dask_worker is None:
        return
    for name in ("profile", "profile-cycle"):
        pc = dask_worker.periodic_callbacks.get(name)
        if pc is not None:
            (pc.start if on else pc.stop)()
    if not on:
        for name in ("profile_history", "profile_keys_history"):
            getattr(dask_worker, name, []).clear()


def _collect(futures: dict, total: dict, done: set, done_path: str, progress, on_partition) -> None:
    """Record each partition as it finishes: its summary added into ``total``, its line appended
    to the done log, and its future dropped (the worker then forgets the summary)."""
    from distributed import as_completed

    index_of = {f.key: i for i, f in futures.items()}
    with open(done_path, "a", encoding="utf-8") as log:
        for fut in as_completed(list(futures.values())):
            summary = fut.result()
            i = index_of.pop(fut.key)
            del futures[i]
            log.write(json.dumps({"index": i, "summary": summary}, ensure_ascii=False, sort_keys=True) + "\n")
            log.flush()
            done.add(i)
            merge_summaries(total, summary)
            progress.update(summary)
            if on_partition is not None:
                on_partition(i, summary)


def _read_done(path: str):
    """The entries of a done log; a line cut short (an interrupted write) ends it."""
    try:
        fh = open(path, encoding="utf-8")
    except OSError:
        return
    with fh:
        for line in fh:
            try:
                entry = json.loads(line)
            except ValueError:
                return
            if isinstance(entry, dict) and isinstance(entry.get("index"), int) \
                    and isinstance(entry.get("summary"), dict):
                yield entry


def _cross_to_json(cross: dict) -> dict:
    return {"docs": cross["docs"], "frequent": {g: [[h, n] for h, n in sorted(v.items())]
                                                for g, v in cross["frequent"].items()},
            "styles": {g: {c: list(t) for c, t in v.items()} for g, v in cross.get("styles", {}).items()}}


def _cross_from_json(obj: dict) -> dict:
    return {"docs": obj["docs"], "frequent": {g: {h: n for h, n in v} for g, v in obj["frequent"].items()},
            "styles": {g: {c: tuple(t) for c, t in v.items()} for g, v in obj.get("styles", {}).items()}}


def _concatenate(parts_dir: str, indexes, kind: str, output: str, spec: Spec, readability: bool) -> None:
    tmp = output + ".tmp"
    if kind == "parquet":
        import pyarrow.parquet as pq

        schema = arrow_schema(bool(spec.group_by), readability)
        with pq.ParquetWriter(tmp, schema) as writer:
            for i in indexes:
                pf = pq.ParquetFile(os.path.join(parts_dir, part_name(i, kind)))
                for batch in pf.iter_batches(batch_size=BATCH_ROWS):
                    writer.write_batch(batch)
    else:
        with open(tmp, "wb") as out:
            for i in indexes:
                with open(os.path.join(parts_dir, part_name(i, kind)), "rb") as fh:
                    shutil.copyfileobj(fh, out, 1 << 20)
    os.replace(tmp, output)


def render_summary(s: dict) -> str:
    """The summary as a few lines of text (printed at the end of a run)."""
    out = io.StringIO()
    linted = s["documents"] - s["errors"]
    out.write(f"{s['documents']:,} documents ({s['errors']:,} errors), {s['with_findings']:,} with findings, "
              f"{s['likely_mt']:,} likely machine-translated or spun (verdict rate {s['verdict_rate']:.2%} "
              f"of {linted:,}); {s['partitions']} partitions in {s['seconds']:.1f} s -> {s['output']}\n")
    sev = s["by_severity"]
    out.write("by severity: " + ", ".join(f"{k} {sev.get(k, 0):,}" for k in ("error", "warning", "info")) + "\n")
    if s["by_category"]:
        out.write("by category: " + ", ".join(f"{k} {v:,}" for k, v in sorted(s["by_category"].items(),
                                                                                  key=lambda kv: (-kv[1], kv[0]))) + "\n")
    if s["by_rule"]:
        top = sorted(s["by_rule"].items(), key=lambda kv: (-kv[1], kv[0]))
        out.write("by rule: " + ", ".join(f"{k} {v:,}" for k, v in top[:15])
                  + (f", … {len(top) - 15} more" if len(top) > 15 else "") + "\n")
    cd = s.get("cross_document")
    if cd and cd.get("rule"):
        out.write(f"cross-document: {cd['frequent_lines']:,} lines repeated in >= {cd['min_docs']} documents "
                  f"and >= {cd['min_share']:.0%} of their group ({cd['seconds']:.1f} s)\n")
    for g, styles in sorted(((cd or {}).get("house_style") or {}).items()):
        for code, st in sorted(styles.items()):
            out.write(f"house style{' of ' + g if g else ''}: {code} {st['majority']} "
                      f"({st['documents']:,} of {st['of']:,} documents)\n")
    for g, gs in sorted((s.get("groups") or {}).items()):
        out.write(f"  group {g or '(none)'}: {gs['documents']:,} documents, {gs['with_findings']:,} with findings, "
                  f"{sum(gs['by_rule'].values()):,} findings, verdict rate {gs['verdict_rate']:.2%}\n")
    return out.getvalue()
