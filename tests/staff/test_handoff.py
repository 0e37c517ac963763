"""Issue 28, item 5: "Copy for the ticket" on the case page, and the signed webhook's event when a
case's verdict or status changes (a real HTTP receiver on loopback checks it)."""
from __future__ import annotations

import hashlib
import hmac
import time

import pytest

from app.extensions import db
from app.store import Case, save_step, utcnow
from tests.certfactory import make_hierarchy, make_leaf, to_pem
from tests.conftest import page
from tests.scale.test_expiry import Receiver
from tests.staff.conftest import make_case
from tests.staff.test_cases import post_form

SECRET = "ticket-hook-secret"


def ticket_text(client, reference: str) -> str:
    soup = page(client.get(f"/staff/cases/{reference}"))
    block = soup.select_one("#ticket-text .code-block pre")
    assert block is not None and block.find_next("button", attrs={"data-copy": True}) is not None
    return block.get_text()


def test_the_ticket_text_of_a_ready_case(app, agent, contoso):
    text = ticket_text(agent, contoso)
    lines = text.split("\n")
    assert lines[0] == f"Case {contoso}: Contoso Ltd"
    assert "Accepted domains: contoso.com" in lines and "Verdict: Ready" in lines and "Status: Open" in lines
    assert any(line.startswith("Next step: Step 1:") for line in lines)
    assert f"Case page (help desk): http://localhost/staff/cases/{contoso}" in lines
    with app.app_context():
        token = db.session.scalar(db.select(Case.secret_token).where(Case.reference == contoso))
    assert token not in text and "/resume/" not in text


def test_the_customers_link_is_in_the_ticket_text_only_when_the_agent_asked_to_see_it(app, agent, contoso):
    url = f"/staff/cases/{contoso}"
    with app.app_context():
        token = db.session.scalar(db.select(Case.secret_token).where(Case.reference == contoso))
    shown = agent.get(post_form(agent, url, f"{url}/link").headers["Location"])
    text = page(shown).select_one("#ticket-text .code-block pre").get_text()
    assert f"The customer's secret link: http://localhost/resume/{token}" in text.split("\n")
    # The live poll's text (which never holds the secret link) must not replace this one.
    assert not page(shown).select_one("#ticket-text").has_attr("data-live")
    assert page(agent.get(url)).select_one("#ticket-text").has_attr("data-live")
    assert token not in ticket_text(agent, contoso)  # the next visit: back to the staff link alone


def test_the_ticket_text_says_what_blocks_a_case_in_the_agents_language(app, agent):
    with app.app_context():
        leaf = make_leaf(None, "mail.fabrikam.com")  # self-signed
        reference = make_case("Fabrikam", ["fabrikam.com"], pem=to_pem(leaf.cert)).reference
    lines = ticket_text(agent, reference).split("\n")
    assert "Verdict: Blocked" in lines
    assert any(line.startswith("Blocked by: ") and "self-signed" in line for line in lines), lines
    agent.get("/language/sv")
    swedish = ticket_text(agent, reference).split("\n")
    assert swedish[0] == f"Ärende {reference}: Fabrikam" and "Bedömning: Blockerat" in swedish, swedish


def test_an_unfinished_case_waits_for_the_customer(app, agent):
    with app.app_context():
        reference = make_case("Northwind", ["northwind.com"], completed=False).reference
    lines = ticket_text(agent, reference).split("\n")
    assert "Verdict: In progress" in lines
    assert "Next step: the customer answers the wizard's remaining questions" in lines


@pytest.fixture
def receiver(app):
    server = Receiver()
    app.config.update(EXPIRY_WEBHOOK_URL=server.url, EXPIRY_WEBHOOK_SECRET=SECRET)
    yield server
    server.close()


def wait_for(receiver: Receiver, count: int, seconds: float = 30) -> list[dict]:
    deadline = time.monotonic() + seconds
    while len(receiver.received) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return [body for _headers, body, _raw in receiver.received]


def test_the_webhook_announces_each_change_of_verdict_or_status_once(app, agent, receiver):
    with app.app_context():
        case = make_case("Northwind", ["northwind.com"], completed=False)
        reference, case_id = case.reference, case.id
        save_step(case, "server", {"kind": "exchange-2016"})             # saved, nothing moved: no event
        case.certificate_pem = to_pem(make_hierarchy("mail.northwind.com", sans=["mail.northwind.com"]).leaf.cert,
                                      make_hierarchy().intermediate.cert).decode()
        case.completed_at = utcnow()
        db.session.commit()                                              # in progress -> needs attention or ready
        verdict = db.session.get(Case, case_id).verdict
        save_step(db.session.get(Case, case_id), "server", {"kind": "exchange-2019"})  # no event
    url = f"/staff/cases/{reference}"
    post_form(agent, url, f"{url}/pick-up")                              # owner changes: no event
    post_form(agent, url, f"{url}/resolve")                              # open -> resolved
    post_form(agent, url, f"{url}/notes", {"text": "Customer called back."})  # no event
    post_form(agent, url, f"{url}/resolve")                              # resolved -> open
    bodies = wait_for(receiver, 3)
    assert [(b["event"], b["previous_verdict"], b["verdict"], b["previous_status"], b["status"]) for b in bodies] == [
        ("case_verdict_changed", "in_progress", verdict, "open", "open"),
        ("case_status_changed", verdict, verdict, "open", "resolved"),
        ("case_status_changed", verdict, verdict, "resolved", "open"),
    ]
    assert verdict in ("ready", "needs_attention")
    first = bodies[0]
    assert first["reference"] == reference and first["organization"] == "Northwind"
    assert first["case_url"] == f"/staff/cases/{reference}"  # outside a request, without PUBLIC_URL: the path
    assert bodies[1]["case_url"] == f"http://localhost/staff/cases/{reference}"
    assert first["changed_at"].endswith("Z")
    # Signed as the expiry webhook is: HMAC-SHA256 of "<timestamp>.<body>" with the shared secret.
    for headers, _body, raw in receiver.received:
        timestamp = headers["X-Wizard-Timestamp"]
        assert abs(int(timestamp) - time.time()) < 300
        expected = hmac.new(SECRET.encode(), timestamp.encode() + b"." + raw, hashlib.sha256).hexdigest()
        assert headers["X-Wizard-Signature"] == "sha256=" + expected


def test_a_receiver_that_is_down_does_not_stop_the_save(app, agent, contoso):
    app.config.update(EXPIRY_WEBHOOK_URL="http://127.0.0.1:9/hooks", EXPIRY_WEBHOOK_SECRET=SECRET)
    url = f"/staff/cases/{contoso}"
    response = post_form(agent, url, f"{url}/resolve")
    assert response.status_code == 302
    assert "Resolved on" in page(agent.get(url)).get_text()


def test_the_webhook_announces_a_verdict_the_clock_moved(app, receiver):
    """`flask refresh-cases` moves a verdict as a certificate ages: the receiver hears of it as of any change."""
    from datetime import timedelta

    from app.staff.facts import refresh_cases
    from tests.scale.test_expiry import expiring_in

    with app.app_context():
        aging = make_case("Aging Ltd", ["contoso.com"], pem=expiring_in(25))
        make_case("Steady Ltd", ["contoso.com"], pem=expiring_in(25))  # already needs attention: no event
        reference = aging.reference
        assert aging.verdict == "needs_attention"
        wait_for(receiver, 2)  # making them: in progress -> needs attention, each
        receiver.received.clear()
        # As stored twenty days ago, when 45 days were left: ready then.
        db.session.execute(db.update(Case).where(Case.reference == reference)
                           .values(verdict="ready", verdict_checked_at=utcnow() - timedelta(days=20)))
        db.session.commit()
        assert refresh_cases(everything=True) == 1
    wait_for(receiver, 1)
    time.sleep(0.5)  # a second, wrong event (the steady case's) would have arrived by now
    bodies = [body for _headers, body, _raw in receiver.received]
    assert [(b["event"], b["reference"], b["previous_verdict"], b["verdict"], b["status"]) for b in bodies] == [
        ("case_verdict_changed", reference, "ready", "needs_attention", "open")]
