"""No silent case swap: a resume link for another case asks first, showing both references."""
from __future__ import annotations

from app.store import create_case, db
from tests.conftest import page
from tests.web.test_wizard import walk_to


def open_case_reference(client) -> str | None:
    """The reference the start page says this browser has open."""
    inset = page(client.get("/")).select_one(".inset")
    return inset.get_text(" ", strip=True).split("case ")[1].split(" ")[0] if inset else None


def someone_elses_case(app) -> tuple[str, str]:
    with app.app_context():
        case = create_case("Mallory Inc")
        db.session.commit()
        return case.reference, case.secret_token


def test_a_link_to_another_case_asks_before_switching(app, client, hierarchy):
    walk_to(client, hierarchy, stop="/wizard/certificate")
    mine = open_case_reference(client)
    theirs, token = someone_elses_case(app)
    response = client.get(f"/resume/{token}")
    assert response.status_code == 200
    soup = page(response)
    assert soup.h1.get_text() == f"Open case {theirs} instead?"
    assert mine in soup.main.get_text() and theirs in soup.main.get_text()
    form = soup.select_one("main form")
    assert form["method"] == "post" and form.find("input", attrs={"name": "csrf_token"})
    assert open_case_reference(client) == mine  # nothing switched yet
    # A forged POST without our page's token switches nothing either.
    assert client.post(f"/resume/{token}").status_code == 400
    assert open_case_reference(client) == mine
    # The visitor's "Open" button does.
    token_value = form.find("input", attrs={"name": "csrf_token"})["value"]
    switched = client.post(f"/resume/{token}", data={"csrf_token": token_value})
    assert switched.status_code == 302 and switched.headers["Location"].endswith("/wizard/start")
    assert open_case_reference(client) == theirs


def test_staying_keeps_the_open_case(app, client, hierarchy):
    walk_to(client, hierarchy, stop="/wizard/certificate")
    mine = open_case_reference(client)
    _theirs, token = someone_elses_case(app)
    stay = page(client.get(f"/resume/{token}")).find("a", string=f"Stay with case {mine}")
    assert stay["href"].endswith("/wizard/certificate")
    assert open_case_reference(client) == mine


def test_without_an_open_case_the_link_asks_too(app, client):
    """Issue 23, finding 8: it opened at once, so a link someone sent silently collected what came next."""
    reference, token = someone_elses_case(app)
    response = client.get(f"/resume/{token}")
    assert response.status_code == 200
    soup = page(response)
    assert soup.h1.get_text() == f"Open case {reference}?"
    assert "Mallory Inc" in soup.main.get_text() and "whoever sent the link can see it" in soup.main.get_text()
    assert soup.find("a", string="Do not open it: go to the start page")["href"] == "/"
    assert open_case_reference(client) is None  # nothing opened yet
    assert client.post(f"/resume/{token}").status_code == 400  # nor by a forged POST
    token_value = soup.select_one("main form input[name=csrf_token]")["value"]
    assert client.post(f"/resume/{token}", data={"csrf_token": token_value}).status_code == 302
    assert open_case_reference(client) == reference
    assert client.get(f"/resume/{token}").status_code == 302  # the case it already has open: at once


def test_an_unknown_token_is_404(client):
    assert client.get("/resume/not-a-token").status_code == 404
