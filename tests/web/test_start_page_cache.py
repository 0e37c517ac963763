"""The start page rendered once per language: every visitor still sees their own language, case and sign-in."""
from __future__ import annotations

from tests.conftest import page, submit
from tests.staff.conftest import sign_in, users  # noqa: F401  (fixture)


def start_page(client, path: str = "/", **headers):
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_data(as_text=True)


def open_case(client, organization: str) -> str:
    response = submit(client, "/wizard/start", {"role": "admin", "organization": organization, "ticket": ""})
    assert response.status_code == 302
    reference = page(client.get("/")).find("div", class_="inset").get_text()
    return reference.split("case ", 1)[1].split(" ", 1)[0]


def test_each_language_shows_at_once_whichever_was_rendered_first(app):
    english, swedish = app.test_client(), app.test_client()
    assert "Start now" in start_page(english)
    assert "Börja nu" in start_page(swedish, "/?lang=sv")
    assert "Börja nu" in start_page(swedish)  # the cookie ?lang= set
    assert "Start now" in start_page(english)
    assert "Börja nu" in start_page(app.test_client(), **{"Accept-Language": "sv-SE,sv;q=0.9"})
    assert "Start now" in start_page(app.test_client(), **{"Accept-Language": "en-GB"})
    assert "Start now" in start_page(swedish, "/?lang=en")
    assert 'lang="sv"' in start_page(app.test_client(), "/?lang=sv")


def test_a_visitor_with_a_case_sees_their_own_and_nobody_else_does(app):
    anonymous, fabrikam, contoso = app.test_client(), app.test_client(), app.test_client()
    assert "Start now" in start_page(anonymous)  # the shared page is rendered
    fabrikam_ref, contoso_ref = open_case(fabrikam, "Fabrikam"), open_case(contoso, "Contoso")
    fabrikam_page, contoso_page = start_page(fabrikam), start_page(contoso)
    assert fabrikam_ref in fabrikam_page and "Fabrikam" in fabrikam_page and contoso_ref not in fabrikam_page
    assert contoso_ref in contoso_page and "Contoso" in contoso_page and fabrikam_ref not in contoso_page
    shared = start_page(anonymous)
    assert "Start now" in shared and fabrikam_ref not in shared and contoso_ref not in shared
    assert 'name="csrf_token"' not in shared
    # Each case's page has its own working form: starting a new case takes its token.
    token = page(fabrikam.get("/")).find("input", attrs={"name": "csrf_token"})["value"]
    assert fabrikam.post("/wizard/new", data={"csrf_token": token}).status_code == 302
    assert "Start now" in start_page(fabrikam) and fabrikam_ref not in start_page(fabrikam)


def test_a_changed_answer_shows_at_once(app):
    client = app.test_client()
    open_case(client, "Fabrikam")
    assert "Fabrikam" in start_page(client)
    submit(client, "/wizard/start", {"role": "admin", "organization": "Northwind", "ticket": ""})
    text = start_page(client)
    assert "Northwind" in text and "Fabrikam" not in text


def test_signed_in_staff_see_their_workspace_link(app, users):  # noqa: F811
    anonymous, agent = app.test_client(), app.test_client()
    assert "Staff workspace" not in start_page(anonymous)
    assert sign_in(agent).status_code == 302
    assert "Staff workspace" in start_page(agent)
    assert "Staff workspace" not in start_page(anonymous)


def test_the_language_link_keeps_the_query_of_this_address(app):
    client = app.test_client()
    start_page(client)
    switch = page(client.get("/?ref=mail")).find("a", hreflang="sv")["href"]
    assert "ref%3Dmail" in switch
    assert "ref" not in page(client.get("/")).find("a", hreflang="sv")["href"]
