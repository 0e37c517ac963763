"""What the client sent versus what the database kept, read straight from the database."""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import create_engine, text

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


def read_only_url(database: Path | str) -> str:
    """A SQLite file (a Path) opened read-only, so that a check never changes what it checks; a URL as is."""
    return f"sqlite:///file:{database}?mode=ro&uri=true" if isinstance(database, Path) else database


def stored_cases(database: Path | str) -> dict[str, dict]:
    """{organization: {"reference", "certificate_pem", "completed", "answers": {step: data}}}

    from a SQLite file or a database URL, with plain SQL: what is stored, not what the models make of it.
    When several cases hold one organization, the one with the most answers: a client whose first step was
    saved but whose answer never arrived (a worker killed after the commit) sends it again and goes on in a
    second case, leaving the first with that step alone.
    """
    engine = create_engine(read_only_url(database))
    try:
        with engine.connect() as connection:
            by_id = {}
            for case_id, reference, organization, pem, completed in connection.execute(text(
                    "SELECT id, reference, organization, certificate_pem, completed_at FROM cases")):
                by_id[case_id] = {"id": case_id, "reference": reference, "organization": organization,
                                  "certificate_pem": pem, "completed": completed is not None, "answers": {}}
            for case_id, step, data in connection.execute(text("SELECT case_id, step, data FROM case_steps")):
                if case_id in by_id:
                    by_id[case_id]["answers"][step] = json.loads(data) if isinstance(data, str) else data
    finally:
        engine.dispose()
    cases: dict[str, dict] = {}
    for case in sorted(by_id.values(), key=lambda case: case["id"]):
        kept = cases.get(case["organization"])
        if kept is None or len(case["answers"]) >= len(kept["answers"]):
            cases[case["organization"]] = case
    return cases


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
