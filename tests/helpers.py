"""Helpers shared by the CLI-level tests."""
from __future__ import annotations

import subprocess
from pathlib import Path

from click.testing import CliRunner

from lint.cli import main


#: commands that lint with worker processes (--jobs)
_POOLED = {"check", "fix", "report"}


def in_process_args(args) -> list[str]:
    """``args`` with ``--jobs 1`` after a linting command: in a test process a pool of workers
    forked for a handful of files costs more than the linting (about 0.3 s of CPU a run). A
    ``--jobs``/``-j`` among ``args`` comes later and wins, so a test of the worker pool says so."""
    args = [str(a) for a in args]
    if args and args[0] in _POOLED:
        return [args[0], "--jobs", "1", *args[1:]]
    return args


def run(*args, input=None):
    """Invoke the CLI in-process: (exit code, stdout, stderr). Linting runs in this process
    unless ``args`` give ``--jobs`` (in_process_args)."""
    result = CliRunner().invoke(main, in_process_args(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def git(repo, *args):
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
                    "-c", "commit.gpgsign=false", *args], check=True, capture_output=True)


def scratch_repo(root: Path, files: dict[str, str], message: str = "first") -> Path:
    """A git repository at ``root`` holding ``files`` (relative path -> text), committed."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", message)
    return root


def pattern_rule_yaml(pattern: str, fail: str, extra: str = "", code: str = "SEG901",
                      name: str = "test-rule", category: str = "punctuation") -> str:
    """The YAML of a rule with one pattern (single-quoted YAML: backslashes stay as written) and
    one fail example (a ⟦marked⟧ span); ``extra``: more YAML lines (options, ``replace``,
    ``fix``)."""
    return f"""code: {code}
name: {name}
kind: pattern
category: {category}
severity: warning
summary: "found {{match}}"
why: because
patterns: ['{pattern}']
{extra}examples:
  fail: ["{fail}"]
  pass: ["nothing here"]
"""


def one_pattern_rule(tmp_path: Path, pattern: str, fail: str, extra: str = ""):
    """Rule SEG901 (:func:`pattern_rule_yaml`) written to ``tmp_path`` and loaded."""
    from lint.packs import load_rule

    path = tmp_path / "SEG901-test-rule.yaml"
    path.write_text(pattern_rule_yaml(pattern, fail, extra), encoding="utf-8")
    return load_rule(path)


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def fixture_corpus(tmp_path: Path, copies: int = 0, mtime: float | None = None) -> Path:
    """The fixture articles (not their expected findings) copied to ``tmp_path/corpus``, or
    ``copies`` times to ``corpus/copy0`` …, dated ``mtime`` (e.g. an hour ago: not racily clean)."""
    import os
    import shutil

    corpus = tmp_path / "corpus"
    for dest in ([corpus / f"copy{i}" for i in range(copies)] if copies else [corpus]):
        shutil.copytree(FIXTURES, dest, ignore=shutil.ignore_patterns("*.json"))
    if mtime is not None:
        for p in corpus.rglob("*"):
            if p.is_file():
                os.utime(p, (mtime, mtime))
    return corpus


def check_in_process(*args) -> tuple[int, str]:
    """``copydesk check ARGS`` in this process: (exit code, standard output). Linting runs in
    this process too unless ``args`` give ``--jobs`` (in_process_args)."""
    result = CliRunner().invoke(main, in_process_args(["check", *args]), catch_exceptions=False)
    return result.exit_code, result.stdout


def bundled(texts, size: int = 10, short: int = 400) -> list[str]:
    """``texts`` with the short ones (a rule's examples: a line or two) joined ten to a document,
    one paragraph each, and the long ones as they are. A test that lints every text to compare
    two settings lints three times fewer documents, and joined passes and document-level rules
    see more blocks at once. Every character of the texts but their edge newlines is kept."""
    longs = [t for t in texts if len(t) >= short]
    shorts = [t.strip("\n") for t in texts if len(t) < short]
    return longs + ["\n\n".join(shorts[i:i + size]) + "\n" for i in range(0, len(shorts), size)]


def varied_documents(seed: int, markdown_examples: bool = False) -> list:
    """Parsed documents of many shapes, for comparing a fast path with the plain one: the
    fixture articles, 80 generated articles (bench/corpus.py: Markdown and plain text in turn)
    and every built-in rule's fail and pass examples (as plain text, or every other one as
    Markdown with ``markdown_examples``)."""
    import random
    import sys

    from lint.document import parse
    from lint.packs import load_rules

    sys.path.insert(0, str(FIXTURES.parent / "bench"))
    from corpus import article

    rng = random.Random(seed)
    out = [parse(p.read_text(encoding="utf-8"), p.name) for p in sorted(FIXTURES.iterdir())
           if p.suffix in (".txt", ".md", ".html")]
    out += [parse(article(rng, bool(i % 2)), f"gen{i}.{'md' if i % 2 else 'txt'}") for i in range(80)]
    for r in load_rules(cache=True).rules:
        for i, ex in enumerate(list(r.meta.fail) + list(r.meta.passes)):
            suffix = "md" if markdown_examples and i % 2 else "txt"
            out.append(parse(ex.text, f"{r.meta.code}-{i}.{suffix}"))
    return out


def plain_normalise(line: str) -> str:
    """lint.crossdoc.normalise as it was before its fast paths: NFKC, casefold and the digit
    pattern on every line (the reference the fast paths are compared with)."""
    import re
    import unicodedata

    s = " ".join(re.sub(r"\d+", "0", unicodedata.normalize("NFKC", line).casefold()).split())
    i, j = 0, len(s)
    while i < j and not s[i].isalnum():
        i += 1
    while j > i and not s[j - 1].isalnum():
        j -= 1
    return s[i:j]


def plain_fingerprint(doc) -> int:
    """lint.crossdoc.document_fingerprint as it was: every line of more than 60 characters and
    at least LONG_WORDS words normalised (:func:`plain_normalise`), the greatest key; else the
    whole source's."""
    from lint import crossdoc

    keys = [plain_normalise(line) for block in doc.blocks for line in block.text.split("\n")
            if len(line) > 60 and len(line.split()) >= crossdoc.LONG_WORDS]
    best = max(keys, key=lambda k: (len(k), k), default=None)
    return crossdoc._h64(best if best is not None else plain_normalise(doc.source))
