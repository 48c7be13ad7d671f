"""Helpers shared by the CLI-level tests."""
from __future__ import annotations

import subprocess
from pathlib import Path

from click.testing import CliRunner

from lint.cli import main


def run(*args, input=None):
    """Invoke the CLI in-process: (exit code, stdout, stderr)."""
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
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
