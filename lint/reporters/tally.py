"""The closing numbers of a report, gathered one result at a time (no JSON needed: the text
report, which pre-commit prints, uses them too)."""
from __future__ import annotations


from ..model import Applicability, Severity

_NAMES = {s: str(s) for s in Severity}  # str() of an enum member is a call per finding
_BY_VALUE = {int(s): s for s in Severity}
_DISPLAY_ONLY = int(Applicability.DISPLAY_ONLY)


class Tally:
    """What a report says after the files: counts by severity and rule, files with findings or
    errors, verdicts, the fixable rules. Fed one result at a time (``add``), so that a streamed
    report need not hold the results it has written."""

    def __init__(self, results=()):
        self.files = self.with_findings = self.with_errors = self.likely_mt = 0
        self.counts = {"error": 0, "warning": 0, "info": 0}
        self.rules: dict[str, list] = {}  # code -> [findings, name, has a fix]
        self.errors: list[str] = []  # why files could not be linted
        self.verdicts: list[tuple[str, dict]] = []  # (path, verdict) of likely machine-translated files
        self.worst = None  # the highest severity found
        for r in results:
            self.add(r)

    def add(self, r) -> None:
        rows = r.stored_rows if "payload" in r.__dict__ else None  # a stored result: count its rows
        if rows is not None:
            self._add_rows(r, rows)
            return
        self.files += 1
        if r.diagnostics:
            self.with_findings += 1
        if r.error:
            self.with_errors += 1
            self.errors.append(r.error)
        if r.verdict and r.verdict["likely_mt"]:
            self.likely_mt += 1
            self.verdicts.append((r.path, r.verdict))
        counts, rules = self.counts, self.rules
        for d in r.diagnostics:
            severity = d.severity
            counts[_NAMES.get(severity) or str(severity)] += 1
            row = rules.get(d.code)
            if row is None:
                row = rules[d.code] = [0, d.name, False]
            row[0] += 1
            if not row[2] and d.fix and str(d.fix.applicability) != "display-only":
                row[2] = True
            if self.worst is None or severity > self.worst:
                self.worst = severity

    def _add_rows(self, r, rows) -> None:
        """``add`` for a stored result's findings as rows (lint.cache.to_payload): the same
        counts without making the findings."""
        self.files += 1
        if rows:
            self.with_findings += 1
        if r.error:
            self.with_errors += 1
            self.errors.append(r.error)
        if r.payload[1]:  # likely machine-translated: only then is the verdict read back
            self.likely_mt += 1
            self.verdicts.append((r.path, r.verdict))
        counts, rules = self.counts, self.rules
        for code, name, _, severity, _, _, _, _, fix in rows:
            severity = _BY_VALUE[severity]
            counts[_NAMES[severity]] += 1
            row = rules.get(code)
            if row is None:
                row = rules[code] = [0, name, False]
            row[0] += 1
            if not row[2] and fix is not None and fix[0] != _DISPLAY_ONLY:
                row[2] = True
            if self.worst is None or severity > self.worst:
                self.worst = severity

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
