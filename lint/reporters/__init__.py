"""Reporters: pure renderers of lint results. Each takes (results, context) and returns text."""
from __future__ import annotations

from . import json as json_reporter
from . import text as text_reporter

REPORTERS = {
    "text": text_reporter.render,
    "json": json_reporter.render,
}
