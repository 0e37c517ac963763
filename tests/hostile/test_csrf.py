"""Every form POST outside the API is refused (400) without this session's CSRF token."""
from __future__ import annotations

import pytest

from app.wizard.steps import STEPS
from tests.conftest import page, submit
from tests.hostile.conftest import walk


def post_routes(app) -> list[str]:
    """Every URL that accepts POST, except the JSON API (stateless, documented as exempt)."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        if "<name>" in rule.rule:
            urls += [rule.rule.replace("<name>", step.name) for step in STEPS]
        else:
            urls.append(rule.rule.replace("<", "").replace(">", "").replace("int:", ""))
    return sorted(set(urls))


def test_the_wizard_posts_are_all_covered(app):
    urls = post_routes(app)
    assert {"/wizard/start", "/wizard/certificate", "/wizard/connector-domain", "/wizard/check",
            "/wizard/domains", "/wizard/new", "/resume"} <= set(urls)


def other_sessions_token(app) -> str:
    other = app.test_client()
    return page(other.get("/wizard/start")).find("input", attrs={"name": "csrf_token"})["value"]


@pytest.mark.parametrize("token_kind", ["missing", "another session's", "forged"])
def test_posts_without_this_sessions_token_are_refused(app, client, hierarchy, token_kind):
    from tests.certfactory import to_pem

    walk(client, to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert).decode(), stop="/wizard/check")
    tokens = {"missing": None, "another session's": other_sessions_token(app),
              "forged": "IjAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAi.Z0000A.forged-signature"}
    token = tokens[token_kind]
    refused = {}
    for url in post_routes(app):
        data = {"organization": "Mallory", "role": "agent", "kind": "none", "accepted_domains": "evil.example"}
        if token is not None:
            data["csrf_token"] = token
        response = client.post(url, data=data)
        refused[url] = response.status_code
    assert {url: status for url, status in refused.items() if status != 400} == {}
    # Nothing was changed: the case still holds the user's own answers.
    assert "Contoso Ltd" in page(client.get("/wizard/check")).get_text()


def test_the_refusal_tells_the_user_what_to_do(client):
    response = client.post("/wizard/start", data={"organization": "Mallory", "role": "agent"})
    assert response.status_code == 400
    assert "expired" in page(response).h1.get_text().lower()
    # A real token from this session is accepted, so the 400s above are the token's doing.
    assert submit(client, "/wizard/start", {"organization": "Contoso Ltd", "role": "agent"}).status_code == 302
