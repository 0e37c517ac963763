"""What the wizard says: a message per refused domain line, domains shown as read, questions for the role."""
from __future__ import annotations

import pytest

from app.wizard.steps import STEPS
from tests.conftest import page, submit
from tests.web.test_wizard import START, errors_of


def domains_errors(client, text: str) -> list[str]:
    submit(client, "/wizard/start", START)
    return errors_of(submit(client, "/wizard/domains", {"accepted_domains": text}))


def test_each_refused_line_gets_its_own_message_quoting_it(client):
    errors = domains_errors(client, "contoso\ncontoso.com\n*.fabrikam.com\ncontoso.local\nnot a domain")
    assert errors == [
        'Line 1: "contoso" is not a domain; enter it like contoso.com',
        'Line 3: "*.fabrikam.com" is not a domain: accepted domains have no *; enter it like contoso.com',
        'Line 4: "contoso.local" is an internal name or an address, which Microsoft 365 cannot have as a domain; '
        'leave it out or enter a public domain, like contoso.com',
        'Line 5: "not a domain" is not a domain; enter one domain per line, like contoso.com',
    ]


def test_a_pasted_page_of_rubbish_gets_ten_messages_and_a_count(client):
    errors = domains_errors(client, "\n".join(f"word{n}" for n in range(25)))
    assert len(errors) == 11
    assert errors[-1] == "15 more lines are not domains either; enter one domain per line, like contoso.com"


def test_a_long_line_is_quoted_shortened(client):
    errors = domains_errors(client, "x" * 300)
    assert len(errors[0]) < 200 and "…" in errors[0]


def test_normalised_domains_show_what_they_were_read_from_on_the_check_page(client, hierarchy):
    from tests.web.test_wizard import walk_to
    walk_to(client, hierarchy)
    response = submit(client, "/wizard/domains?return=check", {"accepted_domains": "http://contoso.com\nFabrikam.com."})
    assert response.status_code == 302
    soup = page(client.get("/wizard/check"))
    row = next(r for r in soup.select(".summary-row") if r.dt.get_text(strip=True) == "Accepted domains")
    assert [li.get_text(strip=True) for li in row.select("li")] == [
        "contoso.com (from http://contoso.com)", "fabrikam.com (from Fabrikam.com.)"]


ADMIN = {**START, "role": "admin"}
AGENT_WORDING = ("the customer's", "The customer's")


def step_texts(client) -> dict[str, str]:
    """Every question page's labels, hints and choices, by step (the answers of one walk)."""
    texts = {}
    for step in STEPS[1:]:  # the start page asks for the role, naming both
        response = client.get(f"/wizard/{step.name}")
        if response.status_code == 200:
            main = page(response).main
            texts[step.name] = " ".join(tag.get_text(" ", strip=True) for tag in main.select("h1, label, legend"))
    return texts


@pytest.mark.parametrize("start", [START, ADMIN], ids=["agent", "admin"])
def test_questions_address_whoever_works_on_the_case(client, hierarchy, start):
    from tests.web.test_wizard import walk_to
    walk_to(client, hierarchy)
    submit(client, "/wizard/start?return=check", start)
    texts = step_texts(client)
    assert {"domains", "connector", "server", "scenarios"} <= set(texts)
    every = " ".join(texts.values())
    if start["role"] == "agent":
        assert "our server" not in every and "your organization" not in every and "your own server" not in every
        assert "What are the customer's accepted domains?" in texts["domains"]
        assert "Yes, one that identifies the customer's server by its IP address" in texts["connector"]
        check = page(client.get("/wizard/check")).get_text(" ")
        assert "The customer's server forwards messages to external addresses" in check
    else:
        assert "the customer's" not in every.lower()
        assert "What are your organization's accepted domains?" in texts["domains"]
        assert "Our server forwards messages to external addresses" in texts["scenarios"]


def test_usages_are_named_with_the_oid_beside_on_the_wizard_page_and_the_plan(client, hierarchy):
    from tests.web.test_wizard import walk_to
    walk_to(client, hierarchy)
    for url in ("/wizard/connector-domain", submit(client, "/wizard/check", {}).headers["Location"]):
        row = next(r for r in page(client.get(url)).select(".facts-table tr") if "Extended key usages" in r.get_text())
        items = [li.get_text(" ", strip=True) for li in row.select("li")]
        assert items == ["Server Authentication (1.3.6.1.5.5.7.3.1)", "Client Authentication (1.3.6.1.5.5.7.3.2)"], url
    swedish = page(client.get("/wizard/connector-domain?lang=sv")).get_text(" ")
    assert "Serverautentisering" in swedish and "Klientautentisering" in swedish
