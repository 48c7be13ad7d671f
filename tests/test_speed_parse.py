"""The Markdown parser's quicker inline steps give what the former ones gave (kept here as the
references): _fast_atoms is what inline_atoms makes of _fast_children's tokens; build's map made
in one pass is the map TextMap's methods made; _spacing's early exit changes nothing; a block
whose literal text holds no URL start (_may_link) keeps the atoms _bare_links would give. Checked
on hostile random contents and atom lists, and on whole documents (tests/test_speed_parse_simple.py
compares the simple path with markdown-it-py's)."""
from __future__ import annotations

import random

from lint.document import Document, parse
from lint.document import markdown as M
from lint.document.textmap import MASK, TextMap

from test_speed_parse_simple import INLINE, ODD, WORDS, random_document

PIECES = WORDS + ODD + INLINE + [" ", " ", "  ", "\n", " \n", "  \n", "\t\n", "\n  ", "\n\t", "\\h", "\\w", "ww.",
                                 "ttp://x.y", "http", "://", "a@b.co", "[^1]", "www.a.b", "WWW.A.B", "(", ")", "*", "_",
                                 "[a](http://x.org/a@b)", "[a](b)http://c.d", "`http://x.y`", "<br>", "<br/> ", " <br>"]


def _parser() -> M._Parser:
    p = M._Parser(Document("x.md", "", "markdown"))
    p.al = M.Aligner("")
    p.env = {}
    return p


def token_atoms(p: M._Parser, v: str, children) -> list | None:
    """inline_atoms' atoms in content offsets (before bare links and source offsets)."""
    p.placed = lambda v, pos, atoms: atoms
    return p.inline_atoms(v, children, list(range(len(v) + 1)))


def contents(n: int, seed: int):
    r = random.Random(seed)
    for _ in range(n):
        v = "".join(r.choice(PIECES) + r.choice(["", " ", " ", ""]) for _ in range(r.randint(1, 10)))
        yield v.strip(M._MD_TRIM) or "x"


def test_fast_atoms_are_inline_atoms_of_fast_children():
    p = _parser()
    taken = 0
    for v in contents(30000, 11):
        children = M._fast_children(v)
        mine = M._fast_atoms(v)
        if children is None:
            assert mine is None, v
            continue
        taken += 1
        assert mine == token_atoms(p, v, children), v
    assert taken > 3000


def test_may_link_false_means_no_bare_link_is_masked():
    md = M.markdown_it()
    p = _parser()
    skipped = 0
    for v in contents(20000, 12):
        tokens: list = []
        md.inline.parse(v, md, {}, tokens)
        atoms = token_atoms(p, v, tokens)
        if atoms is None or "@" in v or "[^" in v or M._may_link(atoms):
            continue
        skipped += 1
        assert M._bare_links(v, list(atoms)) == atoms, v
    assert skipped > 3000


def reference_spacing(out: list) -> list:
    """The former _spacing (without its early exit)."""
    for k, atom in enumerate(out):
        if atom[0] != "br":
            continue
        prev = next((x for x in reversed(out[:k]) if x[0] != "gap"), None)
        nxt = next((x for x in out[k + 1:] if x[0] != "gap"), None)
        spaced = (prev is not None and prev[3][-1:].isspace()) or (nxt is not None and nxt[3][:1].isspace())
        out[k] = ("gap", atom[1], atom[2], "") if spaced or prev is None or nxt is None else (
            "ent", atom[1], atom[2], " ")
    result: list = []
    gap_since = False
    prev_end = None
    for atom in out:
        kind, s, e, text = atom
        if kind == "gap" or (prev_end is not None and s > prev_end):
            gap_since = True
        prev_end = e
        if kind == "gap":
            result.append(atom)
            continue
        last = None
        if gap_since and text[:1].isspace():
            last = next((x for x in reversed(result) if x[0] != "gap"), None)
        if last is not None and last[3][-1:].isspace():
            if kind == "lit":
                keep = text.lstrip()
                s += len(text) - len(keep)
                atom = (kind, s, e, keep) if keep else ("gap", s, e, "")
            elif text == " ":
                atom = ("gap", s, e, "")
        gap_since = False
        result.append(atom)
    return result


def reference_build(src: str, atoms: list, src_start: int, src_end: int) -> TextMap | None:
    """The former _Parser.build: its map made by TextMap's methods."""
    if len(atoms) == 1 and atoms[0][0] == "lit":
        _k, s, e, text = atoms[0]
        if text and not text[0].isspace() and not text[-1].isspace() and text.replace(MASK, ""):
            return TextMap.one_literal(src[s:e], src_start, s, e, src_end)
    lo, hi = 0, len(atoms)
    while lo < hi:
        kind, s, e, text = atoms[lo]
        if kind == "gap":
            lo += 1
        elif kind in ("lit", "ent") and text.isspace():
            lo += 1
        elif kind == "lit" and text[:1].isspace():
            strip = len(text) - len(text.lstrip())
            atoms[lo] = (kind, s + strip, e, text[strip:])
            break
        else:
            break
    while hi > lo:
        kind, s, e, text = atoms[hi - 1]
        if kind == "gap" or (kind in ("lit", "ent") and text.isspace()):
            hi -= 1
        elif kind == "lit" and text[-1:].isspace():
            keep = len(text.rstrip())
            atoms[hi - 1] = (kind, s, s + keep, text[:keep])
            break
        else:
            break
    body: list = []
    for a in atoms[lo:hi]:
        if a[0] == "gap":
            continue
        if a[0] == "lit" and body and body[-1][0] == "lit" and body[-1][2] == a[1]:
            p = body[-1]
            body[-1] = ("lit", p[1], a[2], p[3] + a[3])
            continue
        body.append(a)
    for a in body:
        if a[3].strip().replace(MASK, ""):
            break
    else:
        return None
    tm = TextMap()
    tm.gap(src_start, body[0][1])
    last = src_start
    for kind, s, e, text in body:
        if s < last:
            return None
        if kind == "lit":
            tm.literal(src, s, e)
        elif kind == "ent":
            tm.entity(text, s, e)
        else:
            tm.masked(s, e)
        last = e
    tm.gap(tm.src_end, max(src_end, tm.src_end))
    return tm


def _view(tm):
    return None if tm is None else (tm.parts, tm._text, tm._tstarts, tm.text())


def random_atoms(r: random.Random, src: str) -> tuple[list, int, int]:
    """Atoms in source order over ``src`` (literal atoms are source slices), touching or not,
    some empty, with blanks at their ends; and the block's source span around them."""
    kinds = ["lit", "lit", "lit", "ent", "mask", "gap", "br"]
    atoms = []
    pos = r.randint(0, 3)
    start = r.randint(0, pos)
    for _ in range(r.randint(1, 7)):
        pos += r.choice([0, 0, 0, 1, 2])
        e = min(len(src), pos + r.randint(0, 6))
        kind = r.choice(kinds)
        text = {"lit": src[pos:e], "ent": r.choice([" ", "&", "x", "", "  "]), "mask": MASK, "gap": "",
                "br": " "}[kind]
        atoms.append((kind, pos, e, text))
        pos = e
    return atoms, start, min(len(src), pos + r.randint(0, 3))


def test_build_and_spacing_are_the_former_ones():
    r = random.Random(13)
    p = _parser()
    for _ in range(40000):
        src = "".join(r.choice(["a", "b", " ", "\t", "\n", MASK, "é", ".", "  "]) for _ in range(40))
        p.src = src
        atoms, s0, s1 = random_atoms(r, src)
        assert M._spacing(list(atoms)) == reference_spacing(list(atoms)), atoms
        spaced = reference_spacing(list(atoms))
        try:
            want = _view(reference_build(src, list(spaced), s0, s1))
        except ValueError:
            want = "ValueError"
        try:
            got = _view(p.build(list(spaced), s0, s1))
        except ValueError:
            got = "ValueError"
        assert got == want, (src, spaced, s0, s1)


def test_documents_parse_as_before_on_random_and_typical_text():
    # (FAST off takes markdown-it-py's tokens and the general inline path; both share build and
    # _spacing, compared above)
    for seed in range(600):
        for simple in (True, False):
            source = random_document(seed, simple)
            fast = parse(source, "x.md")
            try:
                M.FAST = False
                slow = parse(source, "x.md")
            finally:
                M.FAST = True
            assert [(b.kind, b.text, b.src_start, b.src_end, b.map.parts, b.map._text) for b in fast.blocks] == [
                (b.kind, b.text, b.src_start, b.src_end, b.map.parts, b.map._text) for b in slow.blocks], source


def test_plain_no_url_is_plain_line_without_url():
    from test_speed_parse_simple import random_strings

    for text in random_strings(30000):
        assert M._plain_no_url(text) == (M._plain_line(text) and M._first_url_start(text) < 0), text


def test_lines_and_first_lines_are_line_index_ones():
    """Document.lines (built from one split) is LineIndex's; each block's first_line, now set by
    the parsers that know it, is the line LineIndex puts its start on."""
    from bisect import bisect_right

    from lint.model import LineIndex
    from test_speed_parse_plain import PIECES as PLAIN

    r = random.Random(17)
    sources = [random_document(seed, simple) for seed in range(500) for simple in (True, False)]
    sources += ["".join(r.choice(PLAIN) for _ in range(r.randint(0, 30))) for _ in range(3000)]
    sources += ["", "\n", "a", "a\n", "\n\na\n\n", "  \n \t", "x\ny", "x\r\ny\rz\n"]
    for source in sources:
        for path in ("x.md", "x.txt"):
            doc = parse(source, path)
            ref = LineIndex(source)
            assert (doc.lines.starts, doc.lines.length) == (ref.starts, ref.length), source
            for b in doc.blocks:
                assert b.first_line == bisect_right(ref.starts, min(max(0, b.src_start), ref.length)), (source, b)
