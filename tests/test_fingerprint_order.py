"""lint.crossdoc.document_fingerprint normalises its lines longest first and skips ASCII lines
that cannot win: the fingerprint is the one of the plain loop over every line."""
import random

from lint import crossdoc
from lint.document import parse


def _reference(doc) -> int:
    best = None
    for block in doc.blocks:
        for line in block.text.split("\n"):
            if len(line) > 60 and len(line.split()) >= crossdoc.LONG_WORDS:
                key = crossdoc.normalise(line)
                if best is None or (len(key), key) > (len(best), best):
                    best = key
    return crossdoc._h64(best if best is not None else crossdoc.normalise(doc.source))


def test_the_fingerprint_is_the_longest_normalised_line_whatever_the_order():
    rng = random.Random(5)
    # ligatures and fractions grow under NFKC, digits and spaces shrink: raw length misleads
    pieces = ["the council", "ﬁnal vote", "½ of 2024", "said  on 12345 Monday", "Straße", "ｆｕｌｌ width",
              "and more", "x", "over 1,000,000 people", "ÉTÉ"]
    for _ in range(300):
        lines = [" ".join(rng.choice(pieces) for _ in range(rng.randint(6, 16))) for _ in range(rng.randint(1, 6))]
        text = "\n\n".join(lines) + "\n"
        doc = parse(text, "a.txt", "text")
        assert crossdoc.document_fingerprint(doc) == _reference(doc), text
