"""The phrase kind's template compiler and its prefilter agree with each other."""
import re

import pytest

from lint.kinds.phrase import _WORDS, compile_template, trigger_words

INFL = {"come": ["come", "comes", "came", "coming"], "fact": ["fact", "facts"]}


@pytest.mark.parametrize("template, sentence", [
    ("a well-known <fact>", "It is a well-known fact that rivers flood."),
    ("don't <come> back", "They said don't come back tomorrow."),
    ("in_moderation <come>", "Speaking in moderation came easily."),
])
def test_prefilter_words_occur_in_every_sentence_the_template_matches(template, sentence):
    assert re.search(compile_template(template, INFL), sentence, re.IGNORECASE)
    words = {w.replace("’", "'") for w in _WORDS.findall(sentence.lower())}
    assert trigger_words(template, INFL) & words


def test_optional_gap_is_rejected_with_the_spelling_to_use():
    with pytest.raises(ValueError, match=r"\*1"):
        compile_template("come *? halt", INFL)


def test_bounded_gap_allows_zero_words():
    rx = re.compile(compile_template("come *1 halt", INFL))
    assert rx.search("come halt") and rx.search("come to halt") and not rx.search("come to a halt")
