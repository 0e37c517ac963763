"""Rewrite tests/remediation/golden/ from the current output, and say which files changed.

The explicit step after a deliberate change to the plans: `.venv/bin/python -m tests.remediation.update_golden`,
then read `git diff tests/remediation/golden` as a code change. The tests never rewrite.
"""
from __future__ import annotations

from tests.remediation.cases import CASES
from tests.remediation.test_golden import GOLDEN, golden_outputs


def main() -> None:
    wanted = {}
    for name in sorted(CASES):
        wanted.update(golden_outputs(name))
    changed = []
    for filename, text in wanted.items():
        path = GOLDEN / filename
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(filename)
    stale = sorted(p.name for p in GOLDEN.iterdir() if p.name not in wanted)
    for filename in stale:
        (GOLDEN / filename).unlink()
    print("\n".join([f"rewritten: {f}" for f in changed] + [f"removed: {f}" for f in stale])
          or "No golden file changed.")
    if changed or stale:
        print("Review them with: git diff tests/remediation/golden")


if __name__ == "__main__":
    main()
