"""``phrase``: literal renderings of English idioms (calques), as templates with context frames.

Each entry names the idiom it mangles, the templates that match its literal renderings, an
optional replacement, its provenance, and its own fail/pass sentences. Template tokens,
separated by spaces:

- ``word``: that word (any case; either apostrophe);
- ``<lemma>``: every inflection of a verb or noun (``<come>`` = come, comes, came, coming);
- ``a|b|<c>``: any one of the alternatives (``_`` joins words: ``in_moderation``);
- ``word?``: optional;
- ``*`` one arbitrary word, ``*1`` at most one, ``*2`` up to two arbitrary words.

Inflections come from ``data/inflections.txt``, generated at build time by
``tools/build_inflections.py`` (lemminflect), so no tagger runs at lint time.
"""
from __future__ import annotations

import re
from functools import reduce
from operator import or_
from pathlib import Path

from .. import literals, regex
from ..packs import note_read, parse_marked
from .base import Hit, Kind

_WORD = r"[\w'’-]+"


def load_inflections(path: Path) -> dict[str, list[str]]:
    table = {}
    note_read(path)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lemma, *forms = line.split()
            table[lemma] = [lemma] + [f for f in forms if f != lemma]
    return table


def template_lemmas(template: str) -> set[str]:
    return set(re.findall(r"<([a-z'-]+)>", template))


_WORDS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def _required_forms(template: str, inflections: dict[str, list[str]]):
    """Per token of the template that is not optional or a gap, the list of its forms (every
    inflection of a ``<lemma>``, every alternative)."""
    for token in template.split():
        if token.endswith("?") or token.startswith("*"):
            continue
        forms = []
        for alt in token.split("|"):
            m = re.fullmatch(r"<([a-z'-]+)>", alt)
            forms.extend(inflections.get(m.group(1), [m.group(1)]) if m else [alt])
        yield forms


def trigger_words(template: str, inflections: dict[str, list[str]]) -> set[str]:
    """The words of the template's most selective required token: a block must contain one of
    them for the template to match (a cheap prefilter before the regex)."""
    best: set[str] | None = None
    for forms in _required_forms(template, inflections):
        words = set()
        for form in forms:
            # split exactly as check() splits the text, so hyphenated and apostrophe
            # forms ("well-known", "don't") produce words that can actually occur
            parts = [w.replace("’", "'") for w in _WORDS.findall(form.lower().replace("_", " "))]
            if parts:
                words.add(max(parts, key=len))
        if not words:
            continue
        # prefer the token whose shortest alternative is longest (long words are rare)
        if best is None or min(map(len, words)) > min(map(len, best)):
            best = words
    return best or set()


_RUN = re.compile(r"[a-z0-9]+")  # as Document.words splits the folded text


def _needs(templates, inflections) -> tuple:
    """Per template, the string sets its required tokens need (see :func:`_possible`): for each
    token that is not optional or a gap, the longest run of ASCII letters and digits of each of
    its forms. A form's words are matched whole, in any case, so its run is a substring of the
    folded text and one of the document's words (:attr:`Document.words`, split the same way).
    A token with a form that has no such run, or a run shorter than three characters,
    constrains nothing and is left out."""
    out = []
    for template in templates:
        sets = []
        for forms in _required_forms(template, inflections):
            runs = set()
            for form in forms:
                found = _RUN.findall(form.lower()) if form.isascii() else []
                if not found:
                    runs = None
                    break
                runs.add(max(found, key=len))
            # a short word ("a", "in") is in nearly every text: testing it rules nothing out
            if runs and min(map(len, runs)) >= 3:
                sets.append(frozenset(runs))
        # the two tokens of longest shortest string: rare words, enough to rule most texts out
        out.append(tuple(sorted(sets, key=lambda s: -min(map(len, s)))[:2]))
    return tuple(out)


def _possible(needs, has) -> bool:
    """Can a text of which ``has(string)`` tells the folded substrings match one of the
    templates (:func:`_needs`)?"""
    return any(all(any(has(s) for s in strings) for strings in sets) for sets in needs)


def compile_template(template: str, inflections: dict[str, list[str]]) -> str:
    parts = []
    for token in template.split():
        optional = token.endswith("?") and len(token) > 1
        if optional and token.startswith("*"):
            raise ValueError(f"template {template!r}: {token!r} is not a token (write *1 for an optional word)")
        if optional:
            token = token[:-1]
        if re.fullmatch(r"\*\d?", token):
            n = int(token[1:] or 1)
            piece = rf"(?:{_WORD}\s+){{0,{n}}}" if token[1:] else rf"{_WORD}\s+"
            parts.append(("gap", piece))
            continue
        alts = []
        for alt in token.split("|"):
            m = re.fullmatch(r"<([a-z'-]+)>", alt)
            if m:
                forms = inflections.get(m.group(1))
                if forms is None:
                    raise ValueError(f"no inflections for <{m.group(1)}>: run tools/build_inflections.py")
                alts.extend(forms)
            else:
                alts.append(alt.replace("_", " "))
        alts = sorted(set(alts), key=len, reverse=True)
        piece = "(?:" + "|".join(re.escape(a).replace("'", "['’]").replace(r"\ ", r"\s+") for a in alts) + ")"
        parts.append(("opt" if optional else "word", piece))
    out = ""
    for i, (kind, piece) in enumerate(parts):
        if kind == "gap":
            out += piece
        elif kind == "opt":
            out += rf"(?:{piece}\s+)?" if i < len(parts) - 1 else rf"(?:\s*{piece})?"
        else:
            out += piece + (r"\s+" if i < len(parts) - 1 else "")
    return r"(?<![\w'’-])" + out + r"(?![\w'’-])"


class Phrase(Kind):
    OPTIONS = {"entries": list, "inflections": str, "lists": dict}
    REQUIRED = ("entries",)

    def setup(self, data):
        infl_path = (self.path.parent / data.get("inflections", "data/inflections.txt")).resolve()
        self.inflections = load_inflections(infl_path) if infl_path.exists() else {}
        self.entries = []
        for i, entry in enumerate(data["entries"]):
            if not isinstance(entry, dict):
                raise ValueError(f"entry {i + 1} is not a mapping")
            unknown = set(entry) - {"idiom", "templates", "replace", "provenance", "fail", "pass"}
            if unknown:
                raise ValueError(f"entry {i + 1} ({entry.get('idiom')!r}): unknown key {sorted(unknown)[0]!r}")
            for key in ("idiom", "templates", "provenance", "fail", "pass"):
                if not entry.get(key):
                    raise ValueError(f"entry {i + 1} ({entry.get('idiom')!r}) needs '{key}'")
            regex = "|".join(compile_template(t, self.inflections) for t in entry["templates"])
            fails = [parse_marked(x) for x in entry["fail"]]
            if any(not spans for _, spans in fails):
                raise ValueError(f"entry {entry['idiom']!r}: every fail sentence needs a ⟦marked⟧ span")
            triggers = set()
            for t in entry["templates"]:
                triggers |= trigger_words(t, self.inflections)
            self.entries.append({
                # compiled on first use (_regex): most entries never see their trigger words
                "idiom": entry["idiom"], "pattern": regex, "regex": None, "triggers": triggers,
                "replace": entry.get("replace"), "provenance": entry["provenance"],
                "fail": fails, "pass": list(entry["pass"]), "templates": list(entry["templates"]),
            })
        # per entry, per template: the sets of strings one of which each required token puts
        # in a matching text (lint.literals's folded comparison); a document, then a block,
        # that misses one set of every template cannot match the entry
        self.entry_needs = [_needs(e["templates"], self.inflections) for e in self.entries]
        # the same as numbers, for the document-level test: set -> id, string -> the ids of
        # the sets it is in, entry -> per template the ids of its sets
        ids: dict[frozenset, int] = {}
        for needs in self.entry_needs:
            for sets in needs:
                for strings in sets:
                    ids.setdefault(strings, len(ids))
        self.need_sets: dict[str, frozenset] = {}
        for strings, k in ids.items():
            for string in strings:
                self.need_sets[string] = self.need_sets.get(string, frozenset()) | {k}
        self.need_strings = frozenset(self.need_sets)
        self.template_ids = [(i, frozenset(ids[x] for x in sets))
                             for i, needs in enumerate(self.entry_needs) for sets in needs]
        # the same as bits, for _live: string -> the bits of the sets it is in; each template
        # filed under the bit of its first set (its rarest strings), as (entry, the bits of its
        # sets): a document that meets the template meets that set, so _live looks only at the
        # templates filed under the first sets it meets (``firsts``: their bits); one that
        # needs no set is always live (open_entries)
        self.need_bits = {string: sum(1 << k for k in sets) for string, sets in self.need_sets.items()}
        self.by_bit: dict[int, list] = {}
        for (i, t), sets in zip(self.template_ids, (sets for needs in self.entry_needs for sets in needs)):
            if sets:
                self.by_bit.setdefault(1 << ids[sets[0]], []).append((i, sum(1 << k for k in t)))
        self.firsts = sum(self.by_bit)
        self.open_entries = tuple(sorted({i for i, t in self.template_ids if not t}))
        self.all_triggers = set().union(*(e["triggers"] for e in self.entries)) if self.entries else set()
        #: trigger word -> indexes of the entries it can start (a block looks up only its words)
        self.by_trigger: dict[str, list[int]] = {}
        for i, e in enumerate(self.entries):
            for w in e["triggers"]:
                self.by_trigger.setdefault(w, []).append(i)

    @staticmethod
    def _regex(entry) -> re.Pattern:
        rx = entry["regex"]
        if rx is None:
            rx = entry["regex"] = regex.compile(entry["pattern"], re.IGNORECASE)
        return rx

    def __getstate__(self):
        # a stored rule set (lint.rulecache) keeps every entry's regex compiled
        for entry in self.entries:
            self._regex(entry)
        return self.__dict__

    def _live(self, doc) -> list[int] | None:
        """The entries the document can match (None: the literal filters are off): those with a
        template every needed set of which has one of the document's words."""
        if not literals.ENABLED:
            return None
        met = reduce(or_, map(self.need_bits.__getitem__, self.need_strings & doc.words), 0)
        first = met & self.firsts
        if not first:
            return list(self.open_entries)
        live = set(self.open_entries)
        by_bit = self.by_bit
        while first:  # each first set met (lowest bit first)
            bit = first & -first
            first ^= bit
            for i, t in by_bit[bit]:
                if t & met == t:  # every set of the template met
                    live.add(i)
        return sorted(live)

    def check(self, doc, blocks):
        live = self._live(doc)
        if live is not None and not live:
            return
        for block in blocks:
            text = block.text
            if live is not None:  # the entries whose needed strings the block holds
                has = block.folded.__contains__
                picked = [i for i in live if _possible(self.entry_needs[i], has)]
            else:  # filters off (lint.literals.ENABLED): the entries one of whose trigger words it holds
                words = block.memo.get("phrase.words")  # the same for every phrase rule: made once
                if words is None:  # (both apostrophes are inside _WORDS's words: straightening first is the same)
                    words = block.memo["phrase.words"] = frozenset(_WORDS.findall(text.lower().replace("’", "'")))
                picked = sorted({i for w in words & self.all_triggers for i in self.by_trigger[w]})
            for i in picked:  # in entry order, as the pack lists them
                entry = self.entries[i]
                for m in self._regex(entry).finditer(text):
                    s, e = m.span()
                    edits = None
                    if entry["replace"] is not None:
                        rep = entry["replace"]
                        if text[s:s + 1].isupper():
                            rep = rep[:1].upper() + rep[1:]
                        edits = [(s, e, rep)]
                    yield Hit(block, s, e, {"match": text[s:e], "idiom": entry["idiom"]}, edits)
