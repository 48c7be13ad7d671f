"""Reporters: pure renderers of lint results. Each takes (results, context) and returns text.

Context keys (all optional): ``show_source`` (text), ``rules`` (list of RuleMeta: SARIF rule
descriptors, help in GitLab and HTML), ``root`` (paths are reported relative to it; default
the working directory), ``column_kind`` (SARIF: ``unicodeCodePoints`` or ``utf16CodeUnits``).
"""
from __future__ import annotations

from . import github as github_reporter
from . import gitlab as gitlab_reporter
from . import html as html_reporter
from . import json as json_reporter
from . import junit as junit_reporter
from . import rdjson as rdjson_reporter
from . import sarif as sarif_reporter
from . import text as text_reporter

REPORTERS = {
    "text": text_reporter.render,
    "json": json_reporter.render,
    "sarif": sarif_reporter.render,
    "junit": junit_reporter.render,
    "github": github_reporter.render,
    "gitlab": gitlab_reporter.render,
    "rdjson": rdjson_reporter.render,
    "html": html_reporter.render,
}
