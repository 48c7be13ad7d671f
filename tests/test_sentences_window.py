"""lint.document.sentences looks for the word before a period in a window first (a speed-up):
the spans must be those of the plain search from the sentence's start, on any text."""
import random
import re

from lint.document import sentences as S

_LAST_WORD = re.compile(r"([^\s(\"“‘]+)\.$")


def _reference(text):
    """sentences() as it was before the window: the word before a period searched from the
    sentence's start."""
    spans, start = [], 0
    for m in S._END.finditer(text):
        end, mark = m.end(), m.group(0)
        if mark[0] == "." and len(mark.rstrip("\"'”’)]")) == 1:
            word = _LAST_WORD.search(text, start, m.start() + 1)
            if word:
                w = word.group(1).lower()
                if w in S.ABBREVIATIONS or (len(w) == 1 and w.isalpha()) or S._INITIALS.fullmatch(w):
                    continue
        nxt = S._NEXT.search(text, end)
        if nxt and nxt.group().islower():
            continue
        spans.append((start, end))
        start = end
    if start < len(text):
        spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return tuple(out)


EDGES = [
    "", ".", " . ", "a.", "A. B.", "Mr. Smith went. He left.",
    "x" * 39 + ". Next one.", "x" * 40 + ". Next one.", "x" * 41 + ". Next one.",
    "y" * 120 + ". Z" + "z" * 80 + ". End.",
    "The U.S. Senate met. It voted.", "see e.g. the list. Then i.e. more.",
    "(Mr. Jones) spoke. “Dr. Who.” Then.", "a" * 39 + "(" + "b" * 5 + ". Next.",
    "Word " + "x" * 45 + "." + " Then " + "q" * 60 + ".\nNew line. after.",
    "Ends with abbreviation etc. and more. No.", "3.5 million. 4. Five.",
]


def test_edges_match_reference():
    for text in EDGES:
        assert S.sentences.__wrapped__(text) == _reference(text), text


def test_random_texts_match_reference():
    rng = random.Random(7)
    alphabet = ["a", "B", ".", " ", "  ", "\n", "(", '"', "“", "‘", "’", "!", "?", "…", "mr", "U.S",
                "etc", "x" * 30, "Y" * 45, "e.g", ")", "]"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        assert S.sentences.__wrapped__(text) == _reference(text), repr(text)
