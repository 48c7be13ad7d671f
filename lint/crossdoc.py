"""Cross-document evidence: boilerplate by frequency (rule UI025 ``repeated-line``).

A short line that recurs across many documents of one run ("Share this", "Comments are
closed.", a site's footer or byline formula) is page furniture even when no phrase list names
it: the duplicate-line idea of Gopher and FineWeb, applied as a linter finding. One document
cannot show it, so it is a **two-pass, map-reduce job** and this module is its pure, engine-free
core (no I/O, no Dask, no global state); the folder runs of ``copydesk check`` and
``copydesk corpus`` (lint/corpus.py, on Dask) both drive it:

1. map, per document: ``cands = candidates(text, fmt)`` -> ``[(key, start, end), …]``, the
   document's short non-prose lines with their normalised key and *source* offsets, and
   ``fp = fingerprint(text, fmt)`` (or, for a document already parsed, ``document_candidates``
   and ``document_fingerprint``: one parse for the lint and both);
2. reduce: ``counter = count(keys of each document, fingerprints)`` -> ``collections.Counter``
   (key -> number of distinct articles holding it; a document counts a key once, copies of an
   article once). Without fingerprints Counters of partitions add (``c1 + c2``); with them,
   split the work as sets of ``(key, fp)`` pairs that unite, then count per key (what
   lint/corpus.py does). Any split, any order, the same result (per group: one count per
   ``--group-by`` value);
3. ``keys = frequent(counter, n_docs)`` -> ``frozenset`` of keys held by at least ``min_docs``
   documents and at least ``min_share`` of them (``n_docs``: documents in the run or group);
4. map again, per document: ``findings(cands, keys, n_docs, counts=counter)`` ->
   ``[Diagnostic]`` of UI025 (merge them into the document's own diagnostics, sorted by
   ``Diagnostic.sort_key``). ``suppressed`` drops those a suppression comment silences.

Everything is deterministic and independent of how documents are partitioned or ordered, so a
run gives the same findings for every ``--jobs``, worker count and with or without a result
store (the per-file results can be stored without UI025; the cross-document pass is added on
top, it needs only the candidate keys and the fingerprint of each file, which are cheap to
store or recompute). The reference of both passes in one process is :func:`run`.

The rule's file (rules/ui/UI025-repeated-line.yaml, kind ``repeats``) carries what a run needs
to know: whether UI025 is selected (``--select``/``--ignore``/per-file ignores apply to its
findings as to any rule's), its severity after configuration, and ``min_docs``/``min_share``
(``rule.impl.min_docs``, ``rule.impl.min_share``).

What is a candidate (decided so that clean news stays quiet, see ``is_candidate``): a line of a
prose block (paragraph, list item, quotation, caption; not a table cell, front matter, nor a
Markdown or HTML heading) with at most ``MAX_WORDS`` (12) words and at least two letters, that
is not a full sentence of prose (a line of ``PROSE_WORDS`` (7) or more words ending in a sentence stop).
Its key is the line NFKC-normalised, casefolded, digit runs masked as ``0``, whitespace
collapsed and punctuation trimmed at both ends, so "Share this:" and "share this", "Posted 3
hours ago" and "Posted 12 hours ago" are one key.

Copies of one article (syndicated, crawled twice, one page as several extractors left it)
count once: a key is counted once per document *fingerprint* (``document_fingerprint``: the
hash of the document's longest prose line), so with fingerprints the reduction counts distinct
``(key, fingerprint)`` pairs (sets of pairs unite as counters add).

Defaults (``MIN_DOCS`` 5, ``MIN_SHARE`` 0.03): quiet on professional news treated as one
folder (wmt21-clean: no finding on either half or the whole), helpful where a set holds pages
of sites that share furniture (menus, "Comments", "Tweet", "Print", a dated byline formula).
4 and 0.02 were chosen first on the tune halves; the wmt21-clean holdout half then showed five
"(Applause)" lines of talk transcripts (0.49 per 10k words), so they were raised. Pages of
unrelated sites share little furniture, and there it finds little: that is expected.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Iterable, Mapping

from .model import Applicability, Diagnostic, Edit, Fix, Severity, excerpt

CODE = "UI025"
NAME = "repeated-line"
CATEGORY = "ui-leftover"

MAX_WORDS = 12
PROSE_WORDS = 7
LONG_WORDS = 13
MIN_DOCS = 5
MIN_SHARE = 0.03

#: block kinds whose lines are never counted: table cells and front matter are data, and a
#: marked-up heading is the article's own structure (a series' "Background" recurs by design)
SKIP_KINDS = ("table.cell", "frontmatter", "heading")

_DIGITS = re.compile(r"\d+")
#: the ASCII characters that are neither letters nor digits (str.isalnum)
_ASCII_NONALNUM = "".join(chr(c) for c in range(128) if not chr(c).isalnum())
_ASCII_NONALNUM_BYTES = _ASCII_NONALNUM.encode("ascii")
#: the ASCII whitespace characters besides the space (those str.split splits at)
_ASCII_SPACES = "".join(chr(c) for c in range(128) if chr(c).isspace() and c != 32).encode("ascii")
#: _key's translation of an ASCII line: every digit a 0, every whitespace character a space
_ASCII_KEY = bytes.maketrans(b"0123456789" + _ASCII_SPACES, b"0" * 10 + b" " * len(_ASCII_SPACES))
_TWO_LETTERS = re.compile(r"[^\W\d_][\s\S]*?[^\W\d_]")
_STOP = re.compile(r"[.!?…][\"'”’»)\]]*$")
#: what may stand on a source line beside the text without being text: tags, Markdown markers
_TAG = re.compile(r"<[^>]*>")
_MARKUP = re.compile(r"^[\s>#*+\-=_`|]*(?:\d{1,9}[.)]\s)?[\s>#*+\-=_`|\[\]()]*$")


def normalise(line: str) -> str:
    """The counting key of a line (see the module docstring)."""
    return _key(_fold(line))


def _fold(line: str) -> str:
    """A line NFKC-normalised and casefolded: an ASCII line's is its ``lower()`` (NFKC leaves
    ASCII as it is, and casefold differs from lower only beyond ASCII)."""
    return line.lower() if line.isascii() else unicodedata.normalize("NFKC", line).casefold()


def _key(s: str) -> str:
    """The rest of :func:`normalise`, from the folded line: digit runs, whitespace, ends."""
    if s.isascii():
        # every digit a 0 (bytes.translate): each run of digits is then a run of 0s and every 0
        # is in one (the line's own 0s are digits), so collapsing the runs of 0s masks them.
        # In the same translation every ASCII whitespace character (what str.split splits at)
        # becomes a space, and collapsing the runs of spaces is " ".join(split()) inside the
        # line; the spaces at its ends go with the other non-alphanumerics, stripped last (the
        # alphanumerics of ASCII are [0-9A-Za-z], as str.isalnum says)
        b = s.encode("ascii").translate(_ASCII_KEY)
        while b"00" in b:
            b = b.replace(b"00", b"0")
        while b"  " in b:
            b = b.replace(b"  ", b" ")
        return b.strip(_ASCII_NONALNUM_BYTES).decode("ascii")
    s = _DIGITS.sub("0", s)
    # " ".join(split()) is re.sub(r"\s+", " ", ...).strip(): str.split and the pattern's \s take the
    # same characters for whitespace (every code point checked); one pass in C instead of two
    s = " ".join(s.split())
    i, j = 0, len(s)
    while i < j and not (s[i].isalnum()):
        i += 1
    while j > i and not (s[j - 1].isalnum()):
        j -= 1
    return s[i:j]


def is_candidate(line: str) -> bool:
    """A short line that is not a full sentence of prose."""
    n = len(line.split(None, MAX_WORDS))  # past MAX_WORDS words, how many more is not needed
    if n == 0 or n > MAX_WORDS:
        return False
    if n >= PROSE_WORDS and _STOP.search(line):
        return False
    return _TWO_LETTERS.search(line, 0, 200) is not None  # two letters among the first 200 characters


def candidates(text: str, fmt: str = "text") -> list[tuple[str, int, int]]:
    """The document's lines worth counting, as ``(key, start, end)`` with ``[start, end)`` the
    line's text in *source* offsets (code points into ``text``). ``fmt``: ``text`` (or
    ``plain``), ``markdown`` or ``html``; parsed as ``copydesk check`` parses it, so Markdown
    and HTML markup, code, comments and front matter are never counted. A document that cannot
    be parsed has no candidates."""
    from .document import parse

    fmt = "text" if fmt in (None, "plain", "txt") else fmt
    try:
        doc = parse(text, "doc." + {"text": "txt", "markdown": "md", "html": "html"}.get(fmt, "txt"), fmt)
    except Exception:  # noqa: BLE001 - no evidence from a document that does not parse
        return []
    return document_candidates(doc)


def document_candidates(doc) -> list[tuple[str, int, int]]:
    """:func:`candidates` of an already parsed :class:`lint.document.Document`."""
    out = []
    for block in doc.blocks:
        text = block.text
        if block.n_words > MAX_WORDS and "\n" not in text:
            continue  # one line, too long to count (is_candidate); most paragraphs
        if block.kind.startswith(SKIP_KINDS):
            continue
        pos = 0
        for line in text.split("\n"):
            s, e = pos, pos + len(line)
            pos = e + 1
            stripped = line.strip()
            if not stripped or not is_candidate(stripped):
                continue
            key = normalise(stripped)
            if len(key) < 2:
                continue
            s += len(line) - len(line.lstrip())
            e -= len(line) - len(line.rstrip())
            src_s, src_e = block.to_source(s, e)
            if src_e > src_s:
                out.append((key, src_s, src_e))
    return out


_BLAKE2B: list = []  # [lint._sha.blake2b], imported at the first hash


def _h64(s: str) -> int:
    if not _BLAKE2B:
        from ._sha import blake2b  # not hashlib: its import loads OpenSSL (~3 ms of a one-file run)

        _BLAKE2B.append(blake2b)
    return int.from_bytes(_BLAKE2B[0](s.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


def fingerprint(text: str, fmt: str = "text") -> int:
    """Which article a document is, so that copies of one article count once: see
    :func:`document_fingerprint`."""
    from .document import parse

    fmt = "text" if fmt in (None, "plain", "txt") else fmt
    try:
        doc = parse(text, "doc." + {"text": "txt", "markdown": "md", "html": "html"}.get(fmt, "txt"), fmt)
    except Exception:  # noqa: BLE001
        return _h64(normalise(text))
    return document_fingerprint(doc)


def document_fingerprint(doc) -> int:
    """A 64-bit hash of the document's longest line of prose (normalised; at least
    ``LONG_WORDS`` words), else of its whole text. Copies of one article (syndicated, crawled
    twice, or one page as different extractors left it) share their longest paragraph while
    their furniture differs, so counting a line once per fingerprint keeps an article's own
    short lines ("The bottom line", a subheading) from looking repeated across documents."""
    # the lines of more than 60 characters of every block (only they are looked at below): a
    # block's text is most often one line, taken as it is (not copied by a join and a split)
    lines = []
    for block in doc.blocks:
        text = block.text
        if len(text) > 60:
            if "\n" in text:
                lines += [line for line in text.split("\n") if len(line) > 60]
            else:
                lines.append(text)
    # longest first: normalising an ASCII line never
    # lengthens it (NFKC and casefold leave ASCII as ASCII, digits and spaces only shrink), so
    # once an ASCII line is shorter than the best key so far it cannot win. Nor can any line
    # whose folded text (_fold) is shorter once the ASCII non-alphanumerics at its ends are
    # stripped: the key lies between the first and the last alphanumeric of the folded text
    # (masking digits and collapsing whitespace keep a character alphanumeric or not, and only
    # shrink). The words of a line are counted only when it is still in the running (most
    # lines are not, once the longest is)
    lines.sort(key=len, reverse=True)
    best = None
    for line in lines:
        if best is not None and len(line) < len(best) and line.isascii():
            continue
        if len(line.split(None, LONG_WORDS)) < LONG_WORDS:
            continue
        folded = _fold(line)
        if best is not None and len(folded.strip(_ASCII_NONALNUM)) < len(best):
            continue
        key = _key(folded)
        if best is None or (len(key), key) > (len(best), best):
            best = key
    return _h64(best if best is not None else normalise(doc.source))


def count(keys_per_doc: Iterable[Iterable[str]], fingerprints: Iterable[int] | None = None) -> Counter:
    """Key -> number of documents that hold it (each document counts a key once). Counters of
    disjoint sets of documents add up to the Counter of their union. With ``fingerprints``
    (one per document, :func:`document_fingerprint`), a key counts once per fingerprint:
    copies of an article count as one document (then count distinct ``(key, fingerprint)``
    pairs to split the work: sets of pairs unite, as counters add)."""
    c: Counter = Counter()
    if fingerprints is None:
        for keys in keys_per_doc:
            c.update(set(keys))
        return c
    seen: set = set()
    for keys, fp in zip(keys_per_doc, fingerprints):
        for k in set(keys):
            if (k, fp) not in seen:
                seen.add((k, fp))
                c[k] += 1
    return c


def frequent(counter: Mapping[str, int], n_docs: int, *, min_docs: int = MIN_DOCS,
             min_share: float = MIN_SHARE) -> frozenset[str]:
    """Keys held by at least ``min_docs`` documents and at least ``min_share`` of ``n_docs``."""
    need = max(min_docs, min_share * n_docs)
    return frozenset(k for k, n in counter.items() if n >= need)


def _line_bounds(source: str, start: int, end: int) -> tuple[int, int]:
    """The deletion of the line holding ``[start, end)``: the whole source line with its line
    break when nothing else of it is text (only tags or Markdown markers), else the span."""
    ls = source.rfind("\n", 0, start) + 1
    le = source.find("\n", end)
    le = len(source) if le < 0 else le
    rest = _TAG.sub("", source[ls:start]) + "\x00" + _TAG.sub("", source[end:le])
    before, after = rest.split("\x00")
    if not (_MARKUP.match(before) and not after.strip(" \t\r|")):
        return start, end
    if le < len(source):
        return ls, le + 1
    if ls > 0:  # the last line: take the break before it instead
        return ls - 1 - (ls >= 2 and source[ls - 2] == "\r"), le
    return ls, le


def findings(cands: Iterable[tuple[str, int, int]], frequent_keys, n_docs: int, *,
             counts: Mapping[str, int] | None = None, source: str | None = None,
             severity: Severity = Severity.WARNING, shift: int = 0) -> list[Diagnostic]:
    """UI025 diagnostics for the candidates whose key is frequent. ``counts`` (the reduced
    Counter) gives the number of documents named in the message; ``source`` (the document's
    text), when given, widens each deletion to the whole source line (with its break) where the
    line holds nothing else; without it the fix deletes the line's text. The fix is unsafe:
    frequency is evidence, not proof (a recurring standfirst, a series' refrain). ``shift``:
    added to every offset of the findings (``source`` is then a piece of the document that
    starts there, as lint.runner's candidate lines keep it)."""
    out = []
    for key, start, end in cands:
        if key not in frequent_keys:
            continue
        n = counts.get(key, 0) if counts is not None else 0
        where = f"{n} of {n_docs} documents" if n else f"many of the {n_docs} documents"
        s, e = _line_bounds(source, start, end) if source is not None else (start, end)
        shown = excerpt(source[start:end] if source is not None else key, 60)
        fix = Fix((Edit(s + shift, e + shift, ""),), Applicability.UNSAFE, "Delete it")
        out.append(Diagnostic(CODE, NAME, CATEGORY, severity,
                              f"Line repeated in {where} of this run (boilerplate by frequency): '{shown}'",
                              start + shift, end + shift, fix))
    out.sort(key=Diagnostic.sort_key)
    return out


def silenced(doc, start: int, end: int) -> bool:
    """Whether a suppression comment of the parsed ``doc`` silences UI025 on ``[start, end)``."""
    from .suppress import collect, is_suppressed

    if not doc.suppressions and doc.comments:
        doc.suppressions = collect(doc)
    return bool(doc.suppressions) and is_suppressed(doc.suppressions, CODE, NAME, start, end) is not None


def suppressed(diags: list[Diagnostic], doc) -> list[Diagnostic]:
    """``diags`` (UI025's) less those a suppression comment of the parsed ``doc`` silences."""
    return [d for d in diags if not silenced(doc, d.start, d.end)]


def merge(diags: list[Diagnostic], extra: list[Diagnostic]) -> list[Diagnostic]:
    """A document's diagnostics with the cross-document ones added, in report order."""
    if not extra:
        return diags
    return sorted([*diags, *extra], key=Diagnostic.sort_key)


def run(texts: Iterable[tuple[str, str]], *, min_docs: int = MIN_DOCS, min_share: float = MIN_SHARE,
        severity: Severity = Severity.WARNING) -> list[list[Diagnostic]]:
    """Both passes in one process over ``(text, fmt)`` pairs (a list: it is read twice):
    the UI025 diagnostics of each document, in order. The reference the engines are tested
    against."""
    texts = list(texts)
    cands = [candidates(t, f) for t, f in texts]
    counter = count(((k for k, _, _ in c) for c in cands), [fingerprint(t, f) for t, f in texts])
    keys = frequent(counter, len(texts), min_docs=min_docs, min_share=min_share)
    return [findings(c, keys, len(texts), counts=counter, source=t, severity=severity)
            for c, (t, _f) in zip(cands, texts)]


# --------------------------------------------------------------------------- house style by majority
#
# The consistency rules (CONS001 honorifics Mr/Mr., CONS002 -ise/-ize, …) find a document that
# mixes two forms. Across a run there is a second signal: the run's own house style. Pass 1
# counts, per rule, how many documents use each form (``style_usage``; Counters add); a form
# that more documents use than all the other forms together, and at least ``min_docs``, is the
# run's majority (``majorities``); pass 2 reports, in every document, the matches of the other
# forms (``style_findings``), under the rule's own code, so --select/--ignore of the rule apply,
# and never a span the document-level rule already reported. Opt-in (`copydesk corpus
# --house-style majority`): a corpus may hold several houses' styles, and --group-by keeps
# them apart.

def style_rules(rules) -> list[tuple]:
    """What pass 1 and pass 2 need of the selected consistency rules, small and picklable:
    ``(code, name, category, zones, skip_quotes, ((variant name, compiled regex), …))``."""
    out = []
    for r in rules:
        if r.meta.kind == "consistency" and getattr(r.impl, "variants", None):
            out.append((r.meta.code, r.meta.name, r.meta.category, tuple(r.meta.zones),
                        r.meta.quote_policy == "skip", tuple(r.impl.variants)))
    return out


def _style_hits(doc, rule):
    from .kinds.consistency import Consistency

    code, _name, _cat, zones, skip_quotes, variants = rule
    blocks = [b for b in doc.blocks if not zones or b.zone in zones]
    for i, (vname, rx) in enumerate(variants):
        for block, s, e, text in Consistency._by_block(blocks, rx, skip_quotes):
            src_s, src_e = block.to_source(s, e)
            yield i, src_s, src_e, text


def style_usage(doc, srules) -> set[tuple[str, int]]:
    """The (rule code, variant index) pairs the parsed document uses, and (code, -1) for each
    rule it uses any form of."""
    used = {(rule[0], i) for rule in srules for i, _s, _e, _t in _style_hits(doc, rule)}
    return used | {(code, -1) for code, _ in used}


def majorities(counter: Mapping[tuple[str, int], int], *, min_docs: int = MIN_DOCS) -> dict:
    """code -> (majority form's index, documents using it, documents using any form: the
    count of ``(code, -1)``). A form is the majority when more than half of the documents
    using the rule's forms use it, and at least ``min_docs``."""
    by_code: dict = {}
    for (code, i), n in counter.items():
        by_code.setdefault(code, {})[i] = n
    out = {}
    for code, uses in by_code.items():
        total = uses.pop(-1, None)
        if not uses:
            continue
        total = total if total is not None else sum(uses.values())
        major = max(sorted(uses), key=lambda i: uses[i])
        if uses[major] >= min_docs and uses[major] * 2 > total:
            out[code] = (major, uses[major], total)
    return out


def style_findings(doc, srules, major: dict, existing=(), severity_for=None) -> list[Diagnostic]:
    """The matches of a non-majority form in the parsed document (see above). ``existing``:
    the document's diagnostics (a span its own rule reported is not reported again);
    ``severity_for(code)`` the severity (default warning)."""
    taken = {(d.code, d.start, d.end) for d in existing}
    out = []
    for rule in srules:
        code, name, category, _z, _q, variants = rule
        if code not in major:
            continue
        m, n, total = major[code]
        for i, s, e, text in _style_hits(doc, rule):
            if i == m or (code, s, e) in taken:
                continue
            sev = severity_for(code) if severity_for else Severity.WARNING
            out.append(Diagnostic(code, name, category, sev,
                                  f"House style of this run: '{' '.join(text.split())}' uses {variants[i][0]}, but "
                                  f"{n} of the {total} documents that use either form use {variants[m][0]}",
                                  s, e))
    out.sort(key=Diagnostic.sort_key)
    return out
