"""lint.literals.doc_met answers set questions from the presence pass's ``found`` set with C
calls (a speed-up): it must answer as all_met (``in`` on the text) does, document after
document while the vocabulary is learned, with the accelerator on and off."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lint import literals

ALPHABET = "abcdeks ’—\u017f\u212a\n."
STRINGS = st.text(ALPHABET, min_size=1, max_size=4)
SETS = st.lists(st.frozensets(STRINGS, min_size=1, max_size=6), min_size=1, max_size=3).map(tuple)


@given(st.lists(st.tuples(st.text(ALPHABET, max_size=60), st.lists(SETS, max_size=8), st.lists(STRINGS, max_size=4)),
                min_size=1, max_size=8), st.booleans())
@settings(max_examples=300)
def test_doc_met_answers_as_all_met(docs, accel):
    saved = literals.VOCABULARY, literals.ACCEL
    literals.VOCABULARY, literals.ACCEL = literals._Vocabulary(), accel
    try:
        for text, questions, singles in docs:
            present = literals.Presence(text)
            for s in singles:  # single questions first: answers by `in` mixed with the pass's
                assert present[s] is (s in text)
            asked = [(frozenset([s]),) for s in singles] + [(frozenset(singles),)] * bool(singles)
            for sets in questions + asked + questions[::-1]:
                assert literals.doc_met(sets, present) is literals.all_met(sets, text), (text, sets)
    finally:
        literals.VOCABULARY, literals.ACCEL = saved


def test_a_string_answered_by_in_after_the_pass_counts_as_found(monkeypatch):
    """A string the pass did not know (learned only for the next document), found by ``in``:
    a set of it alone is met, though the pass answered every other string."""
    monkeypatch.setattr(literals, "VOCABULARY", literals._Vocabulary())
    monkeypatch.setattr(literals, "ACCEL", True)
    literals.Presence("read more")["read"]  # learned: the next document's pass knows it
    present = literals.Presence("read the news")
    assert present["read"] and present.found == {"read"}  # the pass
    assert present["news"]  # not learned: `in`
    assert literals.doc_met((frozenset({"news"}),), present)
    assert literals.doc_met((frozenset({"read"}), frozenset({"news", "more"})), present)
    assert not literals.doc_met((frozenset({"more"}),), present)


@given(st.lists(st.tuples(st.text(ALPHABET, max_size=60), st.lists(SETS, max_size=6)), min_size=1, max_size=6),
       st.booleans())
@settings(max_examples=300)
def test_doc_cut_answers_for_every_slice_as_the_whole_sets(docs, accel):
    """doc_cut: None exactly when doc_met is False; else, on any slice of the text (a block's
    folded text is a slice of the document's), all_met of the cut sets is all_met of the sets."""
    saved = literals.VOCABULARY, literals.ACCEL
    literals.VOCABULARY, literals.ACCEL = literals._Vocabulary(), accel
    try:
        for text, questions in docs:
            present = literals.Presence(text)
            for sets in questions:
                cut = literals.doc_cut(sets, present)
                assert (cut is not None) is literals.all_met(sets, text)
                if cut is None:
                    continue
                for a in range(0, len(text) + 1, 3):
                    for b in range(a, len(text) + 1, 5):
                        assert literals.all_met(cut, text[a:b]) is literals.all_met(sets, text[a:b])
    finally:
        literals.VOCABULARY, literals.ACCEL = saved
