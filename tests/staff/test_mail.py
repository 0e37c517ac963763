"""Issue 28, item 4: the agent sends the customer's link (and the plan as PDF) from the case page,
through a real SMTP server on loopback (aiosmtpd: STARTTLS with a certificate the app verifies, AUTH)."""
from __future__ import annotations

import re
import socket
import subprocess
from email.utils import parsedate_to_datetime

import pytest

from app import create_app
from app.extensions import db, limiter
from app.staff.models import AuditEvent, CaseNote
from app.store import Case
from tests.certfactory import make_root, write_trust_store
from tests.conftest import page
from tests.staff.conftest import make_case
from tests.staff.mail_server import SENDER, start_mail_server


@pytest.fixture
def mailbox(app, tmp_path):
    mailbox, controller = start_mail_server(tmp_path)
    app.config.update(mailbox.app_settings())
    yield mailbox
    controller.stop()


def send(client, reference: str, recipient: str = "it@contoso.com", language: str = "en"):
    """Fill in and post the case page's send form, with its CSRF token."""
    url = f"/staff/cases/{reference}"
    form = page(client.get(url)).find("form", action=f"{url}/send-link#send-link")
    assert form is not None
    return client.post(f"{url}/send-link", data={"mail-csrf_token": form.find("input", attrs={"name": "mail-csrf_token"})["value"],
                                                 "mail-recipient": recipient, "mail-language": language})


def body_text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def secret_token(app, reference: str) -> str:
    with app.app_context():
        return db.session.scalar(db.select(Case.secret_token).where(Case.reference == reference))


def test_the_link_and_the_plan_arrive_by_mail(app, agent, client, contoso, mailbox, tmp_path):
    response = send(agent, contoso)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/staff/cases/{contoso}#mail-sent")
    mailbox.wait_for(1)
    recipients, message, authenticated = mailbox.messages[0]
    assert recipients == ["it@contoso.com"] and authenticated  # signed in after STARTTLS
    assert message["From"] == SENDER and message["To"] == "it@contoso.com"
    assert contoso in message["Subject"]
    assert parsedate_to_datetime(message["Date"]).tzinfo is not None
    assert re.fullmatch(r"<[^@<>\s]+@helpdesk\.example>", message["Message-ID"])
    text = body_text(message)
    links = re.findall(r"https?://\S+/resume/\S+", text)
    assert len(links) == 1 and secret_token(app, contoso) in links[0]
    # The customer's browser opens the case with it.
    opened = client.get(links[0].removeprefix("http://localhost"))
    assert opened.status_code == 200 and contoso in page(opened).get_text()
    # The plan, as a PDF naming the case.
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == [f"{contoso}-remediation.pdf"]
    pdf = attachments[0].get_content()
    assert attachments[0].get_content_type() == "application/pdf" and pdf.startswith(b"%PDF")
    (tmp_path / "plan.pdf").write_bytes(pdf)
    pdf_text = subprocess.run(["pdftotext", str(tmp_path / "plan.pdf"), "-"], capture_output=True, text=True,  # nosec B603 B607
                              check=True).stdout
    assert contoso in pdf_text and "Contoso Ltd" in pdf_text
    # The customer's copy: the words of each finding without the internal codes staff see.
    assert "Other Microsoft 365 organizations" in pdf_text and "one_certificate_per_tenant" not in pdf_text
    # The page says so; the notes and the audit log say to whom, never the link.
    shown = page(agent.get(response.headers["Location"]))
    assert shown.select_one("#mail-sent").get_text(strip=True) == (
        "Sent the customer's link by e-mail to it@contoso.com in English, with the plan as PDF.")
    assert page(agent.get(response.headers["Location"])).select_one("#mail-sent") is None  # said once
    token = secret_token(app, contoso)
    with app.app_context():
        notes = [note.text for note in db.session.scalars(db.select(CaseNote))]
        actions = [event.action for event in db.session.scalars(db.select(AuditEvent))]
    assert any("it@contoso.com" in note for note in notes) and not any(token in note for note in notes)
    assert "link_mailed" in actions
    assert token not in shown.get_text()


def test_a_swedish_customer_gets_a_swedish_message_and_plan(app, agent, contoso, mailbox, tmp_path):
    assert send(agent, contoso, language="sv").status_code == 302
    mailbox.wait_for(1)
    message = mailbox.messages[0][1]
    assert message["Subject"] == f"Ditt ärende {contoso}: planen för certifikatet till er koppling"
    assert message["Content-Language"] == "sv"
    text = body_text(message)
    assert "Öppna ärendet med den här länken" in text and "?lang=sv" in text
    pdf = next(message.iter_attachments()).get_content()
    (tmp_path / "plan.pdf").write_bytes(pdf)
    pdf_text = subprocess.run(["pdftotext", str(tmp_path / "plan.pdf"), "-"], capture_output=True, text=True,  # nosec B603 B607
                              check=True).stdout
    assert f"Ärende {contoso}" in pdf_text and "Åtgärdsplan" in pdf_text


def test_an_unfinished_case_gets_the_link_without_a_plan(app, agent, mailbox):
    with app.app_context():
        reference = make_case("Fabrikam", ["fabrikam.com"], completed=False).reference
    assert send(agent, reference).status_code == 302
    mailbox.wait_for(1)
    message = mailbox.messages[0][1]
    assert list(message.iter_attachments()) == [] and "/resume/" in body_text(message)
    assert "PDF" not in body_text(message)


@pytest.mark.parametrize("address", ["not an address", "it@contoso.com\r\nBcc: spy@example.com", ""])
def test_a_bad_address_is_refused_on_the_form(app, agent, contoso, mailbox, address):
    response = send(agent, contoso, recipient=address)
    assert response.status_code == 200
    soup = page(response)
    assert soup.select_one(".error-summary") is not None and soup.title.get_text().startswith("Error:")
    assert soup.select_one("#mail-recipient-error") is not None
    assert mailbox.messages == []


def test_a_language_the_app_does_not_speak_is_refused(app, agent, contoso, mailbox):
    response = send(agent, contoso, language="de")
    assert page(response).select_one("#mail-language-error") is not None and mailbox.messages == []


def test_the_form_offers_the_pages_language_first(app, agent, contoso, mailbox):
    agent.get("/language/sv")
    checked = page(agent.get(f"/staff/cases/{contoso}")).select_one("input[name=mail-language][checked]")
    assert checked["value"] == "sv"


def test_without_mail_settings_the_page_says_so_and_nothing_is_sent(app, agent, contoso):
    url = f"/staff/cases/{contoso}"
    assert "E-mail is not set up on this server" in page(agent.get(url)).get_text()
    response = agent.post(f"{url}/send-link", data={
        "csrf_token": page(agent.get(url)).find("input", attrs={"name": "csrf_token"})["value"],
        "mail-recipient": "it@contoso.com", "mail-language": "en"})
    assert response.status_code == 200
    alert = page(response).select_one(".mail-not-sent").get_text(" ", strip=True)
    assert alert.startswith("Not sent.") and "MAIL_SERVER" in alert


def test_a_server_certificate_the_app_does_not_trust_is_not_sent_to(app, agent, contoso, mailbox, tmp_path):
    app.config["MAIL_CA_FILE"] = write_trust_store(tmp_path / "other-root.pem", make_root("Some Other Root").cert)
    response = send(agent, contoso)
    assert response.status_code == 200
    alert = page(response).select_one(".mail-not-sent").get_text(" ", strip=True)
    assert "certificate could not be verified" in alert
    assert mailbox.messages == []
    with app.app_context():
        assert db.session.scalar(db.select(CaseNote)) is None


def test_a_wrong_password_says_the_server_refused_it(app, agent, contoso, mailbox):
    app.config["MAIL_PASSWORD"] = "wrong"
    response = send(agent, contoso)
    alert = page(response).select_one(".mail-not-sent").get_text(" ", strip=True)
    assert "refused the help desk's user name or password" in alert and "wrong" not in alert
    assert mailbox.refused_logins >= 1 and mailbox.messages == []


def test_a_server_that_is_not_there_is_reported(app, agent, contoso, mailbox):
    app.config["MAIL_PORT"] = mailbox.port + 1 if mailbox.port < 65535 else 1
    alert = page(send(agent, contoso)).select_one(".mail-not-sent").get_text(" ", strip=True)
    assert "could not be reached" in alert


def test_sending_is_limited_per_staff_user(app, agent, contoso, mailbox):
    limited = create_app({**{k: app.config[k] for k in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "TRUSTED_ROOTS_FILE")},
                          **mailbox.app_settings(), "MAIL_LIMIT": "2 per hour",
                          "TESTING": True, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"})
    limited.test_client_class = app.test_client_class
    from tests.staff.conftest import sign_in
    try:
        client = limited.test_client()
        assert sign_in(client).status_code == 302
        assert [send(client, contoso).status_code for _ in range(3)] == [302, 302, 429]
        mailbox.wait_for(2)
        assert len(mailbox.messages) == 2
    finally:
        limiter.reset()


def test_tls_from_the_first_byte(app, agent, contoso, tmp_path):
    mailbox, controller = start_mail_server(tmp_path, implicit_tls=True)
    try:
        app.config.update(mailbox.app_settings(MAIL_USE_SSL=True))
        assert send(agent, contoso).status_code == 302
        mailbox.wait_for(1)
        assert mailbox.messages[0][0] == ["it@contoso.com"] and mailbox.messages[0][2]  # signed in over TLS
    finally:
        controller.stop()


def test_a_server_that_never_answers_is_given_up_on(app, agent, contoso, mailbox):
    with socket.socket() as silent:  # accepts the connection and never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        app.config["MAIL_PORT"] = silent.getsockname()[1]
        response = send(agent, contoso)
    assert response.status_code == 200
    alert = page(response).select_one(".mail-not-sent").get_text(" ", strip=True)
    assert "did not answer within 10 seconds" in alert
