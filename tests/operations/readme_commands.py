"""The shell blocks of README's Operations section, run as an operator would run them.

Each block starts with a comment naming it ("# SQLite: back up"). Its lines that only set
variables (DB=..., BACKUP=...) are where an operator puts their own values; the tests give
theirs in the environment instead and run every other line, so the README's commands are the
ones tested.
"""
from __future__ import annotations

import os
import re
import subprocess  # nosec B404
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ASSIGNMENTS = re.compile(r"^([A-Z_]+=(\$\([^)]*\)|\S)+\s*)+$")  # NAME=value NAME=$(command) ...


def operations_blocks() -> dict[str, list[str]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Operations\n", 1)[1].split("\n## ", 1)[0]
    blocks = {}
    for body in re.findall(r"```sh\n(.*?)```", section, flags=re.S):
        lines = body.strip().splitlines()
        if lines and lines[0].startswith("# "):
            name = lines[0][2:].split(" (", 1)[0]
            blocks[name] = [line for line in lines[1:] if not ASSIGNMENTS.match(line.strip())]
    return blocks


def run_block(name: str, variables: dict[str, str]) -> None:
    """Run the README block ``name`` with bash in the repository, the operator's variables given."""
    commands = operations_blocks()[name]
    env = {**os.environ, "FLASK_APP": "wsgi:app", "SECRET_KEY": "operations-test", **variables}
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", "\n".join(commands)], cwd=REPO, env=env,  # nosec B603 B607
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"README block {name!r} failed:\n{done.stdout}\n{done.stderr}"
