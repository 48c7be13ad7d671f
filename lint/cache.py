"""Results of earlier runs, so that an unchanged repository re-lints almost for free.

What is stored, under ``.copydesk_cache/`` of the current directory:

- ``results/<code>/<c><k>``: ``key -> result``, in 16 shards (by key) per rule selection
  (``<c>``, two hex digits: a run reads its own selection's files only), in a folder per version of
  Copydesk's code (its version and source files). The key hashes that code, the configuration
  (the rule set, the selected rules and their severities, the file's format) and the content
  (sha256): a result is valid for any file with that content under that code and configuration.
  A run loads only its own code's shards, and the first run to store results under new code
  removes all but the two most recently written other versions' folders (an upgrade, or an
  edited checkout, leaves nothing that grows without end; two installed versions used side by
  side, a pinned pre-commit hook and a newer CLI, keep theirs). One folder per configuration
  with the document's format was tried: a repository of Markdown and plain text then has its
  results in twice the files, and a flush rewrote them all (a rename over a file costs ~2 ms
  on ext4, which writes the new file out first); the selection alone (``<c>``) keeps a run's
  files at 16.
- ``evidence/<code>/<c><k>``: ``key -> (signature, findings, places)``: a file's cross-file findings
  (lint.runner._Evidence), read back while what decides them is unchanged.
- ``paths-<FORMAT>-<version>/<k>``: ``path -> (size, mtime_ns, ctime_ns, inode, content digest)``, in 16 shards
  (by a checksum of the path). A file whose
  ``stat`` still matches its entry has that content, so a warm run hashes and reads no file
  (git's index works the same way). A file changed less than two seconds before it was read
  gets no entry ("racily clean": a change within the timestamp's granularity could keep the
  same stat); its content is hashed again next time.

Only the parent process reads and writes the store: workers send back the stat and digest of
what they read, the parent records the results. Files are written under a temporary name, then
renamed; two runs writing at once can lose entries (re-linted next time), never mix them.
Whatever cannot be read is treated as absent, whatever cannot be written is skipped: a cache
only ever makes a run slower or faster, never different.
"""
from __future__ import annotations

import marshal
import os
import sys
from bisect import bisect_right
from operator import itemgetter, lt
from pathlib import Path
from stat import S_ISREG
from time import time_ns
from zlib import crc32

_new = object.__new__

from . import __version__
from ._atomic import read_regular
from ._record import FrozenRecord, assign, record
from ._sha import sha256

CACHE_DIR = ".copydesk_cache"
FORMAT = 8  # raise when what a shard or the path index holds changes shape (8: a folder per code version)
#: other code versions whose results are kept beside the current one's (the most recently written)
KEEP_VERSIONS = 2
#: the path index's folder: one per FORMAT and version, so that an older Copydesk (a pinned
#: pre-commit hook) and a newer one in the same repository do not rewrite each other's (each reads
#: only files of its own header); the KEEP_VERSIONS most recently written others are kept
PATHS = f"paths-{FORMAT}-{__version__}"
RACY_NS = 2_000_000_000  # a file changed this close to its read gets no stat entry
#: results held before they are written: FLUSH_AT at first, then as many as were written so far,
#: up to FLUSH_MAX. A flush during a run writes a segment of each shard (_Sharded), the run's last
#: one merges them: batches that grow make few segments (10,000 files: 6 flushes, not 20), and
#: the cap keeps memory flat (a held result is 1-3 KB). 1,000 (was 500): a run of up to 1,000
#: files writes its shards once, at its end, instead of writing them halfway and then reading
#: them back to merge: after a cold run's last result the parent spent ~41 ms in those two
#: flushes and now ~14 ms in one (1,000 articles, timed in the parent; what a run holds at most
#: is FLUSH_MAX's either way)
FLUSH_AT = 1000
FLUSH_MAX = 2000


def key(*parts) -> str:
    h = sha256(__version__.encode())
    for p in parts:
        h.update(b"\0")
        h.update(p if isinstance(p, bytes) else str(p).encode("utf-8"))
    return h.hexdigest()


#: the sha256 of file contents (:func:`digest`): the interpreter's own until a run has many files
#: to hash (:func:`bulk_hashing`)
_CONTENT_SHA = [sha256]


def digest(data: bytes) -> bytes:
    return _CONTENT_SHA[0](data).digest()


def bulk_hashing() -> None:
    """Hash file contents with OpenSSL's sha256 (hashlib) from now on: the same digests, about
    five times faster on this machine's processors (1,000 articles, 2.6 MB: 12-23 ms with the
    built-in, 2.5 ms). Importing it costs a few milliseconds, so only a run with many files to
    lint asks for it (lint.runner.iter_many, before its workers fork)."""
    try:
        from hashlib import sha256 as openssl_sha256
    except ImportError:  # pragma: no cover - a build without hashlib keeps the built-in
        return
    _CONTENT_SHA[0] = openssl_sha256


_CONFIG_DIGESTS: dict = {}


def result_key(config: str, fmt: str, content: bytes) -> bytes:
    """The key of a stored result: 8 bytes of a digest of the version and Copydesk's source files
    (by name, size and modification time), one of the configuration (``config``: rule set
    fingerprint, selection, severities: which shard files hold the result, _shard_name), 7 of
    the configuration and the document's format, then the content's digest."""
    head = _CONFIG_DIGESTS.get((config, fmt))
    if head is None:
        head = _CONFIG_DIGESTS[config, fmt] = code_digest() + sha256(key(config).encode()).digest()[:1] \
            + sha256(key(config, fmt).encode()).digest()[:7]
    return head + content


_CODE: list = []


def code_digest() -> bytes:
    """8 bytes that change with Copydesk's version and code: an edited checkout or an upgrade
    without a new version number must not be served old results."""
    if not _CODE:
        from .rulecache import _code_stamp

        _CODE.append(sha256(key(_code_stamp()).encode()).digest()[:8])
    return _CODE[0]


_FOLDERS: dict = {}


def _shard_name(k: bytes) -> str:
    """Where the result (or the evidence) of key ``k`` is kept: ``<code>/<configuration><shard>``,
    the code version's folder, then the configuration's byte of the key (two hex digits: the
    rule selection and severities, not the document's format, so Markdown and plain text share
    files) and the shard by the content's last byte. A run loads the shards of its own
    configuration only: the results of another rule selection (a pre-commit hook with a few rules,
    CI with all of them) are in files of their own (they doubled what a warm run loaded). The
    report's format is not part of a configuration: one stored result serves every format."""
    head = k[:9]
    folder = _FOLDERS.get(head)
    if folder is None:
        folder = _FOLDERS[head] = k[:8].hex() + "/" + k[8:9].hex()
    return folder + _RESULT_SHARD[k[-1]]


def stat_key(st) -> tuple:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def seen(st, before_ns: int):
    """The stat worth recording for a file read after ``before_ns`` (None: racily clean)."""
    return stat_key(st) if st.st_mtime_ns < before_ns - RACY_NS else None


# -- the codec: a result as stored ------------------------------------------------------------

@record
class Stored(FrozenRecord):
    """What a report needs of a linted file, as the result store keeps it, the workers send it
    back and the JSON reporter copies it: the one codec of a stored result (``Stored.of`` a
    result, ``to_dict``/``from_dict`` to and from the store, ``diagnostics()`` and ``verdict()``
    back to objects).

    ``findings``: one row per finding, ``(code, name, category, severity, message, start, end,
    confidence, fix)``, ``fix`` None or ``(applicability, title, ((start, end, content), …))``
    (severities and applicabilities as ints). ``line_starts`` and ``length`` place the findings
    (line, column) without reading the file again (None and 0 when there is nothing to place).
    ``diagnostics_json`` and ``verdict_json`` are the JSON report's text of the file's
    ``diagnostics`` and ``verdict`` values: a warm JSON report copies them. ``lines``: the
    file's candidate lines for cross-file evidence (lint.crossdoc), as the worker found them
    (lint.runner.candidate_lines: ``(key, start, end, offset, snippet, live, fingerprint)``).
    """

    findings: tuple
    likely_mt: bool
    line_starts: tuple | None
    length: int
    diagnostics_json: str
    verdict_json: str | None
    lines: tuple = ()

    def __init__(self, findings: tuple, likely_mt: bool, line_starts: tuple | None, length: int,
                 diagnostics_json: str, verdict_json: str | None, lines: tuple = ()):
        assign(self, "findings", findings)
        assign(self, "likely_mt", likely_mt)
        assign(self, "line_starts", line_starts)
        assign(self, "length", length)
        assign(self, "diagnostics_json", diagnostics_json)
        assign(self, "verdict_json", verdict_json)
        assign(self, "lines", lines)

    @classmethod
    def of(cls, result, lines: tuple = ()) -> "Stored":
        """Encode a linted file's result (lint.runner.FileResult)."""
        diags = tuple(
            (d.code, d.name, d.category, int(d.severity), d.message, d.start, d.end, d.confidence,
             None if d.fix is None else (int(d.fix.applicability), d.fix.title,
                                         tuple((e.start, e.end, e.content) for e in d.fix.edits)))
            for d in result.diagnostics)
        from .reporters.json import diagnostics_text, verdict_text

        verdict = verdict_text(result.verdict)
        likely = bool(result.verdict and result.verdict.get("likely_mt"))
        if not diags and not lines:
            return cls((), likely, None, 0, "[]", verdict, ())
        index = result.lines
        return cls(diags, likely, tuple(index.starts), index.length,
                   diagnostics_text(result) if diags else "[]", verdict, tuple(lines))

    def to_dict(self) -> dict:
        """What the store writes (marshal: plain values only)."""
        return {"findings": self.findings, "likely_mt": self.likely_mt, "line_starts": self.line_starts,
                "length": self.length, "diagnostics_json": self.diagnostics_json,
                "verdict_json": self.verdict_json, "lines": self.lines}

    @classmethod
    def from_dict(cls, value, trusted: bool = False) -> "Stored | None":
        """A stored entry back, or None when it is not what ``to_dict`` makes (a miss); checked
        unless ``trusted`` (it is what this code wrote: a sealed store file's, lint.cache.SEAL)."""
        if trusted:  # the fields of to_dict, by name: one copy instead of seven assignments
            stored = _new(cls)
            stored.__dict__.update(value)
            return stored
        if not valid_payload(value):
            return None
        return cls(value["findings"], value["likely_mt"], value["line_starts"], value["length"],
                   value["diagnostics_json"], value["verdict_json"], value["lines"])

    def with_delta(self, rows: tuple, items: tuple, places: tuple | None = None) -> "Stored":
        """This result with findings added (``rows`` and their JSON ``items``, as :func:`delta`
        encodes them: placed on the same text), in report order (``Diagnostic.sort_key``), made
        from the stored rows and JSON text without turning them into objects (cross-file
        evidence). The verdict is kept: the caller adds only findings that it does not weigh.
        ``places`` (:meth:`places` of ``rows``, stored with them): where each goes, so that the
        JSON text is cut at those offsets instead of being split into its items and sorted."""
        if places is not None:
            return self._inserted(rows, items, places)
        pairs = sorted(zip(self.findings + rows, _json_items(self.diagnostics_json) + list(items)),
                       key=lambda pair: (pair[0][5], pair[0][6], pair[0][0]))
        return Stored(tuple(row for row, _ in pairs), self.likely_mt, self.line_starts, self.length,
                      "[\n    " + ",\n    ".join(item for _, item in pairs) + "\n   ]" if pairs else "[]",
                      self.verdict_json, self.lines)

    def places(self, rows: tuple) -> tuple | None:
        """Where :meth:`with_delta` puts each of ``rows``: ``(index, offset)``, the stored finding
        it goes before (or the count of them: after the last) and where that finding's JSON item
        starts in ``diagnostics_json`` (or where the last one ends). The stable sort of
        :meth:`with_delta` puts a row after the stored findings of the same key and keeps
        ``rows`` in their order; None when the stored findings or ``rows`` are not in that order
        (then only the sort says where they go)."""
        keys = [(r[5], r[6], r[0]) for r in self.findings]
        new = [(r[5], r[6], r[0]) for r in rows]
        if keys != sorted(keys) or new != sorted(new):
            return None
        if not keys:
            return ((0, 0),) * len(rows)  # the text is made from the new items alone
        texts = _json_items(self.diagnostics_json)
        if len(texts) != len(keys):  # not the reporter's layout (a checked entry): the sort decides
            return None
        offsets = []
        at = 6  # len("[\n    "): the first item
        for item in texts:
            offsets.append(at)
            at += len(item) + 6  # the item and ",\n    "
        offsets.append(len(self.diagnostics_json) - 5)  # before "\n   ]" (unused when there are none)
        out, low = [], 0
        for key in new:
            low = bisect_right(keys, key, low)
            out.append((low, offsets[low]))
        return tuple(out)

    def _inserted(self, rows: tuple, items: tuple, places: tuple) -> "Stored":
        """:meth:`with_delta` at known places: the same rows and text."""
        base, text = self.findings, self.diagnostics_json
        n = len(base)
        if not n:
            merged, text = tuple(rows), "[\n    " + ",\n    ".join(items) + "\n   ]"
        else:
            out_rows, parts, row_at, text_at = [], [], 0, 0
            for row, item, (index, offset) in zip(rows, items, places):
                out_rows += base[row_at:index]
                out_rows.append(row)
                parts.append(text[text_at:offset])
                parts.append(item + ",\n    " if index < n else ",\n    " + item)
                row_at, text_at = index, offset
            merged = tuple(out_rows) + base[row_at:]
            parts.append(text[text_at:])
            text = "".join(parts)
        return Stored(merged, self.likely_mt, self.line_starts, self.length, text, self.verdict_json, self.lines)

    def diagnostics(self) -> list:
        """The findings as objects (lint.model.Diagnostic)."""
        return _diagnostics(self.findings)

    def verdict(self):
        """The verdict (lint.verdict), read back from its JSON text."""
        import json

        return None if self.verdict_json is None else json.loads(self.verdict_json)

    def line_index(self):
        """The line index of the file (lint.model.LineIndex), when stored."""
        from .model import LineIndex

        return None if self.line_starts is None else LineIndex.from_starts(list(self.line_starts), self.length)


def delta(extra, lines) -> tuple:
    """Findings (lint.model.Diagnostic) placed by ``lines`` (lint.model.LineIndex) as stored rows
    and their JSON report items: ``(rows, items)``, what :meth:`Stored.with_delta` adds (and the
    store keeps of a file's cross-file evidence: :meth:`Cache.evidence`)."""
    from types import SimpleNamespace

    new = Stored.of(SimpleNamespace(diagnostics=extra, verdict=None, lines=lines))
    return new.findings, tuple(_json_items(new.diagnostics_json))


_ITEM = '{\n     "code": '  # how a finding starts in the JSON report's diagnostics text
_OPEN = "[\n    " + _ITEM  # how the text of one or more findings starts
_SEP = ",\n    " + _ITEM  # what stands between two findings, and nowhere else (strings escape line breaks)


def _json_items(text: str) -> list:
    """The findings of a ``diagnostics`` JSON text (lint.reporters.json.diagnostics_text), one
    text each. Its items are written at a fixed indentation and its strings escape line breaks,
    so a separator followed by an item's start occurs only between items."""
    if text == "[]":
        return []
    parts = text[6:-5].split(",\n    " + _ITEM)
    return [parts[0]] + [_ITEM + p for p in parts[1:]]


def _diagnostics(rows) -> list:
    if not rows:
        return []
    if not _MODEL:
        from .model import Applicability, Diagnostic, Edit, Fix, Severity

        _MODEL.update(diagnostic=Diagnostic, edit=Edit, fix=Fix,
                      severity={int(s): s for s in Severity}, applicability={int(a): a for a in Applicability})
    diagnostic, severities = _MODEL["diagnostic"], _MODEL["severity"]
    out = []
    for code, name, category, severity, message, start, end, confidence, fix in rows:
        if fix is not None:
            edit = _MODEL["edit"]
            fix = _MODEL["fix"](tuple(edit(*e) for e in fix[2]), _MODEL["applicability"][fix[0]], fix[1])
        out.append(diagnostic(code, name, category, severities[severity], message, start, end, fix, confidence))
    return out


_MODEL: dict = {}  # the model's classes, and enum members by value (an enum call per finding costs)


#: how a store file Copydesk wrote begins: this, then the CRC-32 of the rest (4 bytes, little
#: endian), then the marshalled ``((FORMAT, version), entries)``. Its entries are trusted as
#: written (Copydesk makes them, in a folder of its own code version): a warm run does not check
#: each one's shape, which was a tenth of its time. A file without the seal (written by hand, by
#: a test) is read too, and each entry it gives is checked (:func:`valid_payload`); a sealed file
#: whose checksum fails (a flipped bit, a torn write) is not read at all.
SEAL = b"cd\x00S"


def load_sealed(path: str) -> tuple:
    """``(entries, sealed)``: the entries of a store file (None when it cannot be read or is not
    a store file of this format and version), and whether it carries a good seal (:data:`SEAL`)."""
    import gc

    # thousands of tuples at once, none of them in a cycle: no collection while they are
    # made (it would walk them again and again: half the cost of a load), and frozen after
    # (later collections do not walk them either)
    enabled = gc.isenabled()
    gc.disable()
    sealed = False
    try:
        raw = read_regular(path)
        if raw is None:
            return None, False
        if raw[:4] == SEAL:
            body = memoryview(raw)[8:]
            if crc32(body) != int.from_bytes(raw[4:8], "little"):
                return None, False
            sealed = True
            data = marshal.loads(body)
        else:
            data = marshal.loads(raw)
    except (OSError, ValueError, EOFError, TypeError):
        return None, False
    finally:
        if enabled:
            gc.enable()
            gc.freeze()
    if not isinstance(data, tuple) or len(data) != 2 or data[0] != (FORMAT, __version__) or \
            not isinstance(data[1], dict):
        return None, False
    return data[1], sealed


# -- what a store file may hold: anything else is a miss ---------------------------------------

_DIAG_TYPES = (str, str, str, int, str, int, int, float, type(None))
_CANDIDATE_TYPES = (str, int, int, int, str, bool, int)
_DIAG_TYPES_FIX = (str, str, str, int, str, int, int, float, tuple)
_SEVERITIES: frozenset = frozenset()
_APPLICABILITIES: frozenset = frozenset()


def _valid_path_entry(entry) -> bool:
    """(size, mtime_ns, ctime_ns, inode, content digest): four ints and 32 bytes."""
    return (type(entry) is tuple and len(entry) == 5 and type(entry[0]) is int and type(entry[1]) is int
            and type(entry[2]) is int and type(entry[3]) is int and type(entry[4]) is bytes
            and len(entry[4]) == 32)


_INT = frozenset((int,))
_KEYS = ("findings", "likely_mt", "line_starts", "length", "diagnostics_json", "verdict_json", "lines")
_FIELDS = itemgetter(*_KEYS)  # a payload's values in that order, in one call


def _valid_rows(diags, length: int) -> bool:
    """Is every one of ``diags`` a finding's row (:attr:`Stored.findings`) placed in a text of
    ``length`` characters: its shape, severity, fix applicability and offsets?"""
    global _APPLICABILITIES, _SEVERITIES
    if not _APPLICABILITIES:
        from .model import Applicability, Severity

        _APPLICABILITIES = frozenset(int(a) for a in Applicability)
        _SEVERITIES = frozenset(int(s) for s in Severity)
    for d in diags:
        if type(d) is not tuple or len(d) != 9:
            return False
        types = tuple(map(type, d))
        if types == _DIAG_TYPES:
            pass
        elif types == _DIAG_TYPES_FIX:
            fix = d[8]
            if len(fix) != 3 or type(fix[0]) is not int or fix[0] not in _APPLICABILITIES \
                    or type(fix[1]) is not str or type(fix[2]) is not tuple:
                return False
            for e in fix[2]:
                if type(e) is not tuple or len(e) != 3 or type(e[0]) is not int \
                        or type(e[1]) is not int or type(e[2]) is not str or not 0 <= e[0] <= e[1]:
                    return False
        else:
            return False
        if d[3] not in _SEVERITIES or not 0 <= d[5] <= d[6] <= length:
            return False
    return True


def valid_delta(value, signature: tuple, length: int):
    """``(rows, items)`` of a stored evidence entry (:meth:`Cache.evidence`) when it is what
    :meth:`Cache.put_evidence` writes for ``signature`` on a text of ``length`` characters, else
    None: the signature, the rows (:func:`_valid_rows`), one JSON item per row with the shape the
    JSON reporter writes, and what the signature decides of them: one finding of the cross-file
    rule per line it names, at that line, with its severity."""
    if type(value) is not tuple or len(value) not in (3, 4) or value[0] != signature:
        return None
    rows, items = value[1:3]  # the places (a fourth) are not used from an entry that is checked
    if type(rows) is not tuple or type(items) is not tuple or len(rows) != len(items) or not rows \
            or len(rows) != len(signature[2]) or not _valid_rows(rows, length):
        return None
    from .crossdoc import CATEGORY, CODE, NAME

    if any(r[:4] != (CODE, NAME, CATEGORY, signature[1]) for r in rows) \
            or sorted((r[5], r[6]) for r in rows) != sorted((c[1], c[2]) for c in signature[2]):
        return None
    for item, row in zip(items, rows):
        if type(item) is not str or not item.startswith(_ITEM) or item[-1:] != "}" \
                or item.count('"code":') != 1 or f'"code": "{row[0]}"' not in item[:len(_ITEM) + 12]:
            return None
    return rows, items


def valid_payload(payload) -> bool:
    """Is ``payload`` what :meth:`Stored.to_dict` makes? Its keys, every field's type, every
    finding's shape, its severity, fix applicability and offsets, and the two JSON texts (a
    report copies them as they are) are checked."""
    if type(payload) is not dict or len(payload) != len(_KEYS):
        return False
    try:
        diags, likely, starts, length, text, verdict, lines = _FIELDS(payload)
    except KeyError:
        return False
    if type(diags) is not tuple or type(likely) is not bool or type(text) is not str \
            or type(length) is not int or not (verdict is None or type(verdict) is str) \
            or type(lines) is not tuple:
        return False
    for c in lines:  # a candidate line of cross-file evidence (lint.runner.candidate_lines)
        if type(c) is not tuple or tuple(map(type, c)) != _CANDIDATE_TYPES \
                or not 0 <= c[3] <= c[1] <= c[2] <= c[3] + len(c[4]) <= length:
            return False
    if not diags and not lines:
        if starts is not None or length != 0 or text != "[]":
            return False
    else:
        if type(starts) is not tuple or not starts or starts[0] != 0 or length < 0 \
                or not _INT.issuperset(map(type, starts)) \
                or starts[-1] > length or not all(map(lt, starts, starts[1:])):  # ints, increasing (in C)
            return False
        if not _valid_rows(diags, length):
            return False
    # the reports copy these texts as they are: they must have the shape the JSON reporter
    # writes (one object per finding; the verdict an object). Parsing them costs more than the
    # rest of a warm run's work per file, so the shape is checked, not the JSON grammar.
    # (the reporter's layout, which Stored.with_delta and Stored.places cut by: a text that
    # holds the findings in another layout would lose some to a merge with cross-file findings)
    if diags:
        if not text.startswith(_OPEN) or text[-5:] != "\n   ]" or text.count('"code":') != len(diags) \
                or text.count(_SEP) != len(diags) - 1:
            return False
    elif text != "[]":
        return False
    if verdict is not None and (verdict[:1] != "{" or verdict[-1:] != "}"):
        return False
    return True


def _write(path: str, entries: dict) -> None:
    """Write a store file, sealed (:data:`SEAL`): every entry given must be what this code makes."""
    from ._atomic import write_then_rename

    body = marshal.dumps(((FORMAT, __version__), entries))
    write_then_rename(path, SEAL + crc32(body).to_bytes(4, "little") + body)


# what is stored is split over 16 files ("shards") per kind: a one-file run reads one sixteenth
# of it, a big run writes it as it goes (memory stays flat) without rewriting one big file
SHARDS = 16
_RESULT_SHARD = [f"{i % SHARDS:x}" for i in range(256)]  # by the last byte of the result's key


def _path_shard(path: str) -> str:
    return _RESULT_SHARD[crc32(path.encode("utf-8", "surrogateescape")) & 255]


#: a shard's segments (its later writes) that may pile up before the next write merges them into it
MAX_SEGMENTS = 8
_SEQ = [0]


def _SEGMENT_NAME(name: str) -> bool:
    """``<shard>.<36 ASCII digits>``: how :meth:`_Sharded.flush` names a segment."""
    stem, dot, digits = name.partition(".")
    return dot == "." and len(digits) == 36 and digits.isascii() and digits.isdigit()


class _Sharded:
    """A dict kept in SHARDS files of one folder, each with its segments: a shard is read when
    first asked for (its file, then its segments in the order they were written), and what was
    set is written shard by shard; a value of None deletes. A write adds a segment beside the
    shard's file (``<shard>.<time><pid><n>``) instead of rewriting the file whole: a big run
    flushes every few hundred files, and rewriting a growing store each time read back and wrote
    it again and again (and a rename over a file makes ext4 write the new one out first). When
    MAX_SEGMENTS have piled up, or the shard's file cannot be read, the write merges the file and
    its segments into a new file (``compact``). Another run may write at the same time: its
    segments are read as they come, and a merge removes only the segments it read.

    ``valid(key, value)``: whether an entry of a file without a seal may be kept when a merge
    writes it again (sealed); ``unsealed`` holds the names of the shards read from such files
    (their entries are checked when used), ``broken`` those with a file that could not be read
    (not a store file, a failed checksum, not a regular file): their next write is a merge, which
    replaces them."""

    def __init__(self, folder: str, valid):
        self.folder = folder
        self.valid = valid
        self.loaded: dict[str, dict] = {}
        self.unsealed: set[str] = set()
        self.broken: set[str] = set()
        self.pending: dict[str, dict] = {}
        self.n_pending = 0
        self.segmented: set[str] = set()  # the shards this run wrote segments of
        self.listed: dict[str, list] = {}  # folder -> the names of its segments, as listed

    def segments(self, path: str) -> list[str]:
        """The segments of the shard file ``path``, oldest first: regular files named as
        :meth:`flush` names them. A folder is listed once, and again after each write."""
        folder, base = os.path.split(path)
        names = self.listed.get(folder)
        if names is None:
            try:
                with os.scandir(folder) as it:
                    names = self.listed[folder] = [e.name for e in it if _SEGMENT_NAME(e.name)
                                                   and e.is_file(follow_symlinks=False)]
            except OSError:
                names = self.listed[folder] = []
        cut = len(base) + 1
        return [os.path.join(folder, n) for n in sorted(n for n in names if n[:cut] == base + ".")]

    def read(self, path: str, segments: list[str], keep_unsealed: bool = True) -> tuple:
        """``(entries, sealed, broken)``: the shard file and its ``segments`` merged (deletions
        applied); ``sealed`` when every one of them was; ``broken`` when one of them is there but
        could not be read. ``keep_unsealed`` False: the entries of a file without a seal are kept
        only when ``valid``."""
        all_sealed, broken = True, False
        entries: dict = {}
        for i, f in enumerate([path, *segments]):
            part, sealed = load_sealed(f)
            if part is None and (i > 0 or os.path.lexists(f)):
                broken = True
            if not part:
                continue
            if not sealed:
                all_sealed = False
                if not keep_unsealed:
                    part = {k: v for k, v in part.items() if v is None or self.valid(k, v)}
            if i == 0:
                entries = part
                continue
            entries.update(part)
            if None in part.values():
                for k in [k for k, v in part.items() if v is None]:
                    del entries[k]
        if None in entries.values():  # a deletion in the file itself (never written so; by hand)
            entries = {k: v for k, v in entries.items() if v is not None}
        return entries, all_sealed, broken

    def shard(self, name: str) -> dict:
        entries = self.loaded.get(name)
        if entries is None:
            path = os.path.join(self.folder, name)
            entries, sealed, broken = self.read(path, self.segments(path))
            self.loaded[name] = entries
            if not sealed:
                self.unsealed.add(name)
            if broken:
                self.broken.add(name)
        return entries

    def get(self, name: str, k):
        hit = self.shard(name).get(k)
        if hit is None and self.pending:
            hit = self.pending.get(name, {}).get(k)
        return hit

    def set(self, name: str, k, value) -> None:
        self.pending.setdefault(name, {})[k] = value
        self.n_pending += 1

    def flush(self, merge: bool = False) -> None:
        """Write what was set: as segments, or ``merge``: each shard written whole (a run's last
        write, so that the next run reads one file per shard)."""
        if merge:  # the shards this run added segments to, merged even with nothing more to write
            for name in self.segmented:
                self.pending.setdefault(name, {})
            self.segmented.clear()
        if not self.pending:
            return
        self.listed.clear()  # another run may have written since
        for name, new in self.pending.items():
            path = os.path.join(self.folder, name)
            try:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                segments = self.segments(path)
                try:
                    st = os.lstat(path)
                    base_ok = S_ISREG(st.st_mode)
                except OSError:
                    st, base_ok = None, False
                if st is None and not segments:  # a new shard: its file, with what this run has
                    _write(path, {k: v for k, v in new.items() if v is not None})
                elif not merge and base_ok and len(segments) < MAX_SEGMENTS and name not in self.unsealed \
                        and name not in self.broken:  # a segment beside it
                    _SEQ[0] += 1
                    _write(f"{path}.{time_ns():020d}{os.getpid():010d}{_SEQ[0]:06d}", new)
                    self.segmented.add(name)
                else:
                    self.compact(path, segments, new)
                    # (an unsealed shard stays so for this run: what it loaded from there is
                    # still checked when used, though the file now holds only checked entries)
                    self.broken.discard(name)
            except OSError:
                continue  # this shard is not written (a folder where it belongs...): the others are
            self._remember(name, new)
        self.pending.clear()
        self.n_pending = 0

    def _remember(self, name: str, new: dict) -> None:
        loaded = self.loaded.get(name)
        if loaded is not None:  # what this run reads from now on
            loaded.update(new)
            for k in [k for k, v in new.items() if v is None]:
                del loaded[k]

    def written_elsewhere(self, merge: bool) -> None:
        """What :meth:`flush` leaves in memory, for a flush another process does (Cache.flush_behind)."""
        if merge:
            self.segmented.clear()
        self.listed.clear()
        for name, new in self.pending.items():
            self._remember(name, new)
        self.pending.clear()
        self.n_pending = 0

    def compact(self, path: str, segments: list[str], new: dict) -> None:
        """The shard file and ``segments`` merged with ``new`` into a new shard file (sealed:
        the entries of files without the seal that are not ``valid`` are dropped), then those
        segments removed."""
        entries = self.read(path, segments, keep_unsealed=False)[0]
        entries.update(new)
        _write(path, {k: v for k, v in entries.items() if v is not None})
        for f in segments:
            try:
                os.unlink(f)
            except OSError:
                pass


def _scan(folder: str) -> list:
    """The entries of ``folder`` (none when it cannot be listed)."""
    try:
        with os.scandir(folder) as it:
            return list(it)
    except OSError:
        return []


#: Cache.flush_behind forks from this many results to write: a fork and the child's exit cost a
#: few milliseconds, what writing ~200 results takes (a one-file run writes in-process)
BEHIND_AT = 256


def _fork_safe() -> bool:
    """Can this process fork a child that only writes files? Not without fork, nor with another
    thread running: the child would have only this one, and any lock another held stays held."""
    if not hasattr(os, "fork"):
        return False
    threading = sys.modules.get("threading")  # never imported: no other thread
    return threading is None or threading.active_count() == 1


class Cache:
    def __init__(self, root: Path | str | None = None):
        self._dir = os.path.join(str(root or os.getcwd()), CACHE_DIR)
        self.dir = Path(self._dir)
        self._results = _Sharded(os.path.join(self._dir, "results"), lambda k, v: valid_payload(v))
        self._paths = _Sharded(os.path.join(self._dir, PATHS), lambda k, v: _valid_path_entry(v))
        # result key -> (signature, rows, items, places): a file's cross-file findings (lint.runner._Evidence);
        # an unsealed file's are dropped when it is written again (made again when next needed)
        self._evidence = _Sharded(os.path.join(self._dir, "evidence"), lambda k, v: False)
        self._ready = False
        self._behind: int | None = None  # the child writing this run's last flush (flush_behind)
        self._written = 0  # results written by this run (the batch grows with it: FLUSH_MAX)
        # nothing stored yet (a first run, or after `copydesk clean`): no lookup is worth a stat
        self.empty = not os.path.isdir(self._results.folder)

    # -- lookups

    def find(self, path: str, config: str, fmt: str):
        """The stored result of ``path`` linted as ``fmt`` under ``config``, with its key (see
        result_key): ``(key, Stored)``, or None. The file's content is known from its stat when
        that matches the path index, else it is read and hashed."""
        try:
            st = os.stat(path)
        except OSError:
            return None  # the worker says why
        if not S_ISREG(st.st_mode):
            return None  # a pipe or a device: never read here (the worker refuses it)
        paths = self._paths
        pname = _RESULT_SHARD[crc32(path.encode("utf-8", "surrogateescape")) & 255]  # _path_shard, inline
        shard = paths.loaded.get(pname)
        entry = (shard if shard is not None else paths.shard(pname)).get(path)
        if entry is not None and pname in paths.unsealed and not _valid_path_entry(entry):
            entry = None  # a malformed entry (of a file Copydesk did not seal): hash the content
        hashed = False
        if entry is not None and entry[0] == st.st_size and entry[1] == st.st_mtime_ns and \
                entry[2] == st.st_ctime_ns and entry[3] == st.st_ino:
            content = entry[4]
        else:
            try:
                before = time_ns()
                raw = read_regular(path)
                if raw is None:
                    return None
                content = sha256(raw).digest()
                hashed = True
            except OSError:
                return None
        head = _CONFIG_DIGESTS.get((config, fmt))
        k = head + content if head is not None else result_key(config, fmt, content)
        results = self._results
        name = _shard_name(k)
        shard = results.loaded.get(name)
        hit = (shard if shard is not None else results.shard(name)).get(k)
        if hit is None and results.pending:
            hit = results.get(name, k)
        if hit is None:
            return None
        # an entry of a sealed file (or of this run) is as this code wrote it; another is checked
        stored = Stored.from_dict(hit, trusted=name not in results.unsealed)
        if stored is None:
            return None
        if hashed:  # the file was known by its content: its stat, recorded, knows it next time
            known = seen(st, before)  # (as git refreshes its index; not when racily clean)
            if known is not None:
                paths.set(pname, path, (*known, content))
        return k, stored

    def evidence(self, k: bytes, signature: tuple, length: int):
        """The cross-file findings stored for the result of key ``k`` under ``signature`` (what
        decides them: lint.runner._Evidence.signature), as ``(rows, items, places)`` or, from a
        file Copydesk did not seal (checked), ``(rows, items)``, for :meth:`Stored.with_delta`; None when none are stored, for another signature, or when
        the entry is not what :meth:`put_evidence` writes."""
        name = _shard_name(k)
        value = self._evidence.get(name, k)
        if value is not None and name not in self._evidence.unsealed:  # as written (see SEAL)
            if value[0] != signature:
                return None
            # places are where the findings go in the result as this code stored it: not in one
            # read from a file Copydesk did not seal (checked, maybe edited)
            return value[1:3] if name in self._results.unsealed else value[1:]
        return valid_delta(value, signature, length)  # checked: without its places

    def put_evidence(self, k: bytes, signature: tuple, rows: tuple, items: tuple,
                     places: tuple | None = None) -> None:
        """Record a file's cross-file findings (:func:`delta`) under ``signature``, with where
        they go among the result's own (:meth:`Stored.places`; None: not known): one entry per
        result key, the last signature's (the store grows with the results, not with runs)."""
        self._evidence.set(_shard_name(k), k, (signature, rows, items, places))

    # -- records

    def put(self, path: str, stat, content_digest: bytes, k: bytes, stored: Stored, flush: bool = True) -> None:
        """Record a result, and the stat of the file it came from (None: do not trust the
        stat next time, hash the content). ``flush`` False: never write here (the caller's
        final flush follows), even with a full batch."""
        self._paths.set(_path_shard(path), path, None if stat is None else (*stat, content_digest))
        self._results.set(_shard_name(k), k, stored.to_dict())
        if flush and self._results.n_pending >= max(FLUSH_AT, min(self._written, FLUSH_MAX)):
            self.flush(final=False)

    def flush(self, final: bool = True) -> None:
        """Write what was recorded: results first, then the paths that lead to them. ``final``
        False: a big run's write as it goes (the shards' segments; see _Sharded)."""
        self.join_behind()
        self._written += self._results.n_pending
        try:
            fresh = not self._ready
            self._prepare()
            if fresh and self._results.pending:
                self._prune()
            written = self._results.pending or self._evidence.pending
            self._results.flush(final)
            self._paths.flush(final)
            self._evidence.flush(final)
            if written:  # the current code's folders: most recently written (_prune keeps by that)
                for folder in (os.path.join(self._dir, "results", code_digest().hex()),
                               os.path.join(self._dir, "evidence", code_digest().hex()),
                               self._paths.folder):
                    if os.path.isdir(folder):
                        os.utime(folder)
        except OSError:
            pass  # a cache that cannot be written is only slower
        for sharded in (self._results, self._paths, self._evidence):
            sharded.pending.clear()
            sharded.n_pending = 0

    def flush_behind(self) -> None:
        """The final :meth:`flush`, written by a forked child while this process goes on (with
        its report: a 1,000-file run's store takes ~15 ms to write, which the parent spent alone
        after its last result, the other core idle). This process waits for the child at its
        next write and at :meth:`join_behind` (lint.runner does at the end of a run). Written
        here instead when there is no fork, when another thread runs (a fork copies only this
        one), or when cross-file findings are pending."""
        if self._results.n_pending < BEHIND_AT or self._evidence.pending or not _fork_safe():
            self.flush()
            return
        self.join_behind()
        try:
            pid = os.fork()
        except OSError:
            self.flush()
            return
        if pid == 0:  # the child: the write, and nothing else (no exit handler, no stdio buffer)
            code = 1
            try:
                self.flush()
                code = 0
            finally:
                os._exit(code)
        self._behind = pid
        self._written += self._results.n_pending
        for sharded in (self._results, self._paths, self._evidence):
            sharded.written_elsewhere(True)

    def join_behind(self) -> None:
        """Wait for the child of :meth:`flush_behind`, if one is writing."""
        pid, self._behind = self._behind, None
        if pid is not None:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:  # already waited for
                pass

    def _prune(self) -> None:
        """Remove what other versions of Copydesk's code stored, but for the KEEP_VERSIONS most
        recently written; the same for the path index's folders of other versions. The shard
        files of the layout before FORMAT 8 (loose in ``results/``, an older Copydesk's, which
        may still run: a pinned pre-commit hook) count as one more version, written when the
        newest of them was. Once per run that stores results."""
        import shutil

        current = code_digest().hex()
        groups = []
        for kind in ("results", "evidence"):
            others: list = []  # (last written, paths removed together)
            loose: list = []
            for e in _scan(os.path.join(self._dir, kind)):
                if e.name == current:
                    continue
                try:
                    st = e.stat(follow_symlinks=False)
                    if e.is_dir(follow_symlinks=False):
                        others.append((st.st_mtime_ns, [e.path]))
                    else:
                        loose.append((st.st_mtime_ns, e.path))
                except OSError:
                    pass
            if loose:
                others.append((max(t for t, _ in loose), [f for _, f in loose]))
            groups.append(others)
        paths: list = []  # the path index of other versions (and "paths", before FORMAT 8)
        for e in _scan(self._dir):
            try:
                if e.name.startswith("paths") and e.name != PATHS and e.is_dir(follow_symlinks=False):
                    paths.append((e.stat(follow_symlinks=False).st_mtime_ns, [e.path]))
            except OSError:
                pass
        groups.append(paths)
        for others in groups:
            for _, doomed in sorted(others, reverse=True)[KEEP_VERSIONS:]:
                for path in doomed:
                    if os.path.isdir(path) and not os.path.islink(path):
                        shutil.rmtree(path, ignore_errors=True)
                    else:
                        try:
                            os.unlink(path)
                        except OSError:
                            pass

    def _prepare(self) -> None:
        if self._ready:
            return
        os.makedirs(self._dir, exist_ok=True)
        gi = os.path.join(self._dir, ".gitignore")
        if not os.path.exists(gi):
            with open(gi, "w", encoding="utf-8") as fh:
                fh.write("# created by copydesk\n*\n")
        self._ready = True


def clean(root: Path | None = None) -> bool:
    import shutil

    d = Path(root or Path.cwd()) / CACHE_DIR
    if d.is_dir():
        shutil.rmtree(d)
        return True
    return False
