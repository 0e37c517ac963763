"""Golden outputs: review a diff in golden/ like a code change.

These tests only compare. Rewriting the files is a separate, explicit step whose diff someone
reads: `.venv/bin/python -m tests.remediation.update_golden`, then `git diff tests/remediation/golden`.
The facts each case must hold are asserted on their own in test_golden_facts.py and
test_golden_cases.py, so an accepted rewrite cannot quietly break them.
"""
import json
import os
from pathlib import Path

import pytest

from app.remediation import plan_to_dict, render_powershell
from tests.remediation.cases import CASES

GOLDEN = Path(__file__).parent / "golden"
REWRITE = "python -m tests.remediation.update_golden"


def golden_outputs(name: str) -> dict[str, str]:
    """{file name: text} of one case, as the golden files hold them."""
    plan = CASES[name]
    return {
        f"{name}.ps1": render_powershell(plan),
        f"{name}.json": json.dumps(plan_to_dict(plan), indent=2, ensure_ascii=False) + "\n",
    }


def test_the_goldens_are_never_rewritten_by_the_tests():
    # UPDATE_GOLDEN=1 used to rewrite and then compare, a test that always passed.
    assert "UPDATE_GOLDEN" not in os.environ, f"the tests no longer rewrite golden files: run {REWRITE}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name):
    for filename, text in golden_outputs(name).items():
        assert (GOLDEN / filename).read_text(encoding="utf-8") == text, \
            f"{filename} changed: if the change is right, run {REWRITE} and review the diff"


def test_no_stale_golden_files():
    expected = {f"{name}{suffix}" for name in CASES for suffix in (".ps1", ".json")}
    assert {p.name for p in GOLDEN.iterdir()} == expected
