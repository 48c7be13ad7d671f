"""Document.folded folds the joined blocks in one call and gives each block its slice, and
Document.words splits with C calls instead of a regex: both must equal the plain definitions
(each block folded alone; _WORD.findall) on any text."""
import random

from lint.document import _WORD, Block, Document, TextMap
from lint.literals import fold

SAMPLES = ["", "Plain ASCII text.", "ΟΔΟΣ", "ΣΑΣ Σ", "Σ", "aΣ", "Σa", "ΑΣ'", "İstanbul", "KELVIN \u212a",
           "ſ long s", "ı dotless", "Straße", "ÀÉÎÕÜ", "café—“quoted” ’s", "\ud800 lone surrogate",
           "x\u0301Σ\u0301", "ǅ ǈ ǋ", "ﬁ ligature", "Ⅻ roman", "word123 abc_def 4x4", "\t\r\n", "ΣΣ"]


def _doc(texts):
    doc = Document("x.txt", "\n".join(texts), "text")
    doc.blocks = [Block("paragraph", t, TextMap(), 0, 0) for t in texts]
    return doc


def _check(texts):
    doc = _doc(texts)
    assert doc.folded == "\n".join(fold(t) for t in texts)
    for b, t in zip(doc.blocks, texts):
        assert b.folded == fold(t), t
    assert doc.words == frozenset(_WORD.findall("\n".join(fold(t) for t in texts)))


def test_samples_each_alone_and_joined():
    for t in SAMPLES:
        _check([t])
    _check(SAMPLES)
    _check([])


def test_block_folded_asked_first_is_kept():
    doc = _doc(["ΑΣ", "Σ b"])
    first = doc.blocks[0].folded
    assert doc.folded == first + "\n" + fold("Σ b")


def test_random_mixtures():
    rng = random.Random(3)
    alphabet = list("aZ 9_-.\n'") + ["Σ", "σ", "ς", "İ", "\u212a", "ſ", "ı", "é", "É", "\u0301", "’", "ß", "ǅ",
                                      "\u00ad", "ﬁ", "\ud800"]
    for _ in range(2000):
        texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(rng.randint(1, 5))]
        _check(texts)
