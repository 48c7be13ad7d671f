"""Applying fixes: the one place where article text is changed.

``fix_source`` runs the fix loop on a string: lint, take the non-overlapping edits of fixes at
or above the wanted applicability, widen deletions so that removed lines leave normal spacing
(a block left empty is removed with its line; no runs of blank lines, no empty list items or
``<p></p>``), apply, lint again; repeat until nothing is left to apply. Then the invariants are
checked: the result is stable (fixing again changes nothing), and safe fixes left numbers,
links and quotations intact. A failed check raises :class:`FixError` naming the rule, and the
caller writes nothing. An unsafe fix that would delete a sentence glued to its leftover
(:func:`unsafe_loss`) is dropped before the edits are chosen; its finding stays.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .clauses import _OPENERS, _TOKEN, finite_verb, glued_starts
from .model import Applicability, Diagnostic, Edit

MAX_PASSES = 10


class FixError(Exception):
    """A fix that cannot be applied safely; nothing is written."""


@dataclass
class FixOutcome:
    """What the fix loop did to a text: the text before and after, the edits applied (all and per
    round), the unsafe fixes refused, and the last lint of the fixed text."""
    source: str
    fixed: str
    applied: list[tuple[str, Edit]] = field(default_factory=list)  # (rule code, edit)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (rule code, sentence kept)
    rounds: list[list[tuple[str, Edit]]] = field(default_factory=list)  # per round: (rule code, edit)
    last: tuple | None = None  # (document, diagnostics) of ``fixed``
    passes: int = 0

    @property
    def changed(self) -> bool:
        return self.fixed != self.source


def select_edits(diags: list[Diagnostic], minimum: Applicability = Applicability.SAFE) -> list[Edit]:
    """Edits of every fix at or above ``minimum``; a fix overlapping one already taken is
    skipped (the next pass of the loop reconsiders it)."""
    return [e for _, e in _select(diags, minimum)]


def _select(diags, minimum) -> list[tuple[Diagnostic, Edit]]:
    taken = _Taken()
    for d in sorted(diags, key=lambda d: (d.start, d.end, d.code)):
        if d.fix is None or d.fix.applicability < minimum:
            continue
        if any(taken.overlaps(e) for e in d.fix.edits) or _self_overlapping(d.fix.edits):
            continue
        for e in d.fix.edits:
            taken.add(d, e)
    return taken.pairs()


def _self_overlapping(edits) -> bool:
    """A fix whose own edits overlap cannot be applied (nor tested against others by position)."""
    if len(edits) < 2:
        return False
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    return any(_overlaps(a, b) for a, b in zip(ordered, ordered[1:]))


class _Taken:
    """The edits taken so far, sorted by position: no two overlap (``_overlaps``), so an edit
    can overlap only the last one that starts before it, or one that starts inside it. A test
    is two bisections, not a scan of everything taken (fixing 16,000 findings was quadratic)."""

    def __init__(self):
        self._keys: list[tuple[int, int, int]] = []  # (start, end, arrival): sorted
        self._items: list[tuple[Diagnostic, Edit]] = []

    def overlaps(self, e: Edit) -> bool:
        import bisect

        keys = self._keys
        i = bisect.bisect_left(keys, (e.start, -1, -1))
        if i > 0 and _overlaps(e, self._items[keys[i - 1][2]][1]):
            return True
        stop = max(e.end, e.start + 1)  # an insertion meets what starts at its own point
        while i < len(keys) and keys[i][0] < stop:
            if _overlaps(e, self._items[keys[i][2]][1]):
                return True
            i += 1
        return False

    def add(self, d: Diagnostic, e: Edit) -> None:
        import bisect

        bisect.insort(self._keys, (e.start, e.end, len(self._items)))
        self._items.append((d, e))

    def pairs(self) -> list[tuple[Diagnostic, Edit]]:
        return [self._items[k[2]] for k in self._keys]


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.start == a.end or b.start == b.end:  # insertions conflict only at the same point
        return a.start == b.start or (a.start < b.end and b.start < a.end)
    return a.start < b.end and b.start < a.end


def apply_edits(source: str, edits: list[Edit]) -> str:
    out, pos = [], 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos:
            raise ValueError(f"overlapping edits at offset {e.start}")
        out.append(source[pos:e.start])
        out.append(e.content)
        pos = e.end
    out.append(source[pos:])
    return "".join(out)


# -- deletions that leave normal spacing ------------------------------------------------

_WS = " \t\u00a0"


def _line_end(source: str, pos: int) -> int:
    """Position just past the line break at or after ``pos`` (or the end of the text)."""
    m = re.compile(r"[^\r\n]*(\r\n|\n|\r)?").match(source, pos)
    return m.end()


_BLANK_BEFORE = re.compile(r"(?:\A|\n|\r(?!\n))[ \t]*(?:\r\n|\n|\r)\Z")  # a blank line ends the text


def _block_emptied(block, text_cuts: list[tuple[int, int]]) -> bool:
    """True when every non-space character of the block's text lies inside a deletion."""
    for t0, t1, s0, s1, kind in block.map.parts:
        for t in range(t0, t1):
            ch = block.text[t]
            if ch.isspace():
                continue
            pos = s0 + (t - t0) if kind == "literal" else s0
            end = pos + 1 if kind == "literal" else s1
            if not any(a <= pos and end <= b for a, b in text_cuts):
                return False
    return True


# what a block's source may hold besides its text and still go with it: tags that only frame
# or style text, entities, Markdown's markers and a link's destination. An image, a comment,
# a script, an embed or a table cell is content the text does not show: then only the text goes
_FRAME_TAGS = ("a|abbr|article|aside|b|big|blockquote|br|center|cite|dd|del|div|dl|dt|em|"
               "figcaption|font|footer|h[1-6]|header|i|ins|label|li|mark|nav|ol|p|q|s|section|"
               "small|span|strike|strong|sub|sup|time|u|ul")
_FRAMING = re.compile(rf"</?(?:{_FRAME_TAGS})\b[^<>]*>|&#?\w+;|\]\([^()\s]*(?:\s+\"[^\"]*\")?\)", re.I)
_MARKERS = re.compile(r"[\s#>*+\-_=|~`\[\].)\d]*")


def _only_markup(src: str, block, cuts) -> bool:
    """True when the block's source outside the deletions is only framing (see _FRAMING)."""
    rest, pos = [], block.src_start
    for a, b in sorted(cuts):
        rest.append(src[pos:max(pos, a)])
        pos = max(pos, b)
    rest.append(src[pos:block.src_end])
    return _MARKERS.fullmatch(_FRAMING.sub("", "".join(rest))) is not None


def _block_deletion(src: str, block) -> Edit:
    """The block's whole lines, when nothing else shares them; else just its source span."""
    start, end = block.src_start, block.src_end
    line_start = max(src.rfind("\n", 0, start), src.rfind("\r", 0, start)) + 1
    line_end = _line_end(src, end)
    if src[line_start:start].strip(_WS) or src[end:line_end].strip(_WS + "\r\n"):
        return Edit(block.src_start, block.src_end, "")  # other content shares the line
    return Edit(line_start, line_end, "")


def _tidy(src: str, e: Edit) -> Edit:
    """A deletion of whole lines must not leave two blank lines together, nor blank lines at
    the start or the end of the file."""
    if e.content or not (e.start == 0 or src[e.start - 1] in "\r\n") or \
            not (e.end == len(src) or src[e.end - 1] in "\r\n"):
        return e
    start, end = e.start, e.end
    if end >= len(src):  # the tail: drop the blank lines before, keep the previous line's break
        k = start
        while k > 0 and src[k - 1] in "\r\n" + _WS:
            k -= 1
        return Edit(_line_end(src, k) if k > 0 else 0, len(src), "")
    next_end = _line_end(src, end)
    if not src[end:next_end].strip(_WS + "\r\n") and (start == 0 or _BLANK_BEFORE.search(src[:start])):
        end = next_end
    return Edit(start, end, "")


def _widen(doc, pairs: list[tuple[Diagnostic, Edit]]) -> list[tuple[Diagnostic, Edit]]:
    """Turn deletions that empty a block into deletions of the block and its line; extend
    other deletions over the spaces that separated the deleted text from its neighbour."""
    import bisect

    src = doc.source
    blocks = doc.blocks
    starts = [b.src_start for b in blocks]
    by_block: dict[int, list[int]] = {}
    for i, (_, e) in enumerate(pairs):
        if e.content or e.start == e.end:
            continue
        j = bisect.bisect_right(starts, e.start) - 1
        if 0 <= j < len(blocks) and blocks[j].src_start <= e.start and e.end <= blocks[j].src_end:
            by_block.setdefault(j, []).append(i)
    out = list(pairs)
    drop: set[int] = set()
    for j, idxs in by_block.items():
        block = blocks[j]
        cuts = [(pairs[i][1].start, pairs[i][1].end) for i in idxs]
        if _block_emptied(block, cuts) and _only_markup(src, block, cuts):
            out[idxs[0]] = (pairs[idxs[0]][0], _block_deletion(src, block))
            drop.update(idxs[1:])
            continue
        for i in idxs:
            out[i] = (pairs[i][0], _spaced(src, _unwrapped(src, pairs[i][1])))
    result = sorted((p for i, p in enumerate(out) if i not in drop), key=lambda p: (p[1].start, p[1].end))
    merged = _merge(result)
    for _ in range(4):  # tidying can make deletions meet, and merged deletions tidy further
        again = _merge([(d, _tidy(src, e)) for d, e in merged])
        if [e for _, e in again] == [e for _, e in merged]:
            break
        merged = again
    return merged


_OPEN_BEFORE = re.compile(r"(?:<(a|abbr|b|cite|em|i|mark|small|span|strong|u)\b[^<>]*>|(\[))\Z", re.I)


def _unwrapped(src: str, e: Edit) -> Edit:
    """A deletion that is the whole text of an inline element or a Markdown link takes the
    element's tags (or the link's brackets and target) with it: no empty ``<a href=…></a>``."""
    m = _OPEN_BEFORE.search(src, max(0, e.start - 400), e.start)
    if m is None:
        return e
    if m.group(1):
        close = re.compile(rf"</{m.group(1)}\s*>", re.I).match(src, e.end)
    else:
        close = re.compile(r"\](?:\([^()\s]*(?:\s+\"[^\"]*\")?\))?").match(src, e.end)
    return Edit(m.start(), close.end(), "") if close else e


def _spaced(src: str, e: Edit) -> Edit:
    """A deletion of part of a block, widened only where it would leave a double space, a space
    at the edge of a line or an element (``<p> text``), or an empty line inside the block. A
    span that already takes its separating space (SEG001's " ." in "fine. . Then") or touches
    a non-space neighbour is deleted exactly as reported."""
    start, end = e.start, e.end
    line_start = start == 0 or src[start - 1] in "\r\n"
    edge_start = line_start or src[start - 1] == ">"
    space_before = start > 0 and src[start - 1] in _WS
    space_after = end < len(src) and src[end] in _WS

    def edge_end(k):
        return k >= len(src) or src[k] in "\r\n" or src.startswith("</", k)

    if (space_before or edge_start) and space_after:  # "a ⟦X⟧ b", "⟦X⟧ b": the spaces after go
        while end < len(src) and src[end] in _WS:
            end += 1
        if edge_end(end) and not edge_start:  # "a ⟦X⟧  ⏎": keep the line's end clean instead
            end = e.end
            while start > 0 and src[start - 1] in _WS:
                start -= 1
    elif space_before and edge_end(end):  # "a ⟦X⟧⏎", "a ⟦X⟧</p>": the spaces before go
        while start > 0 and src[start - 1] in _WS:
            start -= 1
    line_end = end >= len(src) or src[end] in "\r\n"
    if line_start and line_end and end < len(src):  # the line's whole content: its break goes too,
        end = _line_end(src, end)  # or the block would gain an empty line (a paragraph break)
    return Edit(start, end, "")


def _merge(pairs):
    """Merge deletions that touch or overlap; drop any other edit that overlaps an earlier one."""
    final: list[tuple[Diagnostic, Edit]] = []
    for p in sorted(pairs, key=lambda p: (p[1].start, p[1].end)):
        last = final[-1][1] if final else None
        if last is not None and not last.content and not p[1].content and last.end >= p[1].start \
                and last.end > last.start and p[1].end > p[1].start:
            final[-1] = (final[-1][0], Edit(last.start, max(last.end, p[1].end), ""))
            continue
        if last is not None and last.end > p[1].start:
            continue
        final.append(p)
    return final


# -- invariants ----------------------------------------------------------------------------

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_URL = re.compile(r"(?:https?://|www\.)[^\s\"'<>]*[^\s\"'<>.,;:!?)]|\b[\w-]+(?:\.[\w-]+)+\.[a-z]{2,}\b|\b[\w-]+\.[a-z]{2,3}\b(?=[/\s]|$)")
# a quotation never runs over a paragraph break (a stray mark must not pair with one paragraphs
# later), and a lone CR ends a line as LF does
_MARK_SPACE = re.compile(r"([\"“”])[ \t]+|[ \t]+([\"“”])")
_QUOTE = re.compile(r"“(?:[^”\r\n]|(?:\r\n|\n|\r)(?![ \t]*(?:\r\n|\n|\r)))*”|\"[^\"\r\n]*\"")


def check_invariants(source: str, applied: list[tuple[str, Edit, Applicability]]) -> None:
    """Safe fixes may delete a number, link or quotation whole (a flagged line), or insert next
    to one, but never change part of one. Raises FixError naming the rule. ``applied`` is one
    pass's edits: they do not overlap, so for each token only the edits from the first one that
    ends after its start are looked at (one bisection per token, not every edit)."""
    import bisect

    safe = sorted(((e.start, e.end, code, e) for code, e, app in applied if app == Applicability.SAFE),
                  key=lambda x: (x[0], x[1]))
    if not safe:
        return
    ends = [x[1] for x in safe]  # non-decreasing: the edits do not overlap
    for name, rx in (("numbers", _NUMBER), ("links", _URL), ("quotations", _QUOTE)):
        for m in rx.finditer(source):
            a, b = m.span()
            for i in range(bisect.bisect_right(ends, a), len(safe)):
                code, e = safe[i][2:]
                if e.start >= b:
                    break
                if e.start == e.end and e.start in (a, b):
                    continue  # an insertion beside the token
                if not e.content and e.start <= a and b <= e.end:
                    continue  # the whole token deleted with a flagged span
                if name == "quotations" and _MARK_SPACE.sub(r"\1\2", source[e.start:e.end]) == \
                        _MARK_SPACE.sub(r"\1\2", e.content):
                    continue  # only spaces beside a quotation mark change ('" Chinese Doctor "')
                raise FixError(f"a safe fix by {code} would change {name} ({m.group(0)[:40]!r}); nothing written")


# -- unsafe deletions never take a sentence with them ---------------------------------------
#
# A leftover glued to a sentence without a stop ("Click here to read more The vote was 7-2 …")
# can be matched, and deleted, with that sentence. A place where such a sentence may begin (a
# glued start) is a capitalised word or an opening quote right after a lowercase word, on the
# same line and outside brackets and quotes, where the lowercase word can end a phrase: not
# "the", "of", "as" … ("download the Ledger app" has none) and not a label word ("Image caption
# Assange leaves court": the caption is the label's text).
#
# (the grammar: lint.clauses)

def _glued_sentence(piece: str, first: bool) -> bool:
    """Is this stretch of a deletion, cut at glued starts, a sentence of its own? After a glued
    start it is when it has a finite verb, or opens like a sentence ("The", "She", "There" …)
    and holds a number or a quotation. The first stretch is where the rule's match begins, often
    its label ("Image caption Scooter Braun has managed"), so it counts only when it has a
    finite verb and does not open with a capitalised word other than a sentence opener ("The
    vote was close Click here …", ". . and then spoke again Click here …")."""
    opener = _TOKEN.match(piece)
    opens = opener is not None and opener.group().lower() in _OPENERS
    if first:  # a label opens with a capitalised word; a sentence, or the rest of one, does not
        label = opener is not None and opener.start() == 0 and opener.group()[0].isupper() and not opens
        return not label and finite_verb(piece) is not None
    return finite_verb(piece) is not None or (opens and bool(_NUMBER.search(piece) or _QUOTE.search(piece) or "“" in piece))


def unsafe_loss(source: str, e: Edit) -> str | None:
    """The sentence an unsafe deletion would lose with its leftover, or None. Each glued start
    (:func:`glued_starts`, after a lowercase word) in the deleted text cuts its line; when the
    stretch before or after the cut is a sentence (:func:`_glued_sentence`), that stretch is
    returned. A deletion without a glued start is the leftover the rule matched whole; a
    replacement with words is not checked."""
    if e.content.strip() or e.end <= e.start:
        return None
    removed = source[e.start:e.end]
    cuts = glued_starts(removed)
    for k, c in enumerate(cuts):
        line_start = max(removed.rfind("\n", 0, c), removed.rfind("\r", 0, c)) + 1
        a = max(line_start, cuts[k - 1] if k else 0)
        ends = [x for x in (removed.find("\n", c), removed.find("\r", c)) if x >= 0]
        b = min([*ends, *(cuts[k + 1:k + 2]), len(removed)])
        before, after = removed[a:c].strip(), removed[c:b].strip()
        if _glued_sentence(after, False):
            return after
        if _glued_sentence(before, a == 0 or a == line_start):
            return before
    return None


def spare_sentences(source: str, diags: list[Diagnostic], minimum: Applicability,
                    skipped: list | None = None) -> list[Diagnostic]:
    """``diags`` less the unsafe fixes (applied when ``minimum`` is unsafe) that would delete a
    sentence glued to their leftover (:func:`unsafe_loss`). Only that fix is dropped: its finding
    is still reported, and the file's other fixes are applied. ``skipped`` collects
    (rule code, the sentence kept)."""
    if minimum > Applicability.UNSAFE:
        return diags
    out = []
    for d in diags:
        if d.fix is not None and d.fix.applicability == Applicability.UNSAFE:
            lost = next((x for x in (unsafe_loss(source, e) for e in d.fix.edits) if x), None)
            if lost:
                if skipped is not None and (d.code, lost) not in skipped:
                    skipped.append((d.code, lost))
                continue
        out.append(d)
    return out

def fix_source(source: str, lint, minimum: Applicability = Applicability.SAFE,
               max_passes: int = MAX_PASSES, outcome: FixOutcome | None = None) -> FixOutcome:
    """Run the fix loop. ``lint(text) -> (document, diagnostics)`` gives what a ``check`` of that
    text reports under the user's selection and report filters: a later round applies only
    findings it gives for the intermediate text (``FixOutcome.rounds`` says which round made
    which change; a caller's ``lint`` may read them from the ``outcome`` it passes in, to place
    a finding of a later round in the original text). ``FixOutcome.last`` is the lint of the
    fixed text (the pass that found nothing to apply), so a caller need not lint it again."""
    outcome = outcome if outcome is not None else FixOutcome(source, source)
    text = source
    applied: list[tuple[str, Edit, Applicability]] = []
    for n in range(1, max_passes + 1):
        doc, diags = lint(text)
        outcome.last = (doc, diags)
        diags = spare_sentences(text, diags, minimum, outcome.skipped)
        pairs = _widen(doc, _select(diags, minimum))
        if not pairs:
            break
        new = apply_edits(text, [e for _, e in pairs])
        if new == text:
            break
        # invariants are checked per pass, against that pass's input
        check_invariants(text, [(d.code, e, d.fix.applicability) for d, e in pairs])
        applied.extend((d.code, e, d.fix.applicability) for d, e in pairs)
        outcome.applied.extend((d.code, e) for d, e in pairs)
        outcome.rounds.append([(d.code, e) for d, e in pairs])
        text = new
    else:
        doc, diags = outcome.last = lint(text)
        left = _select(spare_sentences(text, diags, minimum), minimum)
        if left:
            codes = sorted({d.code for d, _ in left})
            raise FixError(f"fixes by {', '.join(codes)} did not converge after {max_passes} passes; nothing written")
    outcome.passes = len(outcome.rounds)
    outcome.fixed = text
    return outcome


def to_source(rounds: list[list[tuple[str, Edit]]], offset: int) -> int:
    """The offset in the text before the first round of a position in the text after the last
    of ``rounds`` (each round's edits in its own input's coordinates, sorted). A position inside
    text a round inserted maps to the start of that edit."""
    import bisect

    for edits in reversed(rounds):
        starts, shift = [], 0  # where each edit's new text starts, in the round's output
        for _, e in edits:
            starts.append(e.start + shift)
            shift += len(e.content) - (e.end - e.start)
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            continue  # before every edit of the round: unmoved
        _, e = edits[i]
        new_end = starts[i] + len(e.content)
        offset = e.start if offset < new_end else e.end + (offset - new_end)
    return offset
