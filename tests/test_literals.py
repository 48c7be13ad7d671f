"""Literal prefilters (lint.literals): the promise they make, and that results never change."""
from __future__ import annotations

import functools
import random
import re
import sys
from pathlib import Path

import pytest

from lint import literals
from lint.literals import all_met, fold, required, requirements
from lint.packs import load_rules
from lint.runner import lint_source

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules().rules


def test_runs_sequences_branches_and_lookarounds():
    assert required(r"(?i)\bsubscribe to\b") == {"subscribe to"}
    assert requirements(r"(?:Play|Watch) the video.{0,9}\d+") == (frozenset({" the video"}),
                                                                    frozenset({"play", "watch"}))
    assert required(r"x(?=.*\bnewsletter\b)") == {"newsletter"}
    assert required(r"foo(?!bar)") == {"foo"}  # a negative lookahead promises nothing
    assert required(r"(?:foo)?\d+") is None  # optional: nothing is required
    assert required(r"\d+|ab") is None  # one branch without a literal spoils the set
    assert required(r"(?:ab|cd){2,}") == {"ab", "cd"}
    assert required(r"(?:ab|cd)*") is None
    assert required(r"©\s*20\d\d") in ({"©"}, {"20"})
    assert required(r"[") is None  # unparsable: no promise


@functools.cache
def _every_code_point() -> str:
    """Every code point once, in order (the two tests below share it)."""
    return "".join(map(chr, range(sys.maxunicode + 1)))


def test_fold_knows_every_character_ignorecase_equates_with_an_ascii_letter():
    # one search over every code point from U+0080 on (a class of single characters: finditer
    # finds each character fullmatch accepts), then the few it finds one by one
    letter = re.compile(r"(?i)[a-z]")
    found = 0
    for m in letter.finditer(_every_code_point(), 128):
        ch = m.group()
        matched = [a for a in "abcdefghijklmnopqrstuvwxyz" if re.fullmatch("(?i)" + a, ch)]
        assert fold(ch) in matched, (hex(ord(ch)), fold(ch), matched)
        found += 1
    assert found >= 4  # the Kelvin sign, the long s, the dotted and dotless i at least


def test_caseless_symbols_fold_to_themselves_and_nothing_folds_onto_them():
    # every code point at once (one class of single characters: findall finds each character
    # it matches; fold maps character by character, str.lower too but for the Greek final
    # sigma, which is not a caseless symbol), and character by character where a check fails
    symbols = re.compile("(?i)[" + re.escape("".join(literals.CASELESS)) + "]")
    every = _every_code_point()
    assert set(symbols.findall(every)) <= literals.CASELESS, \
        sorted(hex(ord(c)) for c in set(symbols.findall(every)) - literals.CASELESS)
    assert not {"\u03c3", "\u03c2"} & literals.CASELESS
    others = every.translate(dict.fromkeys(map(ord, literals.CASELESS)))  # every code point but the symbols
    assert len(others) == len(every) - len(literals.CASELESS)
    folded = fold(others)
    if any(c in folded for c in literals.CASELESS):  # a substring test per symbol, in C
        assert [hex(ord(c)) for c in others if set(fold(c)) & literals.CASELESS] == []
    assert all(fold(c) == c for c in literals.CASELESS)


def test_ignorecase_matches_through_special_letters_are_kept():
    text = "SUBSCR\u0130BE to the KEY list"  # dotted capital I; the Kelvin sign below
    assert re.search(r"(?i)subscribe", text)
    assert all_met(requirements(r"(?i)subscribe"), fold(text))
    assert all_met(requirements(r"(?i)key"), fold("the \u212aEY list"))


def _texts():
    for path in sorted((ROOT / "fixtures").rglob("*")):
        if path.suffix in (".txt", ".md", ".html"):
            yield path.read_text(encoding="utf-8")
    for rule in RULES:
        for ex in rule.meta.fail + rule.meta.passes + rule.meta.fixes:
            yield ex.text
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from corpus import article
    finally:
        sys.path.pop(0)
    rng = random.Random(7)
    # eight: every pattern that matches in 40 matches in the rest too but one (UI003), and the
    # eleven patterns that match in a dozen of them match in these eight (six: ten of them);
    # the articles' long paragraphs cost the most in the tests below (a leading lookahead that
    # reads to the end of the line makes a search quadratic in the line's length)
    for i in range(8):
        yield article(rng, i % 2 == 0)


TEXTS = list(_texts())
#: every line of TEXTS once (a text without a line break is its own line), and its fold
LINES = list(dict.fromkeys(line for text in TEXTS for line in (text.splitlines() or [text])))
FOLDED = [fold(line) for line in LINES]


def _regexes():
    for rule in RULES:
        impl = rule.impl
        for rx in list(getattr(impl, "regexes", [])) + [p for p, _ in getattr(impl, "filtered", [])]:
            if requirements(rx.pattern, rx.flags):  # the others promise nothing: always run
                yield rule.meta.code, rx


#: a guard on the rest of the line, (?!.*\b(?:said|says|...)\b), as eight FOOT and UI patterns
#: start (and FOOT006 has after two optional words): searched for, it reads to the end of the
#: line from every position
_GUARD = re.compile(r"\(\?!\.\*\\b\(\?:[\w|]+\)\\b\)")
_QUANTIFIER = re.compile(r"(?:[*+?]|\{\d*(?:,\d*)?\})[?+]?")
_GROUP_KIND = re.compile(r"\((?:\?(?:[:=!>]|<[=!]|P<\w+>|[aiLmsux]*(?:-[imsx]+)?:))?")
_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


def _atom_end(p: str, i: int) -> int | None:
    """Where the item at ``p[i]`` (an escape, a class, a group, another character) ends, before
    its quantifier; None at the end of a branch, or where it cannot be told (a condition, a
    comment, a back reference by name: the caller then loosens nothing)."""
    n = len(p)
    if i >= n or p[i] in "|)*+?{":
        return None
    if p[i] == "\\":
        return i + 2 if i + 1 < n else None
    if p[i] == "[":
        j = i + 1
        if j < n and p[j] == "^":
            j += 1
        if j < n and p[j] == "]":
            j += 1
        while j < n and p[j] != "]":
            j += 2 if p[j] == "\\" else 1
        return j + 1 if j < n else None
    if p[i] == "(":
        m = _GROUP_KIND.match(p, i)
        if m.end() == i + 1 and p.startswith("(?", i):
            return None
        j = m.end()
        while j < n and p[j] != ")":
            j = j + 1 if p[j] == "|" else _item_end(p, j)
            if j is None:
                return None
        return j + 1 if j < n else None
    return i + 1


def _item_end(p: str, i: int) -> int | None:
    """Where the item at ``p[i]`` ends, with its quantifier (if any)."""
    j = _atom_end(p, i)
    if j is None:
        return None
    m = _QUANTIFIER.match(p, j)
    return m.end() if m else j


def _branches(p: str, i: int = 0, end: int | None = None) -> list[list[str]] | None:
    """The branches (``|``) of ``p[i:end]``, each the list of its items' text, or None."""
    end = len(p) if end is None else end
    branches, items = [], []
    while i < end:
        if p[i] == "|":
            branches.append(items)
            items, i = [], i + 1
            continue
        j = _item_end(p, i)
        if j is None or j > end:
            return None
        items.append(p[i:j])
        i = j
    branches.append(items)
    return branches


def _wide(item: str) -> bool:
    """An item that may start almost anywhere: a lookaround, a quantified item, a class, the
    wildcard, or a group one of whose branches starts with one."""
    if item.startswith(("(?=", "(?!", "(?<=", "(?<!")) or _atom_end(item, 0) != len(item) or item[0] in "[.":
        return True
    if item[0] != "(":
        return False
    inner = _branches(item, _GROUP_KIND.match(item).end(), len(item) - 1)
    return inner is not None and any(b and _wide(b[0]) for b in inner)


def _without_groups(item: str, flags: int) -> bool:
    try:
        return re.compile(item, flags).groups == 0
    except re.error:  # a back reference, say: kept
        return False


def _loosened(rx):
    """A pattern that matches wherever ``rx`` does (None: none found that differs), searched in
    about linear time where ``rx`` takes quadratic or worse: in each top-level branch, the
    guards (_GUARD) are taken out, and the wide items it starts with (_wide, none of them
    holding a group) are dropped, down to the first one that is not wide (at least one item
    stays). A zero-width assertion of a top-level sequence only rules matches out; and a match
    of the whole branch holds a match of what follows its first items, where their text ends,
    with the same text around it (lookbehinds see it too). So a line where the loosened pattern
    finds nothing holds no match of ``rx`` either. (Each dropped item is a whole item at the top
    level of a branch: atomic groups and possessive quantifiers in the rest match as before.)"""
    p = rx.pattern
    if rx.flags & re.VERBOSE:
        return None
    head = m.group() if (m := _GLOBAL_FLAGS.match(p)) else ""
    branches = _branches(p, len(head))
    if branches is None:
        return None
    out = []
    for items in branches:
        kept = [it for it in items if not (_GUARD.fullmatch(it) and _without_groups(it, rx.flags))]
        k = 0
        while k < len(kept) - 1 and _wide(kept[k]) and _without_groups(kept[k], rx.flags):
            k += 1
        out.append("".join(kept[k:]) if kept[k:] else "".join(items))
    loose = head + "|".join(out)
    if loose == p:
        return None
    try:
        return re.compile(loose, rx.flags)
    except re.error:
        return None


def test_the_guard_is_recognised_and_dropping_it_loosens_the_pattern():
    rx = re.compile(r"(?!.*\b(?:said|says)\b).{0,20}\bmay earn\b", re.IGNORECASE)
    loose = _loosened(rx)  # the guard and the wide start dropped
    assert loose is not None and loose.pattern == r"\bmay earn\b" and loose.flags == rx.flags
    line = "We may earn a share, the firm said."
    assert loose.search(line) and not rx.search(line)  # looser, never stricter
    # a guard after two optional words (FOOT006's shape), in each branch
    assert _loosened(re.compile(r"(?:please )?(?:help )?(?!.*\b(?:said)\b)support (?:us|it)|"
                                r"x[a-z]{0,9}(?!.*\b(?:told)\b)y")).pattern == r"support (?:us|it)|x[a-z]{0,9}y"
    assert _loosened(re.compile(r"(?i)[\w.'’ -]{1,40}?(?:we|i|[a-z]{1,4}) may (earn)")).pattern == r"(?i) may (earn)"
    # nothing to drop: a literal start, a lookahead that is not the guard, a group, a condition
    assert _loosened(re.compile(r"(?:if|when)(?!.*\bsaid\b) you")) is None
    assert _loosened(re.compile(r"(\w+) \1 again")) is None
    assert _loosened(re.compile(r"(x)?(?(1)a|b)c")) is None
    assert _loosened(re.compile(r"[a-z]+")) is None  # at least one item stays
    # the shapes the test below depends on: the guard is still how these patterns start ...
    guarded = [rx for _, rx in _regexes() if _GUARD.match(rx.pattern)]
    assert len(guarded) >= 8, "the guard the test speeds up is no longer how these patterns start"
    # ... and on every rule's examples, wherever a built-in pattern matches, its loosened form does
    texts = {r.meta.code: [ex.text for ex in r.meta.fail + r.meta.passes + r.meta.fixes] for r in RULES}
    loosened = matched = 0
    for code, rx in _regexes():
        loose = _loosened(rx)
        if loose is None:
            continue
        loosened += 1
        for text in texts[code]:
            for line in text.splitlines() or [text]:
                if rx.search(line):
                    matched += 1
                    assert loose.search(line), (code, rx.pattern, loose.pattern, line)
    assert loosened >= 40 and matched >= 40


@pytest.mark.parametrize("code,rx", list(_regexes()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_match_meets_the_patterns_requirements(code, rx):
    """The promise, on every built-in pattern: a text with a match meets every set. Put the
    other way round (the same promise), a line that does not meet them has no match: only
    those lines are searched (most of them; a line that meets the sets cannot break it). A
    pattern is searched only where its loosened form (_loosened: guards and wide first items
    dropped) finds a match."""
    sets = requirements(rx.pattern, rx.flags)
    loose = _loosened(rx)
    for line, folded in zip(LINES, FOLDED):
        if not all_met(sets, folded):
            if loose is not None and not loose.search(line):
                continue  # no match of the looser pattern: none of rx
            assert not rx.search(line), (code, line[:120])


def _prefiltered():
    from lint.kinds.pattern import Pattern

    return [(r.meta.code, r.impl) for r in RULES if isinstance(r.impl, Pattern) and r.impl.prefilter is not None]


PREFILTERED = _prefiltered()


@pytest.mark.parametrize("code,impl", PREFILTERED, ids=[c for c, _ in PREFILTERED])
def test_every_match_meets_the_rules_prefilter(code, impl):
    """A ``prefilter`` may only skip text where no pattern matches: on every text with a match
    (fixtures, every rule's examples, generated articles, and the rule's own fail examples in
    upper and lower case) the prefilter matches too."""
    texts = TEXTS + [t for ex in next(r for r in RULES if r.meta.code == code).meta.fail
                     for t in (ex.text, ex.text.upper(), ex.text.lower())]
    hits = 0
    for text in texts:
        for line in text.splitlines() or [text]:
            if any(rx.search(line) for rx in impl.regexes):
                hits += 1
                assert impl.prefilter.search(line), (code, line[:120])
    assert hits, f"{code}: no example text matches, so the promise was not tested"


def test_the_prefilter_skips_a_rule_on_text_without_its_characters():
    from lint.document import parse
    from lint.kinds.pattern import Pattern
    from lint.linter import lint_document

    rule = next(r for r in RULES if r.meta.code == "LANG001")
    assert type(rule.impl) is Pattern and rule.impl.prefilter is not None
    doc = parse("A pаypal scam with a Cyrillic a.\n", "x.txt", "text")
    assert lint_document(doc, [rule])  # found ...
    calls = []
    real, real_view = rule.impl.active, rule.impl.active_view  # block by block / joined (lint.kinds.joined)
    rule.impl.active = lambda d: calls.append(1) or real(d)
    rule.impl.active_view = lambda d: calls.append(1) or real_view(d)
    try:
        assert not lint_document(parse("Plain English prose only.\n", "x.txt", "text"), [rule])
        assert not calls  # ... and on prose without the characters the patterns were not tried
        lint_document(doc, [rule])
        assert calls
    finally:
        del rule.impl.active, rule.impl.active_view


def findings(path: str) -> list[list[tuple]]:
    """Every finding (code, span, message, severity, fix) of every text of TEXTS (the rules'
    short examples ten to a document: helpers.bundled) linted as a document named ``path``,
    under the settings of the moment."""
    from helpers import bundled

    return [[(d.code, d.start, d.end, d.message, str(d.severity), d.fix and d.fix.to_json())
             for d in lint_source(text, path, RULES).diagnostics] for text in bundled(TEXTS)]


@functools.cache
def default_findings(path: str) -> list[list[tuple]]:
    """:func:`findings` with every accelerator at its default (literal filters and joined runs
    on), computed once per process: the reference each accelerator's test compares its
    switched-off run against (here and in tests/test_joined.py). Nothing may change it."""
    from lint.kinds import joined

    assert literals.ENABLED and joined.ENABLED, "the reference is the default settings' report"
    return findings(path)


def test_filters_never_change_a_result(monkeypatch):
    with_filters = [default_findings(path) for path in ("a.txt", "a.md")]
    monkeypatch.setattr(literals, "ENABLED", False)
    assert [findings(path) for path in ("a.txt", "a.md")] == with_filters
    assert sum(len(f) for by_path in with_filters for f in by_path) > 100  # the texts exercise the rules


def test_a_big_run_keeps_no_text_of_clean_files(tmp_path):
    """Memory: iter_many drops a clean file's text when asked; a file with findings keeps it
    (reports place and show findings with it), and the JSON report is the same either way."""
    from lint.reporters import chunks
    from lint.reporters.json import render
    from lint.runner import iter_many

    clean = tmp_path / "clean.txt"
    clean.write_text("The council met on Monday and approved the budget.\n", encoding="utf-8")
    dirty = tmp_path / "dirty.txt"
    dirty.write_text("The council met on Monday. . It approved the budget.\n\nSource link\n", encoding="utf-8")
    by_code = {r.meta.code: r for r in RULES}
    codes = tuple(r.meta.code for r in RULES if r.meta.default_enabled)
    tasks = [(str(p), codes, {}, "t") for p in (clean, dirty)]
    kept = list(iter_many(tasks, by_code))
    slim = list(iter_many(tasks, by_code, keep_clean_text=False))
    assert kept[0].source and not kept[0].diagnostics
    assert slim[0].source == "" and slim[1].source == kept[1].source and slim[1].diagnostics
    assert render(slim) == render(kept) == "".join(chunks("json")(kept))


def test_a_list_written_as_a_prefix_tree_matches_as_the_flat_alternation():
    """Kind.expand writes a {{list}} as a prefix tree (lint.kinds.base.alternation); on random
    text, with and without ignorecase, it finds exactly what the flat longest-first
    alternation finds, and it falls back to the flat one when entries differ only in case."""
    import random
    import re

    from lint.kinds.base import alternation, phrase_regex

    rng = random.Random(7)
    lists = [
        ["organise", "organize", "organisation", "real", "realise", "bcd", "bc", "b", "x y", "zz"],
        ["don't miss", "don’t", "do", "editor's picks", "editors' picks", "edit", "e-mail", "email", "em"],
        ["AP", "Apple", "apx", "AFP", "afpx", "Reuters", "reuter", "REU", "R", "r"],
    ]
    for entries in lists:
        entries = sorted(entries, key=len, reverse=True)
        flat = "(?:" + "|".join(phrase_regex(e) for e in entries) + ")"
        tree = alternation(entries)
        alphabet = "".join(sorted(set("".join(entries).lower() + "".join(entries)))) + "  '’]"
        for flags in (0, re.IGNORECASE):
            a, b = re.compile(flat, flags), re.compile(tree, flags)
            for _ in range(3000):
                text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
                assert [m.span() for m in a.finditer(text)] == [m.span() for m in b.finditer(text)], (entries, text)
    assert alternation(sorted(lists[2], key=len, reverse=True)) == \
        "(?:" + "|".join(phrase_regex(e) for e in sorted(lists[2], key=len, reverse=True)) + ")"
    assert alternation(sorted(lists[0], key=len, reverse=True)).startswith("(?:(?:organi(?:s")  # a tree


def test_a_list_entry_with_an_apostrophe_matches_either_apostrophe():
    """phrase_regex once wrote "don't" as don['['’]]t (a class inside a class), which needs a
    "]" after the apostrophe: such entries never matched in a {{list}} pattern."""
    import re

    from lint.kinds.base import alternation, phrase_regex

    for rx in (phrase_regex("don't miss"), phrase_regex("don’t miss"), alternation(["don't miss"] * 8)):
        assert re.fullmatch(rx, "don't miss") and re.fullmatch(rx, "don’t  miss"), rx
        assert not re.fullmatch(rx, "don']t miss")


def test_every_lexicon_line_is_found_with_the_word_filter(monkeypatch):
    """standalone's lexicon filter (a document none of whose words is an entry's longest run
    compares no sentence) never hides an entry, whatever its case."""
    from lint.kinds.standalone import Standalone

    prose = "The council met on Monday and approved the budget for the coming year after a long debate.\n\n"
    checked = 0
    for rule in load_rules().rules:
        if not isinstance(rule.impl, Standalone):
            continue
        for entry in sorted(rule.impl.lexicon)[:40]:
            text = prose + entry.title() + "\n"
            found = [d for d in lint_source(text, "a.txt", [rule]).diagnostics]
            monkeypatch.setattr(literals, "ENABLED", False)
            unfiltered = [d for d in lint_source(text, "a.txt", [rule]).diagnostics]
            monkeypatch.setattr(literals, "ENABLED", True)
            assert [(d.start, d.end) for d in found] == [(d.start, d.end) for d in unfiltered], (rule.meta.code, entry)
            checked += bool(found)
    assert checked > 300


def test_presence_answers_as_substring_tests_do():
    from lint.literals import Presence, doc_met

    text = fold("Subscribe to our newsletter © 2020 Harbour News")
    present = Presence(text)
    for s in ("subscribe to", "newsletter", "©", "unsubscribe", "harbour", "2021"):
        assert present[s] is (s in text)
        assert present[s] is (s in text)  # the second answer comes from the memo
    sets = (frozenset({"newsletter", "podcast"}), frozenset({"©", "copyright"}))
    assert doc_met(sets, Presence(text)) is all_met(sets, text) is True
    sets = (frozenset({"newsletter"}), frozenset({"podcast", "video"}))
    assert doc_met(sets, Presence(text)) is all_met(sets, text) is False
