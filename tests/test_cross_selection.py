"""lint.runner.has_cross_code: whether a file's rules include the cross-file rule, asked once per
selection of rules (a tuple shared by the files of a configuration) instead of once per file."""
from __future__ import annotations

from lint.runner import CROSS_CODE, has_cross_code


def test_has_cross_code_answers_as_the_membership_test_does():
    memo: dict = {}
    with_it = ("CAP001", "".join(["UI", "025"]), "SEG002")  # an equal string, not the constant itself
    without = ("CAP001", "SEG002")
    for _ in range(3):  # asked again: from the memo
        assert has_cross_code(with_it, memo) is True
        assert has_cross_code(without, memo) is False
        assert has_cross_code((), memo) is False
        assert has_cross_code((CROSS_CODE,), memo) is True
    # a memo entry belongs to its tuple: another tuple of the same id (the first one gone) is asked again
    stale = {id(without): (with_it, True)}
    assert has_cross_code(without, stale) is False
