"""The work one wizard step costs, counted: the case is looked up once, and a hint's markup is made
once per text and worker (speed itself is measured in bench/, never here)."""
from __future__ import annotations

from bs4 import BeautifulSoup

from app.web import templating
from app.wizard import session as wizard_session
from tests.conftest import page
from tests.web.test_wizard import walk_to


def test_a_step_looks_its_case_up_once_and_words_it_for_the_agent(client, hierarchy, monkeypatch):
    walk_to(client, hierarchy)
    lookups: list[int] = []
    get_case = wizard_session.get_case
    monkeypatch.setattr(wizard_session, "get_case", lambda case_id: lookups.append(case_id) or get_case(case_id))

    shown = client.get("/wizard/server")

    assert shown.status_code == 200
    assert len(lookups) == 1
    assert "customer" in page(shown).select_one("h1, legend").get_text().lower()  # the agent's voice, as before


def test_the_hints_are_marked_up_once_and_the_same_each_time(client, hierarchy):
    walk_to(client, hierarchy)
    templating._unbroken_cmdlets.cache_clear()

    first = client.get("/wizard/domains").get_data(as_text=True)
    made = templating._unbroken_cmdlets.cache_info().misses
    again = client.get("/wizard/domains").get_data(as_text=True)

    assert made and templating._unbroken_cmdlets.cache_info().misses == made
    hints = [str(hint) for hint in BeautifulSoup(again, "html.parser").select(".hint")]
    assert hints and hints == [str(hint) for hint in BeautifulSoup(first, "html.parser").select(".hint")]
    assert '<span class="nowrap">Get-AcceptedDomain</span>' in again


def test_a_steps_own_intro_and_closing_text_show_on_that_step_only(client, hierarchy, monkeypatch):
    """The optional templates of a step (wizard/intro/<step>.html, wizard/after/<step>.html) are looked
    for once per name and worker, not on disk for every page; each still shows on its own step."""
    walk_to(client, hierarchy)
    templating._template_known.cache_clear()
    devices = "Compare the ways such devices can send mail"
    guess = "the MX endpoint is usually contoso-com.mail.protection.outlook.com"

    for _ in range(2):
        server = " ".join(page(client.get("/wizard/server")).get_text(" ").split())
        details = " ".join(page(client.get("/wizard/server-details")).get_text(" ").split())
        domains = " ".join(page(client.get("/wizard/domains")).get_text(" ").split())
        assert devices in server and devices not in details and devices not in domains
        assert guess in details and guess not in server and guess not in domains

    assert templating._template_known.cache_info().misses == 6  # intro and after of three steps, once each
