"""The regex-engine boundary (lint/regex/): the only code that touches CPython's private regex
API, and two engines behind it (the stored-compiled one and plain ``re``) that give the same
reports."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lint import regex

ROOT = Path(__file__).resolve().parent.parent
LINT = ROOT / "lint"
FIXTURES = ROOT / "fixtures"

#: what only lint/regex/ may import
PRIVATE = re.compile(r"^\s*(?:import\s+(?:_sre|sre_parse|sre_compile|sre_constants)\b"
                     r"|from\s+(?:_sre|sre_parse|sre_compile|sre_constants)\b"
                     r"|from\s+re\s+import\s+[^#\n]*\b(?:_parser|_compiler|_constants|_casefix)\b"
                     r"|import\s+re\.(?:_parser|_compiler|_constants|_casefix)\b"
                     r"|from\s+re\.(?:_parser|_compiler|_constants|_casefix)\b)", re.MULTILINE)
_PRIVATE_MODULES = {"_sre", "sre_parse", "sre_compile", "sre_constants", "re._parser", "re._compiler",
                    "re._constants", "re._casefix"}


def _uses(tree) -> list[str]:
    """Imports of the private modules, and attribute reaches into them (``re._parser.parse``)."""
    import ast

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name in _PRIVATE_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found += [node.module] if node.module in _PRIVATE_MODULES else []
            found += [f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in _PRIVATE_MODULES]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and f"{node.value.id}.{node.attr}" in _PRIVATE_MODULES:
            found.append(f"{node.value.id}.{node.attr}")
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__" and node.args \
                and isinstance(node.args[0], ast.Constant) and node.args[0].value in _PRIVATE_MODULES:
            found.append(node.args[0].value)
    return found


#: what a file must spell for _uses to find anything in it: a private module's name (an
#: import, an attribute) or the __import__ its string goes to
_SPELLED = ("_sre", "sre_parse", "sre_compile", "sre_constants", "_parser", "_compiler", "_constants",
            "_casefix", "__import__")


def test_no_private_regex_api_outside_the_boundary():
    import ast
    import unicodedata

    offenders = []
    inside = []
    parsed = 0
    for path in sorted(LINT.rglob("*.py")):
        rel = path.relative_to(LINT)
        text = path.read_text(encoding="utf-8")
        uses = [m.group().strip() for m in PRIVATE.finditer(text)]
        # only the files that spell a name _uses looks for are parsed (a few of ~70; parsing
        # and walking them all cost ~0.45 s): Python reads identifiers NFKC-normalised, so
        # the names are looked for in the normalised text
        spelled = unicodedata.normalize("NFKC", text)
        if any(name in spelled for name in _SPELLED):
            uses += _uses(ast.parse(text))
            parsed += 1
        (inside if rel.parts[0] == "regex" else offenders).extend(f"{rel}: {u}" for u in uses)
    assert not offenders, "private regex API outside lint/regex/:\n" + "\n".join(offenders)
    assert inside and parsed  # the boundary itself does use it: the search works


def test_the_search_finds_what_it_must():
    """The check above is not vacuous: it catches each way of reaching the private API."""
    import ast

    for line in ("import _sre", "from re import _parser as P", "from re import _constants as C",
                 "import sre_parse", "from re._parser import parse", "from re import escape, _compiler"):
        assert PRIVATE.search(line) and _uses(ast.parse(line)), line
        assert any(name in line for name in _SPELLED), line  # the files holding it are parsed
    assert _uses(ast.parse("import re\ntree = re._parser.parse(p)")) == ["re._parser"]
    assert _uses(ast.parse('__import__("\\x5fsre")')) == ["_sre"] and "__import__" in _SPELLED
    assert not PRIVATE.search("import re\nfrom re import escape") and not _uses(ast.parse("import re\nre.compile('x')"))


def test_the_reference_engine_is_re_compile(monkeypatch):
    monkeypatch.setattr(regex, "ENABLED", False)
    monkeypatch.setattr(regex, "_BUILT", {})
    assert regex.engine() == "re"
    p = regex.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+", re.IGNORECASE)
    assert p == re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+", re.IGNORECASE)
    with regex.Recorder() as rec:
        assert not rec.stored and rec.active
        q = regex.compile(r"a(?=b)")
        assert rec.reduce(q) == (re.compile, (q.pattern, q.flags))


@pytest.mark.skipif(not regex.stored(), reason="the stored engine is not usable on this interpreter")
def test_the_stored_engine_finds_what_re_finds():
    pattern = r"(?<![\w.,])(?!0)\d{1,3}(?:,\d{3})+(?![\w,])"
    text = "Of 1,250 and 01,250 and 3,100,200 x1,000"
    built = regex.compile(pattern)
    assert built != re.compile(pattern)  # reordered (lint.regex._stored._shift) ...
    assert [m.span() for m in built.finditer(text)] == [m.span() for m in re.finditer(pattern, text)]


def test_the_analyses():
    assert regex.joinable(r"\bfoo\b") is False  # joinable as it is
    assert regex.joinable(r"^Share$") is True  # as its MULTILINE twin
    assert regex.joinable(r"\Afoo") is None and regex.joinable(r"a(?=\s)") is None and regex.joinable("x?") is None
    assert regex.literal_sets(r"(?i)Read (?:more|next)") == [frozenset({"read "}), frozenset({"more", "next"})]
    assert regex.literal_sets("(") is None
    with pytest.raises(regex.UnsafeRegex):
        regex.check_backtracking(r"(a+)+$")
    regex.check_backtracking(r"(?:ab)+c")


#: ``python -m lint`` (lint/__main__.py) that first says which regex engine the process uses
#: (lint.regex.engine), on standard error: no child process of its own to ask
_ENGINE_THEN_CLI = ("import sys; from lint import regex; print('engine in use:', regex.engine(), file=sys.stderr); "
                    "from lint.cli import entry; entry(prog_name='copydesk')")


def _check_json(engine: str, tmp_path: Path, warm=None) -> str:
    env = dict(os.environ, COPYDESK_REGEX_ENGINE=engine, COPYDESK_CACHE_DIR=str(tmp_path / engine))
    env.pop("COPYDESK_ACCEL", None)
    # twice: the first run builds and stores the rule set, the second loads it; or, from a
    # ``warm`` rule cache (the default engine's, built once for the session), once
    if warm is not None:
        import shutil

        shutil.copytree(warm, tmp_path / engine)
    outs = []
    for i in range(1 if warm is not None else 2):
        # each run in a folder of its own: an empty result store, so the files are linted by
        # this engine (results are not keyed by the engine: a shared store would replay them)
        cwd = tmp_path / f"run-{engine}-{i}"
        cwd.mkdir()
        r = subprocess.run([sys.executable, "-c", _ENGINE_THEN_CLI, "check", "--format", "json", "--jobs", "1",
                            str(ROOT / "fixtures")], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
        assert r.returncode == 1, r.stderr
        # the engine the run used (the reference engine where asked; the stored one by
        # default, where this interpreter has it)
        want = "re" if engine == "re" or not regex.stored() else "stored"
        assert r.stderr.startswith(f"engine in use: {want}\n"), r.stderr[:200]
        outs.append(r.stdout)
    assert outs[0] == outs[-1]
    assert list((tmp_path / engine).glob("rules-*.pickle")), "the rule set was stored"
    return outs[0]


def test_both_engines_give_the_same_report(tmp_path, warm_rule_cache):
    """The fixture articles through the stored engine and the reference engine (``re``):
    byte-identical JSON, the reference from a fresh build and from a stored rule set, the
    stored engine from a stored rule set (that its fresh build reports the same as its stored
    rule set: tests/test_rule_cache.py, test_the_cli_output_is_the_same_on_a_hit). Each run
    says which engine it used (_ENGINE_THEN_CLI)."""
    reference = _check_json("re", tmp_path)
    default = _check_json("stored", tmp_path, warm=warm_rule_cache)
    assert '"diagnostics"' in reference and reference.count('"code"') > 20
    assert default == reference


def test_dumps_rebuilds_patterns_with_the_engine_in_use():
    """A Linter shipped to a worker (lint.regex.dumps) gets its patterns built as the engine
    builds them, not as pickle's re.compile would (with the stored engine: reordered
    lookarounds, about a third faster on the rules)."""
    import pickle

    from lint import regex

    p = regex.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\w,]|\.\d)")  # a class after a lookbehind
    back = pickle.loads(regex.dumps({"rules": [p]}))["rules"][0]
    assert back == regex.compile(p.pattern, p.flags)
    assert back.findall("12,500 and 1,250,000 but 1,25") == p.findall("12,500 and 1,250,000 but 1,25") == \
        ["12,500", "1,250,000"]
    if regex.engine() == "stored" and regex.compile(p.pattern, p.flags) != re.compile(p.pattern, p.flags):
        assert pickle.loads(pickle.dumps(p)) != back  # what plain pickling would have given
