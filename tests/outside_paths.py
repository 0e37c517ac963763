"""Catch code that reads outside the repository (a clone on its own must pass).

The guard is an audit hook (PEP 578): every ``open`` of a path is checked
against the folders that sit beside the repository when the tests start.
Violations are recorded, not raised, so that code with a
broad ``except`` cannot swallow them; tests/conftest.py fails the test that
made one.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if ROOT.name == "mutants" and (ROOT.parent / "Makefile").is_file():
    ROOT = ROOT.parent  # mutmut runs the tests on a copy inside the repository (`make mutate`)
violations: list[str] = []


def _siblings() -> tuple[str, ...]:
    """Entries beside the repository, except the system temp folder's own (pytest's tmp_path)."""
    parent = ROOT.parent
    temp = Path(tempfile.gettempdir()).resolve()
    try:
        entries = list(parent.iterdir())
    except OSError:
        return ()
    found = []
    for entry in entries:
        if entry.resolve() == ROOT:
            continue
        if parent.resolve() == temp and entry.name.startswith("pytest-of-"):
            continue
        found.append(str(entry.resolve()))
    return tuple(found)


SIBLINGS = _siblings()
# A git worktree may borrow another checkout's virtual environment through a symlink: the interpreter's
# own files are not the code reading outside the repository.
VENV = os.path.realpath(sys.prefix)


def outside(path: str) -> bool:
    """Whether ``path`` lies in a folder beside the repository (or is one)."""
    absolute = os.path.realpath(os.path.abspath(path))
    if absolute == VENV or absolute.startswith(VENV + os.sep):
        return False
    return any(absolute == sibling or absolute.startswith(sibling + os.sep) for sibling in SIBLINGS)


def _hook(event: str, args: tuple) -> None:
    if event != "open" or not args:
        return
    path = args[0]
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if isinstance(path, str) and SIBLINGS and outside(path):
        violations.append(path)


def install() -> None:
    sys.addaudithook(_hook)
