"""The ``copydesk`` command. Exit status is decided here, once: 0 clean, 1 findings at or
above ``--fail-on``, 2 usage, configuration or input errors."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .config import ConfigError, ConfigResolver, unknown_selectors
from .model import Severity
from .packs import PackError, load_rules
from .reporters import REPORTERS
from .runner import STDIN, FileResult, InputError, discover, lint_source, read_source

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SEVERITIES = ["info", "warning", "error"]


def _fail(message: str) -> "NoReturn":  # noqa: F821
    click.echo(f"copydesk: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _split(values) -> list[str]:
    out = []
    for v in values or ():
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


class _Group(click.Group):
    def main(self, *args, **kwargs):
        kwargs.setdefault("standalone_mode", True)
        try:
            return super().main(*args, **kwargs)
        except (PackError, ConfigError, InputError) as exc:
            _fail(str(exc))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="copydesk")
def main() -> None:
    """Copydesk: a linter for articles. Finds machine-translation artifacts, leftover web page
    text, broken captions and credits, and attribution problems."""


def _load(resolver: ConfigResolver, paths: list[str]):
    packs: list[Path] = []
    probe = [Path(p) for p in paths if p != STDIN] or [Path.cwd()]
    for p in probe:
        for pack in resolver.for_path(p).packs:
            if pack not in packs:
                packs.append(pack)
    return load_rules(packs)


def _selected(ruleset, config, path):
    return [r for r in ruleset.rules if config.rule_enabled(r.meta, Path(path) if path != STDIN else None)]


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
                     help="Parallel worker processes (default: the number of cores)."),
        click.option("--no-cache", is_flag=True, help="Do not read or write the .copydesk_cache folder."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def _run(paths, fmt, fail_on, exit_zero, select, extend_select, ignore, config_path, stdin_filename,
         no_source, unsafe_fixes, show_diff, fixing, jobs=0, no_cache=False):
    from .model import Applicability
    from .runner import fix_file

    paths = list(paths) or ["."]
    if config_path and not Path(config_path).is_file():
        _fail(f"{config_path}: configuration file not found")
    resolver = ConfigResolver(Path(config_path) if config_path else None,
                              cli_select=_split(select) or None, cli_ignore=_split(ignore),
                              cli_extend_select=_split(extend_select))
    ruleset = _load(resolver, paths)
    base_config = resolver.for_path(Path(paths[0]) if paths[0] != STDIN else Path.cwd())
    bad = unknown_selectors(base_config, [r.meta for r in ruleset.rules])
    if bad:
        _fail(f"unknown rule selector{'s' if len(bad) > 1 else ''}: {', '.join(bad)} (see `copydesk rules`)")
    files = discover(paths, is_excluded=lambda p: resolver.for_path(p).is_excluded(p))
    minimum = Applicability.UNSAFE if unsafe_fixes else Applicability.SAFE
    results: list[FileResult | None] = []
    tasks: list[tuple[int, tuple]] = []  # plain lint runs: batched, cached, parallel
    for path in files:
        config = resolver.for_path(Path(path) if path != STDIN else Path.cwd())
        name = (stdin_filename or "<stdin>") if path == STDIN else path
        rules = _selected(ruleset, config, name)
        if path != STDIN and not (fixing or show_diff):
            codes = tuple(r.meta.code for r in rules)
            sev = {r.meta.code: config.severity_for(r.meta) for r in rules
                   if config.severity_for(r.meta) != r.meta.severity}
            prefix = f"{ruleset.fingerprint}|{','.join(codes)}|{sorted((k, int(v)) for k, v in sev.items())}"
            tasks.append((len(results), (path, codes, sev, prefix)))
            results.append(None)
            continue
        if path == STDIN:
            try:
                source = read_source(STDIN)
            except InputError as exc:
                results.append(FileResult(name, error=str(exc)))
                continue
            results.append(lint_source(source, name, rules, config.severity_for))
        elif fixing or show_diff:
            results.append(fix_file(path, rules, config.severity_for, minimum, write=not show_diff))
    if tasks:
        import os

        from .cache import Cache
        from .runner import lint_many

        n_jobs = jobs or os.cpu_count() or 1
        done = lint_many([t for _, t in tasks], ruleset.by_code(), n_jobs, None if no_cache else Cache())
        for (i, _), r in zip(tasks, done):
            results[i] = r
    changed = [r for r in results if r.fixed is not None]
    if show_diff:
        import difflib

        for r in changed:
            click.echo("".join(difflib.unified_diff(
                r.original.splitlines(keepends=True), r.fixed.splitlines(keepends=True),
                fromfile=r.path, tofile=r.path)), nl=False)
    else:
        output = REPORTERS[fmt](results, {"show_source": not no_source})
        click.echo(output, nl=False)
        if fixing and fmt == "text":
            n = len(changed)
            click.echo(f"Fixed {n} file{'s' if n != 1 else ''}." if n else "Nothing to fix.", err=True)
    for r in results:
        if r.error and (fmt != "text" or show_diff):
            click.echo(f"copydesk: error: {r.error}", err=True)
    threshold = Severity.parse(fail_on) if fail_on else (base_config.fail_on or Severity.WARNING)
    if any(r.error for r in results):
        sys.exit(EXIT_ERROR)
    if show_diff:
        sys.exit(EXIT_FINDINGS if changed and not exit_zero else EXIT_OK)
    if exit_zero:
        sys.exit(EXIT_OK)
    found = any(d.severity >= threshold for r in results for d in r.diagnostics)
    sys.exit(EXIT_FINDINGS if found else EXIT_OK)


@main.command()
@_common
@click.option("--fix", "fixing", is_flag=True, help="Apply safe fixes first, then report what remains.")
def check(fixing, **opts):
    """Lint article files and folders (.txt, .md, .markdown, .html, .htm); '-' reads standard input."""
    _run(fixing=fixing, **opts)


@main.command()
@_common
def fix(**opts):
    """Apply fixes (safe ones; --unsafe-fixes for all), then report what remains."""
    _run(fixing=True, **opts)


@main.command()
def clean():
    """Remove the .copydesk_cache folder of the current directory."""
    from .cache import clean as clean_cache

    click.echo("Removed .copydesk_cache." if clean_cache() else "No .copydesk_cache here.")


@main.command("rules")
@click.option("--family", default=None, help="Only this family (e.g. SEG, UI, CALQ).")
@click.option("--category", default=None, help="Only this category (e.g. ui-leftover).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_cmd(family, category, fmt):
    """List the rules."""
    import json

    ruleset = load_rules()
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

    ruleset = load_rules()
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


if __name__ == "__main__":  # pragma: no cover
    main()
