"""Expiry watch: the staff page, `flask expiry-report`, the calendar feeds and the webhook."""
from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import threading
import time
from urllib.parse import urlencode
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from flask import url_for
from icalendar import Calendar

from app.extensions import db
from app.staff.expiry import RENEWAL_DOMAINS, renewal_values
from app.staff.models import User
from app.store import Case, save_step, utcnow
from tests.certfactory import make_hierarchy, to_pem
from tests.conftest import page
from tests.staff.conftest import AGENT_EMAIL, make_case
from tests.staff.test_cases import post_form, rows


def expiring_in(days: float, name: str = "contoso.com") -> bytes:
    h = make_hierarchy(f"mail.{name}", sans=[f"mail.{name}", name], not_after=_now() + timedelta(days=days),
                       not_before=_now() - timedelta(days=300))
    return to_pem(h.leaf.cert, h.intermediate.cert)


def _now():
    from datetime import timezone
    return utcnow().replace(tzinfo=timezone.utc)


def with_certificate(organization: str, domain: str, days: float) -> Case:
    """A completed case whose certificate expires in ``days``, its step saved as the wizard saves it."""
    case = make_case(organization, [domain], pem=expiring_in(days, domain))
    save_step(case, "certificate", {"source": "text", "thumbprint": "", "common_name": f"mail.{domain}"})
    return case


@pytest.fixture
def certificates(app, users):
    """Live cases whose certificates expire in 10, 45, 80 and 200 days, one expired, one past retention."""
    with app.app_context():
        made = {days: with_certificate(f"Org {days}", f"org{days}.com", days) for days in (10, 45, 80, 200, -5)}
        old = with_certificate("Forgotten", "forgotten.com", 20)
        old.updated_at = utcnow() - timedelta(days=31)
        db.session.commit()
        agent = db.session.scalar(db.select(User).where(User.email == AGENT_EMAIL))
        made[10].owner_id = made[80].owner_id = agent.id
        db.session.commit()
        return {days: case.reference for days, case in made.items()}


@pytest.mark.parametrize(("within", "expected"), [(30, [10]), (60, [10, 45]), (90, [10, 45, 80])])
def test_the_page_lists_certificates_expiring_within_the_window_soonest_first(agent, certificates, within, expected):
    response = agent.get(f"/staff/expiring?within={within}")
    assert rows(response) == [certificates[days] for days in expected]
    soup = page(response)
    first = soup.select_one("tbody tr")
    assert first.th.a["href"] == f"/staff/cases/{certificates[expected[0]]}"
    renewal = f"/renewal?accepted_domains=org{expected[0]}.com&server_kind=exchange-2019"
    assert first.find("a", href=renewal) is not None
    assert "days left" in first.get_text() and "mail.org10.com" in first.get_text()


def test_an_unknown_window_falls_back_to_thirty_days(agent, certificates):
    assert rows(agent.get("/staff/expiring?within=7")) == [certificates[10]]


def test_the_expiry_report_for_cron_as_csv_and_json(app, certificates):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["expiry-report", "--days", "60"])
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(result.output)))
    assert [row["reference"] for row in table] == [certificates[10], certificates[45]]
    assert table[0]["organization"] == "Org 10" and table[0]["days_left"] in ("9", "10")
    assert table[0]["owner"] == AGENT_EMAIL and table[0]["case_url"].endswith(f"/staff/cases/{certificates[10]}")
    data = json.loads(runner.invoke(args=["expiry-report", "--days", "90", "--format", "json"]).output)
    assert [item["reference"] for item in data] == [certificates[days] for days in (10, 45, 80)]
    assert data[2]["accepted_domains"] == ["org80.com"]
    assert data[2]["renewal_url"].endswith("/renewal?accepted_domains=org80.com&server_kind=exchange-2019")


def _calendar(client, link: str) -> Calendar:
    response = client.get(link.split("localhost", 1)[1])
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    return Calendar.from_ical(response.get_data())


def test_an_agents_calendar_holds_their_cases_certificates_with_reminders(app, agent, client, certificates):
    response = post_form(agent, "/staff/expiring", "/staff/calendar?within=30")
    link = page(agent.get(response.headers["Location"])).select_one("#calendar ~ .code-block code").get_text()
    assert "/calendar/" in link and link.endswith(".ics")
    calendar = _calendar(client, link)  # no sign-in: the address is the key
    events = calendar.walk("VEVENT")
    assert sorted(str(event["SUMMARY"]) for event in events) == sorted(
        f"Certificate mail.org{days}.com expires (Org {days}, {certificates[days]})" for days in (10, 80))
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.reference == certificates[10]))
        assert min(event.decoded("DTSTART") for event in events) == case.certificate_expires_at.date()
    assert sorted(str(alarm["TRIGGER"].dt) for alarm in events[0].walk("VALARM")) == ["-30 days, 0:00:00",
                                                                                     "-7 days, 0:00:00"]
    # The event's renewal link carries what the case knows, as the page's row does.
    first = min(events, key=lambda event: event.decoded("DTSTART"))
    assert "/renewal?accepted_domains=org10.com&server_kind=exchange-2019" in str(first["DESCRIPTION"])
    # And the request for the replacement, with the certificate's names (issue 25, item 4).
    assert "Request the replacement for mail.org10.com, org10.com:" in str(first["DESCRIPTION"])
    assert "New-ExchangeCertificate -GenerateRequest" in str(first["DESCRIPTION"])
    # A new address replaces the old one.
    post_form(agent, "/staff/expiring", "/staff/calendar?within=30")
    assert client.get(link.split("localhost", 1)[1]).status_code == 404


def test_a_cases_calendar_holds_that_case_only(agent, client, certificates):
    url = f"/staff/cases/{certificates[200]}"
    response = post_form(agent, url, f"{url}/calendar")
    link = page(agent.get(response.headers["Location"])).select_one("#calendar ~ .code-block code").get_text()
    events = _calendar(client, link).walk("VEVENT")
    assert [str(event["UID"]).split("@")[0].rsplit("-", 1)[0] for event in events] == [certificates[200]]  # <reference>-<expiry>@...
    assert page(agent.get(url)).select_one("#calendar ~ .code-block") is None  # shown once
    assert client.get("/calendar/" + "x" * 32 + ".ics").status_code == 404


class Receiver:
    """An HTTP server on loopback that records what is POSTed to it."""

    def __init__(self, status: int = 204):
        self.status, self.received = status, []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), json.loads(body), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/expiry"

    def close(self):
        self.server.shutdown()
        self.thread.join(5)


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def refresh(app, url: str, secret: str = "hook-secret", now=None):
    app.config.update(EXPIRY_WEBHOOK_URL=url, EXPIRY_WEBHOOK_SECRET=secret)
    if now is None:
        return app.test_cli_runner().invoke(args=["refresh-cases"])
    from app.staff.expiry import notify
    with app.app_context():
        return notify(url, secret, now=now)


def test_the_webhook_announces_each_threshold_once(app, certificates, receiver):
    result = refresh(app, receiver.url)
    assert result.exit_code == 0, result.output
    got = {body["reference"]: body["threshold_days"] for _headers, body, _raw in receiver.received}
    assert got == {certificates[10]: 30, certificates[45]: 60, certificates[80]: 90, certificates[-5]: 0}
    headers, body, raw = receiver.received[0]
    # Issue 23, finding 13: the signature covers a timestamp too, so a recorded notice cannot be replayed.
    timestamp = headers["X-Wizard-Timestamp"]
    assert abs(int(timestamp) - time.time()) < 120
    expected = "sha256=" + hmac.new(b"hook-secret", timestamp.encode() + b"." + raw, hashlib.sha256).hexdigest()
    assert headers["X-Wizard-Signature"] == expected and body["event"] == "certificate_expiry"
    days_of = {reference: days for days, reference in certificates.items()}
    assert {body["reference"]: body["renewal_url"] for _headers, body, _raw in receiver.received} == {
        reference: f"/renewal?accepted_domains=org{days_of[reference]}.com&server_kind=exchange-2019" for reference in got}
    assert refresh(app, receiver.url).exit_code == 0
    assert len(receiver.received) == 4, "nothing new crossed: nothing sent again"
    # Sixteen days on, the 10-day certificate has expired and the 45-day one reached 30 days;
    # four days later the 80-day one reaches 60 days.
    assert refresh(app, receiver.url, now=utcnow() + timedelta(days=16)) == 2
    assert refresh(app, receiver.url, now=utcnow() + timedelta(days=20)) == 1
    later = [(body["reference"], body["threshold_days"]) for _headers, body, _raw in receiver.received[4:]]
    assert sorted(later) == sorted([(certificates[10], 0), (certificates[45], 30), (certificates[80], 60)])


def test_a_failed_delivery_is_retried_on_the_next_run(app, certificates):
    failing = Receiver(status=500)
    try:
        result = refresh(app, failing.url)
        assert result.exit_code != 0 and "expiry webhook failed" in result.output
        assert len(failing.received) == 1  # the first failure ends the run
    finally:
        failing.close()
    working = Receiver()
    try:
        refresh(app, working.url)
        assert len(working.received) == 4
    finally:
        working.close()


def renewal_form(response) -> dict:
    """What the renewal form shows filled in: text boxes, and the radio buttons chosen."""
    soup = page(response)
    assert not soup.select(".error-message, .error-summary")
    return {"connector_domain": soup.find("input", attrs={"name": "connector_domain"})["value"],
            "accepted_domains": soup.find("textarea", attrs={"name": "accepted_domains"}).get_text().strip(),
            **{radio["name"]: radio["value"] for radio in soup.select("input[type=radio][checked]")}}


def test_a_row_opens_the_renewal_check_filled_in_with_what_the_case_knows(app, agent, certificates):
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.reference == certificates[45]))
        save_step(case, "domains", {"accepted_domains": "org45.com\nfabrikam.com", "domains": ["org45.com", "fabrikam.com"]})
        save_step(case, "exchange-setup", {"hybrid_wizard": "yes"})
        save_step(case, "connector-domain", {"connector_domain": "*.org45.com"})
    row = page(agent.get("/staff/expiring?within=60")).select("tbody tr")[1]
    link = row.find("a", href=lambda href: href.startswith("/renewal"))
    assert "Check the replacement" in link.get_text()
    assert renewal_form(agent.get(link["href"])) == {
        "connector_domain": "*.org45.com", "accepted_domains": "org45.com\nfabrikam.com",
        "server_kind": "exchange-2019", "hybrid_wizard": "yes"}
    # A case that knows less fills in less: no connector domain chosen, no Hybrid wizard answer.
    first = page(agent.get("/staff/expiring?within=60")).select("tbody tr")[0]
    assert renewal_form(agent.get(first.find("a", href=lambda h: h.startswith("/renewal"))["href"])) == {
        "connector_domain": "", "accepted_domains": "org10.com", "server_kind": "exchange-2019"}


def test_a_renewal_link_carries_at_most_twenty_accepted_domains(app, certificates):
    """A link stays well inside nginx's 8 KiB request line; the agent adds the rest by hand."""
    many = [f"brand{n:02d}-of-a-rather-long-company-name.com" for n in range(RENEWAL_DOMAINS + 5)]
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.reference == certificates[45]))
        save_step(case, "domains", {"accepted_domains": "\n".join(many), "domains": many})
        assert renewal_values(case)["accepted_domains"] == many[:RENEWAL_DOMAINS] == many[:20]
        with app.test_request_context():
            assert len(url_for("tools.renewal", **renewal_values(case), _external=True)) < 2048


@pytest.mark.parametrize(("query", "shown"), [
    # Normalised as the form normalises them on submit.
    ("connector_domain=Mail.Contoso.COM.&accepted_domains=Contoso.com&accepted_domains=http://fabrikam.com/",
     {"connector_domain": "mail.contoso.com", "accepted_domains": "contoso.com\nfabrikam.com"}),
    ("accepted_domains=contoso.com%0Afabrikam.com&server_kind=postfix",
     {"connector_domain": "", "accepted_domains": "contoso.com\nfabrikam.com", "server_kind": "postfix"}),
    # Refused as the form refuses them, each on its own, and never shown: markup, a bad line, an unknown kind.
    ('connector_domain="><script>alert(1)</script>&accepted_domains=contoso.com&server_kind=lotus&hybrid_wizard=maybe',
     {"connector_domain": "", "accepted_domains": "contoso.com"}),
    ("connector_domain=*.contoso.com&accepted_domains=contoso.com&accepted_domains=contoso",
     {"connector_domain": "*.contoso.com", "accepted_domains": ""}),
    (f"connector_domain={'a' * 250}.com", {"connector_domain": "", "accepted_domains": ""}),
    ("accepted_domains=" + "&accepted_domains=".join(["contoso.com"] * 500), {"connector_domain": "",
                                                                               "accepted_domains": ""}),  # > 5,000
    ("server_kind=exchange-2016&server_kind=postfix", {"connector_domain": "", "accepted_domains": ""}),
])
def test_the_renewal_check_takes_only_values_its_form_accepts_from_a_link(client, query, shown):
    response = client.get(f"/renewal?{query}")
    assert response.status_code == 200
    assert renewal_form(response) == shown
    assert "<script>" not in response.get_data(as_text=True)


def test_a_link_never_fills_in_a_certificate_or_a_password(client):
    pem = to_pem(make_hierarchy("mail.contoso.com").leaf.cert).decode()
    query = urlencode({"connector_domain": "mail.contoso.com", "current_text": pem, "new_text": pem,
                       "current_password": "secret", "new_password": "secret", "current_file": "a.pfx"})
    response = client.get(f"/renewal?{query}")
    soup = page(response)
    assert renewal_form(response)["connector_domain"] == "mail.contoso.com"
    assert [area.get_text().strip() for area in soup.select("textarea[name$=_text]")] == ["", ""]
    assert all(not field.get("value") for field in soup.select("input[type=file], input[type=password]"))
    form = str(soup.select_one("main form"))
    assert "BEGIN CERTIFICATE" not in form and "secret" not in form
