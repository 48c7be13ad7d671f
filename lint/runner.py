"""The runner: find files, read them safely, lint each with its configuration."""
from __future__ import annotations

import os
import sys
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path

from .cache import from_payload, verdict_of
from .document import format_for_path, parse
from .model import Diagnostic, LineIndex

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".copydesk_cache",
             ".tox", ".mypy_cache", ".pytest_cache"}
STDIN = "-"


class InputError(Exception):
    """A user mistake about inputs: ``path: reason`` on one line."""


class WriteError(InputError):
    """Fixes that could not be written (``path: could not write fixes: why; nothing written``)."""


def _unwritten(path: str, why: str) -> WriteError:
    return WriteError(f"{path}: could not write fixes: {why}; nothing written")


@dataclass
class FileResult:
    path: str
    source: str = ""
    format: str = "text"
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: str | None = None  # one line: why the file could not be linted
    document: object = None
    raw: bytes | None = None  # the bytes read, to detect a change on disk before a write
    bom: bool = False
    unwritten: bool = False  # after `fix`: fixes were made but could not be written (``error`` says why)
    fixed: str | None = None  # after `fix`: the new text (None: nothing changed)
    original: str | None = None  # after `fix`: the text before
    verdict: dict | None = None  # "likely machine-translated or spun" (lint.verdict)
    fix_rounds: list | None = None  # after `fix`: per round of the loop, (rule code, edit)s

    def to_dict(self) -> dict:
        """The file's entry of the JSON report (DESIGN.md §7), as ``--format json`` writes it."""
        from .reporters.json import file_json

        return file_json(self)

    @property
    def lines(self):
        """Line index of the source (from the parsed document when there is one)."""
        if self.document is not None:
            return self.document.lines
        if getattr(self, "_lines", None) is None:
            from .model import LineIndex

            self._lines = LineIndex(self.source)
        return self._lines


def _is_article(name: str) -> bool:
    """os.path.splitext(name)[1].lower() in ARTICLE_SUFFIXES, without the call."""
    dot = name.rfind(".")
    return dot > 0 and name[dot:].lower() in _SUFFIXES and bool(name[:dot].lstrip("."))


_SUFFIXES = frozenset(ARTICLE_SUFFIXES)


def discover(paths, is_excluded=None, file_excluder=None, errors=None, force_exclude: bool = False) -> list[str]:
    """Expand folders (recursively, article suffixes only); explicit files are kept whatever
    their suffix. A missing path or a folder without articles raises InputError or, when
    ``errors`` is a list, is appended to it as (path, message) and skipped. ``force_exclude``:
    a file or folder named in ``paths`` that ``is_excluded`` is skipped too (silently, as a
    pre-commit hook names every staged file).
    ``is_excluded`` tells a folder (and a file) to skip; ``file_excluder``, when given,
    replaces it for files: called once per folder, it returns the test for the folder's files,
    or None when none of them can be excluded (a folder's files share its configuration)."""
    out: list[str] = []
    for raw in paths:
        if raw == STDIN:
            out.append(STDIN)
            continue
        p = Path(raw)
        if force_exclude and is_excluded is not None and os.path.lexists(p) and is_excluded(str(p)):
            continue
        if p.is_dir():
            found = []
            excluded = False  # something was left out by the configuration
            for dirpath, dirnames, filenames in os.walk(p):
                # strings, not a Path per file (a tenth of a warm run); the same text as
                # str(Path(dirpath) / name): the folder normalised once ("./a" -> "a")
                base = str(Path(dirpath))
                lead = "" if base == "." else (base if base.endswith(os.sep) else base + os.sep)
                kept = sorted(d for d in dirnames if d not in SKIP_DIRS and not
                              (is_excluded and is_excluded(lead + d)))
                if is_excluded and len(kept) < sum(1 for d in dirnames if d not in SKIP_DIRS):
                    excluded = True
                dirnames[:] = kept
                test = file_excluder(base) if file_excluder is not None else is_excluded
                names = sorted(name for name in filenames if _is_article(name))
                if test is None:
                    found.extend(lead + name for name in names)
                else:
                    n = len(found)
                    found.extend(fp for fp in (lead + name for name in names) if not test(fp))
                    excluded = excluded or len(found) - n < len(names)
            if not found and not excluded:  # a folder the configuration empties is no mistake
                _input_error(errors, raw, "no article files (.txt, .md, .markdown, .html, .htm) in this folder")
            out.extend(found)
        elif p.exists():
            out.append(str(p))
        elif os.path.lexists(p):
            _input_error(errors, raw, DANGLING)
        else:
            _input_error(errors, raw, "no such file or folder")
    seen = set()
    unique = []
    for path in out:
        if path not in seen:
            seen.add(path)
            unique.append(path)
    return unique


DANGLING = "a symbolic link that leads nowhere (broken or looping)"


def _input_error(errors, path: str, why: str) -> None:
    if errors is None:
        raise InputError(f"{path}: {why}")
    errors.append((str(path), f"{path}: {why}"))


def decode(data: bytes, path: str) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputError(f"{path}: UTF-16 text (byte order mark {data[:2].hex(' ')}), not UTF-8: convert it first")
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: binary file (NUL bytes), not an article")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None


def read_raw(path: str) -> tuple[bytes, str]:
    """The file's bytes and its decoded text (UTF-8, an optional BOM dropped)."""
    if path == STDIN:
        data = sys.stdin.buffer.read()
    else:
        data = _read_regular(path)[0]
    return data, decode(data, "<stdin>" if path == STDIN else path)


def _read_regular(path: str):
    """The bytes of a regular file and its stat. A pipe, a device or a socket is refused before
    anything is read (opened without blocking: reading a FIFO would wait for a writer forever,
    /dev/zero never ends)."""
    import stat as st_

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        import errno

        if exc.errno in (errno.ENOENT, errno.ELOOP) and os.path.islink(path):  # as discover names it
            raise InputError(f"{path}: {DANGLING}") from None
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    with open(fd, "rb") as fh:
        st = os.fstat(fd)
        if not st_.S_ISREG(st.st_mode):
            raise InputError(f"{path}: not a regular file (a pipe, device or socket), not an article")
        try:
            return fh.read(), st
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def read_source(path: str) -> str:
    return read_raw(path)[1]


def lint_source(source: str, path: str, rules, severity_for=None, fmt: str | None = None) -> FileResult:
    fmt = fmt or format_for_path(path) or "text"
    from .linter import lint_document  # here: a run whose results are all stored needs no linter
    from .packs import RuleTimeout
    from .verdict import verdict

    try:
        doc = parse(source, path, fmt)
        diags = lint_document(doc, rules, severity_for)
    except InputError:
        raise  # a required backend that failed (LanguageTool) stops the run, as it says
    except RecursionError:  # one file's failure is that file's error: the run goes on
        return FileResult(path, error=f"{path}: {NESTED}")
    except RuleTimeout as exc:  # a user's rule that ran past its time limit (lint.packs)
        return FileResult(path, error=f"{path}: {exc}")
    except Exception as exc:  # noqa: BLE001 - a bug must cost one file, not the run
        return FileResult(path, error=f"{path}: {INTERNAL} ({type(exc).__name__}: {' '.join(str(exc).split())[:200]})")
    return FileResult(path, source, fmt, diags, document=doc, verdict=verdict(diags))


NESTED = "nested too deeply to lint (quotations, lists or tags hundreds of levels deep)"
INTERNAL = "internal error while linting this file, please report it"


def lint_file(path: str, rules, severity_for=None, fmt: str | None = None) -> FileResult:
    try:
        raw, source = read_raw(path)
    except InputError as exc:
        return FileResult(path, error=str(exc))
    result = lint_source(source, path, rules, severity_for, fmt)
    result.raw, result.bom = raw, raw.startswith(b"\xef\xbb\xbf")
    return result


def fix_file(path: str, rules, severity_for=None, minimum=None, write: bool = True,
             fmt: str | None = None, keep=None) -> FileResult:
    """Fix one file: run the fix loop, check invariants, write atomically (unless ``write`` is
    False), then lint the result so that what remains is reported."""
    result = lint_file(path, rules, severity_for, fmt)
    return _fix_result(result, path, rules, severity_for, minimum, write, result.format, keep)


def fix_text(source: str, name: str, rules, severity_for=None, minimum=None, keep=None) -> FileResult:
    """The fix loop on a text in memory (standard input): the result's ``fixed`` holds the new
    text; nothing is written."""
    result = lint_source(source, name, rules, severity_for)
    return _fix_result(result, name, rules, severity_for, minimum, False, result.format, keep)


def _fix_result(result, path, rules, severity_for, minimum, write, fmt, keep=None) -> FileResult:
    """``keep(result, rounds)``, when given, is the user's report filter (baseline, changed
    lines, --min-severity): it returns the findings of ``result`` (the lint of the text after
    ``rounds`` of fixes) that a ``check`` would report, and only those are fixed."""
    from .fixer import FixError, FixOutcome, fix_source
    from .model import Applicability

    if result.error:
        return result
    outcome = FixOutcome(result.source, result.source)  # its rounds grow while the loop runs
    last = {result.source: result}  # the latest lint: the fixed text's is the report's

    def lint(text):
        r = last.get(text)
        if r is None:
            r = lint_source(text, path, rules, severity_for, fmt)
            if r.error:  # the text a fix made cannot be linted: nothing is written
                raise FixError(r.error[len(path) + 2:])
            last.clear()
            last[text] = r
        return r.document, (keep(r, outcome.rounds) if keep else r.diagnostics)

    try:
        fix_source(result.source, lint, minimum or Applicability.SAFE, outcome=outcome)
    except FixError as exc:
        result.error = f"{path}: {exc}"
        return result
    result.fix_rounds = outcome.rounds
    if not outcome.changed:
        return result
    if write and path != STDIN:
        try:
            write_atomic(path, outcome.fixed, result.raw, result.bom)
        except (InputError, OSError) as exc:
            result.error = str(exc) if isinstance(exc, InputError) else str(_unwritten(path, exc.strerror or str(exc)))
            # reported as a file that failed, like one that could not be read: its findings
            # stand unfixed, and the next run (once the file can be written) reports them
            result.unwritten, result.diagnostics, result.verdict = True, [], None
            return result
    after = last.get(outcome.fixed) or lint_source(outcome.fixed, path, rules, severity_for, fmt)
    after.raw, after.bom, after.fixed = result.raw, result.bom, outcome.fixed
    after.original = result.source
    after.fix_rounds = outcome.rounds
    return after


def write_atomic(path: str, text: str, original: bytes, bom: bool) -> None:
    """Replace the file's content: a temporary file in the same folder, then a rename. Keeps a
    BOM, the permissions, and a symlink (its target is written). Refuses when the file changed
    on disk since it was read, and a read-only file or folder (by its permission bits, even for
    root): WriteError, saying why."""
    from ._atomic import write_then_rename

    target = os.path.realpath(path)
    try:
        current = Path(target).read_bytes()
        st = os.stat(target)
        folder = os.path.dirname(target) or "."
        folder_st = os.stat(folder)
    except OSError as exc:
        raise _unwritten(path, f"cannot read it again ({exc.strerror or exc})") from None
    if current != original:
        raise _unwritten(path, "the file changed on disk since it was read")
    if not st.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise _unwritten(path, "the file is read-only")
    if not folder_st.st_mode & 0o222 or not os.access(folder, os.W_OK | os.X_OK):
        raise _unwritten(path, "its folder is read-only (a fix is written to a new file, then renamed)")
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    mode = st.st_mode & 0o7777
    name = os.path.basename(target)
    write_then_rename(target, data, prefix=f".{name}.", suffix=".copydesk-tmp", fsync=True, mode=mode,
                      rename=_replace)  # looked up now: tests replace it to simulate a crash


def _replace(tmp: str, target: str) -> None:
    """The rename step (its own function so that tests can simulate a crash just before it)."""
    os.replace(tmp, target)


# -- many files: cache and parallel workers ----------------------------------------------------

_WORKER: dict = {}


def _read_seen(path: str):
    """The file's bytes, its text, and the stat worth recording with them (lint.cache.seen:
    taken from the open file before reading, None when the file changed just before)."""
    import time

    from .cache import seen

    before = time.time_ns()
    data, st = _read_regular(path)
    return data, decode(data, path), seen(st, before)


def _lint_task(task) -> FileResult:
    """Lint one file in a worker (or in-process). ``task`` = (path, rule codes, severities,
    cache key prefix); the rule set itself was built once, in the parent, before the fork.
    With a cache, the result carries what the parent records (``seen``: stat and digest)."""
    path, codes, severities, prefix = task
    try:
        raw, source, stat = _read_seen(path)
    except InputError as exc:
        return FileResult(path, error=str(exc))
    rules = [_WORKER["rules"][c] for c in codes]
    severity_for = (lambda meta: severities.get(meta.code, meta.severity)) if severities else None
    result = lint_source(source, path, rules, severity_for)
    result.bom = raw.startswith(b"\xef\xbb\xbf")
    if _WORKER.get("record"):
        from .cache import digest

        result.seen = (stat, digest(raw))
    # a report needs the text and the findings, not the parsed document (not worth pickling back
    # to the parent either) nor the bytes (only a fix needs them, and fix_file reads its own):
    # what a big run holds per file is then its text and its findings
    result.document = None
    return result


class StoredResult(FileResult):
    """A result from the store (lint.cache): its findings become objects, and its verdict a dict,
    when first asked for.
    A warm JSON report needs none: it copies their stored JSON text and the tally counts the
    stored rows (``stored_rows``). Reading ``diagnostics`` makes them (``materialised``)."""

    # properties (data descriptors): they come before the dataclass's class-level defaults
    @property
    def diagnostics(self):
        d = self.__dict__
        if "diagnostics" not in d:
            d["diagnostics"] = d["materialised"] = from_payload(d["payload"])
        return d["diagnostics"]

    @diagnostics.setter
    def diagnostics(self, value):
        self.__dict__["diagnostics"] = value

    @property
    def verdict(self):  # kept as JSON text: read back when asked for
        d = self.__dict__
        if "verdict" not in d:
            d["verdict"] = verdict_of(d["payload"])
        return d["verdict"]

    @verdict.setter
    def verdict(self, value):
        self.__dict__["verdict"] = value

    @property
    def stored_rows(self):
        """The stored findings as rows (lint.cache.to_payload), while ``diagnostics`` is as
        stored (never read, or read and not replaced since); else None."""
        d = self.__dict__
        if "diagnostics" not in d or d["diagnostics"] is d["materialised"]:
            return d["payload"][0]
        return None


# what FileResult() sets, for a StoredResult made without calling it (fields with a
# default_factory are not copied: only diagnostics has one, and StoredResult makes it)
_RESULT_DEFAULTS = {f.name: f.default for f in fields(FileResult)
                    if f.name not in ("path", "diagnostics", "verdict") and f.default is not MISSING}


def _from_store(task, payload, read_text: bool, fmt: str) -> FileResult:
    path = task[0]
    result = StoredResult.__new__(StoredResult)
    result.__dict__.update(_RESULT_DEFAULTS, path=path, format=fmt, payload=payload)
    if read_text:
        try:
            raw, result.source = read_raw(path)
        except InputError as exc:
            return FileResult(path, error=str(exc))
        result.bom = raw.startswith(b"\xef\xbb\xbf")
    elif payload[2] is not None:
        result._lines = LineIndex.from_starts(list(payload[2]), payload[3])  # findings placed without the text
    return result


def _record(cache, task, result) -> None:
    from .cache import result_key, to_payload

    seen = result.__dict__.pop("seen", None)
    if seen is None or result.error:
        return
    stat, content = seen
    cache.put(task[0], stat, content, result_key(task[3], result.format, content), to_payload(result))


def _child_init():
    import signal

    _WORKER["in_child"] = True
    # Ctrl-C goes to the whole process group: the parent stops the workers (stop_workers), which
    # must not each print a traceback of their own
    signal.signal(signal.SIGINT, signal.SIG_IGN)


_POOLS: list = []  # the worker pools running now (stop_workers)


def stop_workers() -> None:
    """End the worker processes at once (Ctrl-C): a pool left to the garbage collector, or to an
    exit that skips it (lint.cli.entry), would leave them behind."""
    while _POOLS:
        pool = _POOLS.pop()
        try:
            pool.terminate()
        except Exception:  # noqa: BLE001 - already gone
            pass


def iter_many(tasks, rules_by_code, jobs: int = 1, cache=None, progress=None,
              keep_clean_text: bool = True, read_text: bool = True):
    """Lint many files, in parallel when ``jobs`` > 1. Each result is yielded, in task order,
    as soon as it and those before it are done, so that a report can be written while later
    files are linted and a big run need not hold every result. ``progress``, when given, is
    called once per finished file (a progress bar). ``keep_clean_text`` False: a result without
    findings or error keeps no text (reports read a file's text only to place and show its
    findings). ``rules_by_code``: code -> rule, or a function that makes that mapping (called
    only when some file has no stored result). ``cache`` (lint.cache.Cache): stored results are looked up in this process
    first, only the other files go to workers, and their results are recorded. ``read_text``
    False: a stored result comes without its file's text (the report needs only positions)."""
    _WORKER.clear()
    tasks = list(tasks)
    stored = [None] * len(tasks)
    if cache is not None and not cache.empty:
        lookup = cache.lookup
        fmts = [format_for_path(t[0]) or "text" for t in tasks]
        stored = [lookup(t[0], t[3], fmt) for t, fmt in zip(tasks, fmts)]
    todo = [t for t, hit in zip(tasks, stored) if hit is None]
    if todo and callable(rules_by_code):  # the rules: made only when a file is to be linted
        rules_by_code = rules_by_code()
    _WORKER.update(rules=rules_by_code, record=cache is not None)

    last = len(tasks) - 1

    def merged(linted):
        for i, (task, hit) in enumerate(zip(tasks, stored)):
            if hit is not None:
                r = _from_store(task, hit, read_text and (keep_clean_text or bool(hit[0])), fmts[i])
            else:
                r = next(linted)
                if cache is not None:
                    _record(cache, task, r)
            if cache is not None and i == last:
                cache.flush()  # before the last yield: a consumer that counts its results stops there
            if not keep_clean_text and not r.error and not (hit[0] if hit is not None else r.diagnostics):
                r.source = ""
            if progress is not None:
                progress()
            yield r

    if jobs <= 1 or len(todo) < 8:
        yield from merged(_lint_task(t) for t in todo)
        return
    import multiprocessing as mp

    try:
        ctx = mp.get_context("fork")
    except ValueError:  # pragma: no cover - platforms without fork lint in-process
        yield from merged(_lint_task(t) for t in todo)
        return
    chunk = max(1, min(64, len(todo) // (jobs * 8)))
    with ctx.Pool(jobs, initializer=_child_init) as pool:
        _POOLS.append(pool)
        try:
            yield from merged(pool.imap(_lint_task, todo, chunksize=chunk))
        finally:
            if pool in _POOLS:
                _POOLS.remove(pool)
