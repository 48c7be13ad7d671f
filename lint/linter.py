"""The pure linter: a Document and a rule set in, diagnostics out. No files, no config I/O."""
from __future__ import annotations

from collections import defaultdict

from .document import Document
from .document.sentences import inside
from . import literals
from .literals import doc_met
from .regex.gate import GATED_CHECKS, for_document as gate_for, rules_out
from .model import Applicability, Diagnostic, Edit, Fix, Severity, excerpt
from .packs import Rule
from .suppress import collect, is_suppressed


class _Vars(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def _message(rule: Rule, hit) -> str:
    if hit.message:
        return hit.message
    vars_ = _Vars(hit.vars)
    if "match" in vars_:
        vars_["match"] = excerpt(vars_["match"], 80)
    return rule.meta.summary.format_map(vars_)


def _blank(hit, s: int, e: int, content: str) -> bool:
    """An edit that changes only spacing (the same characters but blanks before and after):
    inside a quotation it leaves the quoted words and marks as they were, so a safe fix stays
    safe."""
    return hit.block is not None and "".join(hit.block.text[s:e].split()) == "".join(content.split())


def _fix(rule: Rule, hit, quotes=()) -> Fix | None:
    meta = rule.meta
    if not hit.edits or meta.fix_applicability is None:
        return None
    applicability = meta.fix_applicability
    if applicability == Applicability.SAFE and quotes and any(
            s < qe and e > qs and not _blank(hit, s, e, c)
            for s, e, c in hit.edits for qs, qe in quotes if (s, e) != (qs, qe)):
        applicability = Applicability.UNSAFE  # inside a quotation a person checks the change
    if hit.fix_cap is not None:  # higher is safer: the cap can only lower it
        applicability = min(applicability, hit.fix_cap)
    edits = []
    for s, e, content in hit.edits:
        if hit.block is None:
            edits.append(Edit(s, e, content))
            continue
        if not hit.block.map.is_exact(s, e):
            applicability = Applicability.DISPLAY_ONLY
        src_s, src_e = hit.block.to_source(s, e)
        edits.append(Edit(src_s, src_e, content))
    title = "Delete it" if all(not e.content for e in edits) else \
        "Replace with " + " / ".join(repr(e.content) for e in edits)
    return Fix(tuple(edits), applicability, title)


#: (id of a rule list, id of a gate) -> (a copy of the list, the gate, its plan): :func:`_plan`
_PLANS: dict = {}


class _Plan:
    """What :func:`lint_document` asks of each rule of a list for every document, worked out once
    per rule list and gate (the runner passes one list per rule selection).

    ``entries``: per rule (rule, kind instance, metadata, whether it is a backend, and the gate's
    form of its patterns when its ``check`` yields nothing once the gate rules them out
    (lint.regex.gate.GATED_CHECKS), else None).

    The rest answers, for a whole document at once, which rules can match it (:meth:`runs`): a
    rule is a bit; each literal string of the rules' requirement sets (``impl.requires``, lint.literals)
    maps to the bits of the rules (or, for a rule of several sets, of its sets) that it meets;
    each gate id to the bits of the rules whose patterns (or prefilter) it is. The strings are
    learned by the literal accelerator before a document's pass, so that the pass answers every
    one of them: the bits of the strings it found are the rules :func:`lint.literals.doc_met`
    would let through, and the gate's found ids say which :func:`lint.regex.gate.rules_out`
    would stop, as each rule's own questions would."""

    __slots__ = ("entries", "strings", "vocabulary", "str_bits", "single", "multi", "unrequired",
                 "id_bits", "pf_bits", "has_ids", "has_pf", "seen")

    def __init__(self, rules: list[Rule], gate):
        self.entries = []
        str_bits: dict[str, int] = {}
        id_bits: dict[int, int] = {}
        pf_bits: dict[int, int] = {}
        single = unrequired = has_ids = has_pf = 0
        multi = []  # (the rule's bit, the bits of its sets) for a rule of several sets
        extra = len(rules)  # a set of such a rule has a bit past the rules' own
        for i, rule in enumerate(rules):
            impl = rule.impl
            bit = 1 << i
            external = getattr(impl, "diagnostics", None) is not None  # a backend (LanguageTool)
            form = None
            if gate is not None and not external and getattr(type(impl), "check", None) in GATED_CHECKS:
                form = gate.owned(impl)
                if form[0] is None and form[1] is None:
                    form = None  # nothing the gate can prove for it
            self.entries.append((rule, impl, rule.meta, external, form))
            requires = () if external else impl.requires
            if not requires:
                unrequired |= bit
            elif len(requires) == 1:
                single |= bit
                for s in requires[0]:
                    str_bits[s] = str_bits.get(s, 0) | bit
            else:
                need = 0
                for strings in requires:
                    b = 1 << extra
                    extra += 1
                    need |= b
                    for s in strings:
                        str_bits[s] = str_bits.get(s, 0) | b
                multi.append((bit, need))
            if form is not None:
                ids, pf = form
                if ids is not None:
                    has_ids |= bit
                    for x in ids:
                        id_bits[x] = id_bits.get(x, 0) | bit
                if pf is not None:
                    has_pf |= bit
                    pf_bits[pf] = pf_bits.get(pf, 0) | bit
        self.strings = frozenset(str_bits)
        self.vocabulary = None  # the literal accelerator's vocabulary the strings were taught to
        self.seen = False  # asked for a document yet
        self.str_bits, self.single, self.multi, self.unrequired = str_bits, single, tuple(multi), unrequired
        self.id_bits, self.pf_bits, self.has_ids, self.has_pf = id_bits, pf_bits, has_ids, has_pf

    def runs(self, present, g) -> int | None:
        """The bits of the rules that can match a document (``present``: its
        lint.literals.Presence, not asked anything yet; ``g``: its DocGate or None), or None when
        the literal accelerator cannot answer every string (then each rule is asked in turn)."""
        if not literals.ENABLED or present.found is not None:
            return None
        if not self.seen:  # the first document: asked rule by rule (a one-file run then never
            self.seen = True  # builds the accelerator's automaton, nor imports its library)
            return None
        if self.vocabulary is not literals.VOCABULARY:
            literals.learn(self.strings)
            self.vocabulary = literals.VOCABULARY
        found = present.passed()
        if found is None:
            return None
        str_bits = self.str_bits
        met = 0
        for s in self.strings.intersection(found):
            met |= str_bits[s]
        ok = self.unrequired | (met & self.single)
        for bit, need in self.multi:
            if met & need == need:
                ok |= bit
        if g is not None and (self.has_ids or self.has_pf):
            ids = g.found_ids()
            some = first = 0
            id_bits, pf_bits = self.id_bits, self.pf_bits
            for x in ids:
                some |= id_bits.get(x, 0)
                first |= pf_bits.get(x, 0)
            ok &= ~((self.has_ids & ~some) | (self.has_pf & ~first))
        return ok


def _plan(rules: list[Rule], gate) -> _Plan:
    """The :class:`_Plan` of ``rules`` and ``gate`` (a lint.regex.gate.Gate or None)."""
    key = (id(rules), id(gate))
    hit = _PLANS.get(key)
    if hit is not None and hit[1] is gate and hit[0] == rules:
        return hit[2]
    plan = _Plan(rules, gate)
    if len(_PLANS) >= 64:
        _PLANS.clear()
    _PLANS[key] = (list(rules), gate, plan)
    return plan


def warm(rule_lists) -> None:
    """Before worker processes are forked (lint.runner): what each would do at its first
    documents, done once here and inherited. Each of ``rule_lists``' plans is made under the
    gate (which then serves from a worker's first document on), its first document counted as
    seen, its strings taught to the literal accelerator, whose automaton is built. Workers
    spent ~16 ms each on this, over their first three documents."""
    from .regex import gate as gates

    if gates.available():
        gates._DOCS[0] = max(gates._DOCS[0], 1)  # a worker's first document is its process's second
    current = gates.current()
    for rules in rule_lists:
        plan = _plan(rules, current)
        plan.seen = True
        if literals.ACCEL and literals.ENABLED:
            literals.learn(plan.strings)
            plan.vocabulary = literals.VOCABULARY
    if literals.ACCEL and literals.ENABLED:
        literals.VOCABULARY.ready()


def lint_document(doc: Document, rules: list[Rule], severity_for=None) -> list[Diagnostic]:
    """Run ``rules`` over ``doc``. ``severity_for(meta)`` may override a rule's severity."""
    if not doc.suppressions and doc.comments:
        doc.suppressions = collect(doc)
    by_zone: dict[tuple, list] = {}
    out: list[Diagnostic] = []
    memo = doc.memo
    if "gate" not in memo:  # patterns that cannot match this document (lint.regex.gate)
        memo["gate"] = gate_for(doc, rules)
    g = memo["gate"]
    present = doc.present
    plan = _plan(rules, g.gate if g is not None else None)
    run = plan.runs(present, g)  # the rules that can match, decided at once (or None)
    for i, (rule, impl, meta, external, form) in enumerate(plan.entries):
        if run is not None:
            if not run >> i & 1:
                continue
        else:
            if not external and impl.requires and not doc_met(impl.requires, present):
                continue  # cannot match: skip (lint.literals)
            if form is not None and rules_out(form, g.found_ids()):
                continue  # the rule's check would stop at this same test (the scan runs once)
        if external:
            out.extend(_external(doc, rule))
            continue
        zones = meta.zones
        if zones not in by_zone:
            by_zone[zones] = [b for b in doc.blocks if not zones or b.zone in zones]
        blocks = by_zone[zones]
        if not blocks:
            continue
        severity = severity_for(meta) if severity_for else meta.severity
        first = len(out)
        for hit in impl.check(doc, blocks):
            block = hit.block
            q = ()
            if block is not None:
                if meta.quote_policy == "skip" or hit.edits:
                    q = block.quotes
                if meta.quote_policy == "skip" and inside(q, hit.start, hit.end):
                    continue
                start, end = block.to_source(hit.start, hit.end)
            else:
                start, end = hit.start, hit.end
            if doc.suppressions and is_suppressed(doc.suppressions, meta.code, meta.name, start, end):
                continue
            out.append(Diagnostic(meta.code, meta.name, meta.category, severity, _message(rule, hit),
                                  start, end, _fix(rule, hit, q)))
        if meta.demote_after is not None and len(out) - first > meta.demote_after and severity > Severity.INFO:
            _demote(out, first, meta.demote_after)
    out.sort(key=Diagnostic.sort_key)
    return out


def _demote(out: list[Diagnostic], first: int, keep: int) -> None:
    """One rule's findings are ``out[first:]``: the first ``keep`` of them (in document order)
    keep their severity, the rest go to info. A rule that fires all through a document has
    found one systematic cause (tokenised text, paragraphs glued by an extractor): it is
    reported as a few warnings, not dozens, and every occurrence stays in the report and in
    ``--fix``. The last warning says how many more there are."""
    mine = sorted(out[first:], key=Diagnostic.sort_key)
    more = len(mine) - keep
    last = mine[keep - 1]
    last.message += f" ({more} more like it in this file, reported as info)"
    for d in mine[keep:]:
        d.severity = Severity.INFO
    out[first:] = mine


def _external(doc: Document, rule: Rule):
    """A backend's diagnostics (already in source coordinates and selected). Suppression comments
    silence them by their own code or name, or by the backend's (``LT``)."""
    for d in rule.impl.diagnostics(doc):
        if doc.suppressions and (is_suppressed(doc.suppressions, d.code, d.name, d.start, d.end)
                                 or is_suppressed(doc.suppressions, rule.meta.code, rule.meta.name, d.start, d.end)):
            continue
        yield d


def count_by_severity(diags: list[Diagnostic]) -> dict[str, int]:
    counts = defaultdict(int)
    for d in diags:
        counts[str(d.severity)] += 1
    return {str(s): counts.get(str(s), 0) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
