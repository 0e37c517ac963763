"""Golden outputs: review a diff in golden/ like a code change (UPDATE_GOLDEN=1 to rewrite)."""
import json
from pathlib import Path

import pytest

from app.remediation import plan_to_dict, render_powershell
from tests.remediation.cases import CASES

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name, update_golden):
    plan = CASES[name]
    outputs = {
        f"{name}.ps1": render_powershell(plan),
        f"{name}.json": json.dumps(plan_to_dict(plan), indent=2, ensure_ascii=False) + "\n",
    }
    for filename, text in outputs.items():
        path = GOLDEN / filename
        if update_golden:
            path.write_text(text, encoding="utf-8")
        assert path.read_text(encoding="utf-8") == text, f"{filename} changed; UPDATE_GOLDEN=1 to accept"


def test_no_stale_golden_files():
    expected = {f"{name}{suffix}" for name in CASES for suffix in (".ps1", ".json")}
    assert {p.name for p in GOLDEN.iterdir()} == expected
