"""Changed-lines mode for pull requests: keep only findings that touch lines changed since a git
revision, uncommitted changes in the working tree included.

For each repository that holds the linted files: ``git diff --unified=0 REV`` (the working tree
against REV: committed, staged and unstaged changes) gives the added or modified lines of each
file; files that git does not track yet (``git ls-files --others --exclude-standard``) are new
in full. A tracked file absent from the diff has no changed lines. Pure deletions mark no line.
"""
from __future__ import annotations

import os
import re
import subprocess

ALL = None  # "every line changed": a new, untracked file
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


class GitDiffError(Exception):
    """Not a repository, an unknown revision, git missing: one line for the user."""


def _git(root: str, *args: str) -> str:
    cmd = ["git", "-C", root, "-c", "core.quotePath=false", *args]
    try:
        proc = subprocess.run(cmd, capture_output=True, env={**os.environ, "LC_ALL": "C", "GIT_PAGER": "cat"})
    except FileNotFoundError:
        raise GitDiffError("--diff-base needs git, and no git command was found") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitDiffError(f"git {args[0]} failed in {root}: {message[-1] if message else proc.returncode}")
    return proc.stdout.decode("utf-8", "surrogateescape")


def repo_root(path: str) -> str:
    """The top folder of the git work tree that contains ``path``."""
    folder = path if os.path.isdir(path) else (os.path.dirname(os.path.abspath(path)) or ".")
    proc = subprocess.run(["git", "-C", folder, "rev-parse", "--show-toplevel"], capture_output=True,
                          env={**os.environ, "LC_ALL": "C"})
    if proc.returncode != 0:
        raise GitDiffError(f"{path}: not in a git repository (--diff-base needs one)")
    return os.path.realpath(proc.stdout.decode("utf-8", "surrogateescape").strip())


def _unquote(path: str) -> str:
    """A path as git prints it in a diff header (C-quoted when it has odd characters)."""
    if not (len(path) >= 2 and path.startswith('"') and path.endswith('"')):
        return path
    simple = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}
    body, out, i = path[1:-1], bytearray(), 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            digits = body[i + 1:i + 4]
            if len(digits) == 3 and all(c in "01234567" for c in digits):
                out.append(int(digits, 8) & 0xFF)
                i += 4
                continue
            if nxt in simple:
                out.append(simple[nxt])
                i += 2
                continue
        out += ch.encode("utf-8", "surrogateescape")
        i += 1
    return out.decode("utf-8", "surrogateescape")


def parse_diff(text: str) -> dict[str, set[int]]:
    """``git diff --unified=0`` output -> {path in the new tree: changed line numbers}."""
    out: dict[str, set[int]] = {}
    current: set[int] | None = None
    for line in text.splitlines():
        if line.startswith("+++ "):
            target = line[4:].rstrip("\t")
            if target == "/dev/null":  # the file was deleted
                current = None
                continue
            target = _unquote(target)
            if target.startswith("b/"):
                target = target[2:]
            current = out.setdefault(target, set())
        elif line.startswith("@@") and current is not None:
            m = _HUNK.match(line)
            if m:
                start, count = int(m.group(1)), int(m.group(2) if m.group(2) is not None else 1)
                current.update(range(start, start + count))
    return out


def changed_lines(paths, rev: str) -> dict[str, set[int] | None]:
    """{real path of each linted file: its changed lines, or ALL (None) when it is untracked}.
    Files of ``paths`` that did not change map to an empty set."""
    if not rev or rev.startswith("-"):
        raise GitDiffError(f"unknown git revision {rev!r}")
    by_root: dict[str, list[str]] = {}
    for p in paths:
        by_root.setdefault(repo_root(p), []).append(os.path.realpath(p))
    out: dict[str, set[int] | None] = {}
    for root, files in by_root.items():
        check = subprocess.run(["git", "-C", root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
                               capture_output=True)
        if check.returncode != 0:
            raise GitDiffError(f"unknown git revision {rev!r} in {root}")
        diff = _git(root, "diff", "--unified=0", "--no-color", "--no-ext-diff", "--no-textconv", "-M",
                    "--src-prefix=a/", "--dst-prefix=b/", rev, "--")
        changed = {os.path.realpath(os.path.join(root, p)): lines for p, lines in parse_diff(diff).items()}
        untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z")
        for p in untracked.split("\0"):
            if p:
                changed[os.path.realpath(os.path.join(root, p))] = ALL
        for f in files:
            out[f] = changed.get(f, set())
    return out


def touches(result, diag, lines: set[int] | None) -> bool:
    """Whether the finding touches one of ``lines`` (ALL: every line)."""
    if lines is None:
        return True
    if not lines:
        return False
    first, _ = result.lines.position(diag.start)
    last, _ = result.lines.position(max(diag.start, diag.end - 1))
    return any(n in lines for n in range(first, last + 1))


def filter_results(results, changed: dict[str, set[int] | None]) -> int:
    """Keep only findings on changed lines, in place; returns how many were dropped."""
    dropped = 0
    for r in results:
        if r.error or not r.diagnostics:
            continue
        lines = changed.get(os.path.realpath(r.path), set())
        keep = [d for d in r.diagnostics if touches(r, d, lines)]
        dropped += len(r.diagnostics) - len(keep)
        r.diagnostics = keep
    return dropped
