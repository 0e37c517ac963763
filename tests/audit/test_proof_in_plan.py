"""The plan's test step and the proof (issue 12, item 5), as the customer and the agent meet them: the verify
step says which message to send and where its headers go, on the result page and in the PDF; a case whose
headers prove attribution shows "Proven" with the date there and on the staff case page."""
from __future__ import annotations

import subprocess

import pytest

from app.extensions import db
from app.store import Case
from app.tools.records import CaseHeaderCheck
from tests.audit.conftest import fixture
from tests.conftest import page, submit

# The verify step's own words (issue 21); the plan says them once, then only where the headers go (issue 24).
SENT_BY_CERTIFICATE_ONLY = ("A non-delivery report proves the relay only when your on-premises server writes it",
                            "a message sent as a domain that is not one of your accepted domains")


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True,  # nosec B603 B607
                          ).stdout.decode()


def verify_step(response_or_page):
    """The checklist item that tests the relay, on the result page (in any language)."""
    soup = response_or_page if hasattr(response_or_page, "select_one") else page(response_or_page)
    found = soup.select(".checklist > .checklist-item#step-verify")
    assert len(found) == 1
    return found[0]


def proof_date(app) -> str:
    with app.app_context():
        return db.session.scalar(db.select(CaseHeaderCheck.created_at).where(CaseHeaderCheck.proven)).date().isoformat()


def test_the_verify_step_says_which_message_to_send_and_links_to_the_cases_header_page(agent, contoso):
    step = verify_step(agent.get(f"/cases/{contoso}"))
    text = " ".join(step.get_text(" ").split())
    assert all(message in text for message in SENT_BY_CERTIFICATE_ONLY)
    link = step.select_one(".audit-test-step a")
    assert link["href"] == link.get_text() == f"http://localhost/cases/{contoso}/headers"
    assert "Proven" not in page(agent.get(f"/cases/{contoso}")).select_one(".plan-facts").get_text()


def test_the_read_only_copy_sends_the_headers_to_the_help_desk(app, client, contoso):
    """Its reader cannot open the case's header page: no link that answers 404."""
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.reference == contoso))
        case.read_token = "read-only-token-for-the-proof-test"
        db.session.commit()
    copy = page(client.get(f"/cases/{contoso}/view/read-only-token-for-the-proof-test"))
    assert all(message in " ".join(verify_step(copy).get_text(" ").split()) for message in SENT_BY_CERTIFICATE_ONLY)
    step = copy.select_one(".audit-test-step")
    assert "send them to your help-desk contact" in step.get_text(" ") and step.find("a") is None
    assert client.get(f"/cases/{contoso}/headers").status_code == 404


def test_the_pdf_carries_the_test_step_with_the_header_page_address(agent, contoso):
    text = " ".join(pdf_text(agent.get(f"/cases/{contoso}/report.pdf").data).split())
    assert all(message in text for message in SENT_BY_CERTIFICATE_ONLY)
    assert f"paste them at http://localhost/cases/{contoso}/headers so that" in text  # on one line: it copies whole
    assert "proven" not in text.lower()


def test_headers_that_prove_attribution_show_proven_with_the_date_everywhere(app, agent, contoso):
    submit(agent, f"/cases/{contoso}/headers", {"text": fixture("headers_relayed_ndr.txt")})
    day = proof_date(app)
    proven = f"Proven A test message proved the relay on {day}."
    facts = " ".join(page(agent.get(f"/cases/{contoso}")).select_one(".plan-facts #proof").get_text(" ").split())
    assert facts == f"Relay test {proven}"
    staff = " ".join(page(agent.get(f"/staff/cases/{contoso}")).select_one("#proof").get_text(" ").split())
    assert staff == f"Relay test {proven}"
    assert agent.get(f"/cases/{contoso}/plan.json").json["proven_at"].startswith(f"{day}T")
    pdf = " ".join(pdf_text(agent.get(f"/cases/{contoso}/report.pdf").data).split())
    assert "Relay test PROVEN" in pdf and f"A test message proved the relay on {day}." in pdf  # the tag is in capitals


@pytest.mark.parametrize("headers", ["headers_relayed_accepted_sender.txt", "headers_hotmail_incoming.txt"])
def test_headers_that_prove_nothing_leave_the_case_unproven(agent, contoso, headers):
    submit(agent, f"/cases/{contoso}/headers", {"text": fixture(headers)})
    assert page(agent.get(f"/cases/{contoso}")).select_one(".plan-facts #proof") is None
    assert agent.get(f"/cases/{contoso}/plan.json").json["proven_at"] is None
    staff = page(agent.get(f"/staff/cases/{contoso}")).select_one("#proof").get_text(" ")
    assert "Not proven yet" in staff and "Proven" not in staff


def test_in_swedish_too(app, agent, contoso):
    submit(agent, f"/cases/{contoso}/headers", {"text": fixture("headers_relayed_ndr.txt")})
    day = proof_date(app)
    facts = " ".join(page(agent.get(f"/cases/{contoso}?lang=sv")).select_one(".plan-facts #proof").get_text(" ").split())
    assert facts == f"Test av reläet Bevisat Ett testmeddelande bevisade reläet den {day}."
    step = " ".join(verify_step(agent.get(f"/cases/{contoso}?lang=sv")).get_text(" ").split())
    assert "rapport om utebliven leverans" in step and f"/cases/{contoso}/headers" in step

