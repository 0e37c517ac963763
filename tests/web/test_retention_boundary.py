"""The day a retention window ends (CASE_RETENTION_DAYS, 30 by default), at the second (issue 16).

A case last changed exactly 30 days ago can still be resumed and is not purged; one second more and
it can no longer be resumed, and the purge removes it. The resume check (app/wizard/session.py) and
the purge (app/store.py) draw the line at the same instant.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

import app.wizard.session
from app.extensions import db
from app.store import Case, create_case, purge_expired
from tests.conftest import submit

NOW = datetime(2026, 11, 5, 12, 0, 0)
WINDOW = timedelta(days=30)
SECOND = timedelta(seconds=1)


def case_changed_at(when: datetime) -> Case:
    case = create_case("Contoso Ltd")
    case.updated_at = when
    db.session.commit()
    return case


@pytest.fixture
def frozen_clock(monkeypatch):
    """The resume check reads the clock; hold it at NOW so that "exactly 30 days" is exact."""
    monkeypatch.setattr(app.wizard.session, "utcnow", lambda: NOW)


@pytest.mark.parametrize("age", [WINDOW - SECOND, WINDOW])
def test_a_case_changed_up_to_exactly_30_days_ago_can_be_resumed(app, client, frozen_clock, age):
    with app.app_context():
        token = case_changed_at(NOW - age).secret_token
    assert submit(client, f"/resume/{token}").status_code == 302


@pytest.mark.parametrize("age", [WINDOW + SECOND, WINDOW + timedelta(days=1)])
def test_a_case_changed_more_than_30_days_ago_cannot_be_resumed(app, client, frozen_clock, age):
    with app.app_context():
        token = case_changed_at(NOW - age).secret_token
    assert client.get(f"/resume/{token}").status_code == 404


def test_the_purge_keeps_a_case_changed_exactly_30_days_ago(app):
    with app.app_context():
        case_changed_at(NOW - WINDOW)
        assert purge_expired(30, now=NOW) == 0
        assert db.session.scalar(db.select(db.func.count(Case.id))) == 1


def test_the_purge_removes_a_case_changed_30_days_and_a_second_ago(app):
    with app.app_context():
        case_changed_at(NOW - WINDOW - SECOND)
        assert purge_expired(30, now=NOW) == 1
        assert db.session.scalar(db.select(db.func.count(Case.id))) == 0


def test_the_purge_counts_whole_days_from_its_setting(app):
    with app.app_context():
        case_changed_at(NOW - timedelta(days=7) - SECOND)
        case_changed_at(NOW - timedelta(days=7))
        assert purge_expired(7, now=NOW) == 1


@pytest.mark.parametrize("age,kept", [(WINDOW - SECOND, True), (WINDOW, True), (WINDOW + SECOND, False)])
def test_resume_and_purge_draw_the_line_at_the_same_instant(app, client, frozen_clock, age, kept):
    with app.app_context():
        token = case_changed_at(NOW - age).secret_token
    assert client.get(f"/resume/{token}").status_code == (200 if kept else 404)  # 200: it asks, then opens
    with app.app_context():
        assert purge_expired(app.config["CASE_RETENTION_DAYS"], now=NOW) == (0 if kept else 1)
