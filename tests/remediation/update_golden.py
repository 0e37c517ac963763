"""Rewrite the golden files (tests/remediation/golden/, tests/audit/golden/) and say which changed.

The explicit step after a deliberate change to the plans: `.venv/bin/python -m tests.remediation.update_golden`,
then read `git diff tests/remediation/golden` as a code change. The tests never rewrite.
"""
from __future__ import annotations

from pathlib import Path

from tests.audit import test_collect_golden as collect
from tests.remediation import test_golden as plans
from tests.remediation.cases import CASES


def rewrite(folder: Path, wanted: dict[str, str]) -> list[str]:
    """Write ``wanted`` into ``folder``, remove what it no longer holds; the names of the files touched."""
    touched = []
    for filename, text in wanted.items():
        path = folder / filename
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            touched.append(f"rewritten: {path}")
    for path in sorted(folder.iterdir()):
        if path.name not in wanted:
            path.unlink()
            touched.append(f"removed: {path}")
    return touched


def main() -> None:
    wanted_plans = {}
    for name in sorted(CASES):
        wanted_plans.update(plans.golden_outputs(name))
    touched = rewrite(plans.GOLDEN, wanted_plans) + rewrite(collect.GOLDEN, collect.golden_outputs())
    print("\n".join(touched) or "No golden file changed.")
    if touched:
        print("Review them with: git diff tests/remediation/golden tests/audit/golden")


if __name__ == "__main__":
    main()
