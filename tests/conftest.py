import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def ruleset():
    from lint.packs import load_rules

    return load_rules()


def needs_shared(path: str):
    """Skip a test when the research data beside the checkout is absent (it is not shipped)."""
    return pytest.mark.skipif(not (SHARED / path).exists(),
                              reason=f"../shared/{path} not present (evaluation data is not part of the project)")
