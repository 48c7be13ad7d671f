"""Start-up of a one-file run (issue 19): what a run imports, not how long it takes. A plain-text
file is linted without the Markdown library (markdown-it costs ~20 ms to import, a sixth of a
one-file run); a Markdown file does import it (else the probe would prove nothing)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TEXT = "The minister said prices rose . . Source link\n\nA second paragraph, with a  double space.\n"
#: headings, paragraphs, lists, code spans and inline links: parsed without markdown-it-py
SIMPLE = "# Title\n\nThe minister said prices rose . . Source link\n\n- See [the report](https://example.org) and `data.csv`.\n"
MARKDOWN = "# Title\n\nThe minister said prices rose . . Source link\n\nSee [the report](https://example.org), *in full*.\n"

# in a fresh interpreter: run the command as `python -m lint check FILE` does (lint.cli.main) on
# each file given, in turn, and write which of the watched modules were imported after each run
PROBE = r"""
import json, sys
from lint.cli import main
out, targets = sys.argv[1], sys.argv[2:]
seen = []
for target in targets:
    try:
        main(prog_name="copydesk", args=["check", target])
        code = 0
    except SystemExit as exc:
        code = exc.code
    seen.append({"code": code, "modules": sorted(m for m in sys.modules
                                                 if m.split(".")[0] in ("markdown_it", "mdit_py_plugins", "ahocorasick_rs", "hyperscan"))})
with open(out, "w", encoding="utf-8") as fh:
    json.dump(seen, fh)
"""


def _run(args, cache_dir, cwd):
    env = {**os.environ, "COPYDESK_CACHE_DIR": str(cache_dir), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _probe(tmp_path, cache, *names):
    """The watched modules imported after each of ``names`` is checked, in turn, in one fresh
    interpreter."""
    out = tmp_path / "imports.json"
    run = _run(["-c", PROBE, str(out), *names], cache, tmp_path)
    assert out.exists(), run.stderr
    got = json.loads(out.read_text(encoding="utf-8"))
    assert len(got) == len(names) and all(g["code"] in (0, 1) for g in got), run.stderr
    return [g["modules"] for g in got]


def test_a_text_file_is_linted_without_the_markdown_library(tmp_path, warm_rule_cache):
    # the rule set as a first run stores it (conftest's warm_rule_cache, a copy): no child spends
    # ~0.4 s building it (building it may import anything; what is asserted is a run that loads it)
    cache = tmp_path / "rules"
    shutil.copytree(warm_rule_cache, cache)
    (stored,) = cache.glob("rules-*.pickle")
    before = os.stat(stored)
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.md").write_text(MARKDOWN, encoding="utf-8")
    (tmp_path / "s.md").write_text(SIMPLE, encoding="utf-8")
    # one interpreter checks a.txt, then b.md: nothing Markdown after the first; the second shows
    # that the probe sees the import when there is one
    after_text, after_simple, after_markdown = _probe(tmp_path, cache, "a.txt", "s.md", "b.md")
    now = os.stat(stored)  # a miss would have built the set and replaced the file (a new one, renamed)
    assert (now.st_ino, now.st_mtime_ns) == (before.st_ino, before.st_mtime_ns), "the run built the rule set"
    # the first file of a run is linted without the accelerators (lint.literals, lint.regex.gate:
    # a one-file run does not import them nor build their automata)
    assert after_text == []
    markdown = ("markdown_it", "mdit_py_plugins")
    # a simple Markdown file needs no markdown-it-py either
    assert [m for m in after_simple if m.split(".")[0] in markdown] == []
    assert "markdown_it" in after_markdown
