"""Inside a quotation a safe fix becomes unsafe (a person checks a change to quoted words),
unless it changes only spacing: the quoted words and marks stay as they were."""
from lint.api import lint_text
from lint.model import Applicability


def _fixes(text, select):
    return [(d.code, d.fix.applicability) for d in lint_text(text, config={"select": select}).diagnostics if d.fix]


def test_a_deletion_of_a_mark_inside_a_quotation_is_unsafe():
    got = _fixes('She said: "The vote was close. . We will try again."\n', ["SEG001"])
    assert got == [("SEG001", Applicability.UNSAFE)]


def test_a_spacing_only_fix_inside_a_quotation_stays_safe():
    got = _fixes("The planet’ s future is at stake. “We will act now. ”\nThe talks resume today.\n", ["SEG015"])
    assert got == [("SEG015", Applicability.SAFE)]
