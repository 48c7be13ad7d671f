"""Issue 19: fast paths of the cross-file candidate lines (lint.crossdoc, UI025) must give what
their plain paths did.

``_key`` of an ASCII line translates digits to 0 and every ASCII whitespace character to a space
in one bytes.translate, collapses the runs of both and strips the non-alphanumerics at the ends
as bytes (no split and join into words); ``document_fingerprint`` takes the long lines of each
block as they are (no join and split of the whole document's text)."""
from __future__ import annotations

import random
from types import SimpleNamespace

from helpers import plain_fingerprint, plain_normalise, varied_documents


def test_ascii_key_is_the_plain_one():
    """Every ASCII character (control characters among them: \\x1c-\\x1f are whitespace to
    str.split), runs of digits, of zeros and of spaces, at the ends and inside."""
    from lint import crossdoc

    rng = random.Random(5)
    every = [chr(c) for c in range(128)]
    texts = ["", " ", "0", "00", " 0 ", "a  b", "a\x1cb", "\x1f a \x0b", "a\t\t\n b", "1.5 00 007", "--a--", "Z9"]
    texts += ["".join(rng.choice(every) for _ in range(rng.randint(0, 30))) for _ in range(40000)]
    texts += ["".join(rng.choice("a0 \t\x1c.9") for _ in range(rng.randint(0, 30))) for _ in range(40000)]
    for text in texts:
        assert crossdoc.normalise(text) == plain_normalise(text), repr(text)
    for doc in varied_documents(3):
        for line in doc.source.split("\n"):
            assert crossdoc.normalise(line) == plain_normalise(line), repr(line)


def test_fingerprint_takes_the_lines_of_each_block():
    """Blocks of one line and of several (a line break in the text), long and short lines,
    lines of 60 and 61 characters, documents without a long line (the source's key)."""
    from lint import crossdoc

    rng = random.Random(11)
    words = ["harbour", "Quay", "2021", "ﬁne", "…", "straße", "a", "to", "x9", "--", "Ünder"]

    def line(n):
        return " ".join(rng.choice(words) for _ in range(n))

    docs = list(varied_documents(7))
    for k in range(800):
        blocks = []
        for _ in range(rng.randint(0, 6)):
            parts = [line(rng.choice([2, 12, 13, 14, 20])) for _ in range(rng.choice([1, 1, 2, 3]))]
            if rng.random() < 0.2:
                parts.append(("x " * 40)[:rng.choice([60, 61, 62])])
            blocks.append(SimpleNamespace(text="\n".join(parts)))
        source = "\n\n".join(b.text for b in blocks) or line(3)
        docs.append(SimpleNamespace(blocks=blocks, source=source))
    for doc in docs:
        assert crossdoc.document_fingerprint(doc) == plain_fingerprint(doc)
