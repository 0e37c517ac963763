"""A database made by the code before migrations (flask init-db at 42eeeab), with data, upgrades to head.

base_schema/ holds that commit's DDL for SQLite and PostgreSQL, generated once from
its models. The rows below are shaped as that code wrote them. After `flask db
upgrade` every case must read back: the list with the right verdicts, search by
domain and organization, each case page, the customer's links, notes and audit.
"""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from flask_migrate import check, upgrade
from sqlalchemy import create_engine, inspect, text

from app import create_app
from app.extensions import db
from app.store import Case, utcnow
from tests.certfactory import make_hierarchy, to_pem, write_trust_store
from tests.conftest import PageCheckingClient, page, submit
from tests.database import ON_POSTGRES, TEST_DATABASE_URL, postgres_database
from tests.staff.conftest import PASSWORD, sign_in
from tests.staff.test_cases import rows

BASE_SCHEMA = Path(__file__).with_name("base_schema")
HIERARCHY = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])
SELF_SIGNED = make_hierarchy("mail.tailspin.com", sans=["mail.tailspin.com"])  # not an accepted domain
# (reference, organization, domains, server, certificate, completed, resolved, expected verdict)
CASES = [
    ("KB-AAAA-0001", "Contoso Ltd", ["contoso.com"], "exchange-2019",
     to_pem(HIERARCHY.leaf.cert, HIERARCHY.intermediate.cert), True, False, "ready"),
    ("KB-AAAA-0002", "Tailspin Toys", ["tailspintoys.com"], "postfix", to_pem(SELF_SIGNED.leaf.cert), True, True,
     "blocked"),
    ("KB-AAAA-0003", "Fabrikam Inc", ["fabrikam.com", "northwind.example"], "exim", None, False, False,
     "in_progress"),
    ("KB-AAAA-0004", "Woodgrove Bank", [], "", None, False, False, "in_progress"),
]


@pytest.fixture
def old_database(tmp_path):
    """An empty database beside the test's (a new PostgreSQL one on PostgreSQL), with the old schema."""
    if ON_POSTGRES:
        with postgres_database(TEST_DATABASE_URL, "old") as url:
            yield url
        return
    yield f"sqlite:///{tmp_path / 'old.sqlite3'}"


def make_old_database(url: str) -> None:
    engine = create_engine(url)
    dialect = "postgresql" if ON_POSTGRES else "sqlite"
    with engine.begin() as connection:
        for statement in (BASE_SCHEMA / f"{dialect}.sql").read_text().split(";"):
            body = "\n".join(line for line in statement.splitlines() if not line.startswith("--")).strip()
            if body:
                connection.exec_driver_sql(body)
        now = utcnow() - timedelta(days=2)
        connection.execute(text(
            "INSERT INTO users (email, password_hash, role, active, created_at) "
            "VALUES ('agent@helpdesk.example', :hash, 'agent', :yes, :now)"),
            {"hash": _password_hash(), "yes": True, "now": now})
        agent = connection.scalar(text("SELECT id FROM users"))
        for number, (reference, organization, domains, server, pem, completed, resolved, _v) in enumerate(CASES, 1):
            connection.execute(text(
                "INSERT INTO cases (reference, secret_token, organization, certificate_pem, private_key_dropped, "
                "created_at, updated_at, completed_at, owner_id, resolved_at, read_token) VALUES (:reference, "
                ":token, :organization, :pem, :no, :now, :now, :completed, :owner, :resolved, NULL)"),
                {"reference": reference, "token": f"secret-token-of-case-{number:04d}-xxxxxxxxxx",
                 "organization": organization, "pem": pem.decode() if pem else None, "no": False, "now": now,
                 "completed": now if completed else None, "owner": agent if number == 1 else None,
                 "resolved": now if resolved else None})
            case = connection.scalar(text("SELECT id FROM cases WHERE reference = :r"), {"r": reference})
            for step, data in _steps(organization, domains, server, pem).items():
                connection.execute(text("INSERT INTO case_steps (case_id, step, data, updated_at) "
                                        "VALUES (:case, :step, :data, :now)"),
                                   {"case": case, "step": step, "data": json.dumps(data), "now": now})
        first = connection.scalar(text("SELECT id FROM cases WHERE reference = 'KB-AAAA-0001'"))
        connection.execute(text("INSERT INTO case_notes (case_id, author_id, text, created_at) "
                                "VALUES (:case, :agent, 'Called the customer', :now)"),
                           {"case": first, "agent": agent, "now": now})
        connection.execute(text("INSERT INTO audit_events (at, user_id, user_email, action, case_id, case_reference) "
                                "VALUES (:now, :agent, 'agent@helpdesk.example', 'note_added', :case, 'KB-AAAA-0001')"),
                           {"case": first, "agent": agent, "now": now})
    engine.dispose()


def _password_hash() -> str:
    from werkzeug.security import generate_password_hash
    return generate_password_hash(PASSWORD, method="scrypt")


def _steps(organization: str, domains: list[str], server: str, pem: bytes | None) -> dict[str, dict]:
    """Answers as the wizard at 42eeeab saved them (form_data of each step)."""
    steps = {"start": {"role": "agent", "organization": organization, "ticket": "INC-7"}}
    if domains:
        steps["domains"] = {"accepted_domains": "\n".join(domains), "domains": domains}
    if server:
        steps["server"] = {"kind": server}
    if pem:
        steps["certificate"] = {"source": "text", "thumbprint": "AB", "common_name": "mail.example"}
    return steps


def test_an_old_database_with_cases_upgrades_and_every_case_reads_back(old_database, tmp_path):
    make_old_database(old_database)
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": old_database,
                      "TRUSTED_ROOTS_FILE": write_trust_store(tmp_path / "roots.pem", HIERARCHY.root.cert),
                      "RATELIMIT_ENABLED": False})
    app.test_client_class = PageCheckingClient
    with app.app_context():
        upgrade()
        check()  # the models and the migrated schema agree
        tables = inspect(db.engine).get_table_names()
        assert {"case_domains", "calendar_feeds", "expiry_notices", "alembic_version"} <= set(tables)
        stored = {c.reference: c for c in db.session.scalars(db.select(Case))}
        assert {ref: stored[ref].verdict for ref, *_rest in CASES} == {c[0]: c[-1] for c in CASES}
        assert stored["KB-AAAA-0001"].certificate_expires_at is not None
        assert stored["KB-AAAA-0002"].status == "resolved" and stored["KB-AAAA-0003"].server_kind == "exim"
        if ON_POSTGRES:
            assert db.session.scalar(text("SELECT pg_typeof(data)::text FROM case_steps LIMIT 1")) == "jsonb"
        db.engine.dispose()
    agent = app.test_client()
    assert sign_in(agent).status_code == 302
    assert sorted(rows(agent.get("/staff/cases"))) == sorted(c[0] for c in CASES)
    assert rows(agent.get("/staff/cases?q=northwind")) == ["KB-AAAA-0003"]
    assert rows(agent.get("/staff/cases?q=fabrikam.com")) == ["KB-AAAA-0003"]
    assert rows(agent.get("/staff/cases?q=tailspin")) == ["KB-AAAA-0002"]
    assert rows(agent.get("/staff/cases?verdict=ready")) == ["KB-AAAA-0001"]
    for reference, organization, *_rest in CASES:
        soup = page(agent.get(f"/staff/cases/{reference}"))
        assert organization in soup.select_one(".summary-list").get_text()
    assert "Called the customer" in page(agent.get("/staff/cases/KB-AAAA-0001")).select_one(".notes").get_text()
    customer = app.test_client()
    assert submit(customer, "/resume/secret-token-of-case-0001-xxxxxxxxxx").status_code == 302
    assert "Contoso Ltd" in customer.get("/cases/KB-AAAA-0001").get_data(as_text=True)
    with app.app_context():  # and the schema goes on working: a new case gets the next id
        from app.store import create_case
        assert create_case("After the upgrade").id > max(c.id for c in stored.values())
        db.engine.dispose()
