"""Start-up of a one-file run (issue 19): the stored rule set puts back what ``re``'s own compile
cache held when it was built (lint.regex.seed), so that the modules a run imports after loading
its rules (the Markdown library, lint.fixer) find their ``re.compile`` patterns built. Every
seeded pattern must be exactly what ``re.compile`` makes, and a stale seed must never be used."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lint import regex
from lint.regex import _stored

from helpers import check_in_process

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "# Title\n\nThe minister said prices rose . . Source link\n\nSee [the report](https://example.org).\n"

pytestmark = pytest.mark.skipif(not regex.stored(), reason="the stored regex engine is not in use here")

# in a fresh interpreter: load the stored rule set, then report what re's cache holds and whether
# the Markdown library's module-level patterns are the seeded objects (to the file argv[1]); then
# check the article argv[2] as `python -m lint check --format json` does (lint.cli.main), its
# report on standard output: a run whose Markdown patterns are the served ones (as just shown)
PROBE = r"""
import json, re, sys
from lint.packs import load_rules
rs = load_rules(cache=True)
rs.rules
seeded = {(k[1], k[2]): v for c in (getattr(re, "_cache", {}), getattr(re, "_cache2", {})) for k, v in c.items()
          if k[0] is str}
import markdown_it.common.html_re as h
served = [name for name, v in vars(h).items() if isinstance(v, re.Pattern)
          and any(v is s for s in seeded.values())]
with open(sys.argv[1], "w", encoding="utf-8") as fh:
    json.dump({"n": len(seeded), "served": served,
               "markdown_it": [name for name, v in vars(h).items() if isinstance(v, re.Pattern)]}, fh)
from lint.cli import main
main(prog_name="copydesk", args=["check", "--format", "json", sys.argv[2]])
"""


def _run(code_or_args, cache_dir, cwd, stdin=None):
    env = {**os.environ, "COPYDESK_CACHE_DIR": str(cache_dir), "PYTHONPATH": str(ROOT)}
    env.pop("COPYDESK_REGEX_ENGINE", None)
    return subprocess.run([sys.executable, *code_or_args], cwd=cwd, env=env, capture_output=True, text=True,
                          input=stdin, timeout=300)


def test_a_stored_rule_set_serves_the_markdown_librarys_patterns(tmp_path, monkeypatch):
    cache = tmp_path / "rules"
    article = tmp_path / "a.md"
    article.write_text(ARTICLE, encoding="utf-8")
    # the reference report, in this process (patterns compiled, not served by this test's store);
    # --no-cache, with the rule cache folder set to the test's own: nothing may be stored there
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(cache))
    code, compiled = check_in_process("--no-cache", "--format", "json", str(article))
    assert code in (0, 1), compiled
    assert not list(cache.glob("rules-*")), "--no-cache must not store the rule set"
    # the first run of a fresh interpreter builds and stores the rule set (and what re's cache
    # held then): a child, since what it stores depends on what that interpreter compiled
    built = _run(["-m", "lint", "check", "--format", "json", str(article)], cache, tmp_path)
    assert built.returncode in (0, 1), built.stderr
    assert list(cache.glob("rules-*"))
    assert json.loads(built.stdout) == json.loads(compiled)
    # one more fresh interpreter loads it: the probe, then a check (one child serves both)
    probed = tmp_path / "probe.json"
    seeded = _run(["-c", PROBE, str(probed), str(article)], cache, tmp_path)
    assert seeded.returncode in (0, 1), seeded.stderr
    got = json.loads(probed.read_text(encoding="utf-8"))
    assert got["markdown_it"], "the probe looks at the wrong module"
    assert sorted(got["served"]) == sorted(got["markdown_it"])  # every one came from the store
    # and the report is the same whether the patterns came from the store or were compiled
    assert json.loads(seeded.stdout) == json.loads(compiled)
    assert json.loads(seeded.stdout)["summary"]["by_code"]  # the article has findings to compare


def test_every_seed_is_what_re_compile_builds():
    import re

    from lint import fixer  # noqa: F401 - some patterns in re's cache to store

    re.compile(r"(?<![\w.,])(?!0)\d{1,3}(?:,\d{3})+(?![\w,])", re.I)  # a shiftable one: stored unshifted
    seeds = _stored.re_cache_seeds()
    assert len(seeds) >= 10
    keys = {(s[0], s[1]) for s in seeds}
    assert (r"(?<![\w.,])(?!0)\d{1,3}(?:,\d{3})+(?![\w,])", int(re.I)) in keys
    for pattern, flags, *_ in seeds:
        re.purge()
        fresh = re.compile(pattern, flags)
        re.purge()
        assert _stored.seed_re_cache([s for s in seeds if s[0] == pattern and s[1] == flags]) == 1
        assert re.compile(pattern, flags) == fresh, pattern
    re.purge()


def test_a_stale_seed_is_refused_and_nothing_is_seeded():
    import re

    re.compile(r"[a-z]+ly\b")
    seeds = [s for s in _stored.re_cache_seeds() if s[0] == r"[a-z]+ly\b"]
    assert seeds
    pattern, flags, pflags, code, groups, groupindex, indexgroup = seeds[0]
    other = _stored.args(r"[a-z]+ness\b", flags, shift=False)
    stale = (pattern, flags, pflags, _stored.pack(other[2]), groups, groupindex, indexgroup)
    re.purge()
    with pytest.raises(_stored.StaleRegex):
        _stored.seed_re_cache([stale])
    assert (str, pattern, flags) not in getattr(re, "_cache", {})
    re.purge()
