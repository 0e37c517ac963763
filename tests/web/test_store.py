"""Saved cases: references, retention and purge."""
from __future__ import annotations

from datetime import timedelta

from app.extensions import db
from app.store import Case, create_case, normalize_reference, save_step, utcnow


def test_reference_reads_well_and_tolerates_how_it_is_read_out():
    assert normalize_reference("kb 7f3k 92qd") == "KB-7F3K-92QD"
    assert normalize_reference("KB-7F3K-92QO") == "KB-7F3K-92Q0"  # O read as zero
    assert normalize_reference("KB-123") == ""


def test_references_and_secret_links_are_unique_and_long(app):
    with app.app_context():
        cases = [create_case(f"Org {n}") for n in range(20)]
        assert len({c.reference for c in cases}) == 20
        assert all(len(c.secret_token) >= 32 for c in cases)  # 24 random bytes: 192 bits


def test_purge_removes_only_cases_past_retention(app):
    with app.app_context():
        old = create_case("Old")
        create_case("Recent")
        save_step(old, "start", {"organization": "Old"})
        old.updated_at = utcnow() - timedelta(days=31)
        db.session.commit()
        result = app.test_cli_runner().invoke(args=["purge-cases"])
        assert "Removed 1 expired case" in result.output
        assert [c.organization for c in db.session.scalars(db.select(Case))] == ["Recent"]


def test_an_expired_case_cannot_be_resumed(app, client):
    with app.app_context():
        case = create_case("Old")
        case.updated_at = utcnow() - timedelta(days=31)
        db.session.commit()
        token = case.secret_token
    assert client.get(f"/resume/{token}").status_code == 404


def test_init_db_is_safe_to_run_twice(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert runner.invoke(args=["init-db"]).exit_code == 0


def test_purge_works_in_batches_and_takes_answers_domains_and_notes_along(app):
    from sqlalchemy import event

    from app.staff.models import CaseNote
    from app.store import CaseDomain, CaseStep, purge_expired

    with app.app_context():
        for number in range(7):
            case = create_case(f"Old {number}")
            save_step(case, "domains", {"accepted_domains": f"old{number}.example", "domains": [f"old{number}.example"]})
            db.session.add(CaseNote(case_id=case.id, text="note"))
            case.updated_at = utcnow() - timedelta(days=31)
            db.session.commit()
        kept = create_case("Recent")
        bound = []
        listener = lambda *args: bound.append(len(args[3]) if isinstance(args[3], (list, tuple, dict)) else 0)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert purge_expired(30, batch=3) == 7
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert max(bound) <= 3 + 2, "no statement binds more than a batch of ids"
        assert [c.organization for c in db.session.scalars(db.select(Case))] == [kept.organization]
        assert db.session.scalar(db.select(db.func.count(CaseStep.id))) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(CaseDomain)) == 0
        assert db.session.scalar(db.select(db.func.count(CaseNote.id))) == 0


def test_a_case_expires_on_the_day_its_retention_ends(app):
    from app.store import purge_expired

    with app.app_context():
        now = utcnow()
        inside, outside = create_case("Inside"), create_case("Outside")
        inside.updated_at = now - timedelta(days=30) + timedelta(seconds=1)
        outside.updated_at = now - timedelta(days=30) - timedelta(seconds=1)
        db.session.commit()
        assert purge_expired(30, now=now) == 1
        assert [c.organization for c in db.session.scalars(db.select(Case))] == ["Inside"]
