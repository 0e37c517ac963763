"""A case saved before the 1,000-names cap, holding a certificate with more names: no page fails; each one
that reads the certificate says it can no longer be read and asks for it again (issue: polish, item 5)."""
from __future__ import annotations

import pytest

from app.certs.reading import MAX_NAMES
from app.extensions import db
from app.store import Case
from app.wizard.steps import STEPS
from tests.certfactory import make_leaf, to_pem
from tests.conftest import page, submit
from tests.staff.conftest import sign_in, users  # noqa: F401  (a fixture)
from tests.web.test_wizard import walk_to

SAID = "We can no longer read the certificate saved with this case"
DOWNLOADS = ("report.pdf", "remediation.ps1", "plan.json", "intermediates.zip")


@pytest.fixture
def crowded_pem(hierarchy) -> str:
    names = [f"host{n:04d}.contoso.com" for n in range(MAX_NAMES)] + ["contoso.com"]
    leaf = make_leaf(hierarchy.intermediate, "mail.contoso.com", sans=names)
    return to_pem(leaf.cert, hierarchy.intermediate.cert).decode()


@pytest.fixture
def old_case(app, client, hierarchy, crowded_pem) -> str:
    """A finished case whose saved chain is replaced in the database, as a case saved before the cap holds it."""
    walk_to(client, hierarchy)
    reference = submit(client, "/wizard/check", {}).headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        case = db.session.scalars(db.select(Case).where(Case.reference == reference)).one()
        case.certificate_pem = crowded_pem
        case.read_token = "read-only-token-of-the-old-case"
        db.session.commit()
    return reference


def text(response) -> str:
    return " ".join(page(response).get_text(" ").split())


def test_the_owner_is_told_on_every_page_and_sent_to_the_certificate_step(client, old_case):
    for step in STEPS:
        response = client.get(f"/wizard/{step.name}")
        assert response.status_code in (200, 302, 409), (step.name, response.status_code)
    certificate = client.get("/wizard/certificate")
    assert SAID in text(certificate) and "more than 1000 names" in text(certificate)
    assert page(certificate).find("button", string="Go on without a certificate")  # no dead end
    check = client.get("/wizard/check")
    assert "Saved, but we can no longer read it: choose Change to upload it again" in text(check)
    for url in [f"/cases/{old_case}", "/wizard/connector-domain"] + [f"/cases/{old_case}/{name}" for name in DOWNLOADS]:
        response = client.get(url)
        assert response.status_code == 409 and response.mimetype == "text/html", url
        soup = page(response)
        assert soup.h1.get_text() == SAID and "more than 1000 names" in soup.main.get_text(), url
        assert soup.find("a", href="/wizard/certificate?return=check", string="Upload the certificate"), url


def test_a_new_certificate_brings_the_plan_back(client, old_case, hierarchy):
    assert submit(client, "/wizard/certificate?return=check",
                  {"certificate_text": to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert).decode()}).status_code == 302
    assert submit(client, "/wizard/connector-domain?return=check", {"connector_domain": "contoso.com"}).status_code == 302
    assert client.get(f"/cases/{old_case}").status_code == 200
    assert client.get(f"/cases/{old_case}/report.pdf").mimetype == "application/pdf"


def test_staff_see_the_case_in_the_list_and_are_told_on_its_pages(app, old_case, users):
    agent = app.test_client()
    sign_in(agent)
    assert old_case in text(agent.get("/staff/cases"))
    for url in ("/staff/expiring", f"/cases/{old_case}/audit", f"/cases/{old_case}/headers"):
        assert agent.get(url).status_code == 200, url
    case_page = agent.get(f"/staff/cases/{old_case}")
    assert case_page.status_code == 200
    assert SAID in text(case_page) and "Ask the customer for it again" in text(case_page)
    assert page(case_page).select_one(".tag-blocked")  # the stored verdict: a chain that does not read is not ready
    plan = agent.get(f"/cases/{old_case}")
    assert plan.status_code == 409 and SAID in text(plan)
    assert page(plan).find("a", href=f"/staff/cases/{old_case}")


def test_the_read_only_link_says_whom_to_ask(app, old_case):
    response = app.test_client().get(f"/cases/{old_case}/view/read-only-token-of-the-old-case")
    assert response.status_code == 409
    assert SAID in text(response) and "Ask your help-desk contact" in text(response)
