"""Start-up of a one-file run (issue 19): what a run imports, not how long it takes. A plain-text
file is linted without the Markdown library (markdown-it costs ~20 ms to import, a sixth of a
one-file run); a Markdown file does import it (else the probe would prove nothing)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TEXT = "The minister said prices rose . . Source link\n\nA second paragraph, with a  double space.\n"
MARKDOWN = "# Title\n\nThe minister said prices rose . . Source link\n\nSee [the report](https://example.org).\n"

# in a fresh interpreter: run the command as `python -m lint check FILE` does (lint.cli.main),
# then write which of the watched modules it imported
PROBE = r"""
import json, sys
from lint.cli import main
out, target = sys.argv[1], sys.argv[2]
try:
    main(prog_name="copydesk", args=["check", target])
    code = 0
except SystemExit as exc:
    code = exc.code
with open(out, "w", encoding="utf-8") as fh:
    json.dump({"code": code, "modules": sorted(m for m in sys.modules
                                                if m.split(".")[0] in ("markdown_it", "mdit_py_plugins"))}, fh)
"""


def _run(args, cache_dir, cwd):
    env = {**os.environ, "COPYDESK_CACHE_DIR": str(cache_dir), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _probe(tmp_path, cache, name):
    out = tmp_path / f"{name}.imports.json"
    run = _run(["-c", PROBE, str(out), name], cache, tmp_path)
    assert out.exists(), run.stderr
    got = json.loads(out.read_text(encoding="utf-8"))
    assert got["code"] in (0, 1), run.stderr
    return got["modules"]


def test_a_text_file_is_linted_without_the_markdown_library(tmp_path):
    cache = tmp_path / "rules"
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.md").write_text(MARKDOWN, encoding="utf-8")
    # the first run builds and stores the rule set (building it may import anything)
    built = _run(["-m", "lint", "check", "a.txt"], cache, tmp_path)
    assert built.returncode in (0, 1), built.stderr
    assert list(cache.glob("rules-*")), "the rule set was not stored"
    for stored in tmp_path.glob(".copydesk_cache"):  # no stored result: the file is linted again
        import shutil

        shutil.rmtree(stored)
    assert _probe(tmp_path, cache, "a.txt") == []
    assert "markdown_it" in _probe(tmp_path, cache, "b.md")  # the probe sees the import when there is one
