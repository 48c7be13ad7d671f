"""The closing numbers of a report, gathered one result at a time (no JSON needed: the text
report, which pre-commit prints, uses them too)."""
from __future__ import annotations


from ..model import Applicability, Severity

_NAMES = {s: str(s) for s in Severity}  # str() of an enum member is a call per finding
_BY_VALUE = {int(s): s for s in Severity}
_INT_NAMES = {int(s): str(s) for s in Severity}
_DISPLAY_ONLY = int(Applicability.DISPLAY_ONLY)


class Tally:
    """What a report says after the files: counts by severity and rule, files with findings or
    errors, verdicts, the fixable rules. Fed one result at a time (``add``), so that a streamed
    report need not hold the results it has written."""

    def __init__(self, results=()):
        self.files = self.with_findings = self.with_errors = self.likely_mt = 0
        self.counts = {"error": 0, "warning": 0, "info": 0}
        self.rules: dict[str, list] = {}  # code -> [findings, name, has a fix]
        self.errors: list[str] = []  # why files could not be linted (or their fixes written)
        self.unwritten = 0  # files whose fixes could not be written (among with_errors)
        self.verdicts: list[tuple[str, dict]] = []  # (path, verdict) of likely machine-translated files
        self.worst = None  # the highest severity found
        for r in results:
            self.add(r)

    def add(self, r) -> None:
        rows = r.stored_rows if "stored" in r.__dict__ else None
        if rows is not None:  # a stored result (lint.cache.Stored): its rows, no findings made to count them
            self._file(r, bool(rows), r.stored.likely_mt)  # the verdict is read back only when likely
            if rows:
                self._add_rows(rows)
            return
        self._file(r, bool(r.diagnostics), bool(r.verdict and r.verdict["likely_mt"]))
        counts, rules = self.counts, self.rules
        for d in r.diagnostics:
            severity = d.severity
            counts[_NAMES.get(severity) or str(severity)] += 1
            row = rules.get(d.code)
            if row is None:
                row = rules[d.code] = [0, d.name, False]
            row[0] += 1
            if d.fix and str(d.fix.applicability) != "display-only":
                row[2] = True
            if self.worst is None or severity > self.worst:
                self.worst = severity

    def _file(self, r, found: bool, likely: bool) -> None:
        """The counts of files: with findings, with an error, likely machine-translated."""
        self.files += 1
        if found:
            self.with_findings += 1
        if r.error:
            self.with_errors += 1
            self.errors.append(r.error)
            if r.unwritten:
                self.unwritten += 1
        if likely:
            self.likely_mt += 1
            self.verdicts.append((r.path, r.verdict))

    def _add_rows(self, rows) -> None:
        """The findings of a stored result, counted from its rows (severities as ints): what the
        loop of :meth:`add` counts from findings."""
        counts, rules, names = self.counts, self.rules, _INT_NAMES
        worst = 0
        for code, name, _, severity, _, _, _, _, fix in rows:
            counts[names[severity]] += 1
            row = rules.get(code)
            if row is None:
                row = rules[code] = [0, name, False]
            row[0] += 1
            if fix is not None and fix[0] != _DISPLAY_ONLY:
                row[2] = True
            if severity > worst:
                worst = severity
        if self.worst is None or worst > self.worst:
            self.worst = _BY_VALUE[worst]

    def summary(self) -> dict:
        return {
            "files": self.files,
            "files_with_findings": self.with_findings,
            "files_with_errors": self.with_errors,
            "diagnostics": sum(self.counts.values()),
            "by_severity": dict(self.counts),
            "by_code": {code: row[0] for code, row in sorted(self.rules.items())},
            "likely_mt": self.likely_mt,
        }


def summary(results) -> dict:
    return Tally(results).summary()
