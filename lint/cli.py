"""The ``copydesk`` command. Exit status is decided here, once: 0 clean, 1 findings at or
above ``--fail-on``, 2 usage, configuration or input errors."""
from __future__ import annotations

import os
import sys
from functools import partial
from pathlib import Path

import click

from . import __version__
from .config import ConfigError, ConfigResolver
from .model import Severity, excerpt
from .packs import PackError, load_rules
from .reporters import REPORTERS, chunks
from .reporters.common import shown
from .runner import STDIN, InputError, discover, file_excluder, read_source

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command ended by Ctrl-C
SEVERITIES = ["info", "warning", "error"]


def _fail(message: str) -> "NoReturn":  # noqa: F821
    click.echo(f"copydesk: error: {shown(message)}", err=True)
    sys.exit(EXIT_ERROR)


def _split(values) -> list[str]:
    out = []
    for v in values or ():
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


_SIGINT: list = []  # Ctrl-C seen in this run (a KeyboardInterrupt can be swallowed: see _on_sigint)


def _on_sigint(signum, frame):
    """Python's own handler, remembering the signal: a KeyboardInterrupt raised where Python
    only prints it (a weakref callback, a __del__, an import lock's cleanup) still ends the run
    at the next check (``_check_interrupt``) instead of letting it print its report."""
    _SIGINT.append(signum)
    raise KeyboardInterrupt


def _check_interrupt() -> None:
    if _SIGINT:
        _interrupted()


def _interrupted() -> "NoReturn":  # noqa: F821
    """Ctrl-C: the workers are stopped, no report is printed (a machine-readable one is written
    only once complete), temporary files are gone (lint._atomic), exit 130."""
    from .runner import stop_workers

    stop_workers()
    try:
        click.echo("\ncopydesk: interrupted", err=True)
    except (OSError, ValueError):
        pass
    sys.exit(EXIT_INTERRUPTED)


#: subcommands made only when named (or listed by --help): name -> (module, attribute), the
#: attribute a command or a function that makes one. `corpus` lives in its own module (a module
#: that cannot be imported makes a command saying so); `fix` and `report` are this module's:
#: making a click option costs ~40 us, and they have ~50 between them, ~2 ms of every `check`
#: of one file, which needs neither
_LAZY = {"corpus": ("lint.corpus_cli", "corpus"), "fix": (__name__, "_fix_command"),
         "report": (__name__, "_report_command")}


def _missing_command(name: str, module: str, why: str) -> click.Command:
    def run(args):
        _fail(f"the '{name}' command is not available: {module} cannot be imported ({why})")

    return click.Command(name, callback=run, params=[click.Argument(["args"], nargs=-1)],
                         context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
                         help=f"(not available: {module} cannot be imported)", add_help_option=False)


class _Group(click.Group):
    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(_LAZY))

    def get_command(self, ctx, name):
        command = super().get_command(ctx, name)
        if command is None and name in _LAZY:
            from importlib import import_module

            module, attribute = _LAZY[name]
            try:
                command = getattr(import_module(module), attribute)
            except (ImportError, AttributeError) as exc:
                return _missing_command(name, module, " ".join(str(exc).split()) or type(exc).__name__)
            if not isinstance(command, click.Command):  # a function that makes it: made once
                command = command()
                self.add_command(command, name)
        return command

    def main(self, *args, **kwargs):
        kwargs.setdefault("standalone_mode", True)
        try:
            return super().main(*args, **kwargs)
        except (PackError, ConfigError, InputError) as exc:
            _fail(str(exc))

    def invoke(self, ctx):
        import signal
        import threading

        del _SIGINT[:]
        previous = None
        if threading.current_thread() is threading.main_thread() and \
                signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            previous = signal.signal(signal.SIGINT, _on_sigint)
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:  # before click turns it into "Aborted!" and exit status 1
            _interrupted()
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="copydesk")
def main() -> None:
    """Copydesk: a linter for articles. Finds machine-translation artifacts, leftover web page
    text, broken captions and credits, and attribution problems."""


def entry(prog_name: str = "copydesk") -> "NoReturn":  # noqa: F821
    """The console script and ``python -m lint``: run the command, flush what it printed, and
    leave without tearing the interpreter down (freeing every module and the rule set costs
    ~30 ms, as much as linting a file; mypy exits the same way). Every file the run writes
    (report, caches, fixes) is closed before this point; ``main`` itself, as tests and other
    programs call it, exits normally."""
    import gc

    # a run makes objects by the hundred thousand and almost none in a cycle (reference
    # counting frees them): the collector's default (a pass every 700 allocations) walks the
    # young ones for nothing; every 20,000 is ~5% of a warm run and ~3% of a cold one
    gc.set_threshold(20000, 20, 20)
    try:
        try:
            main(prog_name=prog_name)
            code = 0
        except KeyboardInterrupt:  # outside the command (parsing the arguments)
            _interrupted()
    except SystemExit as exc:
        code = exc.code
    except KeyboardInterrupt:  # a second Ctrl-C while stopping
        code = EXIT_INTERRUPTED
    if code is not None and not isinstance(code, int):  # sys.exit("message")
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (copydesk check | head): nothing to lose
            pass
    os._exit(code or 0)


_file_excluder = file_excluder  # lint.runner's: the exclusion test of a folder's files


def _common(f):
    """Options shared by ``check`` and ``fix``."""
    opts = [
        click.argument("paths", nargs=-1),
        click.option("--format", "fmt", type=click.Choice(sorted(REPORTERS)), default="text", show_default=True,
                     help="Output format."),
        click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
                     help="Lowest severity that makes the exit status 1 (default: warning)."),
        click.option("--exit-zero", is_flag=True, help="Exit 0 even when problems are found."),
        click.option("--select", multiple=True,
                     help="Rules to run (code, prefix, name, family or category); replaces the configured set."),
        click.option("--extend-select", multiple=True, help="Rules to add to the selection."),
        click.option("--ignore", multiple=True, help="Rules to skip."),
        click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
                     help="Use this configuration file instead of discovering one."),
        click.option("--stdin-filename", default=None, help="Name (and format, by suffix) for input read from '-'."),
        click.option("--no-source", is_flag=True, help="Text format: do not print the source line and caret."),
        click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that change words."),
        click.option("--diff", "show_diff", is_flag=True,
                     help="Print the fixes as a unified diff and write nothing (exit 1 when there are changes)."),
        click.option("--jobs", "-j", type=click.IntRange(min=0), default=0,
                     help="Parallel worker processes (default 0: one per 64 files to lint, at most one per core)."),
        click.option("--no-cache", is_flag=True, help="Do not use the .copydesk_cache folder nor the rule set cache."),
        click.option("--languagetool", metavar="URL", default=None,
                     help="Also send the prose to the LanguageTool server at URL (LT findings)."),
        click.option("--output-file", type=click.Path(dir_okay=False), default=None,
                     help="Write the report to this file; the summary still goes to the terminal."),
        click.option("--min-severity", type=click.Choice(SEVERITIES), default=None,
                     help="Report only findings at or above this severity."),
        click.option("--baseline", type=click.Path(dir_okay=False), default=None,
                     help="Report only findings not recorded in this baseline file."),
        click.option("--write-baseline", type=click.Path(dir_okay=False), default=None,
                     help="Record the current findings in this baseline file (and report nothing)."),
        click.option("--diff-base", metavar="REV", default=None,
                     help="Report only findings on lines changed since the git revision REV (working tree included)."),
        click.option("--statistics", is_flag=True, help="Also print the number of findings per rule."),
        click.option("--no-progress", is_flag=True, help="No progress bar (shown on a terminal for long runs)."),
        click.option("--no-force-exclude", is_flag=True,
                     help="Lint files named on the command line even when the configuration's exclude matches them."),
        click.option("--no-cross-file", is_flag=True,
                     help="Do not report lines repeated across the files of the run (UI025)."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def _fix_rounds_line(r) -> str:
    """``path: round 1: SEG001 ×3, SEG005; round 2: UI004 (reported after round 1)``."""
    from collections import Counter

    parts = []
    for n, edits in enumerate(r.fix_rounds, 1):
        counts = Counter(code for code, _ in edits)
        codes = ", ".join(f"{c} ×{k}" if k > 1 else c for c, k in sorted(counts.items()))
        parts.append(f"round {n}: {codes}" + (f" (reported only after round {n - 1}'s changes)" if n > 1 else ""))
    return f"{shown(r.path)}: fixed by " + "; ".join(parts)


def _spared_lines(r) -> list[str]:
    """``path: UI004's fix not applied: it would also delete 'Prices rose 4%.' (fix it by hand)``
    for each unsafe fix the fixer refused because it would remove a real sentence."""
    out = []
    for code, sentence in r.fix_spared or ():
        words = excerpt(sentence, 60)
        out.append(f"{shown(r.path)}: {code}'s fix not applied: it would also delete {words!r} (fix it by hand)")
    return out


def _write_baseline(results, path) -> "NoReturn":  # noqa: F821
    from .baseline import BaselineError, write

    try:
        n = write(results, path)
    except BaselineError as exc:
        _fail(str(exc))
    for r in results:
        if r.error:
            click.echo(f"copydesk: error: {shown(r.error)}", err=True)
    click.echo(f"Wrote {n} finding{'s' if n != 1 else ''} to the baseline {path}.", err=True)
    sys.exit(EXIT_ERROR if any(r.error for r in results) else EXIT_OK)


def _statistics(tally) -> str:
    """``--statistics``: findings per rule, most frequent first; [*] marks rules with fixes."""
    rows = tally.rules
    if not rows:
        return "No findings.\n"
    width = max(len(c) for c in rows)
    out = [f"{n:>6}  {code:<{width}}  {'[*]' if fixable else '   '}  {name}"
           for code, (n, name, fixable) in sorted(rows.items(), key=lambda x: (-x[1][0], x[0]))]
    total = sum(n for n, _, _ in rows.values())
    out.append(f"{total:>6}  finding{'s' if total != 1 else ''} from {len(rows)} rule{'s' if len(rows) != 1 else ''}")
    return "\n".join(out) + "\n"


def _emit(output, tally, fmt: str, output_file, statistics: bool) -> None:
    """Print the report, or write it to --output-file and print the summary for people.
    ``output``: the report, or an iterator of its pieces; ``tally`` is complete once they are
    all made. The text report is printed as it comes; a machine-readable one (and any report
    file) only once complete, so that an interrupted run leaves no half a document."""
    pieces = [output] if isinstance(output, str) else output
    spooled = fmt != "text" and (not output_file or output_file == "-") and _stdout_spoolable()
    if spooled:  # complete before anything is written, in a temporary file: memory stays flat
        spooled = _spool(pieces)
        _check_interrupt()
    elif fmt != "text" or output_file:
        pieces = ["".join(pieces)]  # complete before anything is written
        _check_interrupt()
    if spooled:
        from ._atomic import interrupts_deferred

        with spooled, interrupts_deferred():  # as _write_all: the whole report, then exit 130
            _copy_all(spooled)
    elif output_file and output_file != "-":
        text = pieces[0]
        try:
            _write_report(output_file, text)
        except OSError as exc:
            _fail(f"{output_file}: cannot write the report ({exc.strerror or exc})")
        from .reporters.text import summary_lines

        for line in summary_lines(tally):
            click.echo(line)
        click.echo(f"Report ({fmt}) written to {output_file}.")
    elif fmt != "text":
        from ._atomic import interrupts_deferred

        with interrupts_deferred():  # a Ctrl-C while a reader drains the pipe: the whole report,
            _write_all(pieces[0])  # then exit 130 (never half a document)
    else:
        batch: list[str] = []  # a few hundred pieces per write: click.echo per file piece costs
        size = 0
        for piece in pieces:
            batch.append(piece)
            size += len(piece)
            if size >= 1 << 16:
                click.echo("".join(batch), nl=False)
                batch, size = [], 0
        if batch:
            click.echo("".join(batch), nl=False)
    if statistics:  # on standard output only when no machine-readable report is there
        to_err = fmt != "text" and (not output_file or output_file == "-")
        click.echo(("" if to_err else "\n") + _statistics(tally), nl=False, err=to_err)


def _write_all(text: str) -> None:
    """Write ``text`` to standard output whole: straight to its file descriptor, looping over
    partial writes (a signal that interrupts a write into a full pipe leaves a short count that
    a buffered stream let go). Where standard output has no descriptor (a test's capture), as
    click writes."""
    import io

    stream = sys.stdout
    try:
        fd = stream.fileno()
    except (AttributeError, ValueError, io.UnsupportedOperation):
        click.echo(text, nl=False)
        return
    stream.flush()
    _write_fd(fd, text.encode(stream.encoding or "utf-8", stream.errors or "strict"))


def _write_fd(fd: int, data: bytes) -> None:
    """All of ``data`` to the descriptor, looping over partial writes."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _stdout_spoolable() -> bool:
    """Standard output is a file descriptor that takes UTF-8: a report can be written there
    from a temporary file (:func:`_spool`), the same bytes as :func:`_write_all` writes."""
    import codecs
    import io

    stream = sys.stdout
    try:
        stream.fileno()
        return codecs.lookup(stream.encoding or "utf-8").name == "utf-8"
    except (AttributeError, ValueError, LookupError, io.UnsupportedOperation):
        return False


def _spool(pieces):
    """The report's pieces, encoded as _write_all encodes the whole, in a temporary file (a
    10,000-file JSON report is 13 MB of text: held whole, then encoded, it was the largest
    thing a big run kept in memory). Returns the file, at its start."""
    import tempfile

    stream = sys.stdout
    encoding, errors = stream.encoding or "utf-8", stream.errors or "strict"
    spool = tempfile.TemporaryFile()
    try:
        # each piece encoded on its own: a piece of ASCII text is copied as it is, where a batch
        # joined as text would be as wide as its widest character and encoded character by
        # character (a tenth of the pieces of a JSON report hold a quote mark or an ellipsis;
        # the same bytes, a third of the time)
        batch: list[bytes] = []
        size = 0
        for piece in pieces:
            batch.append(piece.encode(encoding, errors))
            size += len(piece)
            if size >= 1 << 20:
                spool.write(b"".join(batch))
                batch, size = [], 0
        spool.write(b"".join(batch))
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return spool


def _copy_all(spool) -> None:
    """The spooled report to standard output's descriptor, looping over partial writes."""
    stream = sys.stdout
    stream.flush()
    fd = stream.fileno()
    while True:
        chunk = spool.read(1 << 20)
        if not chunk:
            return
        _write_fd(fd, chunk)


def _write_report(output_file: str, text: str) -> None:
    """The report file, replaced whole (a temporary file then a rename: Ctrl-C or a full disk
    never leaves half a report); a FIFO, a device or an unwritable folder is written directly."""
    import stat

    from ._atomic import write_then_rename

    target = os.path.realpath(output_file)
    try:
        st = os.stat(target)
    except OSError:
        st = None
    folder = os.path.dirname(target) or "."
    if (st is not None and not (stat.S_ISREG(st.st_mode) and os.access(target, os.W_OK))) or \
            not os.access(folder, os.W_OK):
        with open(output_file, "w", encoding="utf-8") as fh:
            fh.write(text)
        return
    if st is not None:
        mode = st.st_mode & 0o7777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    write_then_rename(target, text.encode("utf-8"), prefix=f".{os.path.basename(target)}.", suffix=".tmp",
                      mode=mode)


def _run(paths, fmt, fail_on, exit_zero, select, extend_select, ignore, config_path, stdin_filename,
         no_source, unsafe_fixes, show_diff, fixing, jobs=0, no_cache=False, languagetool=None,
         output_file=None, min_severity=None, baseline=None, write_baseline=None, diff_base=None,
         statistics=False, no_progress=False, no_force_exclude=False, no_cross_file=False):
    """check, fix and report: the options make a run (lint.runner.Plan, the library layer);
    here it is rendered and the exit status decided."""
    from .model import Applicability
    from .runner import Plan

    plan = Plan(paths, config_path=config_path, select=_split(select) or None, extend_select=_split(extend_select),
                ignore=_split(ignore), stdin_filename=stdin_filename, jobs=jobs, cache=not no_cache,
                languagetool=languagetool, warn=lambda message: click.echo(f"copydesk: warning: {message}", err=True),
                force_exclude=not no_force_exclude,
                fix=(Applicability.UNSAFE if unsafe_fixes else Applicability.SAFE) if fixing or show_diff else None,
                write=not show_diff, min_severity=min_severity, baseline=None if write_baseline else baseline,
                diff_base=diff_base, cross_file=not no_cross_file)
    base_config = plan.base_config
    n_tasks = plan.n_tasks  # configures every file, and fixes what a fix run names
    stream = chunks(fmt)
    # a clean file's text is dropped as it arrives (memory stays flat on big repos), unless the
    # report shows every file's text (html: readability of every file); the JSON report places
    # findings by line and column only: a stored result needs no text, unless a baseline
    # matches findings by it
    options = {"keep_clean_text": fmt == "html" or bool(write_baseline),
               "read_text": fmt != "json" or bool(baseline or write_baseline)}
    materialise = True
    if n_tasks:
        from .progress import Progress, wanted

        bar = wanted(n_tasks, disabled=no_progress)
        # a streamed report is written while later files are linted and holds no result it has
        # written; the progress bar (a terminal) and a baseline want every result first
        materialise = bar or not stream or bool(write_baseline) or show_diff
        if materialise:
            with Progress(n_tasks) as progress:  # erased before the report
                results = list(plan.results(progress=progress if bar else None, **options))
        else:
            ordered = plan.results(**options)
    else:
        results = list(plan.results(**options))
    if write_baseline:
        _write_baseline(results, write_baseline)
    tally = None
    if show_diff:
        import difflib

        changed = [r for r in results if r.fixed is not None]
        for r in changed:
            click.echo("".join(difflib.unified_diff(
                r.original.splitlines(keepends=True), r.fixed.splitlines(keepends=True),
                fromfile=shown(r.path), tofile=shown(r.path))), nl=False)
        for r in changed:
            click.echo(_fix_rounds_line(r), err=True)
        for r in results:
            for line in _spared_lines(r):
                click.echo(line, err=True)
    else:
        from .reporters.tally import Tally

        ctx = {"show_source": not no_source, "rules": plan.metas}
        tally = Tally()
        if stream:
            output = stream(results if materialise else ordered, ctx, tally)
        else:
            output = REPORTERS[fmt](results, ctx)
            for r in results:
                tally.add(r)
        _emit(output, tally, fmt, output_file, statistics)
        if fixing:
            for r in results:
                if r.fixed is not None and r.fix_rounds:
                    click.echo(_fix_rounds_line(r), err=True)
                for line in _spared_lines(r):
                    click.echo(line, err=True)
        if fixing and fmt == "text":
            n = sum(1 for r in results if r.fixed is not None)
            m = sum(1 for r in results if r.unwritten)
            if m:
                click.echo((f"Fixed {n} file{'s' if n != 1 else ''}; " if n else "")
                           + f"could not write the fixes to {m} file{'s' if m != 1 else ''}.", err=True)
            else:
                click.echo(f"Fixed {n} file{'s' if n != 1 else ''}." if n else "Nothing to fix.", err=True)
    errors = tally.errors if tally is not None else [r.error for r in results if r.error]
    if fmt != "text" or show_diff or output_file:
        for error in errors:
            click.echo(f"copydesk: error: {shown(error)}", err=True)
    threshold = Severity.parse(fail_on) if fail_on else (base_config.fail_on or Severity.WARNING)
    _check_interrupt()
    if errors:
        sys.exit(EXIT_ERROR)
    if show_diff:
        sys.exit(EXIT_FINDINGS if changed and not exit_zero else EXIT_OK)
    if exit_zero:
        sys.exit(EXIT_OK)
    sys.exit(EXIT_FINDINGS if tally.worst is not None and tally.worst >= threshold else EXIT_OK)


@main.command()
@_common
@click.option("--fix", "fixing", is_flag=True, help="Apply safe fixes first, then report what remains.")
def check(fixing, **opts):
    """Lint article files and folders (.txt, .md, .markdown, .html, .htm); '-' reads standard input."""
    _run(fixing=fixing, **opts)


def _fix_command() -> click.Command:
    @click.command()
    @_common
    def fix(**opts):
        """Apply fixes (safe ones; --unsafe-fixes for all), then report what remains."""
        _run(fixing=True, **opts)

    return fix


def _report_command() -> click.Command:
    @click.command()
    @click.argument("paths", nargs=-1)
    @click.option("-o", "--output", "output_file", type=click.Path(dir_okay=False), default="copydesk-report.html",
                  show_default=True, help="The HTML file to write ('-': standard output).")
    @click.option("--select", multiple=True, help="Rules to run; replaces the configured set.")
    @click.option("--extend-select", multiple=True, help="Rules to add to the selection.")
    @click.option("--ignore", multiple=True, help="Rules to skip.")
    @click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
                  help="Use this configuration file instead of discovering one.")
    @click.option("--min-severity", type=click.Choice(SEVERITIES), default=None,
                  help="Report only findings at or above this severity.")
    @click.option("--baseline", type=click.Path(dir_okay=False), default=None,
                  help="Report only findings not recorded in this baseline file.")
    @click.option("--diff-base", metavar="REV", default=None,
                  help="Report only findings on lines changed since the git revision REV.")
    @click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, help="Parallel worker processes.")
    @click.option("--no-cache", is_flag=True, help="Do not use the .copydesk_cache folder nor the rule set cache.")
    @click.option("--no-progress", is_flag=True, help="No progress bar.")
    @click.option("--no-force-exclude", is_flag=True,
                  help="Include files named on the command line even when the configuration's exclude matches them.")
    def report(paths, **opts):
        """Write one self-contained HTML report: summary, charts per family and per file, document
        verdicts, readability per file, and every finding in context. Exit 0 once written (2 when a
        file could not be linted)."""
        _run(paths=paths, fmt="html", fail_on=None, exit_zero=True, stdin_filename=None, no_source=False,
             unsafe_fixes=False, show_diff=False, fixing=False, **opts)

    return report


@main.command()
def clean():
    """Remove the .copydesk_cache folder of the current directory, and the cached rule sets
    (in $COPYDESK_CACHE_DIR, else $XDG_CACHE_HOME/copydesk, else ~/.cache/copydesk)."""
    from .cache import clean as clean_cache
    from .rulecache import cache_dir, clean as clean_rules

    click.echo("Removed .copydesk_cache." if clean_cache() else "No .copydesk_cache here.")
    if clean_rules():
        click.echo(f"Removed the cached rule sets in {cache_dir()}.")


@main.command("rules")
@click.option("--family", default=None, help="Only this family (e.g. SEG, UI, CALQ).")
@click.option("--category", default=None, help="Only this category (e.g. ui-leftover).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_cmd(family, category, fmt):
    """List the rules."""
    import json

    ruleset = load_rules(cache=True)
    rows = [r.meta for r in ruleset.rules
            if (not family or r.meta.family == family.upper()) and (not category or r.meta.category == category.lower())]
    if fmt == "json":
        click.echo(json.dumps([{"code": m.code, "name": m.name, "family": m.family, "category": m.category,
                                "severity": str(m.severity), "kind": m.kind, "enabled": m.default_enabled,
                                "fix": str(m.fix_applicability) if m.fix_applicability else None,
                                "summary": m.summary} for m in rows], indent=1))
        return
    for m in rows:
        fix = str(m.fix_applicability) if m.fix_applicability else "-"
        off = "" if m.default_enabled else "  (off by default)"
        click.echo(f"{m.code:<9} {m.name:<32} {m.category:<15} {str(m.severity):<8} fix:{fix:<12}{off}")
    click.echo(f"\n{len(rows)} rule{'s' if len(rows) != 1 else ''}.")


@main.command()
@click.argument("rule")
def explain(rule):
    """Explain a rule: what it finds, why it matters, examples, fix safety."""
    import textwrap

    ruleset = load_rules(cache=True)
    found = ruleset.find(rule)
    if found is None:
        _fail(f"no rule named {rule!r} (see `copydesk rules`)")
    m = found.meta
    out = [f"{m.code} {m.name}", "", f"Family {m.family}, category {m.category}, severity {m.severity}, kind {m.kind}"
           + ("" if m.default_enabled else ", off by default"), ""]
    out += ["What it finds:", textwrap.indent(textwrap.fill(m.summary.replace("{match}", "…"), 88), "  "), ""]
    out += ["Why it matters:", textwrap.indent(textwrap.fill(" ".join(m.why.split()), 88), "  "), ""]
    if m.zones:
        out += [f"Applies in zones: {', '.join(m.zones)}", ""]
    if m.fix_applicability:
        out += [f"Fix: {m.fix_applicability}. {m.fix_safety}", ""]
    else:
        out += ["Fix: none (a person decides).", ""]

    def show(ex, mark):
        text = ex.text
        for s, e in sorted(ex.spans, reverse=True):
            text = text[:s] + "⟦" + text[s:e] + "⟧" + text[e:]
        return textwrap.indent(text, f"  {mark} ").replace("\n", "\n")

    out.append("Flagged:")
    out += [show(ex, "✗") for ex in m.fail]
    out.append("Not flagged:")
    out += [show(ex, "✓") for ex in m.passes]
    if m.fixes:
        out.append("Fixed:")
        for ex in m.fixes:
            out += [f"  {ex.text}", f"  → {ex.fixed}"]
    if m.aliases:
        out += ["", f"Also known as: {', '.join(m.aliases)}"]
    out += ["", f"Defined in {m.path}"]
    click.echo("\n".join(out))


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "table", "json"]), default="text", show_default=True,
              help="A table (text) or JSON.")
@click.option("--stdin-filename", default=None, help="Name (and format, by suffix) for input read from '-'.")
@click.option("--no-force-exclude", is_flag=True,
              help="Measure files named on the command line even when the configuration's exclude matches them.")
def stats(paths, fmt, stdin_filename, no_force_exclude):
    """Readability of each file: Flesch reading ease, Flesch-Kincaid grade, Gunning fog, words,
    sentences and average sentence length, measured on the extracted prose."""
    from .readability import file_stats, render_stats

    paths = list(paths) or ["."]
    resolver = ConfigResolver()
    rows = []
    for path in discover(paths, is_excluded=lambda p: resolver.for_path(p).is_excluded(p),
                         force_exclude=not no_force_exclude):
        name = (stdin_filename or "<stdin>") if path == STDIN else path
        try:
            rows.append(file_stats(shown(name), read_source(path)))
        except InputError as exc:
            rows.append(file_stats(shown(name), error=shown(str(exc))))
    click.echo(render_stats(rows, fmt), nl=False)
    for row in rows:
        if "error" in row and fmt == "json":
            click.echo(f"copydesk: error: {row['error']}", err=True)
    sys.exit(EXIT_ERROR if any("error" in row for row in rows) else EXIT_OK)


if __name__ == "__main__":  # pragma: no cover
    main()
