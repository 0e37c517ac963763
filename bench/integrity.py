"""What the client sent versus what the database kept, read straight from the SQLite file."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from bench.client import Fields


def expected_step(fields: Fields) -> dict:
    """The answer a step should store for the posted fields (repeated names become lists)."""
    grouped: dict[str, list[str]] = {}
    for name, value in fields:
        if name != "csrf_token":
            grouped.setdefault(name, []).append(value)
    return {name: values if name == "scenarios" else values[0] for name, values in grouped.items()}


def expected_answers(steps: list[tuple[str, Fields]], thumbprint: str | None = None) -> dict[str, dict]:
    """step -> expected answer for acknowledged (path, fields) posts; the certificate step
    keeps the leaf's thumbprint, never the posted text."""
    answers = {}
    for path, fields in steps:
        name = step_name(path)
        if name == "certificate":
            answers[name] = {"source": "text", **({"thumbprint": thumbprint} if thumbprint else {})}
        elif name != "check":
            answers[name] = expected_step(fields)
    return answers


def step_name(path: str) -> str:
    return path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[1]


def stored_cases(database: Path) -> dict[str, dict]:
    """{organization: {"reference", "certificate_pem", "completed", "answers": {step: data}}}.

    Opened read-only, so that a check never changes what it checks.
    """
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
    try:
        cases = {}
        for case_id, reference, organization, pem, completed in connection.execute(
                "SELECT id, reference, organization, certificate_pem, completed_at FROM cases"):
            cases[organization] = {"id": case_id, "reference": reference, "certificate_pem": pem,
                                   "completed": completed is not None, "answers": {}}
        by_id = {case["id"]: case for case in cases.values()}
        for case_id, step, data in connection.execute("SELECT case_id, step, data FROM case_steps"):
            if case_id in by_id:
                by_id[case_id]["answers"][step] = json.loads(data)
        return cases
    finally:
        connection.close()


def differences(sent: dict[str, dict], kept: dict[str, dict]) -> list[str]:
    """Fields of ``sent`` (step -> expected subset) that ``kept`` lacks or holds differently."""
    problems = []
    for step, expected in sent.items():
        stored = kept.get(step)
        if stored is None:
            problems.append(f"step {step} missing")
            continue
        for field, value in expected.items():
            if stored.get(field) != value:
                problems.append(f"{step}.{field}: sent {value!r}, kept {stored.get(field)!r}")
    return problems
