"""The accelerators change nothing but speed: the Aho-Corasick presence pass (lint.literals) and
the Hyperscan gate (lint.regex.gate) against the plain path: the same answers, the same
findings, the same JSON."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import check_in_process
from lint import literals
from lint.regex import _tree, gate

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
sys.path.insert(0, str(ROOT / "bench"))

try:
    import hyperscan
except ImportError:  # pragma: no cover - the optional extra copydesk[fast]
    hyperscan = None
needs_hyperscan = pytest.mark.skipif(hyperscan is None, reason="hyperscan is not installed (copydesk[fast])")

ALPHABET = "abcdeks ’—«\u017f\u212a\u0130\u0131é\n."


@given(st.lists(st.tuples(st.text(ALPHABET, max_size=60), st.lists(st.text(ALPHABET, min_size=1, max_size=4),
                                                                    max_size=12)), min_size=1, max_size=8))
@settings(max_examples=200)
def test_presence_answers_what_in_answers(docs):
    """Document after document (the vocabulary is learned across them, the automaton rebuilt),
    every question gets the answer ``s in text`` gets."""
    saved = literals.VOCABULARY, literals.ACCEL
    literals.VOCABULARY, literals.ACCEL = literals._Vocabulary(), True
    try:
        for text, asked in docs:
            present = literals.Presence(text)
            for s in asked + asked[::-1]:
                assert present[s] is (s in text), (text, s)
        learned = literals.VOCABULARY
        assert not any(asked for _, asked in docs) or learned.strings or learned.pending
    finally:
        literals.VOCABULARY, literals.ACCEL = saved


@given(st.lists(st.tuples(st.text(ALPHABET, max_size=60), st.lists(st.text(ALPHABET, min_size=1, max_size=4),
                                                                    max_size=12)), min_size=1, max_size=12),
       st.integers(1, 4), st.sampled_from([0.0, 0.5, 0.9]))
@settings(max_examples=200)
def test_presence_with_common_strings_answers_what_in_answers(docs, after, share):
    """Strings moved out of the automaton after a few documents (any number of documents
    watched; share 0 would move every string, so none moves) are answered as ``in`` answers
    them, and a pass's found set is every learned string the text holds."""
    saved = literals.VOCABULARY, literals.ACCEL, literals.COMMON_AFTER, literals.COMMON_SHARE
    literals.VOCABULARY, literals.ACCEL = literals._Vocabulary(), True
    literals.COMMON_AFTER, literals.COMMON_SHARE = after, share
    try:
        for text, asked in docs:
            present = literals.Presence(text)
            for s in asked + asked[::-1]:
                assert present[s] is (s in text), (text, s)
            if present.found is not None and present.found is not literals._OFF:
                assert present.found == {s for s in literals.VOCABULARY.strings if s in text} | \
                    {s for s in asked if s in text}
    finally:
        literals.VOCABULARY, literals.ACCEL, literals.COMMON_AFTER, literals.COMMON_SHARE = saved


def test_common_strings_leave_the_automaton(monkeypatch):
    """After COMMON_AFTER passes, a string found in (nearly) all of them is asked with `in`; the
    others stay in the automaton, and the answers do not change."""
    monkeypatch.setattr(literals, "VOCABULARY", literals._Vocabulary())
    monkeypatch.setattr(literals, "ACCEL", True)
    monkeypatch.setattr(literals, "COMMON_AFTER", 3)
    texts = ["the cat read more", "the dog", "then share this", "the end", "share this now"]
    for text in texts:
        present = literals.Presence(text)
        assert present["the"] is ("the" in text)
        assert present["read more"] is ("read more" in text)
        assert present["share this"] is ("share this" in text)
    vocabulary = literals.VOCABULARY
    assert vocabulary.common == ["the"] and "the" not in vocabulary.searched
    assert sorted(vocabulary.searched) == ["read more", "share this"]
    assert vocabulary.hits is None  # decided once
    last = literals.Presence("no article here, read more")
    assert last.passed() == {"read more"}


def test_presence_uses_the_automaton_after_the_first_document(monkeypatch):
    monkeypatch.setattr(literals, "VOCABULARY", literals._Vocabulary())
    monkeypatch.setattr(literals, "ACCEL", True)
    first = literals.Presence("read more about it")
    assert first["read more"] and not first["share this"]
    assert literals.VOCABULARY.automaton is None  # the first document: plain `in`, strings learned
    second = literals.Presence("please share this story")
    assert second["share this"] and not second["read more"]
    assert second.found is not None and literals.VOCABULARY.builds == 1
    monkeypatch.setattr(literals, "ACCEL", False)
    third = literals.Presence("read more")
    assert third["read more"] and third.found is literals._OFF


# -- the gate's superset patterns ---------------------------------------------------------------

#: texts with what differs between Python's and other engines' idea of a character: case
#: partners outside ASCII, separators \s takes, digits and letters of other scripts, marks
ODD = ("The KELVIN \u212a and long \u017f, \u0130stanbul \u0131, \x1cfs\x1dgs \u00a0nbsp\u2003em, "
       "digits \u0663\u0664 \uff11, combining e\u0301, Straße, ΣΑΣ σας, \U0001d400 math, ‘quotes’ “x” — end.\n"
       "Photo: AP / Reuters. Read more: Click here. Updated: 12:30 GMT 1,250 10000 (AP) — said.The .\n")


def _texts() -> list[str]:
    from corpus import generate

    out = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.iterdir())
           if p.suffix in (".txt", ".md", ".html")]
    out.append(ODD)
    out.append(ODD.upper())
    out.append(ODD.lower())
    return out


def _rule_patterns():
    from lint.packs import load_rules

    found = []
    for r in load_rules().rules:
        offer = getattr(r.impl, "gate_patterns", None)
        if offer is not None:
            found.extend(offer())
    return found


@pytest.fixture(scope="module")
def built_gate(tmp_path_factory, warm_rule_cache):
    """The gate over the built-in rules' patterns, in a temporary cache folder: loaded from the
    database the warm rule cache stores (built by gate.prebuild for the built-in rule set alone,
    by the same code: ~1.3 s of CPU saved), or built there if it is not stored.

    gate.current() keys the database by every pattern this process has registered: a test file
    run before this one in the same process (pytest-xdist hands a worker several) may have loaded
    another pack, whose patterns then changed the key, and the fixture built a database of its
    own (~1.3 s of CPU) instead of loading the stored one. For the module's tests the registry
    (and the gates remembered by it) is this process's registry as it would be with the built-in
    rule set alone: what loading its stored rule set registers (each pattern kind registers its
    patterns as it is unpickled); afterwards, what it was, with whatever the tests registered."""
    old = os.environ.get("COPYDESK_CACHE_DIR")
    folder = tmp_path_factory.mktemp("gate-cache")
    shutil.copytree(warm_rule_cache, folder, dirs_exist_ok=True)
    os.environ["COPYDESK_CACHE_DIR"] = str(folder)
    saved = gate._REGISTRY, gate._SORTED, gate._MEMO
    gate._REGISTRY, gate._SORTED, gate._MEMO = {}, None, {}
    try:
        from lint.packs import load_rules

        # the stored rule set (a cache folder of the test's own: never the session's shared
        # rule set, tests/conftest.py): loading its rules registers the built-in rules' patterns
        assert load_rules(cache=True).rules
        patterns = _rule_patterns()
        assert {(rx.pattern, int(rx.flags)) for rx in patterns} <= set(gate._REGISTRY)
        assert gate.available()
        g = gate.current() or gate.current(build=True)
        assert g is not None
        yield g, patterns
    finally:
        if old is None:
            os.environ.pop("COPYDESK_CACHE_DIR", None)
        else:
            os.environ["COPYDESK_CACHE_DIR"] = old
        registered, memo = gate._REGISTRY, gate._MEMO
        gate._REGISTRY, gate._SORTED, gate._MEMO = saved
        gate.register_keys(list(registered))
        for key, value in memo.items():
            gate._MEMO.setdefault(key, value)


@needs_hyperscan
def test_every_match_of_a_builtin_pattern_is_seen_by_the_gate(built_gate):
    """For every built-in gated pattern and every test text: where Python's engine finds a
    match, the gate's scan of that text (and of the text from the match's start on, which
    holds what it consumes and what its final lookahead inspects) reports the pattern."""
    g, patterns = built_gate
    texts = _texts()
    gated = [rx for rx in patterns if (rx.pattern, rx.flags) in g.index]
    assert len(gated) > len(patterns) // 2
    checked = 0
    for text in texts:
        found = g.scan(text)
        for rx in gated:
            starts = [m.start() for m in rx.finditer(text) if m.group()]
            if not starts:
                continue
            assert g.index[(rx.pattern, rx.flags)] in found, (rx.pattern, text[:80])
            for start in starts[:3]:
                assert g.index[(rx.pattern, rx.flags)] in g.scan(text[start:]), (rx.pattern, text[start:start + 80])
            checked += 1
    assert checked > 20
    # and it rules patterns out: on a plain sentence most gated patterns cannot match
    assert len(g.scan("The council met on Tuesday.")) < len(gated) // 2


@pytest.mark.parametrize("pattern,flags,text", [
    (r"\bka\b", re.I, "\u212aA"),  # the Kelvin sign is a K under IGNORECASE
    (r"st", re.I, "\u017fT"),  # the long s
    (r"[a-z]+", re.I, "\u0130"),  # dotted capital I
    (r"x\sy", 0, "x\x1cy"),  # \s takes the ASCII separators
    (r"\d\d", 0, "\u0663\u0664"),  # Arabic-Indic digits
    (r"e\Wé", 0, "e\u0301é"),  # a combining mark is not \w
    (r"[^\W\d_]{3}", 0, "Σας"),
    (r"(?<=a)b(?=c)", 0, "abc"),  # lookarounds consume nothing
    (r"b(?=c)(?=cd\s*$)", re.M, "abcd \nx"),  # the widest final lookahead is taken in
    (r"(?i)b(?=\s*\(AP\))", 0, "B (ap) x"),
    (r"^(\w+) \1$", re.M, "ab ab"),  # a back reference
    (r"(?>a+)b", 0, "aab"),
    (r"x{2,200}", 0, "x" * 150),
    (r"(?i:caf[eé])s?\b", 0, "CAFÉ"),
    (r"[\u00e0-\u00ff]", re.I, "\u00c0"),
    ("[\uff0c\u3002a-c]", 0, "x\u3002"),  # a case-sensitive class of code points: written exactly
    ("x[\u0400-\u04ff\u00e9]y", 0, "x\u00e9y"),
    ("(?i:[\u00e9])", 0, "\u00c9"),  # under IGNORECASE: widened
])
@needs_hyperscan
def test_a_superset_matches_what_python_matches(pattern, flags, text):
    from lint.regex.gate import _flags

    assert gate.available()
    m = re.search(pattern, text, flags)
    assert m, "the case itself is wrong"
    sup = _tree.superset(pattern, flags)
    assert sup is not None
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=[sup.encode()], ids=[0], flags=[_flags()])
    hits = []
    db.scan(text[m.start():].encode(), match_event_handler=lambda *a: hits.append(a))
    assert hits, sup


def test_a_superset_still_rules_things_out():
    """Not vacuous: the superset of a pattern with a literal does not match text without it."""
    sup = _tree.superset(r"(?<![\w.])Read more(?=:)", 0)
    assert "Read\\x{20}more" in sup  # exact (letters and digits as themselves, the rest as \\x{...})
    # what the final lookahead needs after the match is needed too ("Read more" then ":")
    assert sup.endswith("(?:\\x{3a})")
    assert not _tree.superset(r"(?<![\w.])Read more(?=:)", 0, lookahead=False).endswith("(?:\\x{3a})")
    # a lookahead followed by consumed text is not after the match: dropped
    assert _tree.superset(r"ab(?=cd)c", 0) == "abc"
    assert _tree.superset(r"x?", 0) is None  # may match empty text: never gated


# -- the whole linter both ways ---------------------------------------------------------------------

def _check(paths, env_extra, cache_dir, cwd) -> str:
    """The JSON report of ``paths``, run in ``cwd`` (a folder of its own: its result store starts
    empty, so every file is linted, never replayed from an earlier run's store)."""
    env = dict(os.environ, COPYDESK_CACHE_DIR=str(cache_dir), **env_extra)
    cwd.mkdir(parents=True, exist_ok=True)
    r = subprocess.run([sys.executable, "-m", "lint", "check", "--format", "json", "--jobs", "1", *map(str, paths)],
                       cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode in (0, 1), r.stderr
    return r.stdout


def test_the_report_is_the_same_with_and_without_the_accelerators(tmp_path, warm_rule_cache, monkeypatch):
    """The fixture articles and a generated corpus (with the articles of bench/corpus.py and the
    odd characters above) through the CLI with both accelerators (the gate's database built by
    the first big run, and loaded by the next) and with COPYDESK_ACCEL=0: byte-identical JSON."""
    from corpus import generate

    corpus = tmp_path / "corpus"
    # with the 10 fixture articles and the 2 odd texts: 66 files, 2 more than a CLI run's
    # gate.BUILD_AT (64; tests/conftest.py raises it in test processes), each linted by the
    # three big runs below (was 72)
    generate(corpus, 54, seed=11)
    (corpus / "odd.txt").write_text(ODD * 3, encoding="utf-8")
    (corpus / "odd.md").write_text("# " + ODD.upper() + "\n\n" + ODD, encoding="utf-8")
    paths = [FIXTURES, corpus]
    cache = tmp_path / "cache"
    # the stored rule set of the warm cache, without the gate's database stored beside it: the
    # runs below load the rule set (not what is tested here: tests/test_rule_cache.py; a cold
    # build cost ~0.6 s of CPU) and build the database themselves (what is tested)
    cache.mkdir()
    for f in warm_rule_cache.glob("rules-*"):
        shutil.copy2(f, cache / f.name)
    assert list(cache.glob("rules-*")) and not list(cache.glob(f"{gate.PREFIX}*"))
    # a run of the 10 fixture articles does not build the database (fewer files than
    # gate.BUILD_AT: the build would cost more than it saves)
    _check([FIXTURES], {}, cache, tmp_path / "small")
    assert not list(cache.glob(f"{gate.PREFIX}*"))
    # at least gate.BUILD_AT files to lint, so this run builds the gate's database
    fast = _check(paths, {}, cache, tmp_path / "a")
    if hyperscan is not None:
        assert list(cache.glob(f"{gate.PREFIX}*")), "the gate's database was stored"
    fast_again = _check(paths, {}, cache, tmp_path / "b")  # loads both
    # the reference, both accelerators off (what COPYDESK_ACCEL=0 sets: lint.literals.ACCEL and
    # lint.regex.gate.ENABLED), runs in this process: its point is the plain path's report, not
    # a process of its own (~0.3 s of CPU saved), in a folder of its own (an empty result store)
    monkeypatch.setattr(literals, "ACCEL", False)
    monkeypatch.setattr(gate, "ENABLED", False)
    (tmp_path / "c").mkdir()
    monkeypatch.chdir(tmp_path / "c")
    code, plain = check_in_process("--format", "json", *map(str, paths))
    assert code == 1 and plain.count('"code"') > 50
    assert fast == fast_again == plain


@needs_hyperscan
def test_the_gate_skips_patterns_in_process(monkeypatch, tmp_path, built_gate):
    """In one process: the gate is used from the second document on, it does rule patterns out,
    and the findings are those of the plain path."""
    from corpus import generate
    from lint.runner import lint_source

    from lint.packs import load_rules

    rules = [r for r in load_rules().rules if r.meta.default_enabled]
    texts = [p.read_text(encoding="utf-8") for p in generate(tmp_path / "c", 30, seed=3)]
    said = {"no": 0, "yes": 0}
    real = gate.DocGate.may_match

    def counting(self, rx):
        ok = real(self, rx)
        said["yes" if ok else "no"] += 1
        return ok

    def run(on: bool):
        monkeypatch.setattr(gate, "ENABLED", on)
        return [[(d.code, d.start, d.end, d.message) for d in lint_source(t, f"a{i}.md", rules).diagnostics]
                for i, t in enumerate(texts)]

    monkeypatch.setattr(gate.DocGate, "may_match", counting)
    with_gate = run(True)
    assert said["no"] > 0
    assert with_gate == run(False)


def test_a_superset_is_written_short():
    """Letters and digits as themselves, runs of three or more code points as ranges, one
    character item repeated without a group, the usual quantifiers: the gate's length limit
    (lint.regex.gate.MAX_LENGTH) then measures a pattern, not its spelling."""
    sup = _tree.superset(r"[A-Za-z0-9_]+ x{2} [ab]? \d*", re.ASCII)
    assert sup == "[0-9A-Z\\x{5f}a-z]+\\x{20}x{2}\\x{20}[ab]?\\x{20}[0-9\\x{80}-\\x{10FFFF}]*", sup
    assert _tree.superset(r"(?:ab)+", 0) == "(?:ab)+"


@needs_hyperscan
def test_a_class_of_non_ascii_code_points_rules_out_other_non_ascii_text():
    """A case-sensitive class of code points and ranges is written as it is: CJK punctuation
    is not taken for any non-ASCII character (a curly quote, a dash)."""
    from lint.regex.gate import _flags

    sup = _tree.superset("[\uff0c\u3002\uff1a]", 0)
    assert sup == "[\\x{3002}\\x{ff0c}\\x{ff1a}]", sup
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=[sup.encode()], ids=[0], flags=[_flags()])
    hits = []
    db.scan("\u201cQuoted\u201d \u2014 caf\u00e9".encode(), match_event_handler=lambda *a: hits.append(a))
    assert not hits
    db.scan("\u4f60\u597d\u3002".encode(), match_event_handler=lambda *a: hits.append(a))
    assert hits


def test_a_superset_that_matches_any_prose_is_recognised():
    """lint.regex.gate.matches_prose: a run of letters, two words, a capital and fifteen more
    characters match any article's prose; a shape with a rare literal or punctuation does not.
    The \\x{...} escapes are read as code points (an escape above U+FFFF too)."""
    from lint.regex.gate import matches_prose

    assert matches_prose(_tree.superset(r"\w+", 0))
    assert matches_prose(_tree.superset(r"(?<!\w)[A-Z][^\n]{15,}", 0))
    assert not matches_prose(_tree.superset(r"Space to play or pause", re.IGNORECASE))
    assert not matches_prose(_tree.superset(r"\w+\. \.", 0))
    assert not matches_prose(_tree.superset(r"\d{4}", 0))
    assert not matches_prose("[\\x{1d400}-\\x{1d7ff}]+")  # mathematical letters: not in prose
    assert matches_prose("[a-z\\x{1d400}-\\x{1d7ff}]+")
    assert not matches_prose("(?P<unclosed")  # not readable: kept (the gate decides with Hyperscan)


@needs_hyperscan
def test_the_gate_leaves_out_what_matches_any_prose(tmp_path, monkeypatch):
    """A pattern whose superset matches any prose is not in the database (its rule runs as it
    would without a gate); the others are, and a document is still answered for them."""
    from lint import rulecache

    monkeypatch.setattr(rulecache, "cache_dir", lambda: tmp_path)
    patterns = [(r"\w+", 0), (r"Space to play or pause", int(re.IGNORECASE))]
    built = gate._build(patterns, True)
    assert built is not None and built.gated == [False, True]
    assert built.scan("Officials said: space to play or pause.") == {1}
    assert built.scan("Officials said the talks would resume.") == set()
