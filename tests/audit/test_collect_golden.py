"""The collection script, as the admin receives it, compared with a reviewed copy (golden/).

The facts it must hold (read only, parses, documented parameters, every property the rules read)
are asserted on their own in test_collect.py; this catches any other change to the text an admin
runs. Rewrite with `.venv/bin/python -m tests.remediation.update_golden`, then review the diff.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.audit.collect import collection_script
from app.translate import plain

GOLDEN = Path(__file__).parent / "golden"
KINDS = ("exchange-2010", "exchange-2019")


def golden_outputs(_=plain) -> dict[str, str]:
    return {f"collect-{kind}.ps1": collection_script(kind, "KB-7F3K-92QD", today=date(2026, 11, 5), _=_)
            for kind in KINDS}


@pytest.mark.parametrize("filename", sorted(golden_outputs()))
def test_the_collection_script_is_the_reviewed_one(filename):
    assert (GOLDEN / filename).read_text(encoding="utf-8") == golden_outputs()[filename], \
        f"{filename} changed: if the change is right, run python -m tests.remediation.update_golden"


def test_no_stale_golden_files():
    assert {p.name for p in GOLDEN.iterdir()} == set(golden_outputs())


def test_the_header_reads_in_swedish_and_the_commands_stay():
    from tests.swedish import swedish

    for filename, english in golden_outputs().items():
        translated = golden_outputs(swedish)[filename]
        assert [line for line in translated.splitlines() if not line.startswith("#")] == \
            [line for line in english.splitlines() if not line.startswith("#")]
        assert translated.splitlines()[0] != english.splitlines()[0]
