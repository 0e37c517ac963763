"""The devices chooser in the browser's shoes: start page link, one question a page, errors, result, back links."""
from __future__ import annotations

import pytest

from app.remediation.devices import next_question, recommend
from app.translate import plain
from tests.conftest import page, submit
from tests.remediation.test_devices import WALKS


def test_the_start_page_links_to_the_chooser(client):
    link = page(client.get("/")).find("a", href="/devices")
    assert link is not None
    soup = page(client.get("/devices"))
    assert soup.select_one("a.button-start")["href"] == "/devices/recipients"
    assert len(soup.select("dl.compare-way")) == 5


def test_the_server_step_links_to_the_chooser(client):
    submit(client, "/wizard/start", {"role": "admin", "organization": "Contoso"})
    submit(client, "/wizard/scenarios", [("scenarios", "ndr")])
    submit(client, "/wizard/domains", {"accepted_domains": "contoso.com"})
    submit(client, "/wizard/connector", {"kind": "none"})
    soup = page(client.get("/wizard/server"))
    assert soup.h1.get_text(strip=True).startswith("Which mail server")
    assert soup.find("a", href="/devices") is not None


@pytest.mark.parametrize("answers", WALKS, ids=lambda a: "-".join(a.values()))
def test_every_walk_through_the_pages_ends_at_its_recommendation(client, answers):
    url, given = "/devices/recipients", {}
    while url.startswith("/devices/") and not url.startswith("/devices/result"):
        name = url.split("/")[2].split("?")[0]
        response = submit(client, url, {"answer": answers[name]})
        assert response.status_code == 302
        given[name] = answers[name]
        url = response.location
    assert given == answers and next_question(given) is None
    soup = page(client.get(url))
    assert recommend(answers, plain).way.title in soup.h1.get_text()
    assert soup.select("ol.ordered-steps li") and soup.find("h2", string="Sources")
    assert len(soup.select(".summary-list a")) == len(answers)  # a Change link per answer


def test_nothing_chosen_is_an_error_with_a_summary(client):
    soup = page(submit(client, "/devices/oauth?recipients=external", {}))
    assert soup.title.get_text().startswith("Error: ")
    assert soup.select_one(".error-summary-list a")["href"] == "#answer-0"
    assert "Select whether the device can sign in with OAuth 2.0" in soup.select_one(".error-message").get_text()


def test_a_question_out_of_turn_goes_back_to_the_first_unanswered(client):
    response = client.get("/devices/static_ip?recipients=external")
    assert response.status_code == 302 and response.location == "/devices/oauth?recipients=external"
    assert client.get("/devices/result?oauth=bogus").location == "/devices/recipients"
    assert client.get("/devices/nonsense").status_code == 404


def test_the_back_link_keeps_earlier_answers_and_the_form_has_csrf(client):
    soup = page(client.get("/devices/relay_server?recipients=external&oauth=no"))
    assert soup.select_one("a.back-link")["href"] == "/devices/oauth?recipients=external&oauth=no"
    assert soup.find("input", attrs={"name": "csrf_token"}) is not None
    previous = page(client.get("/devices/oauth?recipients=external&oauth=no"))
    assert previous.find("input", attrs={"value": "no"}).has_attr("checked")


def test_a_post_without_the_csrf_token_is_refused(client):
    assert client.post("/devices/recipients", data={"answer": "internal"}).status_code == 400
