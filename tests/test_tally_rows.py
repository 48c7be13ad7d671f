"""lint.reporters.tally.Tally counts a stored result from its rows (severities as ints) and a
linted one from its findings: the two must say the same for the same findings."""
from __future__ import annotations

import random

from lint.cache import Stored
from lint.model import Applicability, Diagnostic, Edit, Fix, Severity
from lint.reporters.tally import Tally
from lint.runner import FileResult, _stored_result


def _diagnostic(rng) -> Diagnostic:
    code = rng.choice(["UI001", "CAP001", "SEG002", "UI025"])
    fix = None
    if rng.random() < 0.6:
        fix = Fix((Edit(0, 1, ""),), rng.choice(list(Applicability)), "Delete it")
    start = rng.randint(0, 20)
    return Diagnostic(code, code.lower(), "cat", rng.choice(list(Severity)), "m", start, start + 1, fix)


def test_stored_rows_and_findings_tally_alike():
    rng = random.Random(3)
    for _ in range(200):
        made, stored = Tally(), Tally()
        for i in range(rng.randint(1, 5)):
            diags = sorted((_diagnostic(rng) for _ in range(rng.randint(0, 6))), key=Diagnostic.sort_key)
            likely = rng.random() < 0.3
            verdict = {"likely_mt": likely, "score": 1.0} if diags or likely else None
            r = FileResult(f"f{i}.txt", source="x" * 30, diagnostics=diags, verdict=verdict)
            made.add(r)
            s = Stored.of(r)
            stored.add(_stored_result(r.path, "text", s, None, source=r.source))
        assert stored.summary() == made.summary()
        assert stored.worst == made.worst and type(stored.worst) is type(made.worst)
        assert stored.rules == made.rules
        assert [p for p, _ in stored.verdicts] == [p for p, _ in made.verdicts]
