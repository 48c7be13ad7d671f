"""The fix loop's rounds: which round made which change, the user's report filters applied in
every round, and edit selection and invariant checks that stay linear in the number of findings
(the old algorithms, kept here as oracles, compared every edit with every other)."""
from __future__ import annotations

import json
import os
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lint import fixer
from lint.fixer import FixError, _overlaps, _select, check_invariants, fix_source, to_source
from lint.model import Applicability, Diagnostic, Edit, Fix, Severity


def _diag(code, start, end, edits, app=Applicability.SAFE):
    return Diagnostic(code=code, name=code.lower(), category="punctuation", severity=Severity.WARNING,
                      message="m", start=start, end=end, fix=Fix(tuple(edits), app, "t"))


class _Doc:
    def __init__(self, text):
        self.source, self.blocks = text, []


def test_a_finding_that_appears_only_after_a_fix_is_its_own_round():
    # round 1 deletes " ." in "fine. . Then"; only then is "STALE" next to a period
    def lint(text):
        diags = []
        i = text.find(" . ")
        if i >= 0:
            diags.append(_diag("SEG001", i, i + 2, [Edit(i, i + 2, "")]))
        j = text.find("fine. STALE")
        if i < 0 and j >= 0:
            k = j + len("fine. ")
            diags.append(_diag("UI004", k, k + 5, [Edit(k, k + 5, "")]))
        return _Doc(text), diags

    out = fix_source("It was fine. . STALE\n", lint)
    assert [[code for code, _ in r] for r in out.rounds] == [["SEG001"], ["UI004"]]
    assert out.passes == 2
    assert out.last is not None and out.last[1] == []  # the fixed text's lint, no third lint needed


def test_the_callers_filter_decides_what_each_round_may_fix():
    calls = []

    def lint(text):
        calls.append(text)
        i = text.find("XX")
        return _Doc(text), ([] if i < 0 else [_diag("SEG012", i, i + 1, [Edit(i, i + 1, "")])])

    out = fix_source("aXXb\n", lambda t: (lint(t)[0], []))  # a filter that reports nothing
    assert not out.changed and out.rounds == []
    out = fix_source("aXXb\n", lint)
    assert out.fixed == "aXb\n" and len(out.rounds) == 1


def _edits(draw_len, rng):
    """Sorted, non-overlapping edits over a text of ``draw_len`` characters."""
    edits, pos = [], 0
    while pos < draw_len:
        start = rng.randrange(pos, draw_len + 1)
        end = rng.randrange(start, min(draw_len, start + 5) + 1)
        content = rng.choice(["", "", "x", "yz"])
        if start == end and not content:
            content = "i"
        edits.append(Edit(start, end, content))
        pos = end + 1
        if rng.random() < 0.3:
            break
    return edits


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 3))
def test_to_source_places_unchanged_text_where_it_was(seed, n_rounds):
    rng = random.Random(seed)
    original = "".join(rng.choice("abcdefgh") for _ in range(rng.randrange(1, 40)))
    text, rounds, origin = original, [], list(range(len(original) + 1))  # origin of each position
    for _ in range(n_rounds):
        edits = _edits(len(text), rng)
        text = fixer.apply_edits(text, edits)
        new_origin, pos = [], 0
        old_origin = origin
        for e in edits:
            new_origin.extend(old_origin[pos:e.start])
            new_origin.extend([old_origin[e.start]] * len(e.content))
            pos = e.end
        new_origin.extend(old_origin[pos:])
        origin = new_origin
        rounds.append([("X", e) for e in edits])
    for offset, want in enumerate(origin):
        if offset < len(text):
            assert to_source(rounds, offset) == want, (original, rounds, offset)


def _select_quadratic(diags, minimum):
    """The selection before it was made linear: every edit against every edit taken."""
    taken = []
    for d in sorted(diags, key=lambda d: (d.start, d.end, d.code)):
        if d.fix is None or d.fix.applicability < minimum:
            continue
        if any(_overlaps(e, t) for e in d.fix.edits for _, t in taken):
            continue
        taken.extend((d, e) for e in d.fix.edits)
    return sorted(taken, key=lambda p: (p[1].start, p[1].end))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 4), st.sampled_from(["", "x"]),
                          st.booleans(), st.integers(0, 30), st.integers(0, 3)), max_size=25))
def test_selection_is_the_same_as_every_edit_against_every_edit(specs):
    diags = []
    for k, (start, length, content, two, start2, length2) in enumerate(specs):
        edits = [Edit(start, start + length, content if length or content else "i")]
        if two:
            second = Edit(start2, start2 + length2, "" if length2 else "j")
            if not _overlaps(edits[0], second):  # a fix's own edits never overlap (a malformed
                edits.append(second)  # one is skipped whole: see the test below)
        diags.append(_diag(f"C{k:03d}", min(e.start for e in edits), max(e.end for e in edits), edits))
    assert _select(diags, Applicability.SAFE) == _select_quadratic(diags, Applicability.SAFE)


def test_a_fix_whose_own_edits_overlap_is_skipped():
    bad = _diag("C001", 1, 4, [Edit(1, 4, ""), Edit(2, 2, "j")])
    good = _diag("C002", 6, 7, [Edit(6, 7, "")])
    assert [d.code for d, _ in _select([bad, good], Applicability.SAFE)] == ["C002"]


def _invariants_quadratic(source, applied):
    for name, rx in (("numbers", fixer._NUMBER), ("links", fixer._URL), ("quotations", fixer._QUOTE)):
        for m in rx.finditer(source):
            a, b = m.span()
            for code, e, app in applied:
                if app != Applicability.SAFE or e.end <= a or e.start >= b:
                    continue
                if e.start == e.end and e.start in (a, b):
                    continue
                if not e.content and e.start <= a and b <= e.end:
                    continue
                raise FixError(code)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_invariant_check_agrees_with_every_token_against_every_edit(seed):
    rng = random.Random(seed)
    source = "".join(rng.choice(["12", "3.5", " ", "a", "\"q\"", "www.x.com", ". ", "b"]) for _ in range(20))
    applied = [("C", e, rng.choice([Applicability.SAFE, Applicability.UNSAFE])) for e in _edits(len(source), rng)]
    try:
        _invariants_quadratic(source, applied)
        expected = None
    except FixError:
        expected = FixError
    if expected is None:
        check_invariants(source, applied)
    else:
        with pytest.raises(FixError):
            check_invariants(source, applied)


# -- the CLI: filters and the rounds line ------------------------------------------------------

def _run(args, cwd):
    """The command in this process (helpers.run), in ``cwd``: its exit code, stdout and stderr."""
    from types import SimpleNamespace

    from helpers import run

    before = os.getcwd()
    os.chdir(cwd)
    try:
        code, out, err = run(*args)
    finally:
        os.chdir(before)
    return SimpleNamespace(returncode=code, stdout=out, stderr=err)


def test_fix_says_which_round_made_which_change(tmp_path):
    (tmp_path / "a.txt").write_text("The vote was held on Monday. . It passed.\n\nShare this article\n\n"
                                    "More text here, said the clerk.\n")
    r = _run(["fix", "--no-cache", "a.txt"], tmp_path)
    assert "a.txt: fixed by round 1: SEG001, UI004" in r.stderr, r.stderr


def test_fix_leaves_what_the_baseline_accepts(tmp_path):
    """`check --baseline` hides a finding: `fix --baseline` must not change it either (it did)."""
    art = tmp_path / "a.txt"
    art.write_text("The vote was held on Monday. . It passed.\n\nThe mayor spoke.\n")
    r = _run(["check", "--no-cache", "--write-baseline", "base.json", "a.txt"], tmp_path)
    assert r.returncode == 0, r.stderr
    art.write_text(art.read_text() + "\nShare this article\n")
    r = _run(["fix", "--no-cache", "--baseline", "base.json", "a.txt"], tmp_path)
    assert art.read_text() == "The vote was held on Monday. . It passed.\n\nThe mayor spoke.\n", r.stderr


def test_fix_leaves_what_min_severity_hides(tmp_path):
    art = tmp_path / "a.txt"
    art.write_text("The vote was held on Monday. . It passed.\n")
    r = _run(["check", "--no-cache", "--format", "json", "a.txt"], tmp_path)
    sev = {d["severity"] for f in json.loads(r.stdout)["files"] for d in f["diagnostics"]}
    assert sev and "error" not in sev
    _run(["fix", "--no-cache", "--min-severity", "error", "a.txt"], tmp_path)
    assert art.read_text() == "The vote was held on Monday. . It passed.\n"
