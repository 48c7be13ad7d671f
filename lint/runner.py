"""The runner: find files, read them safely, lint each with its configuration."""
from __future__ import annotations

import os
import sys
from dataclasses import MISSING, field, fields
from pathlib import Path

from ._record import FACTORY, Record, record
from .document import format_for_path, parse
from .model import Diagnostic, LineIndex

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".copydesk_cache",
             ".tox", ".mypy_cache", ".pytest_cache"}
STDIN = "-"
CROSS_CODE = "UI025"  # the rule of cross-file evidence (lint.crossdoc): lines repeated across a run


class InputError(Exception):
    """A user mistake about inputs: ``path: reason`` on one line."""


class WriteError(InputError):
    """Fixes that could not be written (``path: could not write fixes: why; nothing written``)."""


def _unwritten(path: str, why: str) -> WriteError:
    return WriteError(f"{path}: could not write fixes: {why}; nothing written")


@record
class FileResult(Record):
    """The result of linting (or fixing) one file: its findings and verdict, or the one-line error
    that stopped it."""
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
    fix_spared: list | None = None  # after `fix`: (rule code, sentence) of unsafe fixes not applied

    def __init__(self, path: str, source: str = "", format: str = "text",  # noqa: A002 - the field's name
                 diagnostics: list[Diagnostic] = FACTORY, error: str | None = None, document: object = None,
                 raw: bytes | None = None, bom: bool = False, unwritten: bool = False, fixed: str | None = None,
                 original: str | None = None, verdict: dict | None = None, fix_rounds: list | None = None,
                 fix_spared: list | None = None):
        self.path = path
        self.source = source
        self.format = format
        self.diagnostics = [] if diagnostics is FACTORY else diagnostics
        self.error = error
        self.document = document
        self.raw = raw
        self.bom = bom
        self.unwritten = unwritten
        self.fixed = fixed
        self.original = original
        self.verdict = verdict
        self.fix_rounds = fix_rounds
        self.fix_spared = fix_spared

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
    result.fix_spared = outcome.skipped
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
    after.fix_spared = outcome.skipped
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
    With a cache, the result carries what the parent records: ``seen`` (stat and digest) and
    ``stored`` (the result encoded for the store, lint.cache.Stored: made here, in parallel)."""
    path, codes, severities, prefix = task
    try:
        raw, source, stat = _read_seen(path)
    except InputError as exc:
        return FileResult(path, error=str(exc))
    # one list per rule selection, the same object for each of its files: the linter works out
    # once per list what it asks each rule (lint.linter._plan)
    lists = _WORKER.setdefault("lists", {})
    rules = lists.get(codes)
    if rules is None:
        rules = lists[codes] = [_WORKER["rules"][c] for c in codes]
    severity_for = (lambda meta: severities.get(meta.code, meta.severity)) if severities else None
    result = lint_source(source, path, rules, severity_for)
    result.bom = raw.startswith(b"\xef\xbb\xbf")
    lines = None
    if _WORKER.get("candidates") and not result.error and CROSS_CODE in codes:
        lines = result.candidates = candidate_lines(result.source, result.document)
    if _WORKER.get("record"):
        from .cache import Stored, digest

        result.seen = (stat, digest(raw))
        if not result.error:
            result.stored = Stored.of(result, lines or ())
    # a report needs the text and the findings, not the parsed document (not worth pickling back
    # to the parent either) nor the bytes (only a fix needs them, and fix_file reads its own):
    # what a big run holds per file is then its text and its findings
    result.document = None
    if result.__dict__.get("stored") is not None:
        # the parent keeps the stored form of this result (_stored_form): the findings and the
        # verdict as objects are not sent back (a third of the bytes, and their pickling), nor
        # the text when the report does not show it
        result.diagnostics = []
        result.verdict = None
        if not _WORKER.get("read_text", True):
            result.source = ""
    return result


class StoredResult(FileResult):
    """A result from the store (lint.cache.Stored, kept as ``stored``): its findings become
    objects, and its verdict a dict, when first asked for.
    A warm JSON report needs none: it copies their stored JSON text and the tally counts the
    stored rows (``stored_rows``). Reading ``diagnostics`` makes them (``materialised``)."""

    # properties (data descriptors): they come before the dataclass's class-level defaults
    @property
    def diagnostics(self):
        d = self.__dict__
        if "diagnostics" not in d:
            d["diagnostics"] = d["materialised"] = d["stored"].diagnostics()
        return d["diagnostics"]

    @diagnostics.setter
    def diagnostics(self, value):
        self.__dict__["diagnostics"] = value

    @property
    def verdict(self):  # kept as JSON text: read back when asked for
        d = self.__dict__
        if "verdict" not in d:
            d["verdict"] = d["stored"].verdict()
        return d["verdict"]

    @verdict.setter
    def verdict(self, value):
        self.__dict__["verdict"] = value

    @property
    def lines(self):
        """The line index: kept with the stored result when the file's text was not read."""
        d = self.__dict__
        if d.get("_lines") is None and d.get("unread") and d["stored"].line_starts is not None:
            d["_lines"] = d["stored"].line_index()  # findings placed without the text
        return FileResult.lines.fget(self)

    @property
    def stored_rows(self):
        """The stored findings as rows (lint.cache.Stored.findings), while ``diagnostics`` is as
        stored (never read, or read and not replaced since); else None."""
        d = self.__dict__
        if "diagnostics" not in d or d["diagnostics"] is d.get("materialised"):
            return d["stored"].findings
        return None


# what FileResult() sets, for a StoredResult made without calling it (fields with a
# default_factory are not copied: only diagnostics has one, and StoredResult makes it)
_RESULT_DEFAULTS = {f.name: f.default for f in fields(FileResult)
                    if f.name not in ("path", "diagnostics", "verdict") and f.default is not MISSING}


def _stored_result(path: str, fmt: str, stored, key: bytes | None, **fields) -> "StoredResult":
    """A :class:`StoredResult` of ``stored`` (lint.cache.Stored), stored under ``key``, with its
    candidate lines; ``fields`` set besides the defaults. ``unread=True``: its text was not read,
    its line index is the stored one, made when asked for (``lines``)."""
    result = StoredResult.__new__(StoredResult)
    result.__dict__.update(_RESULT_DEFAULTS, path=path, format=fmt, stored=stored, store_key=key, **fields)
    if stored.lines:
        result.candidates = stored.lines
    return result


def _from_store(task, stored, read_text: bool, fmt: str, key: bytes | None = None) -> FileResult:
    path = task[0]
    if not read_text:
        return _stored_result(path, fmt, stored, key, unread=True)
    try:
        raw, source = read_raw(path)
    except InputError as exc:
        return FileResult(path, error=str(exc))
    return _stored_result(path, fmt, stored, key, source=source, bom=raw.startswith(b"\xef\xbb\xbf"))


def _record(cache, task, result, read_text: bool = True, last: bool = False) -> FileResult:
    """Record a linted file's result in the store; the result as a warm run would have it from
    there (:func:`_stored_form`), or as it is when nothing was recorded. ``last``: the run's
    last result, which its caller's final flush writes (never the store's write as it goes)."""
    from .cache import result_key

    seen = result.__dict__.pop("seen", None)
    stored = result.__dict__.pop("stored", None)
    if seen is None or stored is None or result.error:
        return result
    stat, content = seen
    k = result_key(task[3], result.format, content)  # cross-file evidence is stored by it too
    cache.put(task[0], stat, content, k, stored, flush=not last)
    return _stored_form(result, stored, k, read_text)


def _stored_form(result, stored, k: bytes, read_text: bool) -> "StoredResult":
    """A freshly linted file's result in the form a stored one takes (:func:`_from_store`), made
    from what the worker encoded for the store (``stored``, lint.cache.Stored): a report copies
    its JSON text and the tally counts its rows, as on a warm run, instead of making them again
    from the findings in this process; and a result held for cross-file evidence, or pickled
    until its lines are counted, is plain values, not objects. ``read_text`` False: the text is
    dropped (the findings are placed by the stored line index). The same report, byte for byte:
    a warm run's is the cold run's."""
    if not read_text:
        return _stored_result(result.path, result.format, stored, k, bom=result.bom, fresh=True, unread=True)
    r = _stored_result(result.path, result.format, stored, k, bom=result.bom, fresh=True, source=result.source)
    if "_lines" in result.__dict__:
        r._lines = result.__dict__["_lines"]
    return r


def _child_init():
    import signal

    # Ctrl-C goes to the whole process group: the parent stops the workers (stop_workers), which
    # must not each print a traceback of their own
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker_main(conn, parent_ends=()) -> None:
    """A worker process: chunks of tasks in, their results out, on its own pipe (``conn``)
    until the parent sends None or goes away. Nothing is shared with the other workers (no
    queue, no lock), so a worker killed at any moment can block no one. ``parent_ends``: the
    parent's ends of the pipes made so far (this worker's and earlier workers'), inherited by
    the fork and closed here, so that the parent's exit (even without stopping its workers:
    ``os._exit``, SIGKILL) ends the pipe and this loop."""
    for end in parent_ends:
        end.close()
    _child_init()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        seq, chunk = job
        try:
            out = (seq, [_lint_task(t) for t in chunk], None)
        except Exception as exc:  # noqa: BLE001 - raised again in the parent
            out = (seq, None, exc)
        try:
            conn.send(out)
        except (BrokenPipeError, EOFError, ConnectionResetError):
            return
        except Exception as exc:  # noqa: BLE001 - a result or an error that does not pickle
            try:
                conn.send((seq, None, RuntimeError(f"a worker could not send its result: {exc!r}")))
            except Exception:  # noqa: BLE001 - the parent is gone
                return


def _warm_workers(todo) -> None:
    """Before the fork: the rule lists of the tasks' selections (the first few), their plans,
    the literal automaton and the tasks' parsers, made once here for every worker
    (lint.linter.warm)."""
    from .document import parser_for
    from .linter import warm

    try:
        lists = _WORKER.setdefault("lists", {})
        rules = _WORKER["rules"]
        for codes in list(dict.fromkeys(t[1] for t in todo))[:8]:
            if codes not in lists and all(c in rules for c in codes):
                lists[codes] = [rules[c] for c in codes]
        for fmt in {format_for_path(os.fspath(t[0])) or "text" for t in todo}:
            parser_for(fmt)
        from . import verdict  # noqa: F401 - imported by lint_source at a file's first verdict
        warm(list(lists.values()))
    except Exception:  # noqa: BLE001 - only ever slower: each worker does it at its first files
        pass


class WorkerDied(InputError):
    """A worker process ended while it linted (killed by a signal, out of memory): one line
    naming the files it had, exit status 2 in the CLI, no report."""


class _Flag:
    """A lock with a flag set under it (``gone``: a worker's pipe has ended)."""

    def __init__(self):
        import threading

        self._lock, self.gone = threading.Lock(), False

    def __enter__(self):
        self._lock.acquire()

    def __exit__(self, *exc):
        self._lock.release()


class _Workers:
    """Forked worker processes, each with its own pipe, on which two threads of the parent send
    it chunks of tasks (:data:`AHEAD` unanswered at most) and receive its answers; results come
    back in a queue, in any order (``run`` puts them in task order).
    multiprocessing.Pool was used before: its workers share one result queue and its lock, so
    a worker killed while it sent a result (Pool.terminate on Ctrl-C) left the lock taken and
    the parent waiting for it forever. Here :meth:`stop` kills the workers outright (SIGKILL:
    nothing to unwind, nothing shared) and waits for each with a limit."""

    def __init__(self, ctx, jobs: int):
        import queue

        self.results = queue.SimpleQueue()
        self.procs, self.conns, self.threads = [], [], []
        try:
            for _ in range(jobs):
                mine, theirs = ctx.Pipe(duplex=True)
                self.conns.append(mine)
                proc = ctx.Process(target=_worker_main, args=(theirs, list(self.conns)), daemon=True)
                self.procs.append(proc)
                proc.start()
                theirs.close()
        except BaseException:  # a failed fork, Ctrl-C: the workers started so far end too
            self.stop()
            raise

    #: chunks sent to a worker and not answered yet: the next is waiting in its pipe when it
    #: finishes one (one at a time left it idle while the parent read its results and replied)
    AHEAD = 2

    def run(self, chunks):
        """Yield every task's result, in order: ``chunks`` is a list of lists of tasks."""
        import collections
        import threading

        todo = iter(enumerate(chunks))
        take = threading.Lock()

        def send(proc, conn, room, sent, lock):
            """Each worker's chunks, at most AHEAD unanswered, then None (the end)."""
            while True:
                room.acquire()
                with lock:  # with receive(): a chunk is either seen by it or never taken
                    if lock.gone:  # the worker ended: nothing more to send it
                        return
                    with take:
                        job = next(todo, None)
                    if job is not None:
                        sent.append(job)
                try:
                    conn.send(job)  # None: the end
                except Exception:  # noqa: BLE001 - the worker is gone: receive() says so
                    return
                if job is None:
                    return

        def died(proc, job) -> WorkerDied:
            proc.join(1)
            code = proc.exitcode
            why = f"killed by signal {-code}" if code is not None and code < 0 else f"exit status {code}"
            files = ", ".join(str(t[0]) for t in job[1][:3]) + (", ..." if len(job[1]) > 3 else "")
            return WorkerDied(f"a worker process ended ({why}) while it linted {files}")

        def receive(proc, conn, room, sent, lock):
            """Each answer of a worker to the results; its end while it had chunks, an error."""
            import pickle

            while True:
                try:
                    data = conn.recv_bytes()
                except Exception:  # noqa: BLE001 - the worker is gone (or stop() closed the pipe)
                    with lock:
                        lock.gone = True
                        job = sent[0] if sent else None
                    room.release()  # send() may be waiting for room: it stops
                    if job is not None:
                        try:
                            error = died(proc, job)
                        except Exception as exc:  # noqa: BLE001 - an error is put whatever happens
                            error = WorkerDied(f"a worker process ended ({exc!r})")
                        self.results.put((job[0], None, error))
                    return
                with lock:
                    job = sent.popleft()
                try:
                    answer = pickle.loads(data)
                except Exception as exc:  # noqa: BLE001 - sent, but not readable here
                    answer = (job[0], None, RuntimeError(f"a worker's answer could not be read: {exc!r}"))
                self.results.put(answer)
                room.release()

        for proc, conn in zip(self.procs, self.conns):
            room, sent, lock = threading.Semaphore(self.AHEAD), collections.deque(), _Flag()
            for target in (send, receive):
                t = threading.Thread(target=target, args=(proc, conn, room, sent, lock), daemon=True,
                                     name="copydesk-pool")
                t.start()
                self.threads.append(t)
        done: dict = {}
        for want in range(len(chunks)):
            while want not in done:
                seq, results, exc = self.results.get()
                if exc is not None:
                    raise exc
                done[seq] = results
            yield from done.pop(want)

    def stop(self, wait: float = 5.0) -> None:
        """End the workers (at once unless they already finished) and the feeding threads."""
        import time

        deadline = time.monotonic() + wait
        for proc in self.procs:
            try:
                if proc.exitcode is None:
                    proc.kill()
            except Exception:  # noqa: BLE001 - never started, or already gone
                pass
        for proc in self.procs:
            try:
                proc.join(max(0.0, deadline - time.monotonic()))
            except Exception:  # noqa: BLE001 - never started
                pass
        for t in self.threads:  # each ends as its worker's end of the pipe closes
            t.join(max(0.0, deadline - time.monotonic()))
        for conn in self.conns:
            conn.close()


_POOLS: list = []  # the worker pools running now (stop_workers)


def stop_workers() -> None:
    """End the worker processes at once (Ctrl-C): a pool left to the garbage collector, or to an
    exit that skips it (lint.cli.entry), would leave them behind."""
    while _POOLS:
        pool = _POOLS.pop()
        try:
            pool.stop()
        except Exception:  # noqa: BLE001 - already gone
            pass


#: with --jobs 0 (the default), a second worker only pays from this many files to lint: forking a
#: pool and loading the rules in it costs about what linting 64 articles does (bench/run.py)
FILES_PER_WORKER = 64


def iter_many(tasks, rules_by_code, jobs: int = 1, cache=None, progress=None,
              keep_clean_text: bool = True, read_text: bool = True, candidates: bool = False):
    """Lint many files, in parallel when ``jobs`` > 1 (0: chosen by the number of files to lint,
    :data:`FILES_PER_WORKER`). Each result is yielded, in task order,
    as soon as it and those before it are done, so that a report can be written while later
    files are linted and a big run need not hold every result. ``progress``, when given, is
    called once per finished file (a progress bar). ``keep_clean_text`` False: a result without
    findings or error keeps no text (reports read a file's text only to place and show its
    findings). ``rules_by_code``: code -> rule, or a function that makes that mapping (called
    only when some file has no stored result). ``cache`` (lint.cache.Cache): stored results are looked up in this process
    first, only the other files go to workers, and their results are recorded. ``read_text``
    False: a stored result comes without its file's text (the report needs only positions).
    ``candidates``: a file linted with the cross-file rule (CROSS_CODE) has its candidate lines
    (lint.crossdoc) as ``candidates``; with a cache they are always found and stored, so that a
    stored result has them as a fresh one does."""
    _WORKER.clear()
    tasks = list(tasks)
    stored = keys = [None] * len(tasks)
    if cache is not None and not cache.empty:
        find = cache.find
        fmts = [format_for_path(t[0]) or "text" for t in tasks]
        found = [find(t[0], t[3], fmt) for t, fmt in zip(tasks, fmts)]
        keys = [None if f is None else f[0] for f in found]
        stored = [None if f is None else f[1] for f in found]
    todo = [t for t, hit in zip(tasks, stored) if hit is None]
    if todo and callable(rules_by_code):  # the rules: made only when a file is to be linted
        rules_by_code = rules_by_code()
    if todo:  # the Hyperscan gate's database, loaded (or built) once, before any worker starts
        from .regex import gate

        gate.prepare(len(todo))
        if cache is not None and len(todo) >= FILES_PER_WORKER:
            from .cache import bulk_hashing

            bulk_hashing()  # each linted file's content is hashed for the store
    _WORKER.update(rules=rules_by_code, record=cache is not None, candidates=candidates or cache is not None,
                   read_text=read_text)

    last = len(tasks) - 1
    pools: list = []  # the worker pool, stopped once the last result is in (before flush_behind forks)

    def merged(linted):
        for i, (task, hit) in enumerate(zip(tasks, stored)):
            if hit is not None:
                r = _from_store(task, hit, read_text and (keep_clean_text or bool(hit.findings)), fmts[i], keys[i])
            else:
                r = next(linted)
                if cache is not None:
                    r = _record(cache, task, r, read_text, i == last)
            if cache is not None and i == last:
                for pool in pools:  # every result is in: its threads end (a fork copies one thread)
                    pool.stop()
                # before the last yield: a consumer that counts its results stops there. The
                # store is written by a child while the report is made (joined at the end)
                cache.flush_behind()
            found = r.__dict__["stored"].findings if type(r) is StoredResult else r.diagnostics
            if not keep_clean_text and not r.error and not found:
                if r.source and getattr(r, "candidates", None):  # cross-file evidence may place findings
                    r._lines = r.lines  # here: their lines and columns without the text
                r.source = ""
            if progress is not None:
                progress()
            yield r
        if cache is not None:
            cache.join_behind()  # the whole stream read (list(), a report): the store is written

    if jobs == 0:  # automatic: a worker per FILES_PER_WORKER files to lint, at most one per core
        jobs = min(os.cpu_count() or 1, len(todo) // FILES_PER_WORKER)
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
    _warm_workers(todo)
    pool = _Workers(ctx, jobs)
    _POOLS.append(pool)
    pools.append(pool)
    try:
        yield from merged(pool.run([todo[i:i + chunk] for i in range(0, len(todo), chunk)]))
    finally:
        if pool in _POOLS:
            _POOLS.remove(pool)
        pool.stop()


# -- the flow of a run: configuration, rules, files, tasks, filters ----------------------------

class RunError(InputError):
    """A mistake that stops a run before it lints anything (an unknown rule selector, a baseline
    or a git revision that cannot be read): one line, exit status 2 in the CLI."""


def load_ruleset(resolver, paths, cache: bool = True):
    """The rule set of a run: the built-in rules and every pack that the configurations of
    ``paths`` name (each checked to exist and hold rules)."""
    from .packs import load_rules

    packs: list[Path] = []
    probe = [Path(p) for p in paths if p != STDIN] or [Path.cwd()]
    for p in probe:
        config = resolver.for_path(p)
        config.check_packs()
        for pack in config.packs:
            if pack not in packs:
                packs.append(pack)
    import gc

    # the rule set is tens of thousands of objects made at once and kept for the whole run:
    # collecting during its load finds nothing, and once frozen no later collection walks it
    # (nor touches its pages in forked workers)
    gc.disable()
    try:
        return load_rules(packs, cache=cache)
    finally:
        gc.enable()
        gc.freeze()


def file_excluder(config):
    """The exclusion test of a folder's files (discover): None when its configuration
    excludes nothing."""
    return config.is_excluded if config.exclude else None


def selected_metas(ruleset, config, path, memo=None):
    """The metadata of the rules ``config`` runs on ``path``. ``memo`` (a dict kept for one
    run) reuses the answer for every file of a configuration that has no per-file ignores."""
    if memo is not None and not config.per_file_ignores:
        key = id(config)
        if key not in memo:
            memo[key] = (config, selected_metas(ruleset, config, path))  # the config kept alive: ids stay unique
        return memo[key][1]
    file_path = Path(path) if path != STDIN else None
    return [m for m in ruleset.metas if config.rule_enabled(m, file_path)]


class Filters:
    """What a report leaves out: findings recorded in a baseline (``known``), findings on lines
    unchanged since a git revision (``changed``: real path -> lines), findings below
    ``min_severity``. Read before linting, so that mistakes fail fast (RunError)."""

    def __init__(self, files=(), baseline=None, diff_base=None, min_severity=None):
        from .model import Severity

        self.known = self.changed = None
        self.floor = Severity.parse(min_severity) if min_severity else None
        if baseline:
            from .baseline import Baseline, BaselineError

            try:
                self.known = Baseline.load(baseline)
            except BaselineError as exc:
                raise RunError(str(exc)) from None
        if diff_base:
            if STDIN in files:
                raise RunError("--diff-base needs files in a git repository, not standard input")
            from .gitdiff import GitDiffError, changed_lines

            try:
                self.changed = changed_lines(files, diff_base)
            except GitDiffError as exc:
                raise RunError(str(exc)) from None

    @property
    def empty(self) -> bool:
        return self.known is None and self.changed is None and self.floor is None

    def apply(self, results) -> None:
        """Drop what is not to be reported, in place: baselined, on unchanged lines, below
        the floor."""
        if self.known is not None:
            self.known.filter(results)
        if self.changed is not None:
            from .gitdiff import filter_results

            filter_results(results, self.changed)
        if self.floor is not None:
            floor = self.floor
            for r in results:
                r.diagnostics = [d for d in r.diagnostics if d.severity >= floor]

    def fix_keep(self):
        """What ``fix`` may change: in every round of its loop, only the findings that ``check``
        with the same filters would report for that round's text. A finding of a later round is
        placed on the original file's lines through the earlier rounds' edits
        (lint.fixer.to_source). None: no filter."""
        if self.empty:
            return None
        import dataclasses

        from .fixer import to_source

        known, changed, floor = self.known, self.changed, self.floor
        originals: dict[str, FileResult] = {}

        def keep(r, rounds):
            diags = r.diagnostics
            if floor is not None:
                diags = [d for d in diags if d.severity >= floor]
            if known is not None:
                diags = known.new_findings(dataclasses.replace(r, diagnostics=diags))
            if changed is not None:
                from .gitdiff import touches

                if not rounds:  # a file's first round: fixes run one file after another
                    originals.clear()
                    originals[r.path] = r
                lines = changed.get(os.path.realpath(r.path), set())
                first = originals.get(r.path, r)
                diags = [d for d in diags if touches(first, dataclasses.replace(
                    d, start=to_source(rounds, d.start), end=to_source(rounds, d.end)) if rounds else d, lines)]
            return diags

        return keep


class Plan:
    """One run of ``check`` (or ``fix``) over ``paths``: the configuration of every file, the
    rule set, the files found, the report filters, then the results (:meth:`results`), in the
    order of the files, filtered. The CLI parses options into one and renders what it gives;
    :meth:`lint.api.Linter.lint_paths` makes one too.

    ``select``/``extend_select``/``ignore``: selectors applied over every configuration;
    ``config_path`` replaces discovery, ``config`` (a lint.config.Config) too. ``fix``: None
    (lint only) or the lowest Applicability applied; ``write`` False fixes in memory (a diff).
    ``warn(message)`` is told what the run goes on without (LanguageTool not answering)."""

    def __init__(self, paths, *, config_path=None, config=None, select=None, extend_select=(), ignore=(),
                 stdin_filename=None, jobs: int = 0, cache: bool = True, rules_cache: bool | None = None,
                 languagetool=None, warn=None, force_exclude: bool = True, fix=None, write: bool = True,
                 min_severity=None, baseline=None, diff_base=None, cross_file: bool = True, ruleset=None):
        from .config import ConfigResolver

        self.paths = [str(p) for p in paths] or ["."]
        if config_path and not Path(config_path).is_file():
            raise RunError(f"{config_path}: configuration file not found")
        self.resolver = resolver = ConfigResolver(
            Path(config_path) if config_path else None, cli_select=list(select) if select else None,
            cli_ignore=list(ignore or ()), cli_extend_select=list(extend_select or ()), config=config)
        self.cli_selectors = set(list(select or ()) + list(ignore or ()) + list(extend_select or ()))
        self.ruleset = ruleset if ruleset is not None else load_ruleset(
            resolver, self.paths, cache=cache if rules_cache is None else rules_cache)
        self.base_config = resolver.for_path(Path(self.paths[0]) if self.paths[0] != STDIN else Path.cwd())
        self._checked: set[int] = set()
        self.check_selectors(self.base_config)
        self.lt_rule = None  # LanguageTool: --languagetool URL, or languagetool.url / languagetool.local
        lt_url = languagetool or self.base_config.languagetool.get("url")
        if lt_url or self.base_config.languagetool.get("local"):
            from .languagetool import setup as lt_setup

            self.lt_rule = lt_setup(lt_url, self.base_config, lambda p: resolver.for_path(Path(p)),
                                    warn or (lambda message: None))
        self.missing: list[tuple[str, str]] = []  # named on one line each, skipped: the run goes on
        files = discover(self.paths, is_excluded=lambda p: resolver.for_path(p).is_excluded(p),
                         file_excluder=lambda folder: file_excluder(resolver.for_path(folder)),
                         errors=self.missing, force_exclude=force_exclude)
        if self.missing:  # a broken link named on the command line and found again in a folder: once
            named = {path for path, _ in self.missing}
            files = [f for f in files if f not in named]
        self.files = files
        self.stdin_filename = stdin_filename
        self.jobs, self.cache = jobs, cache
        self.fix, self.write = fix, write
        self.cross_file = cross_file
        self.filters = Filters(files, baseline, diff_base, min_severity)  # fail fast

    @property
    def metas(self) -> list:
        """Every rule's metadata (reporters' rule descriptions), LanguageTool's included."""
        return self.ruleset.metas + ([self.lt_rule.meta] if self.lt_rule else [])

    def check_selectors(self, config) -> None:
        """Every configuration the run uses (one per folder that has its own) names only known
        rules; a selector is blamed on the command line when it came from there. Each is
        checked once."""
        self._checked.add(id(config))
        from .config import unknown_selectors

        bad = unknown_selectors(config, self.ruleset.metas)
        if bad:  # LanguageTool's codes (LT:RULE_ID) are known only to its server
            from .languagetool import is_lt_selector

            bad = [s for s in bad if not is_lt_selector(s)]
        if bad:
            where = "" if config.path is None or all(s in self.cli_selectors for s in bad) else f"{config.path}: "
            raise RunError(f"{where}unknown rule selector{'s' if len(bad) > 1 else ''}: {', '.join(bad)} "
                           "(see `copydesk rules`)")

    @property
    def n_tasks(self) -> int:
        """How many files the run lints as a batch (cached, in parallel): a progress bar's length."""
        return len(self.prepare()[1])

    def results(self, *, keep_clean_text: bool = True, read_text: bool = True, progress=None):
        """The results, in the order of the files (those that could not be found first), with
        the filters applied: a generator; a plain lint run's results come as they are made
        (a report can be written while later files are linted). ``keep_clean_text`` False: a
        result without findings keeps no text; ``read_text`` False: a stored result comes
        without its file's text (a report that needs only positions); ``progress()`` is called
        once per linted file."""
        results, tasks = self.prepare()
        self._prepared = None  # a plan runs once
        return self._results(results, tasks, keep_clean_text, read_text, progress)

    _prepared = None

    def prepare(self):
        """Configure every file, fix the files a fix run names and standard input, and make
        the batch of plain lint tasks: (results so far, None where a task's result goes;
        tasks). Done once, by the first of ``n_tasks`` and ``results``."""
        if self._prepared is None:
            self._prepared = self._prepare()
        return self._prepared

    def _prepare(self):
        from .model import Applicability

        ruleset, lt_rule, resolver = self.ruleset, self.lt_rule, self.resolver
        fixing = self.fix is not None
        minimum = self.fix if fixing else Applicability.SAFE
        fix_keep = self.filters.fix_keep() if fixing else None
        results: list[FileResult | None] = [FileResult(path, error=why) for path, why in self.missing]
        tasks: list[tuple[int, tuple]] = []  # plain lint runs: batched, cached, parallel
        selected_memo: dict = {}
        task_memo: dict = {}
        by_code = None  # the rules themselves, built (or loaded) only when a file is linted here
        plain = not fixing
        per_config: dict = {}  # id(config) -> (config, shared task part) when no per-file ignores
        for path in self.files:
            config = resolver.for_file(path) if path != STDIN else resolver.for_path(os.getcwd())
            if id(config) not in self._checked:
                self.check_selectors(config)
            if plain and path != STDIN:
                known = per_config.get(id(config))  # every file of a folder's configuration: one lookup
                if known is not None:
                    tasks.append((len(results), (path, *known[1])))
                    results.append(None)
                    continue
            name = (self.stdin_filename or "<stdin>") if path == STDIN else path
            selected = selected_metas(ruleset, config, name, selected_memo)
            if plain and path != STDIN:  # first file of a configuration, or one with per-file ignores
                metas = selected + ([lt_rule.meta] if lt_rule else [])
                codes = tuple(m.code for m in metas)
                shared = task_memo.get((codes, id(config)))  # one (codes, severities, prefix) per selection
                if shared is None:
                    sev = {m.code: config.severity_for(m) for m in metas if config.severity_for(m) != m.severity}
                    prefix = f"{ruleset.fingerprint}|{','.join(codes)}|{sorted((k, int(v)) for k, v in sev.items())}"
                    shared = task_memo[codes, id(config)] = (codes, sev, prefix, config)  # config kept: ids unique
                if not config.per_file_ignores:
                    per_config[id(config)] = (config, shared[:3])  # config kept: ids stay unique
                tasks.append((len(results), (path, *shared[:3])))
                results.append(None)
                continue
            by_code = by_code or ruleset.by_code()
            rules = [by_code[m.code] for m in selected] + ([lt_rule] if lt_rule else [])
            if path == STDIN:
                try:
                    source = read_source(STDIN)
                except InputError as exc:
                    results.append(FileResult(name, error=str(exc)))
                    continue
                if fixing and not self.write:  # fixed in memory; the diff is printed
                    results.append(fix_text(source, name, rules, config.severity_for, minimum, keep=fix_keep))
                elif fixing:
                    raise RunError("standard input cannot be fixed in place: `copydesk fix --diff -` prints the changes")
                else:
                    results.append(lint_source(source, name, rules, config.severity_for))
            else:
                results.append(fix_file(path, rules, config.severity_for, minimum, write=self.write, keep=fix_keep))
        return results, tasks

    def _results(self, results, tasks, keep_clean_text, read_text, progress):
        filters = self.filters
        pending = iter(())  # the plain lint runs' results, in task order
        cache = None
        if tasks:
            from .cache import Cache

            ruleset, lt_rule = self.ruleset, self.lt_rule
            # the rules, for workers: only when some file has no stored result
            rules_by_code = lambda: {**ruleset.by_code(), **({"LT": lt_rule} if lt_rule else {})}  # noqa: E731
            # LanguageTool's answers are never cached: they depend on the server
            cross = self._cross_file_rule(tasks)
            cache = None if not self.cache or lt_rule else Cache()
            pending = iter(iter_many([t for _, t in tasks], rules_by_code, self.jobs, cache, progress=progress,
                                     keep_clean_text=keep_clean_text, read_text=read_text,
                                     candidates=cross is not None))
            if cross is not None:  # every result first: the evidence is in all of them
                pending = with_evidence([t for _, t in tasks], pending, cross, read_text=read_text, cache=cache)
        try:
            if filters.empty and all(r is None for r in results):
                yield from pending  # every file a plain lint run, nothing to drop: as they come
                return
            for r in results:
                r = r if r is not None else next(pending)
                filters.apply([r])
                yield r
        finally:
            if cache is not None:
                cache.join_behind()  # the store's last write (Cache.flush_behind) is done

    def _cross_file_rule(self, tasks):
        """The metadata of the cross-file rule when this run is to look for lines repeated across
        its files (a folder run: enough files select the rule to reach its ``min_docs``), else None."""
        if not self.cross_file:
            return None
        meta = next((m for m in self.ruleset.metas if m.code == CROSS_CODE), None)
        if meta is None or meta.kind != "repeats":
            return None
        from . import crossdoc

        memo: dict = {}
        n = sum(1 for _, t in tasks if has_cross_code(t[1], memo))
        return meta if n >= max(2, meta.options.get("min_docs", crossdoc.MIN_DOCS)) else None


def has_cross_code(codes: tuple, memo: dict) -> bool:
    """``CROSS_CODE in codes``, asked once per selection of rules (``memo``, kept for a run:
    the files of a configuration share one tuple of codes) instead of once per file: a test
    that compares the code with each of ~80 strings, several times per file of a big run."""
    known = memo.get(id(codes))
    if known is None or known[0] is not codes:
        known = memo[id(codes)] = (codes, CROSS_CODE in codes)  # the tuple kept: its id stays its own
    return known[1]


def candidate_lines(source: str, document) -> tuple:
    """A file's candidate lines for cross-file evidence (lint.crossdoc), as the worker finds them
    and the store keeps them: ``(key, start, end, offset, snippet, live, fingerprint)``, where ``snippet`` is
    ``source[offset:…]``, the source line of ``[start, end)`` with its line break and the two
    characters before it (what lint.crossdoc.findings reads of the source to word the finding
    and size its deletion: the reduction needs neither the file nor its text), and ``live``
    False when a suppression comment silences the rule there (the line still counts), and
    ``fingerprint`` the file's :func:`lint.crossdoc.document_fingerprint` (copies of one article
    count once, as in ``copydesk corpus``)."""
    from . import crossdoc

    cands = crossdoc.document_candidates(document)
    if not cands:
        return ()
    fp = crossdoc.document_fingerprint(document)
    # a document without suppressions nor comments (where they could be collected from)
    # silences nothing: crossdoc.silenced is then False for every line, not asked line by line
    silenced = crossdoc.silenced if document.suppressions or document.comments else None
    out = []
    for key, start, end in cands:
        line_start = source.rfind("\n", 0, start) + 1
        line_end = source.find("\n", end)
        line_end = len(source) if line_end < 0 else line_end + 1
        offset = max(0, line_start - 2)
        live = silenced is None or not silenced(document, start, end)
        out.append((key, start, end, offset, source[offset:line_end], live, fp))
    return tuple(out)


def cross_file_evidence(tasks, results, meta, read_text: bool = True) -> int:
    """The reduction of a run's cross-file evidence (lint.crossdoc): the candidate lines of every
    file linted with the rule (``candidates``, found by the workers or kept in the store) are
    counted, and each file where a frequent one stands gets its findings, merged into its result
    (in place, before the report's filters). The same for any order of the files, any --jobs,
    with or without the store; nothing is read again unless ``read_text`` asks for the text
    of a file that gets findings (a report that shows them in context). Returns how many
    findings were added."""
    evidence = _Evidence(meta)
    for task, r in zip(tasks, results):
        evidence.see(task, r)
    if not evidence.count():
        return 0
    return sum(evidence.apply(task, r, read_text) for task, r in zip(tasks, results))


#: a run with cross-file evidence holds this many results in memory until its lines are counted;
#: later ones wait in a temporary file (pickled), so that memory does not grow with the run
SPILL_AFTER = 1000


_SPILLED = object()  # with_evidence: this result waits in the temporary file


def with_evidence(tasks, results, meta, read_text: bool = True, spill_after: int | None = None, cache=None):
    """:func:`cross_file_evidence` on a stream of results, yielded in order once every one has
    been seen: the first ``spill_after`` (:data:`SPILL_AFTER`) are held, the others pickled to a
    temporary file and read back one at a time; only their candidate lines stay in memory.
    ``cache`` (lint.cache.Cache): each file's cross-file findings are stored with its result,
    and a stored result whose evidence is unchanged gets them from there (:meth:`_Evidence.apply`)."""
    import pickle

    spill_after = SPILL_AFTER if spill_after is None else spill_after
    evidence = _Evidence(meta, cache)
    held: list = []  # per result: the result, or _SPILLED when it waits in the temporary file
    spill = None
    try:
        for task, r in zip(tasks, results):
            evidence.see(task, r)
            if len(held) < spill_after or (type(r) is StoredResult and "diagnostics" not in r.__dict__
                                           and "fresh" not in r.__dict__):
                # a result from the store, not yet made into findings, is only a reference to
                # what the store has loaded anyway: held, it costs next to nothing; pickled, a
                # warm run would copy every stored result twice
                held.append(r)
                continue
            if spill is None:
                import tempfile

                spill = tempfile.TemporaryFile()
            pickle.dump(r, spill, protocol=pickle.HIGHEST_PROTOCOL)
            held.append(_SPILLED)
        if spill is not None:
            spill.seek(0)
        found = evidence.count()
        last = len(held) - 1
        for i, task in enumerate(tasks[:len(held)]):
            r, held[i] = held[i], None
            if r is _SPILLED:
                r = pickle.load(spill)
            if found:
                evidence.apply(task, r, read_text)
            if found and cache is not None and i == last:
                cache.flush()  # before the last yield: a consumer that counts its results stops there
            yield r
    finally:
        if spill is not None:
            spill.close()


class _Evidence:
    """The two steps of :func:`cross_file_evidence`: ``see`` each result (its candidate lines
    are kept), ``count`` them, then ``apply`` the findings to each result."""

    def __init__(self, meta, cache=None):
        self.meta = meta
        self.cache = cache  # lint.cache.Cache: findings stored by result key (Cache.evidence)
        self.unweighted = None  # whether the verdict weighs the rule's findings: known at the first apply
        self.n_docs = 0
        self.lined: list = []  # the candidate lines of each file that has some
        self.keys = self.counter = None
        self.selections: dict = {}  # has_cross_code's memo

    def see(self, task, r) -> None:
        if has_cross_code(task[1], self.selections) and not r.error:
            self.n_docs += 1
            lines = getattr(r, "candidates", ())
            if lines:
                self.lined.append(lines)

    def count(self) -> bool:
        """Count the lines; whether any is frequent enough to report."""
        from . import crossdoc

        meta, lined = self.meta, self.lined
        self.counter = crossdoc.count(((c[0] for c in lines) for lines in lined), (lines[0][6] for lines in lined))
        self.keys = crossdoc.frequent(self.counter, self.n_docs,
                                      min_docs=meta.options.get("min_docs", crossdoc.MIN_DOCS),
                                      min_share=meta.options.get("min_share", crossdoc.MIN_SHARE))
        self.lined = []
        return bool(self.keys)

    def apply(self, task, r, read_text: bool) -> int:
        """Merge the file's findings into ``r``; how many were added."""
        if r.error or not has_cross_code(task[1], self.selections):
            return 0
        keys = self.keys
        found = [c for c in getattr(r, "candidates", ()) if c[5] and c[0] in keys]  # live, frequent
        if not found:
            return 0  # most files: nothing to merge (and nothing to import)
        meta = self.meta
        unweighted = self.unweighted
        if unweighted is None:
            from .verdict import WEIGHTS, family_of

            unweighted = self.unweighted = family_of(CROSS_CODE) not in WEIGHTS  # the verdict does not change with them
        severity = task[2].get(CROSS_CODE, meta.severity)
        stored = r.__dict__.get("stored")
        as_stored = stored is not None and r.stored_rows is not None and stored.line_starts is not None \
            and unweighted and not (read_text and not r.source)
        cache, k = self.cache, r.__dict__.get("store_key")
        signature = hit = None
        if cache is not None and k is not None and stored is not None and unweighted:
            # what decides the file's findings, besides its stored result (its candidate lines'
            # snippets, its line index): which of its lines are frequent, in how many documents
            # of how many, and the rule's severity. Unchanged since the findings were stored (a
            # warm run of an unchanged repository), they are read, not made again
            counter = self.counter
            signature = (self.n_docs, int(severity),
                         tuple((c[0], c[1], c[2], counter.get(c[0], 0)) for c in found))
            hit = cache.evidence(k, signature, stored.length)
            if hit is not None and as_stored:
                r.__dict__["stored"] = stored.with_delta(*hit)
                return len(hit[0])
        # the findings are made (not read from the store) from here on
        from . import crossdoc
        from .cache import delta

        if hit is not None:  # stored, for a result whose findings are objects
            from .cache import _diagnostics

            extra = _diagnostics(hit[0])
        else:
            extra = []
            for key, start, end, offset, snippet, live, _fp in found:
                extra += crossdoc.findings([(key, start - offset, end - offset)], keys, self.n_docs,
                                           counts=self.counter, source=snippet, severity=severity, shift=offset)
            if not extra:
                return 0
            extra.sort(key=lambda d: d.sort_key())
        if as_stored:
            # a stored result as stored: the findings are added to its rows and JSON text
            # (a warm JSON report copies them, never making the file's findings into objects)
            rows, items = delta(extra, stored.line_index())
            places = stored.places(rows)
            r.__dict__["stored"] = stored.with_delta(rows, items, places)
        else:
            if read_text and not r.source:  # a clean file's text was not kept: the report shows it
                try:
                    r.source = read_raw(r.path)[1]
                except InputError as exc:
                    r.error = str(exc)
                    return 0
            from .verdict import verdict

            r.diagnostics = crossdoc.merge(r.diagnostics, extra)
            r.verdict = verdict(r.diagnostics)
            if signature is not None and hit is None:
                rows, items = delta(extra, r.lines)
                places = stored.places(rows)  # the stored result's (signature: there is one)
        if signature is not None and hit is None:
            cache.put_evidence(k, signature, rows, items, places)
        return len(extra)
