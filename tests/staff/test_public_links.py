"""Links read outside the app go under PUBLIC_URL when it is set, whatever host the agent's browser used.

An agent working on http://localhost:8000 (or an internal host name) must not mail, copy or post that
address to a customer or a ticket: the customer link, the e-mail, the ticket text and the webhook all use
the address the world knows.
"""
from __future__ import annotations

import re

from tests.conftest import page
from tests.staff.test_mail import body_text, mailbox, send  # noqa: F401  (the real SMTP server fixture)

PUBLIC = "https://wizard.example.com"


def test_the_mailed_link_is_under_public_url(app, agent, contoso, mailbox):  # noqa: F811
    app.config["PUBLIC_URL"] = PUBLIC
    assert send(agent, contoso).status_code == 302
    mailbox.wait_for(1)
    links = re.findall(r"https?://\S+/resume/\S+", body_text(mailbox.messages[0][1]))
    assert links and all(link.startswith(PUBLIC + "/resume/") for link in links), links


def test_the_shown_link_and_the_ticket_are_under_public_url(app, agent, contoso):
    app.config["PUBLIC_URL"] = PUBLIC
    url = f"/staff/cases/{contoso}"
    token = page(agent.get(url)).find("input", attrs={"name": "csrf_token"})["value"]
    assert agent.post(f"{url}/link", data={"csrf_token": token}).status_code == 302
    text = page(agent.get(url)).get_text(" ")
    assert PUBLIC + "/resume/" in text
    assert "http://localhost/resume/" not in text
    assert PUBLIC + f"/staff/cases/{contoso}" in text  # the ticket's link to the case page


def test_without_public_url_the_request_address_stays(app, agent, contoso):
    app.config["PUBLIC_URL"] = ""
    assert f"http://localhost/staff/cases/{contoso}" in page(agent.get(f"/staff/cases/{contoso}")).get_text(" ")
