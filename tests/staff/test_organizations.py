"""Issue 26 item 6: an admin exports everything of one organization, or erases all of it, on the page
or with `flask export-org` / `flask erase-org`; the audit log keeps who and when, never the organization."""
from __future__ import annotations

import json
from datetime import timedelta

from flask import current_app
from sqlalchemy import inspect, text

from app.extensions import db
from app.staff.calendar import new_feed
from app.staff.models import AuditEvent, CaseNote, ExpiryNotice, find_user
from app.store import Case, _organization_key, utcnow
from app.tools.records import CaseAudit, CaseHeaderCheck, set_tenant
from tests.certfactory import to_pem
from tests.conftest import page
from tests.staff.conftest import ADMIN_EMAIL, AGENT_EMAIL, make_case

PASTE = "Identity : Contoso relay\nTlsCertificateName : <I>CN=R3<S>CN=mail.contoso.com\nConnectorType : OnPremises"
ERASE = "/staff/organizations/erase"
TENANT = "3f2c8c1e-8d0b-4d4e-9a51-6c1b2f0a9e77"
# What only organization A's records hold: none of it may survive the erasure, anywhere. (Another
# organization, "Contoso Ltd Holdings", keeps its name: no cell may hold A's name as a whole.)
A_MARKS = ("contoso.com", "northwind-relay.example", TENANT, "note about the contoso relay", "contoso relay")


def add_everything(case: Case, author_email: str, note: str, paste: str, tenant: str | None) -> None:
    """A case with every kind of record that hangs off cases: note, audit entry, configuration audit,
    header proof, tenant id, expiry notice, calendar address and a read-only link."""
    author = find_user(author_email)
    db.session.add(CaseNote(case_id=case.id, author_id=author.id, text=note))
    db.session.add(AuditEvent(user_id=author.id, user_email=author.email, action="note_added", case_id=case.id,
                              case_reference=case.reference))
    db.session.add(CaseAudit(case_id=case.id, number=1, text=paste, accepted_domains=sorted(d.domain for d in case.domain_rows), verdict="ready",
                             ruleset_version="1", findings=[{"code": "ok"}]))
    db.session.add(CaseHeaderCheck(case_id=case.id, verdict="proven", via="certificate", tenant_id=tenant, proven=True))
    db.session.add(ExpiryNotice(case_id=case.id, expires_at=utcnow() + timedelta(days=30), threshold_days=30))
    case.read_token = f"read-{case.reference}"
    db.session.commit()
    if tenant:
        set_tenant(case, tenant)
    with current_app.test_request_context():
        new_feed(case=case)
    db.session.commit()


def seed(app, hierarchy) -> dict[str, list[str]]:
    """Organization A (two cases, one named differently cased) and B; returns their references."""
    pem = to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert)
    with app.app_context():
        a1 = make_case("Contoso Ltd", ["contoso.com", "northwind-relay.example"], pem=pem)
        a2 = make_case("contoso  ltd.", ["contoso.com"], completed=False)
        b1 = make_case("Fabrikam", ["fabrikam.com"], pem=pem)
        near = make_case("Contoso Ltd Holdings", ["contoso-holdings.example"])  # another organization
        for case in (a1, a2):
            add_everything(case, AGENT_EMAIL, "internal note about the contoso relay", PASTE, TENANT)
        add_everything(b1, AGENT_EMAIL, "fabrikam's firewall team owes us the MX change",
                       PASTE.replace("Contoso", "Fabrikam").replace("contoso", "fabrikam"), None)
        return {"a": [a1.reference, a2.reference], "b": [b1.reference, near.reference]}


def every_cell(app) -> dict[str, list[str]]:
    """Every value of every row of every table in the database (search index included), as text."""
    with app.app_context():
        names = inspect(db.engine).get_table_names()
        assert "cases" in names and "audit_events" in names
        with db.engine.connect() as connection:
            return {name: [str(value) for row in connection.execute(text(f'SELECT * FROM "{name}"')) for value in row]
                    for name in names}


def send(client, url: str, action: str, data: dict):
    """Fill in the form of the page at ``url`` that posts to ``action``, as a browser would (its token included)."""
    form = page(client.get(url)).find("form", action=action)
    fields = {field["name"]: field.get("value", "") for field in form.find_all("input") if field.get("name")}
    return client.post(action, data={**fields, **data})


def references_in(document: dict) -> list[str]:
    return sorted(case["reference"] for case in document["cases"])


def test_the_export_holds_every_record_of_the_organization_and_nothing_of_another(app, admin, hierarchy):
    refs = seed(app, hierarchy)
    found = admin.get("/staff/organizations?name=CONTOSO+LTD")
    assert "2 cases have this organization." in page(found).get_text(" ", strip=True)
    response = send(admin, "/staff/organizations?name=CONTOSO+LTD", "/staff/organizations/export", {})
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    document = response.get_json()
    assert references_in(document) == sorted(refs["a"])
    by_reference = {case["reference"]: case for case in document["cases"]}
    first = by_reference[refs["a"][0]]
    assert first["organization"] == "Contoso Ltd" and "BEGIN CERTIFICATE" in first["certificate_pem"]
    assert {row["step"] for row in first["case_steps"]} >= {"start", "domains", "server", "certificate"}
    assert {row["domain"] for row in first["case_domains"]} == {"contoso.com", "northwind-relay.example"}
    assert first["case_notes"][0]["text"] == "internal note about the contoso relay"
    assert document["staff"][str(first["case_notes"][0]["author_id"])] == AGENT_EMAIL
    assert first["audit_events"][0]["action"] == "note_added"
    assert first["case_audits"][0]["text"] == PASTE
    assert first["case_header_checks"][0]["proven"] is True
    assert first["case_tenants"][0]["tenant_id"] == TENANT
    assert first["expiry_notices"][0]["threshold_days"] == 30
    assert len(first["calendar_feeds"]) == 1
    dumped = json.dumps(document).casefold()
    assert "fabrikam" not in dumped and "holdings" not in dumped
    assert all(ref not in dumped.upper() for ref in refs["b"])
    # The keys to the cases are not the customer's data: the export opens nothing.
    assert "secret_token" not in dumped and "read-" not in dumped and "token_hash" not in dumped
    # The command line gives the same document.
    result = app.test_cli_runner().invoke(args=["export-org", "contoso ltd"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["cases"] == document["cases"]


def test_erasing_leaves_nothing_of_the_organization_in_any_table_and_logs_no_customer_data(app, admin, hierarchy):
    refs = seed(app, hierarchy)
    with app.app_context():
        b_before = {ref: json.dumps(doc_of(ref)) for ref in refs["b"]}
    url = "/staff/organizations?name=Contoso+Ltd"
    wrong = send(admin, url, ERASE, {"erase-confirm": "Contoso"})
    assert wrong.status_code == 400
    assert "Type the organization's name as shown above" in page(wrong).select_one(".error-summary").get_text()
    assert "Contoso Ltd" in every_cell(app)["cases"]  # nothing erased yet

    done = send(admin, url, ERASE, {"erase-confirm": " contoso ltd "})
    assert done.status_code == 302
    shown = page(admin.get(done.headers["Location"])).get_text(" ", strip=True)
    assert "Erased 2 cases and everything about them." in shown

    for table, values in every_cell(app).items():
        for value in values:
            for mark in A_MARKS + tuple(refs["a"]):
                assert mark.casefold() not in value.casefold(), f"{table} still holds {mark!r}: {value[:200]}"
            assert _organization_key(value) != "contoso ltd", f"{table} still holds the organization: {value}"
    with app.app_context():
        assert {ref: json.dumps(doc_of(ref)) for ref in refs["b"]} == b_before  # B untouched
        erasures = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "org_erased")).all()
        assert len(erasures) == 1
        entry = erasures[0]
        assert entry.user_email == ADMIN_EMAIL and utcnow() - entry.at < timedelta(minutes=5)
        assert entry.detail["cases"] == 2 and entry.detail["erasure_id"].startswith("ER-")
        assert entry.detail["erasure_id"] in shown
    log = page(admin.get("/staff/audit")).get_text(" ", strip=True)
    assert "Erased an organization's data" in log and "2 cases" in log
    # The search finds nothing of it any more; the other organization's cases are found as before.
    assert "No cases match" in page(admin.get("/staff/cases?q=contoso.com")).get_text()
    assert refs["b"][0] in admin.get("/staff/cases?q=fabrikam").get_data(as_text=True)


def doc_of(reference: str) -> dict:
    """One case and every row hanging off it, through the export (inside an app context)."""
    from app.staff.organizations import export

    organization = db.session.scalar(db.select(Case.organization).where(Case.reference == reference))
    document = export(organization)
    return next(case for case in document["cases"] if case["reference"] == reference)


def test_erase_org_on_the_command_line_asks_unless_told_yes(app, users, hierarchy):
    refs = seed(app, hierarchy)
    runner = app.test_cli_runner()
    asked = runner.invoke(args=["erase-org", "Contoso Ltd"], input="n\n")
    assert asked.exit_code != 0 and "Erase 2 case(s)" in asked.output
    result = runner.invoke(args=["erase-org", "Contoso Ltd", "--yes"])
    assert result.exit_code == 0, result.output
    assert "Erased 2 case(s)" in result.output and "ER-" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Case.id)).where(Case.reference.in_(refs["a"]))) == 0
        entry = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "org_erased"))
        assert entry.user_email.startswith("command line: ") and "contoso" not in repr(entry.detail).casefold()
    assert runner.invoke(args=["erase-org", "Contoso Ltd", "--yes"]).exit_code != 0  # nothing left to erase
    assert runner.invoke(args=["export-org", "Contoso Ltd"]).exit_code != 0


def test_agents_are_refused_and_every_change_needs_its_token(app, agent, admin, hierarchy):
    refs = seed(app, hierarchy)
    assert agent.get("/staff/organizations?name=Contoso+Ltd").status_code == 403
    token = page(agent.get("/staff/cases")).find("input", attrs={"name": "csrf_token"})["value"]
    assert agent.post("/staff/organizations/export",
                      data={"export-csrf_token": token, "export-name": "Contoso Ltd"}).status_code == 403
    assert agent.post("/staff/organizations/erase", data={"erase-csrf_token": token, "erase-name": "Contoso Ltd",
                                                          "erase-confirm": "Contoso Ltd"}).status_code == 403
    assert admin.post("/staff/organizations/erase",
                      data={"erase-name": "Contoso Ltd", "erase-confirm": "Contoso Ltd"}).status_code == 400
    assert admin.post("/staff/organizations/export", data={"export-name": "Contoso Ltd"}).status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Case.id)).where(Case.reference.in_(refs["a"]))) == 2
    assert "An organization's data" not in agent.get("/staff/cases").get_data(as_text=True)


def test_the_page_speaks_swedish(app, admin, hierarchy):
    seed(app, hierarchy)
    soup = page(admin.get("/staff/organizations?name=Contoso+Ltd&lang=sv"))
    assert soup.h1.get_text(strip=True) == "En organisations uppgifter"
    assert "Radera" in soup.get_text()
