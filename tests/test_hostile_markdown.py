"""Issue 16 and 17, Markdown: containers nested hundreds of levels deep (lists by indentation,
block quotes, both) cost the parser a bounded amount of work per line. Past MAX_NESTING
containers the file is refused with one line ("nested too deeply"); markdown-it-py's own limit
(maxNesting, past which it silently drops the rest of the file) is above what MAX_NESTING
containers reach, so it never drops text from a file that is linted; a line's indentation is
measured by C string searches, not character by character.

No test here is timed: work is counted (calls of markdown-it-py's block and inline rules).
``bench/nested_lists.py`` prints wall times."""
from __future__ import annotations

import random

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lint.cli import main
from lint.document import parse
from lint.document import markdown as md

SHAPES = {
    "bullets": lambda n: "".join("  " * k + "- item %d\n" % k for k in range(n)),
    "ordered": lambda n: "".join("   " * k + "1. item\n" for k in range(n)),
    "tabs": lambda n: "".join("\t" * k + "- item\n" for k in range(n)),
    "lazy": lambda n: "".join("  " * k + "- item\nlazy text\n" for k in range(n)),
    "quotes": lambda n: ">" * n + " x\n",
    "quoted lists": lambda n: "".join("> " * k + "- item\n" for k in range(n)),
    "one line": lambda n: "- " * n + "x\n",
}


def _work(source: str, monkeypatch) -> tuple[int, str]:
    """(calls of markdown-it-py's block and inline rules, outcome) of parsing ``source``."""
    calls = [0]
    mdit = md.markdown_it()
    for ruler in (mdit.block.ruler, mdit.inline.ruler):
        for rule in ruler.__rules__:
            def counted(*args, _fn=rule.fn):
                calls[0] += 1
                return _fn(*args)

            monkeypatch.setattr(rule, "fn", counted)
        monkeypatch.setattr(ruler, "__cache__", None)
    try:
        parse(source, "x.md")
        outcome = "parsed"
    except RecursionError:
        outcome = "refused"
    finally:
        monkeypatch.undo()
        for ruler in (mdit.block.ruler, mdit.inline.ruler):
            ruler.__cache__ = None
    return calls[0], outcome


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_deep_nesting_costs_work_linear_in_the_lines(monkeypatch, shape):
    make = SHAPES[shape]
    work = {}
    for n in (1600, 3200):
        lines = max(1, make(n).count("\n"))
        work[n], outcome = _work(make(n), monkeypatch)
        assert outcome == "refused", (shape, n, outcome)
        # generous: a few dozen rule calls per line and level of nesting parsed
        assert work[n] <= 40 * lines * (md.MAX_NESTING + 1), (shape, n, work[n])
    # twice the levels: twice the lines, and (with the depth bounded) about twice the work
    assert work[3200] <= 2.5 * work[1600], (shape, work)


def test_the_work_per_line_does_not_grow_with_its_indentation(monkeypatch):
    """Under the limit too: 60 levels of list, each item with a continuation line indented 400
    columns (a paragraph's continuation inside the item: every enclosing level reads it)."""
    def doc(extra):
        return "".join("  " * k + "- item\n" + " " * (2 * k + 2 + extra) + "more\n" for k in range(60))

    w_narrow, o1 = _work(doc(0), monkeypatch)
    w_wide, o2 = _work(doc(400), monkeypatch)
    assert (o1, o2) == ("parsed", "parsed")
    assert [b.text for b in parse(doc(400), "x.md").blocks] == ["item more"] * 60
    assert w_wide <= 1.2 * w_narrow, (w_narrow, w_wide)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_the_nesting_limit(shape):
    make = SHAPES[shape]
    parse(make(md.MAX_NESTING), "x.md")  # at the limit: parsed
    with pytest.raises(RecursionError, match=f"more than {md.MAX_NESTING}"):
        parse(make(md.MAX_NESTING + 1), "x.md")


@pytest.mark.parametrize("shape, blocks", [("bullets", md.MAX_NESTING), ("quoted lists", md.MAX_NESTING),
                                           ("quotes", 1), ("one line", 1)])
def test_at_the_limit_no_text_is_dropped(shape, blocks):
    """markdown-it-py's maxNesting would skip the rest of the file without a word: at
    MAX_NESTING containers (its deepest paragraphs included) everything after is still read."""
    source = SHAPES[shape](md.MAX_NESTING) + "\n\nThe last paragraph.\n"
    texts = [b.text for b in parse(source, "x.md").blocks]
    assert texts[-1] == "The last paragraph."
    assert len(texts) == blocks + 1 and texts[-2] in ("x", "item", f"item {md.MAX_NESTING - 1}"), texts


def test_deep_inline_nesting_keeps_its_text():
    """Inline nesting past markdown-it-py's limit is read as text, never dropped."""
    for source in ("*" * 400 + "core" + "*" * 400, "[" * 400 + "core" + "](u)" * 400,
                   "_a " * 300 + "core" + " a_" * 300):
        texts = [b.text for b in parse(source + "\n", "x.md").blocks]
        assert any("core" in t for t in texts), source[:20]


def test_a_too_deep_list_is_one_error_and_the_run_goes_on(tmp_path):
    (tmp_path / "deep.md").write_text(SHAPES["bullets"](200), encoding="utf-8")
    (tmp_path / "ok.md").write_text("The harbour reopened. .\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-cache", str(tmp_path / "deep.md"), str(tmp_path / "ok.md")])
    assert result.exit_code == 2
    errors = [ln for ln in result.output.splitlines() if "deep.md" in ln]
    assert len(errors) == 1 and "nested too deeply" in errors[0], result.output
    assert "SEG001" in result.output  # the other file was linted


# -- the line markers found by string searches are markdown-it-py's own -------------------------

def _upstream_markers(src: str) -> tuple:
    from markdown_it.rules_block.state_block import StateBlock

    st_ = StateBlock(src, md.markdown_it(), {}, [])
    return st_.bMarks, st_.eMarks, st_.tShift, st_.sCount, st_.bsCount, st_.lineMax


def _our_markers(src: str) -> tuple:
    captured = []
    mdit = md.markdown_it()
    original = mdit.block.tokenize

    def capture(state, start, end):
        captured.append((list(state.bMarks), list(state.eMarks), list(state.tShift), list(state.sCount),
                         list(state.bsCount), state.lineMax))
        raise StopIteration

    mdit.block.tokenize = capture
    try:
        mdit.block.parse(src, mdit, {}, [])
    except StopIteration:
        pass
    finally:
        mdit.block.tokenize = original
    return captured[0] if captured else None


PIECES = [" ", "  ", "\t", "    ", " \t", "- ", "* ", "1. ", "10) ", "> ", ">", "text", "`` ` ``",
          "```", "\n", "\n", "\n\n", "<!-- c -->", "<div>", "# h", "---", "[a]: /u", "| a | b |",
          "|---|---|", " " * 70, "\t" * 17]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_the_line_markers_are_upstreams(source):
    if not source:
        return
    assert _our_markers(source) == _upstream_markers(source)


def test_the_line_markers_on_deep_random_documents():
    rnd = random.Random(16)
    for _ in range(40):
        lines = []
        for _k in range(rnd.randrange(1, 80)):
            lead = "".join(rnd.choice([" ", "  ", "\t", "> "]) for _ in range(rnd.randrange(0, 40)))
            lines.append(lead + rnd.choice(["- a", "1. b", "text", "", "    code", "> q"]))
        source = "\n".join(lines) + rnd.choice(["\n", "", "  ", "\t\n "])
        assert _our_markers(source) == _upstream_markers(source)


# -- the parser's own patterns --------------------------------------------------------------------

def _guarded(seconds: int):
    """A hang turned into a failure (a guard, not a timing: these take milliseconds)."""
    import signal

    def expired(signum, frame):
        raise AssertionError("hung")

    signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)


@pytest.mark.parametrize("n", [40, 2000])
def test_a_line_of_many_comments_then_text_is_read_at_once(n):
    import signal

    source = "<!-- a -->" * n + " The harbour reopened. .\n"
    _guarded(60)
    try:
        doc = parse(source, "x.md")
    finally:
        signal.alarm(0)
    assert [b.text for b in doc.blocks] == ["The harbour reopened. ."]


def test_a_comment_ends_at_its_first_close():
    # "<!-- a --> b -->": text after the comment, not one long comment
    doc = parse("<!-- a --> b -->\n\nNext.\n", "x.md")
    assert [b.text for b in doc.blocks][0].startswith("b")


@pytest.mark.parametrize("line", ["<a" + " x=1" * 2000 + " !", "<a" + " x" * 2000 + " !",
                                  "<a@" + "bbbbbbbbbbbb." * 1000 + "!"])
def test_crafted_tags_and_addresses_are_read_at_once(line):
    import signal

    _guarded(60)
    try:
        parse(line + "\n", "x.md")
    finally:
        signal.alarm(0)
