"""New cases and PDFs are throttled per address (issue 23, finding 11).

40 anonymous cases took half a second (each feeds the expiry watch, the webhook and the CSV
report), and a PDF of the largest case costs 3.5 s of CPU with no limit on asking again.
"""
from __future__ import annotations

import pytest

from app import create_app
from app.extensions import db
from tests.certfactory import write_trust_store
from tests.conftest import PageCheckingClient, submit
from tests.web.test_wizard import walk_to

START = {"role": "agent", "organization": "Contoso Ltd", "ticket": ""}


@pytest.fixture
def limited(tmp_path, hierarchy, database_url):
    """The app with its rate limits on, as in production (counted in memory here)."""
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": database_url,
                      "TRUSTED_ROOTS_FILE": write_trust_store(tmp_path / "roots.pem", hierarchy.root.cert),
                      "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"})
    app.test_client_class = PageCheckingClient
    yield app
    with app.app_context():
        db.engine.dispose()


def test_new_cases_from_one_address_are_throttled(limited):
    statuses = [submit(limited.test_client(), "/wizard/start", START).status_code for _ in range(12)]
    assert statuses[:10] == [302] * 10 and statuses[10:] == [429, 429]


def test_changing_the_first_answers_of_an_open_case_is_not_counted(limited):
    client = limited.test_client()
    for number in range(15):
        assert submit(client, "/wizard/start", {**START, "organization": f"Contoso {number}"}).status_code == 302


def test_pdfs_from_one_address_are_throttled(limited, hierarchy):
    client = limited.test_client()
    walk_to(client, hierarchy)
    with client.session_transaction() as session:
        case_id = session["case_id"]
    with limited.app_context():
        from app.store import Case
        reference = db.session.get(Case, case_id).reference
    statuses = [client.get(f"/cases/{reference}/report.pdf").status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429
