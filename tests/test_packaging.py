"""What a wheel holds: setuptools packages only the packages pyproject.toml names, so a package
added under lint/ and not named there is missing from `pip install .` (an editable install
does not show it: it reads the source tree). lint.regex was missing until the fifth session of
2026-12-06, and `copydesk check` failed on an installed wheel."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _config() -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_package_under_lint_is_in_the_wheel():
    named = set(_config()["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "lint").rglob("__init__.py")
             if "__pycache__" not in p.parts}
    assert found and found <= named, sorted(found - named)


def test_the_rule_packs_are_shipped_as_package_data():
    tool = _config()["tool"]["setuptools"]
    assert tool["package-dir"]["lint.rules"] == "rules" and "lint.rules" in tool["packages"]
    patterns = tool["package-data"]["lint.rules"]
    suffixes = {p.suffix for p in (ROOT / "rules").rglob("*") if p.is_file()}
    assert suffixes <= {Path(x).suffix for x in patterns} | {".md"}, suffixes
