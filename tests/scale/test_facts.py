"""The stored facts follow the case: saved by any path, refreshed as certificates age."""
from __future__ import annotations

from datetime import timedelta

from app.extensions import db
from app.staff.facts import refresh_cases
from app.store import Case, CaseDomain, utcnow
from tests.conftest import submit
from tests.scale.test_expiry import expiring_in
from tests.staff.conftest import make_case
from tests.web.test_wizard import walk_to


def stored(app, reference: str) -> Case:
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.reference == reference))
        db.session.expunge(case)
        return case


def test_the_wizard_keeps_verdict_server_domains_and_search_text_in_step(app, client, hierarchy):
    walk_to(client, hierarchy)
    with app.app_context():
        reference = db.session.scalar(db.select(Case.reference))
    case = stored(app, reference)
    assert case.verdict == "in_progress" and case.server_kind == "exchange-2019"
    assert case.certificate_expires_at is not None  # known from the upload, before completion
    assert submit(client, "/wizard/check", {}).status_code == 302
    assert stored(app, reference).verdict == "ready"
    submit(client, "/wizard/server?return=check", {"kind": "postfix"})
    assert stored(app, reference).server_kind == "postfix"
    submit(client, "/wizard/domains?return=check", {"accepted_domains": "fabrikam.com"})
    case = stored(app, reference)
    assert case.verdict == "blocked", "the certificate names no accepted domain any more"
    assert "fabrikam.com" in case.search_text and "contoso.com" not in case.search_text
    with app.app_context():
        assert list(db.session.scalars(db.select(CaseDomain.domain))) == ["fabrikam.com"]


def test_resolving_changes_the_status_column(app, agent, contoso):
    from tests.staff.test_cases import post_form

    url = f"/staff/cases/{contoso}"
    post_form(agent, url, f"{url}/resolve")
    assert stored(app, contoso).status == "resolved"
    post_form(agent, url, f"{url}/resolve")
    assert stored(app, contoso).status == "open"


def test_refresh_moves_a_verdict_as_the_certificate_ages_without_touching_the_case(app):
    with app.app_context():
        aging = make_case("Aging Ltd", ["contoso.com"], pem=expiring_in(25))
        far = make_case("Far Ltd", ["contoso.com"], pem=expiring_in(300))
        assert aging.verdict == "needs_attention" and far.verdict == "ready"
        reference, far_reference, changed_at = aging.reference, far.reference, aging.updated_at
        assert refresh_cases() == 0  # nothing moved since the save
        # As stored twenty days ago, when 45 days were left: ready then.
        checked = utcnow() - timedelta(days=20)
        db.session.execute(db.update(Case).where(Case.reference.in_([reference, far_reference]))
                           .values(verdict="ready", verdict_checked_at=checked, updated_at=Case.updated_at))
        db.session.commit()
        assert refresh_cases() == 1
    case = stored(app, reference)
    assert case.verdict == "needs_attention" and case.updated_at == changed_at  # not a change of the case
    assert stored(app, far_reference).verdict_checked_at == checked  # 300 days left: not due, not read


def test_refresh_all_rereads_every_case_after_the_trusted_roots_change(app, tmp_path):
    from tests.certfactory import make_root, write_trust_store

    with app.app_context():
        reference = make_case("Roots Ltd", ["contoso.com"], pem=expiring_in(300)).reference
    other_root = make_root("Another Root CA").cert
    app.config["TRUSTED_ROOTS_FILE"] = write_trust_store(tmp_path / "other.pem", other_root)
    with app.app_context():
        assert refresh_cases(everything=True) == 1
    assert stored(app, reference).verdict == "blocked"  # the chain no longer leads to a trusted root: untrusted_root


def test_the_refresh_command(app):
    with app.app_context():
        make_case("Command Ltd", ["contoso.com"], pem=expiring_in(10))
    result = app.test_cli_runner().invoke(args=["refresh-cases", "--all"])
    assert result.exit_code == 0 and "Updated 0 case(s)." in result.output
