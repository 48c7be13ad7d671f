"""Issue 16, Markdown: containers nested hundreds of levels deep (lists by indentation, block
quotes, both) cost the parser a bounded amount of work per line. Past MAX_NESTING containers the
file is refused with one line ("nested too deeply"), and that refusal comes before the lines are
re-read at every level; below it, a line's indentation is never read character by character
at every level (a line nested 3,200 levels deep is 6,400 columns wide).

No test here is timed: work is counted (characters read one by one from the source, and calls
of the per-line helpers). ``bench/nested_lists.py`` prints wall times."""
from __future__ import annotations

import random

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lint.cli import main
from lint.document import Document, parse
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


class _Counted(str):
    """The source, counting what the parser reads from it one index (or slice) at a time."""

    reads = 0
    budget = None

    def __getitem__(self, key):
        cls = type(self)
        cls.reads += 1
        if cls.budget is not None and cls.reads > cls.budget:
            raise _OverBudget
        return str.__getitem__(self, key)


class _OverBudget(Exception):
    pass


def _work(source: str, monkeypatch, budget: int | None = None) -> tuple[int, str]:
    """(characters and slices read + per-line helper calls, outcome) of parsing ``source``."""
    calls = [0]
    for name in ("indent", "deindent", "blank", "track", "interrupts"):
        original = getattr(md._Parser, name)

        def counted(self, *args, _original=original):
            calls[0] += 1
            return _original(self, *args)

        monkeypatch.setattr(md._Parser, name, counted)
    _Counted.reads, _Counted.budget = 0, budget
    doc = Document(path="x.md", source=_Counted(source), format="markdown")
    try:
        md.parse_markdown(doc)
        outcome = "parsed"
    except RecursionError:
        outcome = "refused"
    except _OverBudget:
        outcome = "over budget"
    finally:
        _Counted.budget = None
        monkeypatch.undo()
    return _Counted.reads + calls[0], outcome


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_deep_nesting_costs_work_linear_in_the_lines(monkeypatch, shape):
    make = SHAPES[shape]
    lines = {n: max(1, make(n).count("\n")) for n in (1600, 3200)}
    # generous: a few dozen operations per line and level of nesting the parser goes through
    budget = {n: 40 * lines[n] * (md.MAX_NESTING + 1) for n in lines}
    work = {}
    for n in (1600, 3200):
        work[n], outcome = _work(make(n), monkeypatch, budget[n])
        assert outcome == "refused", (shape, n, outcome)
    # twice the levels: twice the lines, and (with the depth bounded) about twice the work; the
    # parser before issue 16 did 4-8 times the work for twice the levels
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


def test_a_too_deep_list_is_one_error_and_the_run_goes_on(tmp_path):
    (tmp_path / "deep.md").write_text(SHAPES["bullets"](200), encoding="utf-8")
    (tmp_path / "ok.md").write_text("The harbour reopened. .\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-cache", str(tmp_path / "deep.md"), str(tmp_path / "ok.md")])
    assert result.exit_code == 2
    errors = [ln for ln in result.output.splitlines() if "deep.md" in ln]
    assert len(errors) == 1 and "nested too deeply" in errors[0], result.output
    assert "SEG001" in result.output  # the other file was linted


# -- the shortcuts read the same columns as the character loop they replace --------------------

def _indent(src, ln):
    col, i = 0, ln.s
    while i < ln.e and src[i] in " \t":
        col = col + 4 - col % 4 if src[i] == "\t" else col + 1
        i += 1
    return col, i


def _deindent(src, ln, width):
    col, i = 0, ln.s
    while i < ln.e and col < width and src[i] in " \t":
        col = col + 4 - col % 4 if src[i] == "\t" else col + 1
        i += 1
    return i


class _Checked(md._Parser):
    def indent(self, ln):
        got, want = super().indent(ln), _indent(self.src, ln)
        assert got[1] == want[1] and (got[0] == want[0] or min(got[0], want[0]) >= md._WIDE), (ln, got, want)
        return got

    def deindent(self, ln, width):
        got = super().deindent(ln, width)
        assert got.s == _deindent(self.src, ln, width), (ln, width)
        return got

    def blank(self, ln):
        got = super().blank(ln)
        assert got == (not self.src[ln.s:ln.e].strip(" \t")), ln
        return got


PIECES = [" ", "  ", "\t", "    ", " \t", "- ", "* ", "1. ", "10) ", "> ", ">", "text", "`` ` ``",
          "```", "\n", "\n", "\n\n", "<!-- c -->", "<div>", "# h", "---", "[a]: /u", "| a | b |",
          "|---|---|", " " * 70, "\t" * 17]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_the_shortcuts_read_what_the_loops_read(monkeypatch, source):
    monkeypatch.setattr(md, "_Parser", _Checked)
    try:
        parse(source, "x.md")
    except RecursionError:
        pass


def test_the_shortcuts_on_deep_random_documents(monkeypatch):
    monkeypatch.setattr(md, "_Parser", _Checked)
    rnd = random.Random(16)
    for _ in range(40):
        lines = []
        for _k in range(rnd.randrange(1, 80)):
            lead = "".join(rnd.choice([" ", "  ", "\t", "> "]) for _ in range(rnd.randrange(0, 40)))
            lines.append(lead + rnd.choice(["- a", "1. b", "text", "", "    code", "> q"]))
        try:
            parse("\n".join(lines) + "\n", "x.md")
        except RecursionError:
            pass


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
