"""Secret addresses can be stopped (issue 23, finding 10).

Calendar feeds survived `flask set-password` (whoever had the old password kept the agent's
calendar), and a read-only report link could be neither rotated nor revoked.
"""
from __future__ import annotations

from tests.conftest import page
from tests.staff.conftest import AGENT_EMAIL, agent, contoso, users  # noqa: F401  fixtures
from tests.staff.test_cases import audit_actions, post_form, read_only_link

EXPIRING = "/staff/expiring"


def calendar_address(agent, page_url: str, action: str) -> str:
    response = post_form(agent, page_url, action)
    link = page(agent.get(response.headers["Location"])).select_one("#calendar ~ .code-block code").get_text()
    return link.split("localhost", 1)[1]


def test_a_new_password_stops_the_agents_calendar_address(app, agent, client):
    feed = calendar_address(agent, EXPIRING, "/staff/calendar?within=30")
    assert client.get(feed).status_code == 200
    result = app.test_cli_runner().invoke(args=["set-password", AGENT_EMAIL], input="a brand new password 2\n")
    assert result.exit_code == 0, result.output
    assert "calendar address stopped" in result.output
    assert client.get(feed).status_code == 404


def test_a_new_role_stops_the_agents_calendar_address(app, agent, client):
    feed = calendar_address(agent, EXPIRING, "/staff/calendar?within=30")
    assert app.test_cli_runner().invoke(args=["set-role", AGENT_EMAIL, "admin"]).exit_code == 0
    assert client.get(feed).status_code == 404


def test_an_agent_stops_their_own_calendar_address(agent, client):
    feed = calendar_address(agent, EXPIRING, "/staff/calendar?within=30")
    assert page(agent.get(EXPIRING)).find("button", string="Stop my calendar address") is not None
    response = post_form(agent, EXPIRING, "/staff/calendar/stop")
    assert response.status_code == 302
    assert client.get(feed).status_code == 404
    assert page(agent.get(EXPIRING)).find("button", string="Stop my calendar address") is None


def test_a_cases_calendar_address_can_be_stopped(agent, client, contoso):
    url = f"/staff/cases/{contoso}"
    feed = calendar_address(agent, url, f"{url}/calendar")
    assert client.get(feed).status_code == 200
    post_form(agent, url, f"{url}/calendar/stop")
    assert client.get(feed).status_code == 404


def test_a_read_only_link_can_be_stopped_and_a_new_one_made(app, agent, client, contoso):
    url = f"/staff/cases/{contoso}"
    link = read_only_link(agent, contoso)
    assert client.get(link).status_code == 200
    response = post_form(agent, url, f"{url}/read-only-link/stop")
    assert response.status_code == 302
    assert client.get(link).status_code == 404
    assert "stopped working" in page(agent.get(response.headers["Location"])).get_text()
    renewed = read_only_link(agent, contoso)
    assert renewed != link and client.get(renewed).status_code == 200 and client.get(link).status_code == 404
    assert "read_link_stopped" in audit_actions(app, contoso)
