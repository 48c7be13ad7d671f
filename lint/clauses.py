"""Where a sentence may begin inside a text, and whether a stretch is a clause: what lets an
unsafe deletion spare a sentence glued to its leftover (lint.fixer) and lets the standalone
kind cut a leftover before such a sentence (lint.kinds.standalone). Its own module: a check
needs it, and not the fix loop.

A leftover glued to a sentence without a stop ("Click here to read more The vote was 7-2 …")
can be matched, and deleted, with that sentence. A place where such a sentence may begin (a
glued start) is a capitalised word or an opening quote right after a lowercase word, on the
same line and outside brackets and quotes, where the lowercase word can end a phrase: not
"the", "of", "as" … ("download the Ledger app" has none) and not a label word ("Image caption
Assange leaves court": the caption is the label's text).

A stretch is a sentence when it has a finite verb. The test is a small closed list and two
suffix heuristics, chosen for precision: an auxiliary or modal anywhere ("was", "would"), or,
after a subject (a pronoun; a determiner and one or two words: "the company said"; a
capitalised word: "Police arrested", "Boris Johnson said"), a past form (-ed, not before
"by", or a common irregular one, also after "and") or the -s form of a common verb ("says",
"faces"). A capitalised word after the first is never taken for a verb (title case). An
imperative ("Click here …") or a headline ("Harbour scheme faces fresh delay") is not a
finite clause by this test.
"""
from __future__ import annotations

import re

_OPEN_WORDS = frozenset("""a an the of to in on at by for from with about as and or but nor than
    into onto over under via per vs his her its their our my your this that these those some any
    no every each which who whose whom where when while if then so like near after before
    since until upon within without against between among through during toward towards across
    behind beyond along around amid new former late de la le du van von al el""".split())
_LABEL_WORDS = frozenset("caption captions copyright credit credits photo photos image images picture "
                         "pictures video source".split())
_AUX = frozenset("""is are was were am has had does did would could should might must shall
    isn't aren't wasn't weren't hasn't hadn't doesn't didn't won't wouldn't couldn't shouldn't
    can't cannot mustn't""".split())
_AFTER_PRONOUN = frozenset("""have do will can may need want know think say use believe expect
    hope plan see go get make take come feel""".split())
_PAST = frozenset("""said told went came made took gave found saw knew thought got left put
    began won lost felt kept held brought became spoke wrote met paid ran sent stood sat heard
    meant led fell built sold spent chose drove flew grew rose shot struck threw wore broke""".split())
_S_VERBS = frozenset("""says has does wants plans faces makes takes gets comes goes needs shows
    remains seems looks includes warns claims believes expects hopes thinks knows admits insists
    adds means""".split())
_NOT_ED = frozenset("hundred sacred naked wicked rugged kindred beloved crooked ragged".split())
_PRONOUNS = frozenset("i you he she it we they".split())
_THIRD = frozenset("he she it".split())
_DETS = frozenset("the a an this that these those his her its their our my your".split())
_OPENERS = _PRONOUNS | _DETS | {"there"}
_ADVERBS = frozenset("also still never then just now only not already often later again".split())
_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
_GLUE = re.compile(r"(?<!\S)([a-z][a-z'’-]*)[^\S\r\n]+(?=[“\"‘']?(?:[A-Z][a-z]|[AI][^\S\r\n]|I['’]))")
_GLUE_LOOSE = re.compile(_GLUE.pattern.replace("(?<!\\S)(", "(?<!\\S)([A-Z][a-z'’-]*|\\d[\\d.,:%-]*|", 1))
_PREV_WORD = re.compile(r"(?:^|\s)([a-z][\w'’-]*)[^\S\r\n]+\Z")
_STOP = re.compile(r"[.!?…](?=\s|$)")


def glued_starts(text: str, names: bool = False, numbers: bool = False) -> list[int]:
    """Offsets in ``text`` where a sentence glued on without a stop may begin (see above):
    after a lowercase word; with ``names`` also after a capitalised word that follows a
    lowercase one ("… on Twitter and Facebook Police arrested …", but as well inside a name:
    "as Storm Ciara"), with ``numbers`` also after a number ("… in 1998 Click here")."""
    out = []
    for m in (_GLUE_LOOSE if names or numbers else _GLUE).finditer(text):
        word = m.group(1).lower()
        if word in _OPEN_WORDS or word in _LABEL_WORDS:
            continue
        if word[0].isdigit() and not numbers:
            continue
        if m.group(1)[0].isupper():  # only after a lowercase word other than a determiner:
            prev = _PREV_WORD.search(text, 0, m.start()) if names else None  # not in "Harbour Scheme
            if prev is None or prev.group(1).lower() in _DETS:  # Faces", "our User Agreement"
                continue
        head = text[:m.end()]
        if head.count("(") > head.count(")") or head.count("[") > head.count("]") or \
                head.count("“") > head.count("”") or head.count('"') % 2:
            continue  # inside brackets or a quotation
        out.append(m.end())
    return out


def opens_sentence(text: str) -> bool:
    """Does ``text`` open like a sentence: a pronoun, determiner or "There" with a finite verb
    after it, or one or two capitalised words and then a finite form ("Police arrested …",
    "Boris Johnson said …")?"""
    words = text.split(None, 3)
    if not words:
        return False
    first = words[0].strip("“\"‘'(").lower()
    if first in _OPENERS:
        return finite_verb(text) is not None
    for k, w in enumerate(words[:3]):
        if not w[:1].isupper():
            return k in (1, 2) and w[:1].isalpha() and finite_verb(" ".join(words[:k + 1])) is not None
    return False


def finite_verb(text: str) -> str | None:
    """The first word of ``text`` (up to its first sentence stop) that is a finite verb by the
    heuristics above, or None."""
    first = _TOKEN.search(text)
    stop = _STOP.search(text, first.start()) if first else None  # stops before the first word do not end it
    words = _TOKEN.findall(text[:stop.end()] if stop else text)
    low = [w.lower().replace("’", "'") for w in words]
    for i, w in enumerate(low):
        if i and words[i][0].isupper():
            continue  # title case ("Why Brexit Is Bad", "“How It Works” magazine") is not a clause
        if w in _AUX:
            return words[i]
        j = i - 1
        while j >= 0 and (low[j] in _ADVERBS or (low[j].endswith("ly") and len(low[j]) > 4)):
            j -= 1  # "she also said", "police quickly arrested"
        if j < 0:
            continue
        ed = w.endswith("ed") and len(w) > 4 and not w.endswith("eed") and w not in _NOT_ED and \
            (i + 1 == len(low) or low[i + 1] != "by")  # "the comments powered by": a participle
        past = w in _PAST or ed
        if low[j] == "and" and w in _PAST:
            return words[i]  # "… and then spoke again": a second predicate
        if low[j] in _PRONOUNS:
            if past or w in _AFTER_PRONOUN or (low[j] in _THIRD and (w in _S_VERBS or (
                    w.endswith("s") and not w.endswith("ss") and len(w) > 3))):
                return words[i]
            continue
        if not (past or w in _S_VERBS) or words[i][0].isupper():
            continue  # a capitalised first word: "Said" opens a headline, not a clause
        if words[j][0].isupper() and low[j] not in _DETS and (j > 0 or low[j] not in _OPEN_WORDS):
            return words[i]  # "Police arrested", "Boris Johnson said", "… and Facebook Police arrested"
        if (j >= 1 and low[j - 1] in _DETS and low[j] not in _DETS) or \
                (j >= 2 and low[j - 2] in _DETS and low[j - 1] not in _OPEN_WORDS and low[j] not in _OPEN_WORDS):
            return words[i]  # "the company said", "the port authority said"
    return None
