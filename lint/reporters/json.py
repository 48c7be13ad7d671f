"""The JSON report (DESIGN.md §7): a contract read by evaluation scripts. Raise ``version``
before changing its shape; adding keys is allowed."""
from __future__ import annotations

import json
from bisect import bisect_right

from ..model import Applicability, LineIndex, Severity
from .common import shown
from .tally import Tally, summary  # noqa: F401 - summary: part of this module's API

VERSION = 1


def _pos(lines: LineIndex, offset: int) -> dict:
    line, col = lines.position(offset)
    return {"offset": offset, "line": line, "column": col}


def file_json(result) -> dict:
    lines = result.lines
    out = {"path": shown(result.path), "diagnostics": []}
    for d in result.diagnostics:
        out["diagnostics"].append({
            "code": d.code, "name": d.name, "category": d.category, "severity": str(d.severity),
            "message": d.message, "start": _pos(lines, d.start), "end": _pos(lines, d.end),
            "fix": d.fix.to_json() if d.fix else None,
        })
    if result.verdict is not None:
        out["verdict"] = result.verdict
    if result.error:
        out["error"] = shown(result.error)
    return out


def _dump(obj, prefix: str) -> str:
    """``obj`` as ``json.dumps(obj, ensure_ascii=False, indent=1)`` prints it, nested under
    ``prefix``. Written out because ``json`` encodes indented output in pure Python, a third of
    a warm run; strings, numbers and constants still go through ``json``'s C encoders."""
    out: list[str] = []
    _write(obj, "\n" + prefix, out.append)
    return "".join(out)


def _write(obj, nl: str, emit) -> None:
    if isinstance(obj, str):
        emit(_string(obj))
    elif obj is None:
        emit("null")
    elif obj is True:
        emit("true")
    elif obj is False:
        emit("false")
    elif isinstance(obj, int):
        emit(int.__repr__(obj))
    elif isinstance(obj, float):
        emit(json.dumps(obj))
    elif isinstance(obj, dict):
        if not obj:
            emit("{}")
            return
        inner = nl + " "
        sep = "{" + inner
        for key, value in obj.items():
            emit(sep)
            emit(_string(key if isinstance(key, str) else _key(key)))
            emit(": ")
            _write(value, inner, emit)
            sep = "," + inner
        emit(nl + "}")
    elif isinstance(obj, (list, tuple)):
        if not obj:
            emit("[]")
            return
        inner = nl + " "
        sep = "[" + inner
        for value in obj:
            emit(sep)
            _write(value, inner, emit)
            sep = "," + inner
        emit(nl + "]")
    else:
        emit(json.dumps(obj, ensure_ascii=False, indent=1).replace("\n", nl))  # anything else: as json does


def _key(key) -> str:
    """A non-string dict key as ``json`` writes it (numbers, booleans and None become strings)."""
    return next(iter(json.loads(json.dumps({key: 0}))))


_string = json.encoder.encode_basestring  # the C encoder when there is one, as json.dumps uses

_VERDICT_KEYS = ["likely_mt", "score", "families", "evidence"]
_EVIDENCE_KEYS = ["family", "code", "start", "end"]


def _verdict_text(v) -> str | None:
    """A verdict (lint.verdict) under a file entry, written out for its shape; None when the
    dict is not of that shape (then the general writer prints it)."""
    if list(v) != _VERDICT_KEYS or type(v["likely_mt"]) is not bool or type(v["score"]) is not float:
        return None
    families, evidence = v["families"], v["evidence"]
    if type(families) is not list or type(evidence) is not list or \
            not all(type(f) is str for f in families):
        return None
    for e in evidence:
        if type(e) is not dict or list(e) != _EVIDENCE_KEYS or type(e["family"]) is not str or \
                type(e["code"]) is not str or type(e["start"]) is not int or type(e["end"]) is not int:
            return None
    fams = ("[\n     " + ",\n     ".join(_string(f) for f in families) + "\n    ]") if families else "[]"
    evs = ("[\n     " + ",\n     ".join(
        f'{{\n      "family": {_string(e["family"])},\n      "code": {_string(e["code"])},'
        f'\n      "start": {e["start"]:d},\n      "end": {e["end"]:d}\n     }}' for e in evidence)
        + "\n    ]") if evidence else "[]"
    return (f'{{\n    "likely_mt": {"true" if v["likely_mt"] else "false"},\n    "score": {float.__repr__(v["score"])},'
            f'\n    "families": {fams},\n    "evidence": {evs}\n   }}')


_SEVERITY_TEXT = {s: _string(str(s)) for s in Severity}
_APPLICABILITY_TEXT = {a: _string(str(a)) for a in Applicability}


def _pos_text(starts: list, length: int, offset: int) -> str:
    """LineIndex.position, inline: the report places two offsets per finding."""
    at = max(0, min(offset, length))
    line = bisect_right(starts, at) - 1
    return (f'{{\n      "offset": {offset:d},\n      "line": {line + 1:d},'
            f'\n      "column": {at - starts[line] + 1:d}\n     }}')


def _fix_text(fix) -> str:
    if fix is None:
        return "null"
    if fix.edits:
        edits = "[\n       " + ",\n       ".join(
            f'{{\n        "start": {e.start:d},\n        "end": {e.end:d},\n        "content": {_string(e.content)}\n       }}'
            for e in fix.edits) + "\n      ]"
    else:
        edits = "[]"
    return (f'{{\n      "applicability": {_APPLICABILITY_TEXT[fix.applicability]},\n      "title": {_string(fix.title)},'
            f'\n      "edits": {edits}\n     }}')


def verdict_text(verdict) -> str | None:
    """The ``verdict`` value of a file entry (kept with a stored result: lint.cache)."""
    if verdict is None:
        return None
    text = _verdict_text(verdict) if type(verdict) is dict else None
    if text is None:
        out: list[str] = []
        _write(verdict, "\n   ", out.append)
        text = "".join(out)
    return text


def diagnostics_text(result) -> str:
    """The ``diagnostics`` value of a file entry (kept with a stored result: lint.cache)."""
    if not result.diagnostics:
        return "[]"
    lines = result.lines
    starts, length = lines.starts, lines.length
    return "[\n    " + ",\n    ".join(
        f'{{\n     "code": {_string(d.code)},\n     "name": {_string(d.name)},'
        f'\n     "category": {_string(d.category)},\n     "severity": {_SEVERITY_TEXT[d.severity]},'
        f'\n     "message": {_string(d.message)},\n     "start": {_pos_text(starts, length, d.start)},'
        f'\n     "end": {_pos_text(starts, length, d.end)},\n     "fix": {_fix_text(d.fix)}\n    }}'
        for d in result.diagnostics) + "\n   ]"


def file_text(result) -> str:
    """``_dump(file_json(result), "  ")``: one file's entry of the report, written out for its
    fixed shape (a warm run of a big repository is mostly this); the tests hold it to
    ``json.dumps``'s bytes."""
    out = ['{\n   "path": ', _string(shown(result.path)), ',\n   "diagnostics": ']
    stored = result.__dict__.get("stored")  # a stored result (lint.runner.StoredResult; lint.cache.Stored)
    if stored is not None and result.stored_rows is not None:  # its findings as stored: not filtered
        out.append(stored.diagnostics_json)
    else:
        out.append(diagnostics_text(result))
    if stored is not None and "verdict" not in result.__dict__:  # a stored verdict, never read
        text = stored.verdict_json
    else:
        text = verdict_text(result.verdict)
    if text is not None:
        out.append(',\n   "verdict": ')
        out.append(text)
    if result.error:
        out.append(',\n   "error": ')
        out.append(_string(shown(result.error)))
    out.append("\n  }")
    return "".join(out)


def render_chunks(results, ctx=None, tally: Tally | None = None):
    """The report in pieces, one per file: joined, byte for byte ``json.dumps({"version",
    "files", "summary"}, indent=1)``; written as made, a big run never holds it whole.
    ``results`` is read once (it may be a stream); ``tally``, when given, is filled with them."""
    tally = Tally() if tally is None else tally
    yield '{\n "version": ' + json.dumps(VERSION) + ',\n "files": ['
    n = 0
    for r in results:
        yield ("\n  " if n == 0 else ",\n  ") + file_text(r)
        tally.add(r)
        n += 1
    yield "\n ]" if n else "]"
    yield ',\n "summary": ' + _dump(tally.summary(), " ") + "\n}\n"


def render(results, ctx=None) -> str:
    return "".join(render_chunks(results, ctx))
