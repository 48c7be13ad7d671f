"""The phrase kind's document and block filter (lint.kinds.phrase._needs) never hides a match:
every text a template matches holds one string of each of the template's sets."""
import re

import pytest

from lint import literals
from lint.kinds.phrase import _needs, _possible, compile_template

INFL = {"come": ["come", "comes", "came", "coming"], "fact": ["fact", "facts"], "say": ["say", "says", "said"]}


@pytest.mark.parametrize("template, sentence", [
    ("a well-known <fact>", "It is a WELL-KNOWN FACT that rivers flood."),
    ("don't <come> back", "They said don’t come back tomorrow."),
    ("in_moderation <come>", "Speaking in\nmoderation came easily."),
    ("how can I <say> in? moderation|mildly", "How can I say mildly, it failed."),
    ("storm * glass", "a storm in glass"),
    ("*1 café <say>", "the café said"),  # a non-ASCII form constrains nothing
])
def test_a_matched_text_meets_its_templates_needs(template, sentence):
    assert re.search(compile_template(template, INFL), sentence, re.IGNORECASE)
    folded = literals.fold(sentence)
    assert _possible(_needs([template], INFL), folded.__contains__)
    from lint.document import parse

    assert _possible(_needs([template], INFL), parse(sentence, "x.txt", "text").words.__contains__)


def test_a_text_missing_a_required_word_is_ruled_out():
    needs = _needs(["<come> to a halt before"], INFL)
    assert not _possible(needs, "they came to a halt after".__contains__)
    assert _possible(needs, "they came to a halt before".__contains__)
    # the document-level test asks the document's words (Document.words): the same answer
    from lint.document import parse

    for text, expected in (("They came to a halt after.", False), ("They came to a halt before.", True)):
        words = parse(text, "x.txt", "text").words
        assert _possible(needs, words.__contains__) is expected
    # optional tokens and gaps require nothing
    assert _needs(["*2 halt? *1"], INFL) == ((),)


def test_every_builtin_phrase_entry_passes_its_own_fail_sentences():
    import lint
    from lint.document import parse

    phrase = [r.impl for r in lint.Linter().rules() if type(r.impl).__name__ == "Phrase"]
    assert phrase
    for impl in phrase:
        for entry, needs in zip(impl.entries, impl.entry_needs):
            for sentence, _spans in entry["fail"]:
                plain = sentence.replace("⟦", "").replace("⟧", "")
                assert _possible(needs, literals.fold(plain).__contains__), (impl.meta.code, entry["idiom"], plain)
                assert _possible(needs, parse(plain, "x.txt", "text").words.__contains__), (impl.meta.code, plain)
