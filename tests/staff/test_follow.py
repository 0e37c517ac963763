"""Following a case live: the poll and its ETag, who may poll, the "following" line, the agent's note."""
from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import update

from app.extensions import db
from app.staff.models import User
from app.staff.presence import CaseFollower
from app.store import Case, utcnow
from bench.client import wizard_answers
from tests.certfactory import to_pem
from tests.conftest import page, submit
from tests.staff.conftest import ADMIN_EMAIL, AGENT_EMAIL, sign_in

SCRIPT = '<script>alert("x")</script> & <b>bold</b>'


@pytest.fixture
def customer(app):
    return app.test_client()


@pytest.fixture
def steps(hierarchy):
    return wizard_answers("Contoso Ltd", to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert).decode())


def start_case(customer, steps) -> str:
    url, data = steps[0]
    assert submit(customer, url, data).status_code == 302
    with customer.session_transaction() as session:
        case_id = session["case_id"]
    with customer.application.app_context():
        return db.session.get(Case, case_id).reference


def save(customer, step):
    response = submit(customer, *step)
    assert response.status_code == 302, page(response).select(".error-message")


def poll(client, reference: str, etag: str | None = None):
    headers = {"If-None-Match": f'"{etag}"'} if etag else {}
    return client.get(f"/staff/cases/{reference}/live", headers=headers)


def live_text(response) -> str:
    """The text of a page, or of the live region a poll answered."""
    if response.mimetype == "application/json":
        return " ".join(BeautifulSoup(response.get_json()["html"], "html.parser").get_text(" ").split())
    return " ".join(page(response).get_text(" ").split())


def leave_note(agent, reference: str, text: str):
    url = f"/staff/cases/{reference}/customer-note"
    token = page(agent.get(f"/staff/cases/{reference}")).select_one(f'form[action^="{url}"] input[name=csrf_token]')
    return agent.post(url, data={"message": text, "csrf_token": token["value"]})


def test_the_poll_answers_304_until_the_customer_saves(agent, customer, steps):
    reference = start_case(customer, steps)
    first = poll(agent, reference)
    assert first.status_code == 200 and first.headers["ETag"]
    etag = first.headers["ETag"].strip('"')
    assert "Contoso Ltd" in live_text(first)

    unchanged = poll(agent, reference, etag)
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    assert unchanged.headers["ETag"].strip('"') == etag

    save(customer, steps[1])  # the scenarios
    changed = poll(agent, reference, etag)
    assert changed.status_code == 200 and changed.headers["ETag"].strip('"') != etag
    assert "Non-delivery reports" in live_text(changed) or "non-delivery" in live_text(changed).lower()


def test_the_poll_shows_the_customers_page_certificate_and_plan(agent, customer, steps):
    reference = start_case(customer, steps)
    for step in steps[1:8]:
        save(customer, step)
    customer.get("/wizard/certificate")
    text = live_text(poll(agent, reference))
    assert "The customer's page Certificate" in text
    assert "No certificate yet." in text and "mail.contoso.com" in text

    save(customer, steps[8])  # the certificate, uploaded as text
    text = live_text(poll(agent, reference))
    assert "Certificate Ready" in text and "Certificate findings" in text
    assert "Plan In progress" in text

    save(customer, steps[9])
    assert submit(customer, "/wizard/check", {}).status_code == 302
    customer.get(f"/cases/{reference}")
    text = live_text(poll(agent, reference))
    assert "The customer's page The plan" in text and "Plan Ready" in text


def test_every_change_of_page_reaches_the_staff_page_and_a_reload_writes_nothing(app, agent, customer, steps):
    """The customer's page is read with the notice and written only when it changes: going back to a page
    seen before is a change (it shows at once), opening the same page again is not (no write)."""
    from sqlalchemy import event

    reference = start_case(customer, steps)
    for step in steps[1:3]:
        save(customer, step)  # each opens the step's page first: the customer is on "domains" now
    writes: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if "case_positions" in statement and not statement.lstrip().upper().startswith("SELECT"):
            writes.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        for name, title in (("scenarios", "Does this affect you?"), ("domains", "Accepted domains"),
                            ("scenarios", "Does this affect you?")):
            before = len(writes)
            customer.get(f"/wizard/{name}")
            assert len(writes) == before + 1
            assert f"The customer's page {title}" in live_text(poll(agent, reference))
        customer.get("/wizard/scenarios")
        customer.get("/wizard/scenarios")
        assert len(writes) == 3
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_only_signed_in_staff_may_poll(app, customer, steps, users):
    reference = start_case(customer, steps)
    for client in (customer, app.test_client()):
        response = poll(client, reference)
        assert response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]
        assert b"Contoso" not in response.get_data()


def test_the_poll_of_an_unknown_case_is_404(agent):
    assert poll(agent, "KB-0000-0000").status_code == 404


def test_the_customer_sees_who_follows_until_the_polls_stop(app, agent, customer, steps):
    app.config["HELP_DESK_NAME"] = "Contoso IT"
    reference = start_case(customer, steps)
    assert "following this case" not in live_text(customer.get("/wizard/scenarios"))

    poll(agent, reference)
    assert "An agent from Contoso IT is following this case" in live_text(customer.get("/wizard/scenarios"))

    with app.app_context():
        db.session.execute(update(User).where(User.email == AGENT_EMAIL).values(display_name="Anna <Berg>"))
        db.session.commit()
    page_text = customer.get("/wizard/scenarios").get_data(as_text=True)
    assert "Anna &lt;Berg&gt; from Contoso IT is following this case" in page_text

    with app.app_context():  # the agent's last poll, a moment past the window
        db.session.execute(update(CaseFollower).values(last_seen=utcnow() - timedelta(seconds=11)))
        db.session.commit()
    assert "following this case" not in live_text(customer.get("/wizard/scenarios"))


def test_without_a_help_desk_name_the_line_says_the_help_desk(app, agent, customer, steps):
    app.config["HELP_DESK_NAME"] = None
    reference = start_case(customer, steps)
    poll(agent, reference)
    assert "An agent from the help desk is following this case" in live_text(customer.get("/wizard/scenarios"))


def test_staff_pages_never_say_they_are_followed(app, agent, customer, steps):
    reference = start_case(customer, steps)
    poll(agent, reference)
    assert "following this case" not in live_text(agent.get(f"/staff/cases/{reference}"))


def test_the_agents_note_is_escaped_shown_once_and_kept_in_the_notes(agent, customer, steps):
    reference = start_case(customer, steps)
    assert leave_note(agent, reference, SCRIPT).status_code == 302

    shown = customer.get("/wizard/scenarios")
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in shown.get_data(as_text=True)
    assert SCRIPT not in shown.get_data(as_text=True)
    assert f"A note from the help desk: {SCRIPT}" in live_text(shown)
    assert "alert" not in customer.get("/wizard/domains").get_data(as_text=True)  # shown once

    staff_page = agent.get(f"/staff/cases/{reference}").get_data(as_text=True)
    assert SCRIPT not in staff_page and "&lt;script&gt;" in staff_page
    assert "Shown to the customer:" in live_text(poll(agent, reference))
    notes = " ".join(page(agent.get(f"/staff/cases/{reference}")).select(".notes")[-1].get_text(" ").split())
    assert "For the customer" in notes and 'alert("x")' in notes


def test_a_note_for_the_customer_needs_text_a_bounded_length_and_a_token(agent, customer, steps):
    reference = start_case(customer, steps)
    url = f"/staff/cases/{reference}/customer-note"
    assert agent.post(url, data={"message": "Hello"}).status_code == 400  # no CSRF token
    token = page(agent.get(f"/staff/cases/{reference}")).select_one(f'form[action^="{url}"] input[name=csrf_token]')
    too_long = agent.post(url, data={"message": "x" * 501, "csrf_token": token["value"]})
    assert too_long.status_code == 200
    soup = page(too_long)
    assert soup.title.get_text().startswith("Error: ")
    assert "Enter a note of 500 characters or fewer" in soup.select_one(".error-summary").get_text()
    assert "following this case" not in live_text(customer.get("/wizard/scenarios"))
    assert "A note from" not in live_text(customer.get("/wizard/scenarios"))


def test_the_note_names_the_agent_when_the_account_has_a_name(app, agent, customer, steps):
    reference = start_case(customer, steps)
    with app.app_context():
        db.session.execute(update(User).where(User.email == AGENT_EMAIL).values(display_name="Anna"))
        db.session.commit()
    leave_note(agent, reference, "Upload the PFX next, please.")
    text = live_text(customer.get("/wizard/scenarios"))
    assert "A note from Anna: Upload the PFX next, please." in text


def test_a_staff_member_resuming_the_case_neither_reads_the_note_nor_moves_the_customer(app, users, customer, steps):
    reference = start_case(customer, steps)
    staff = app.test_client()
    sign_in(staff, AGENT_EMAIL)
    assert leave_note(staff, reference, "Hello from the desk").status_code == 302
    url = f"/staff/cases/{reference}/resume"
    token = page(staff.get(f"/staff/cases/{reference}")).select_one(f'form[action="{url}"] input[name=csrf_token]')
    assert staff.post(url, data={"csrf_token": token["value"]}).status_code == 302
    staff.get("/wizard/certificate")
    assert "Hello from the desk" not in staff.get("/wizard/domains").get_data(as_text=True)
    assert "Hello from the desk" in customer.get("/wizard/domains").get_data(as_text=True)
    assert "The customer's page Accepted domains" in live_text(poll(staff, reference))


def test_a_staff_member_never_gets_the_customers_kept_step_page(app, users, customer, steps):
    """The customer's page of a step is kept for the case's version (app/wizard/kept.py); staff who
    resume the case get theirs rendered: the workspace link in the header, the agent's voice."""
    reference = start_case(customer, steps)
    for step in steps[1:3]:
        save(customer, step)
    assert "Staff workspace" not in live_text(customer.get("/wizard/domains"))  # kept
    staff = app.test_client()
    sign_in(staff, AGENT_EMAIL)
    url = f"/staff/cases/{reference}/resume"
    token = page(staff.get(f"/staff/cases/{reference}")).select_one(f'form[action="{url}"] input[name=csrf_token]')
    assert staff.post(url, data={"csrf_token": token["value"]}).status_code == 302
    assert "Staff workspace" in live_text(staff.get("/wizard/domains"))
    assert "Staff workspace" not in live_text(customer.get("/wizard/domains"))


def test_an_agent_is_named_from_the_command_line(app, agent, customer, steps):
    app.config["HELP_DESK_NAME"] = "Contoso IT"
    result = app.test_cli_runner().invoke(args=["set-name", AGENT_EMAIL, "  Anna   Berg "])
    assert result.exit_code == 0, result.output
    reference = start_case(customer, steps)
    poll(agent, reference)
    assert "Anna Berg from Contoso IT is following this case" in live_text(customer.get("/wizard/scenarios"))
    assert app.test_cli_runner().invoke(args=["set-name", AGENT_EMAIL, "x" * 101]).exit_code != 0


def test_the_cached_result_page_shows_the_note_once_and_the_line_while_followed(app, agent, customer, steps):
    reference = start_case(customer, steps)
    for step in steps[1:]:
        save(customer, step)
    assert submit(customer, "/wizard/check", {}).status_code == 302
    assert "A note from" not in live_text(customer.get(f"/cases/{reference}"))  # now in the page cache
    leave_note(agent, reference, "Run the script from step 2.")
    assert "Run the script from step 2." in live_text(customer.get(f"/cases/{reference}"))
    assert "Run the script from step 2." not in live_text(customer.get(f"/cases/{reference}"))
    poll(agent, reference)
    assert "An agent from the help desk is following this case" in live_text(customer.get(f"/cases/{reference}"))


def test_two_agents_following_are_both_named(app, agent, customer, steps):
    app.config["HELP_DESK_NAME"] = "Contoso IT"
    with app.app_context():
        db.session.execute(update(User).where(User.email == AGENT_EMAIL).values(display_name="Anna"))
        db.session.execute(update(User).where(User.email == ADMIN_EMAIL).values(display_name="Bo"))
        db.session.commit()
    admin = app.test_client()
    sign_in(admin, ADMIN_EMAIL)
    reference = start_case(customer, steps)
    poll(agent, reference)
    poll(admin, reference)
    text = live_text(customer.get("/wizard/scenarios"))
    assert "Bo and Anna from Contoso IT are following this case" in text or \
        "Anna and Bo from Contoso IT are following this case" in text


def test_a_database_that_refuses_writes_still_answers_the_poll(app, agent, customer, steps):
    from tests.hostile.test_read_only_database import read_only_twin

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("the read-only twin opens the same SQLite file read-only (the SQLite pass)")
    reference = start_case(customer, steps)
    reader = read_only_twin(app).test_client()
    reader.set_cookie("session", agent.get_cookie("session").value)
    response = poll(reader, reference)  # the follower's row cannot be written: the region still comes
    assert response.status_code == 200 and "Contoso Ltd" in live_text(response)


def test_the_case_summary_above_follows_too(agent, customer, steps):
    """The summary at the top of the case page (verdict, domains, last change) said "In progress" and "Not given
    yet" beside a live region that showed the certificate Ready: the poll now brings the summary as well."""
    reference = start_case(customer, steps)
    before = BeautifulSoup(poll(agent, reference).get_json()["summary"], "html.parser")
    assert before.select_one("#case-summary") is not None
    assert "Not given yet" in before.get_text(" ")
    for step in steps[1:9]:  # up to and with the certificate
        save(customer, step)
    after = BeautifulSoup(poll(agent, reference).get_json()["summary"], "html.parser")
    summary = " ".join(after.get_text(" ").split())
    assert "contoso.com" in summary and "Not given yet" not in summary
    assert after.select_one("#verdict .tag").get_text(strip=True) == page(agent.get(
        f"/staff/cases/{reference}")).select_one("#verdict .tag").get_text(strip=True)
