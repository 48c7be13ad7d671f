"""``<![`` that does not open a known marked section made the stdlib HTML parser raise
AssertionError (after moving its position), which crashed the file as an internal error."""
import pytest

from lint.api import lint_text
from lint.document.html import _scan


@pytest.mark.parametrize("source", [
    "<p>a</p></div><![^1]: x\n",
    "a <![ b\n",
    "a <![ b > c\n",
    "<![foo[ x ]]> y\n",
    "x<![\n",
])
def test_odd_marked_sections_scan_inside_the_source(source):
    events = _scan(source, 0, len(source))
    assert events
    for _, _, s, e in events:
        assert 0 <= s <= e <= len(source)
    assert events[-1][3] == len(source)


def test_a_bogus_marked_section_is_markup_not_a_crash():
    result = lint_text("<p>Prices rose.</p>\n<![^1]: x\n\n<p>Source link</p>\n", format="html")
    assert result.error is None
    assert any(d.code == "FOOT001" for d in result.diagnostics)


def test_a_bogus_marked_section_in_markdown_prose_is_no_crash():
    result = lint_text("Prices rose. <![^1]: x\n\nSource link\n", format="markdown")
    assert result.error is None
    assert any(d.code == "FOOT001" for d in result.diagnostics)
