"""Configuration: discovery, parsing, validation, selection, severity, globs, CLI overrides."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from lint.config import (Config, ConfigError, ConfigResolver, find_config, load_config, selector_matches,
                         unknown_selectors)
from lint.model import RuleMeta, Severity


def meta(code="SEG001", name="doubled-period", category="punctuation", severity=Severity.WARNING,
         default_enabled=True, aliases=()):
    family = code.rstrip("0123456789")
    return RuleMeta(code=code, name=name, kind="regex", category=category, family=family, summary="s",
                    why="w", severity=severity, path=f"rules/{family.lower()}/{code}.yaml",
                    default_enabled=default_enabled, aliases=tuple(aliases))


SEG1 = meta("SEG001", "doubled-period", "punctuation", aliases=("P001",))
SEG2 = meta("SEG002", "space-before-comma", "punctuation")
SEG15 = meta("SEG015", "stray-bullet", "punctuation")
CALQ1 = meta("CALQ001", "in-the-frame-of", "mt-phrasing")
CALQ2 = meta("CALQ002", "calque-off", "mt-phrasing", default_enabled=False)
UI1 = meta("UI001", "cookie-banner", "ui-leftover", severity=Severity.ERROR)
ALL_METAS = [SEG1, SEG2, SEG15, CALQ1, CALQ2, UI1]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def enabled(cfg: Config, file_path=None) -> list[str]:
    return [m.code for m in ALL_METAS if cfg.rule_enabled(m, file_path)]


def error_of(tmp_path: Path, body: str, name: str = "copydesk.toml") -> str:
    p = write(tmp_path / name, body)
    with pytest.raises(ConfigError) as info:
        load_config(p)
    text = str(info.value)
    assert "\n" not in text
    return text.replace(str(p), name)


@pytest.fixture
def chdir(tmp_path):
    old = os.getcwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(old)


# ----------------------------------------------------------------------------- discovery

def test_discovery_precedence_within_a_folder(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.copydesk]\nignore = ["A"]\n')
    cfg = find_config(tmp_path)
    assert cfg.path.name == "pyproject.toml" and cfg.ignore == ["A"]
    write(tmp_path / "copydesk.toml", 'ignore = ["B"]\n')
    assert find_config(tmp_path).ignore == ["B"]
    write(tmp_path / ".copydesk.toml", 'ignore = ["C"]\n')
    cfg = find_config(tmp_path / "file.md")
    assert cfg.ignore == ["C"] and cfg.path.name == ".copydesk.toml"
    assert cfg.root == tmp_path


def test_discovery_walks_up_and_nearest_wins_without_merging(tmp_path):
    write(tmp_path / "copydesk.toml", 'ignore = ["TOP"]\nfail-on = "error"\n')
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    cfg = find_config(deep / "x.md")
    assert cfg.ignore == ["TOP"] and cfg.root == tmp_path
    write(tmp_path / "a" / "pyproject.toml", '[tool.copydesk]\nselect = ["SEG"]\n')
    cfg = find_config(deep / "x.md")
    assert cfg.select == ["SEG"] and cfg.ignore == [] and cfg.fail_on is None
    assert cfg.root == tmp_path / "a"


def test_pyproject_without_table_is_skipped(tmp_path):
    write(tmp_path / "copydesk.toml", 'ignore = ["TOP"]\n')
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n\n[tool.black]\nline-length = 80\n')
    assert find_config(tmp_path / "sub" / "x.md").ignore == ["TOP"]
    # loaded explicitly it gives defaults
    cfg = load_config(tmp_path / "sub" / "pyproject.toml")
    assert cfg.select is None and cfg.ignore == [] and cfg.root == tmp_path / "sub"


def test_defaults_when_nothing_found(tmp_path):
    (tmp_path / "d").mkdir()
    cfg = find_config(tmp_path / "d" / "x.md")
    assert cfg.path is None and cfg.root == tmp_path / "d"
    assert cfg.select is None and cfg.fail_on is None
    assert enabled(cfg) == ["SEG001", "SEG002", "SEG015", "CALQ001", "UI001"]


def test_directory_named_like_config_is_ignored(tmp_path):
    (tmp_path / "sub" / "copydesk.toml").mkdir(parents=True)
    write(tmp_path / "copydesk.toml", 'ignore = ["TOP"]\n')
    assert find_config(tmp_path / "sub").ignore == ["TOP"]


def test_resolver_caches_and_applies_cli(tmp_path, monkeypatch):
    write(tmp_path / "copydesk.toml", 'select = ["SEG"]\nignore = ["SEG002"]\n')
    write(tmp_path / "a" / "one.md", "x")
    write(tmp_path / "a" / "two.md", "x")
    import lint.config as config_mod

    calls = []
    real = config_mod._read_toml
    monkeypatch.setattr(config_mod, "_read_toml", lambda *a: calls.append(a) or real(*a))
    resolver = ConfigResolver(cli_ignore=["SEG015"])
    c1 = resolver.for_path(tmp_path / "a" / "one.md")
    c2 = resolver.for_path(tmp_path / "a" / "two.md")
    c3 = resolver.for_path(tmp_path / "a")
    assert c1 is c2 is c3
    assert len(calls) == 1
    assert c1.ignore == ["SEG002", "SEG015"]
    assert enabled(c1) == ["SEG001"]


def test_resolver_explicit_overrides_discovery(tmp_path):
    write(tmp_path / "proj" / "copydesk.toml", 'select = ["SEG"]\n')
    explicit = write(tmp_path / "elsewhere" / "my.toml", 'select = ["UI"]\n')
    resolver = ConfigResolver(explicit, cli_extend_select=["CALQ002"])
    cfg = resolver.for_path(tmp_path / "proj" / "x.md")
    assert cfg.select == ["UI"] and cfg.path == explicit
    assert enabled(cfg) == ["CALQ002", "UI001"]
    assert resolver.for_path(tmp_path / "other.md") is cfg


def test_resolver_defaults_and_different_configs(tmp_path):
    write(tmp_path / "p1" / "copydesk.toml", 'select = ["SEG"]\n')
    write(tmp_path / "p2" / ".copydesk.toml", 'select = ["UI"]\n')
    resolver = ConfigResolver(cli_select=["CALQ"])
    assert resolver.for_path(tmp_path / "p1" / "x.md").select == ["CALQ"]
    assert resolver.for_path(tmp_path / "p2" / "x.md").path.name == ".copydesk.toml"
    (tmp_path / "none").mkdir()
    d = resolver.for_path(tmp_path / "none" / "x.md")
    assert d.path is None and d.select == ["CALQ"]


def test_error_path_is_relative_to_cwd_in_discovery(chdir):
    write(chdir / "copydesk.toml", 'fail-on = "fatal"\n')
    with pytest.raises(ConfigError) as info:
        find_config(chdir / "x.md")
    assert str(info.value) == "copydesk.toml: fail-on: 'fatal' is not one of info, warning, error"
    assert info.value.key == "fail-on"
    assert info.value.message == "'fatal' is not one of info, warning, error"


# ----------------------------------------------------------------------------- parsing

FULL = '''
select = ["SEG", "CALQ001"]
ignore = ["SEG002"]
extend-select = ["CALQ002"]
exclude = ["drafts", "archive/**/*.html"]
packs = ["packs/house", "../shared-pack"]
fail-on = "error"

[severity]
SEG001 = "error"
mt-phrasing = "info"

[per-file-ignores]
"archive/**/*.md" = ["SEG"]
"*.txt" = ["punctuation"]

[languagetool]
url = "http://localhost:8081"
local = false
required = true
language = "en-GB"
mother-tongue = "fr"
enabled-rules = ["A"]
disabled-rules = ["B"]
enabled-categories = ["C"]
disabled-categories = ["D"]
promote = ["E"]
'''


def test_every_key_parsed(tmp_path):
    cfg = load_config(write(tmp_path / "copydesk.toml", FULL))
    assert cfg.path == tmp_path / "copydesk.toml" and cfg.root == tmp_path
    assert cfg.select == ["SEG", "CALQ001"]
    assert cfg.ignore == ["SEG002"]
    assert cfg.extend_select == ["CALQ002"]
    assert cfg.exclude == ["drafts", "archive/**/*.html"]
    assert cfg.packs == [tmp_path / "packs" / "house", tmp_path.parent / "shared-pack"]
    assert all(p.is_absolute() for p in cfg.packs)
    assert cfg.fail_on is Severity.ERROR
    assert cfg.severity == {"SEG001": Severity.ERROR, "mt-phrasing": Severity.INFO}
    assert cfg.per_file_ignores == {"archive/**/*.md": ["SEG"], "*.txt": ["punctuation"]}
    assert cfg.languagetool == {
        "url": "http://localhost:8081", "local": False, "required": True, "language": "en-GB",
        "mother-tongue": "fr", "enabled-rules": ["A"], "disabled-rules": ["B"],
        "enabled-categories": ["C"], "disabled-categories": ["D"], "promote": ["E"]}


def test_pyproject_table_parsed(tmp_path):
    body = "[project]\nname='x'\n\n" + FULL.replace("\n[", "\n[tool.copydesk.").replace(
        'select = ["SEG"', '[tool.copydesk]\nselect = ["SEG"', 1)
    cfg = load_config(write(tmp_path / "pyproject.toml", body))
    assert cfg.select == ["SEG", "CALQ001"] and cfg.severity["SEG001"] is Severity.ERROR
    assert cfg.languagetool["mother-tongue"] == "fr"


def test_empty_file_gives_defaults(tmp_path):
    cfg = load_config(write(tmp_path / ".copydesk.toml", ""))
    assert cfg.select is None and cfg.ignore == [] and cfg.severity == {} and cfg.languagetool == {}


@pytest.mark.parametrize("body, message", [
    ('severity = { SEG001 = "fatal" }', "copydesk.toml: severity.SEG001: 'fatal' is not one of info, warning, error"),
    ('severity = { SEG001 = 3 }',
     "copydesk.toml: severity.SEG001: expected a string (one of info, warning, error), got an integer"),
    ('severity = ["SEG001"]',
     'copydesk.toml: severity: expected a table of selector = "info" | "warning" | "error", got an array'),
    ('severity = { "" = "info" }', 'copydesk.toml: severity."": empty rule selector'),
    ('select = "SEG001"', "copydesk.toml: select: expected a list of rule selectors, got a string"),
    ('select = ["SEG001", 3]', "copydesk.toml: select[1]: expected a string, got an integer"),
    ('select = [""]', "copydesk.toml: select[0]: empty string"),
    ('ignore = {a = 1}', "copydesk.toml: ignore: expected a list of rule selectors, got a table"),
    ('extend-select = [true]', "copydesk.toml: extend-select[0]: expected a string, got a boolean"),
    ('packs = "x"', "copydesk.toml: packs: expected a list of folders, got a string"),
    ('exclude = [1.5]', "copydesk.toml: exclude[0]: expected a string, got a float"),
    ('fail-on = "fatal"', "copydesk.toml: fail-on: 'fatal' is not one of info, warning, error"),
    ('fail-on = 2', "copydesk.toml: fail-on: expected a string (one of info, warning, error), got an integer"),
    ('per-file-ignores = ["x"]',
     "copydesk.toml: per-file-ignores: expected a table of glob = [rule selectors], got an array"),
    ('per-file-ignores = { "archive/**/*.md" = "SEG" }',
     'copydesk.toml: per-file-ignores."archive/**/*.md": expected a list of rule selectors, got a string'),
    ('per-file-ignores = { "docs" = [1] }', "copydesk.toml: per-file-ignores.docs[0]: expected a string, got an integer"),
    ('languagetool = "on"', "copydesk.toml: languagetool: expected a table of LanguageTool settings, got a string"),
    ('languagetool = { url = 8081 }', "copydesk.toml: languagetool.url: expected a string, got an integer"),
    ('languagetool = { local = "yes" }',
     "copydesk.toml: languagetool.local: expected a boolean (true or false), got a string"),
    ('languagetool = { required = 1 }',
     "copydesk.toml: languagetool.required: expected a boolean (true or false), got an integer"),
    ('languagetool = { language = ["en"] }', "copydesk.toml: languagetool.language: expected a string, got an array"),
    ('languagetool = { mother-tongue = false }',
     "copydesk.toml: languagetool.mother-tongue: expected a string, got a boolean"),
    ('languagetool = { promote = "X" }', "copydesk.toml: languagetool.promote: expected a list of strings, got a string"),
    ('languagetool = { disabled-rules = [1] }',
     "copydesk.toml: languagetool.disabled-rules[0]: expected a string, got an integer"),
    ('languagetool = { mother_tongue = "fr" }',
     "copydesk.toml: languagetool.mother_tongue: unknown key (use 'mother-tongue': keys are kebab-case)"),
    ('languagetool = { server = "x" }',
     "copydesk.toml: languagetool.server: unknown key (expected one of url, local, required, language, "
     "mother-tongue, enabled-rules, disabled-rules, enabled-categories, disabled-categories, promote)"),
    ('extend_select = ["X"]', "copydesk.toml: extend_select: unknown key (use 'extend-select': keys are kebab-case)"),
    ('per_file_ignores = {}', "copydesk.toml: per_file_ignores: unknown key (use 'per-file-ignores': keys are kebab-case)"),
    ('fail_on = "error"', "copydesk.toml: fail_on: unknown key (use 'fail-on': keys are kebab-case)"),
    ('selct = ["X"]', "copydesk.toml: selct: unknown key (did you mean 'select'?)"),
    ('colour = true', "copydesk.toml: colour: unknown key (expected one of select, ignore, extend-select, severity, "
                      "per-file-ignores, packs, exclude, fail-on, languagetool)"),
])
def test_bad_values_give_one_line_messages(tmp_path, body, message):
    assert error_of(tmp_path, body + "\n") == message


def test_pyproject_errors_name_the_full_key(tmp_path):
    msg = error_of(tmp_path, '[tool.copydesk]\nselect = ["A"]\nseverity.SEG001 = "loud"\n', "pyproject.toml")
    assert msg == "pyproject.toml: tool.copydesk.severity.SEG001: 'loud' is not one of info, warning, error"
    msg = error_of(tmp_path, '[tool.copydesk]\nextend_select = []\n', "pyproject.toml")
    assert msg == "pyproject.toml: tool.copydesk.extend_select: unknown key (use 'extend-select': keys are kebab-case)"
    msg = error_of(tmp_path, '[tool]\ncopydesk = 1\n', "pyproject.toml")
    assert msg == "pyproject.toml: tool.copydesk: expected a table, got an integer"


def test_invalid_toml(tmp_path):
    msg = error_of(tmp_path, 'select = ["A"]\nignore = [\n')
    assert msg.startswith("copydesk.toml: invalid TOML: ")
    assert "line 2" in msg or "line 3" in msg or "end of document" in msg
    msg = error_of(tmp_path, 'select = ["A"]\nfail-on = error\n')
    assert msg.startswith("copydesk.toml: invalid TOML: ") and "(at line 2, column" in msg
    msg = error_of(tmp_path, 'a = 1\na = 2\n', ".copydesk.toml")
    assert msg.startswith(".copydesk.toml: invalid TOML: ") and "line 2" in msg


def test_invalid_toml_in_discovered_pyproject_is_an_error(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.copydesk\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        find_config(tmp_path / "x.md")


def test_config_error_fields():
    e = ConfigError(Path("copydesk.toml"), "severity.SEG001", "'fatal' is not one of info, warning, error")
    assert (e.path, e.key, e.message) == (Path("copydesk.toml"), "severity.SEG001",
                                          "'fatal' is not one of info, warning, error")
    assert str(e) == "copydesk.toml: severity.SEG001: 'fatal' is not one of info, warning, error"


# ----------------------------------------------------------------------------- selectors

@pytest.mark.parametrize("selector, expected", [
    ("SEG001", True),            # code
    ("P001", True),              # alias
    ("doubled-period", True),    # name
    ("Doubled-Period", True),    # names are case-insensitive
    ("punctuation", True),       # category
    ("PUNCTUATION", True),       # categories are case-insensitive
    ("SEG", True),               # family
    ("SEG0", True),              # code prefix
    ("SEG00", True),
    ("S", True),
    ("ALL", True),
    ("seg001", False),           # codes are case-sensitive
    ("seg", False),
    ("p001", False),
    ("SEG002", False),
    ("SEG01", False),
    ("CALQ", False),
    ("mt-phrasing", False),
    ("all", False),
    ("", False),
])
def test_selector_kinds(selector, expected):
    assert selector_matches(selector, SEG1) is expected


def test_calq_prefix_and_family():
    assert selector_matches("CALQ", CALQ1) and selector_matches("CAL", CALQ1)
    assert not selector_matches("CALQ", SEG1)


def test_select_replaces_default_set():
    assert enabled(Config(select=["SEG"])) == ["SEG001", "SEG002", "SEG015"]
    assert enabled(Config(select=["mt-phrasing", "UI001"])) == ["CALQ001", "UI001"]
    assert enabled(Config(select=[])) == []
    assert enabled(Config(select=["SEG01"])) == ["SEG015"]


def test_default_disabled_needs_explicit_selector():
    assert "CALQ002" not in enabled(Config())
    assert "CALQ002" not in enabled(Config(select=["ALL"]))
    assert "CALQ002" not in enabled(Config(select=["mt-phrasing"]))
    assert "CALQ002" not in enabled(Config(extend_select=["ALL"]))
    assert "CALQ002" not in enabled(Config(extend_select=["mt-phrasing"]))
    for sel in ("CALQ002", "calque-off", "CALQ", "CALQ00"):
        assert "CALQ002" in enabled(Config(select=[sel])), sel
        assert "CALQ002" in enabled(Config(extend_select=[sel])), sel
    assert enabled(Config(extend_select=["CALQ002"])) == ["SEG001", "SEG002", "SEG015", "CALQ001", "CALQ002",
                                                           "UI001"]
    assert len(enabled(Config(select=["ALL"]))) == 5


def test_ignore_wins_over_select_and_extend_select():
    assert enabled(Config(select=["SEG"], ignore=["SEG002"])) == ["SEG001", "SEG015"]
    assert enabled(Config(extend_select=["CALQ002"], ignore=["mt-phrasing"])) == ["SEG001", "SEG002", "SEG015",
                                                                                  "UI001"]
    assert enabled(Config(ignore=["ALL"])) == []
    assert enabled(Config(ignore=["doubled-period", "P001"])) == ["SEG002", "SEG015", "CALQ001", "UI001"]


def test_unknown_selectors():
    cfg = Config(select=["SEG", "NOPE"], ignore=["seg001", "P001"], extend_select=["calque-off", "NOPE"],
                 severity={"ALL": Severity.INFO, "ZZZ": Severity.ERROR},
                 per_file_ignores={"*.md": ["punctuation", "bogus-name"]})
    assert unknown_selectors(cfg, ALL_METAS) == ["NOPE", "seg001", "ZZZ", "bogus-name"]
    assert unknown_selectors(Config(), ALL_METAS) == []


def test_unknown_selectors_is_not_a_parse_error(tmp_path):
    cfg = load_config(write(tmp_path / "copydesk.toml", 'select = ["NOPE"]\n'))
    assert cfg.select == ["NOPE"] and unknown_selectors(cfg, ALL_METAS) == ["NOPE"]


# ----------------------------------------------------------------------------- per-file-ignores and exclude

def test_per_file_ignores_globs(tmp_path):
    write(tmp_path / "copydesk.toml", FULL.replace('select = ["SEG", "CALQ001"]', 'select = ["ALL"]'))
    cfg = find_config(tmp_path)
    root = tmp_path
    # "archive/**/*.md" -> SEG ignored, at any depth under archive (including directly inside)
    assert "SEG001" not in enabled(cfg, root / "archive" / "a.md")
    assert "SEG001" not in enabled(cfg, root / "archive" / "2020" / "05" / "a.md")
    assert "SEG001" in enabled(cfg, root / "archive" / "a.html")
    assert "SEG001" in enabled(cfg, root / "other" / "archive" / "a.md")  # anchored at the config folder
    assert "UI001" in enabled(cfg, root / "archive" / "a.md")
    # "*.txt" -> punctuation ignored anywhere
    assert enabled(cfg, root / "a.txt") == ["CALQ001", "CALQ002", "UI001"]
    assert enabled(cfg, root / "deep" / "er" / "a.txt") == ["CALQ001", "CALQ002", "UI001"]
    assert "SEG001" in enabled(cfg, root / "a.md")
    # no file: no per-file ignores
    assert "SEG001" in enabled(cfg)
    # relative paths resolve against the working folder
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert "SEG001" not in enabled(cfg, Path("archive/x/y.md"))
    finally:
        os.chdir(old)


def test_per_file_ignores_outside_root_do_not_apply(tmp_path):
    cfg = Config(root=tmp_path / "proj", per_file_ignores={"**": ["ALL"]})
    assert enabled(cfg, tmp_path / "proj" / "a.md") == []
    assert enabled(cfg, tmp_path / "elsewhere" / "a.md") != []


def test_per_file_ignores_folder_pattern_and_double_star(tmp_path):
    cfg = Config(root=tmp_path, per_file_ignores={"drafts": ["UI"], "**/notes/*.md": ["SEG001"],
                                                  "news/[0-9]?.md": ["CALQ"]})
    assert "UI001" not in enabled(cfg, tmp_path / "drafts" / "x" / "a.md")
    assert "UI001" not in enabled(cfg, tmp_path / "a" / "drafts" / "a.md")
    assert "SEG001" not in enabled(cfg, tmp_path / "notes" / "a.md")
    assert "SEG001" not in enabled(cfg, tmp_path / "x" / "y" / "notes" / "a.md")
    assert "SEG001" in enabled(cfg, tmp_path / "x" / "notes" / "deeper" / "a.md")
    assert "CALQ001" not in enabled(cfg, tmp_path / "news" / "1a.md")
    assert "CALQ001" in enabled(cfg, tmp_path / "news" / "ab.md")


def test_exclude(tmp_path):
    write(tmp_path / "copydesk.toml", 'exclude = ["drafts", "archive/**/*.html", "/top.md", "*.bak.md"]\n')
    cfg = find_config(tmp_path)
    assert cfg.is_excluded(tmp_path / "drafts")
    assert cfg.is_excluded(tmp_path / "drafts" / "a.md")
    assert cfg.is_excluded(tmp_path / "sub" / "drafts" / "a.md")
    assert cfg.is_excluded(tmp_path / "archive" / "x" / "y.html")
    assert cfg.is_excluded(tmp_path / "archive" / "y.html")
    assert not cfg.is_excluded(tmp_path / "archive" / "y.md")
    assert cfg.is_excluded(tmp_path / "top.md")
    assert not cfg.is_excluded(tmp_path / "sub" / "top.md")
    assert cfg.is_excluded(tmp_path / "sub" / "old.bak.md")
    assert not cfg.is_excluded(tmp_path / "a.md")
    assert not cfg.is_excluded(tmp_path)
    assert not cfg.is_excluded(tmp_path.parent / "drafts")
    assert not Config(root=tmp_path).is_excluded(tmp_path / "drafts")


# ----------------------------------------------------------------------------- severity

def test_severity_default_is_rule_severity():
    cfg = Config()
    assert cfg.severity_for(SEG1) is Severity.WARNING and cfg.severity_for(UI1) is Severity.ERROR


def test_severity_precedence():
    sev = {"ALL": Severity.INFO, "punctuation": Severity.WARNING, "SEG": Severity.ERROR, "SEG0": Severity.INFO,
           "SEG01": Severity.WARNING, "space-before-comma": Severity.ERROR, "P001": Severity.INFO}
    cfg = Config(severity=sev)
    assert cfg.severity_for(SEG1) is Severity.INFO      # alias beats everything below
    assert cfg.severity_for(SEG2) is Severity.ERROR     # name beats prefixes
    assert cfg.severity_for(SEG15) is Severity.WARNING  # longer prefix beats shorter
    assert cfg.severity_for(CALQ1) is Severity.INFO     # only ALL matches
    assert Config(severity={"SEG0": Severity.ERROR, "SEG": Severity.INFO}).severity_for(SEG1) is Severity.ERROR
    assert Config(severity={"punctuation": Severity.ERROR, "SEG": Severity.INFO}).severity_for(SEG1) is Severity.INFO
    assert Config(severity={"ALL": Severity.ERROR, "punctuation": Severity.INFO}).severity_for(SEG1) is Severity.INFO
    assert Config(severity={"doubled-period": Severity.INFO, "SEG001": Severity.ERROR}).severity_for(SEG1) \
        is Severity.ERROR
    assert Config(severity={"SEG00": Severity.INFO, "DOUBLED-PERIOD": Severity.ERROR}).severity_for(SEG1) \
        is Severity.ERROR
    assert Config(severity={"seg001": Severity.ERROR}).severity_for(SEG1) is Severity.WARNING


def test_severity_from_file(tmp_path):
    cfg = load_config(write(tmp_path / "copydesk.toml", FULL))
    assert cfg.severity_for(SEG1) is Severity.ERROR
    assert cfg.severity_for(CALQ1) is Severity.INFO
    assert cfg.severity_for(UI1) is Severity.ERROR


# ----------------------------------------------------------------------------- CLI overrides

def test_cli_select_replaces_config_select():
    base = Config(select=["UI"], ignore=["SEG002"])
    cfg = base.with_cli(select=["SEG"])
    assert cfg.select == ["SEG"] and enabled(cfg) == ["SEG001", "SEG015"]
    assert base.select == ["UI"] and enabled(base) == ["UI001"]  # the original is untouched


def test_cli_ignore_and_extend_select_add():
    base = Config(ignore=["SEG002"], extend_select=["CALQ002"])
    cfg = base.with_cli(ignore=["UI"], extend_select=["CALQ"])
    assert cfg.ignore == ["SEG002", "UI"] and cfg.extend_select == ["CALQ002", "CALQ"]
    assert enabled(cfg) == ["SEG001", "SEG015", "CALQ001", "CALQ002"]
    assert base.with_cli() == base
    assert base.with_cli(select=None).select is None


def test_cli_keeps_other_settings(tmp_path):
    base = load_config(write(tmp_path / "copydesk.toml", FULL))
    cfg = base.with_cli(select=["ALL"])
    assert (cfg.path, cfg.root, cfg.severity, cfg.per_file_ignores, cfg.packs, cfg.exclude, cfg.fail_on,
            cfg.languagetool) == (base.path, base.root, base.severity, base.per_file_ignores, base.packs,
                                  base.exclude, base.fail_on, base.languagetool)
    assert "SEG001" not in enabled(cfg, tmp_path / "archive" / "a.md")


# ----------------------------------------------------------------------------- fingerprint

def test_fingerprint_stable_and_sensitive(tmp_path):
    a = load_config(write(tmp_path / "one" / "copydesk.toml", FULL))
    b = load_config(write(tmp_path / "one" / ".copydesk.toml", FULL))
    assert a.fingerprint() == b.fingerprint() == a.with_cli().fingerprint()
    assert len(a.fingerprint()) == 64 and int(a.fingerprint(), 16) >= 0
    assert Config().fingerprint() == Config(root=tmp_path).fingerprint()  # location-free defaults
    assert Config().fingerprint() == "%s" % Config().fingerprint()
    variants = [
        a.with_cli(select=["SEG"]), a.with_cli(ignore=["UI"]), a.with_cli(extend_select=["X"]),
        Config(), Config(select=[]), Config(fail_on=Severity.INFO), Config(severity={"SEG": Severity.INFO}),
        Config(severity={"SEG": Severity.ERROR}), Config(exclude=["x"]), Config(packs=[tmp_path]),
        Config(languagetool={"local": True}), Config(per_file_ignores={"*.md": ["SEG"]}),
        load_config(write(tmp_path / "two" / "copydesk.toml", FULL)),  # same globs, other root
    ]
    prints = [v.fingerprint() for v in variants] + [a.fingerprint()]
    assert len(set(prints)) == len(prints)


def test_fingerprint_stable_across_processes(tmp_path):
    import subprocess
    import sys

    code = ("from lint.config import Config; from lint.model import Severity; "
            "print(Config(select=['SEG'], severity={'A': Severity.INFO, 'B': Severity.ERROR}).fingerprint())")
    root = Path(__file__).resolve().parent.parent
    outs = {subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip() for seed in ("1", "2")}
    assert len(outs) == 1 and outs.pop()


def test_discovery_leaves_out_excluded_files_and_folders(tmp_path, monkeypatch):
    """Exclusion as the CLI applies it while walking: folders by their own configuration, files
    by their folder's (a nested configuration excludes in its own folder only)."""
    from lint.cli import _file_excluder
    from lint.config import ConfigResolver
    from lint.runner import discover

    write(tmp_path / "copydesk.toml", 'exclude = ["drafts", "*.bak.md"]\n')
    write(tmp_path / "sub" / "copydesk.toml", 'exclude = ["skip.md"]\n')
    for name in ("a.md", "a.bak.md", "skip.md", "drafts/b.md", "sub/c.md", "sub/skip.md", "sub/d.bak.md",
                 "other/skip.md", "other/e.bak.md"):
        write(tmp_path / name, "Text.\n")
    monkeypatch.chdir(tmp_path)
    resolver = ConfigResolver()
    found = discover(["."], is_excluded=lambda p: resolver.for_path(p).is_excluded(p),
                     file_excluder=lambda folder: _file_excluder(resolver.for_path(folder)))
    assert found == ["a.md", "skip.md", "other/skip.md", "sub/c.md", "sub/d.bak.md"]
    # the same as asking each file's own configuration
    assert found == discover(["."], is_excluded=lambda p: resolver.for_path(p).is_excluded(p))
