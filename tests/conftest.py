import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The rule set cache (lint.rulecache) of every test, and of the commands tests run, is a
# temporary folder: never the real ~/.cache/copydesk.
_RULE_CACHE = tempfile.mkdtemp(prefix="copydesk-test-cache-")
os.environ["COPYDESK_CACHE_DIR"] = _RULE_CACHE
atexit.register(shutil.rmtree, _RULE_CACHE, True)


@pytest.fixture(scope="session")
def ruleset():
    from lint.packs import load_rules

    return load_rules()


def needs_shared(path: str):
    """Skip a test when the research data beside the checkout is absent (it is not shipped)."""
    return pytest.mark.skipif(not (SHARED / path).exists(),
                              reason=f"../shared/{path} not present (evaluation data is not part of the project)")
