"""``copydesk corpus``: the command line of corpus mode (the engine is lint/corpus.py).

Registered in lint/cli.py as a lazy subcommand: ``from .corpus_cli import corpus``.
"""
from __future__ import annotations

import re
import sys

import click

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$", re.I)


def _size(value) -> int:
    m = _SIZE.match(str(value))
    if not m:
        raise click.BadParameter(f"{value!r} is not a size (e.g. 16MB, 512KB, 100000)")
    unit = (m.group(2) or "b").lower()[:1]
    return max(1, int(float(m.group(1)) * {"b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[unit]))


def _split(values) -> list[str]:
    return [v.strip() for raw in values for v in raw.split(",") if v.strip()]


@click.command("corpus")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT…")
@click.option("-o", "--output", required=True, metavar="OUT",
              help="OUT.jsonl or OUT.parquet: one row per record; the summary goes to OUT.summary.json.")
@click.option("--text-field", default="text", show_default=True, help="The field holding the article text.")
@click.option("--id-field", default="id", show_default=True, help="The field naming the record.")
@click.option("--format-field", default=None, help="The field giving each record's format (plain, markdown, html).")
@click.option("--format", "fmt", type=click.Choice(["plain", "markdown", "html"]), default="plain", show_default=True,
              help="The format of records without a format field.")
@click.option("--group-by", default=None, metavar="FIELD",
              help="Count repeated lines and summarise per value of this field (a site, a feed).")
@click.option("--workers", type=click.IntRange(min=0), default=0,
              help="Local worker processes (default: the number of cores).")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT", help="Run on this Dask scheduler instead.")
@click.option("--partition-size", default="16MB", show_default=True,
              help="Bytes of uncompressed JSONL per partition (a .gz file or a Parquet row group is one).")
@click.option("--resume", is_flag=True, help="Skip the partitions an interrupted run already wrote.")
@click.option("--no-progress", is_flag=True, help="No progress line on standard error.")
@click.option("--no-cross-doc", is_flag=True, help="Skip the cross-document pass (UI025 repeated-line).")
@click.option("--select", multiple=True, help="Rules to run (codes, prefixes, names, families, categories).")
@click.option("--extend-select", multiple=True, help="Rules to add to the default set.")
@click.option("--ignore", multiple=True, help="Rules to leave out.")
@click.option("--config", "config_path", default=None, type=click.Path(dir_okay=False),
              help="A copydesk.toml or pyproject.toml.")
@click.option("--house-style", type=click.Choice(["majority", "off"]), default="off", show_default=True,
              help="majority: report forms (Mr./Mr, -ise/-ize …) that differ from the corpus's majority "
                   "(per --group-by group), under the consistency rule's code.")
def corpus(inputs, output, text_field, id_field, format_field, fmt, group_by, workers, scheduler, partition_size,
           resume, no_progress, no_cross_doc, select, extend_select, ignore, config_path, house_style):
    """Lint JSONL or Parquet records on Dask: INPUT is a .jsonl, .jsonl.gz or .parquet file or a
    folder of them; OUT (-o) gets one row per record (id, diagnostics, verdict, readability when
    READ is selected), OUT.summary.json the counts."""
    from .api import VersionSkewError
    from .config import ConfigError
    from .runner import InputError
    from .corpus import CorpusError, Options, Spec, render_summary, run

    settings: dict = {}
    if select:
        settings["select"] = _split(select)
    if extend_select:
        settings["extend-select"] = _split(extend_select)
    if ignore:
        settings["ignore"] = _split(ignore)
    config = config_path
    if settings:
        if config_path:
            raise click.UsageError("--config cannot be combined with --select/--extend-select/--ignore here")
        config = settings
    opts = Options(inputs=list(inputs), output=output,
                   spec=Spec(text_field=text_field, id_field=id_field or None, format_field=format_field,
                             format=fmt, group_by=group_by),
                   config=config, workers=workers, scheduler=scheduler, partition_bytes=_size(partition_size),
                   resume=resume, progress=not no_progress, cross_doc=not no_cross_doc,
                   house_style=house_style == "majority")
    try:
        summary = run(opts)
    except (CorpusError, ConfigError, InputError, VersionSkewError) as exc:
        click.echo(f"copydesk: error: {exc}", err=True)
        sys.exit(2)
    click.echo(render_summary(summary), nl=False)


if __name__ == "__main__":  # python -m lint.corpus_cli (before lint/cli.py registers the subcommand)
    corpus(prog_name="copydesk corpus")
