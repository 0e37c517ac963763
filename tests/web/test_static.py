"""Static files: hashed names in the pages, served before Flask with the pages' security headers."""
from __future__ import annotations

import re
from pathlib import Path

from app.web.assets import HASHED_NAME, hashed_name, manifest

SECURITY_HEADERS = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
                    "Permissions-Policy")


def static_links(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_name_every_static_file_by_its_content_hash(client, app):
    links = static_links(client.get("/").get_data(as_text=True))
    assert len(links) == 4
    names = manifest(app.static_folder)
    for link in links:
        assert HASHED_NAME.search(link), link
        assert link.removeprefix("/static/") in names.values()


def test_a_hashed_name_is_kept_for_good_and_carries_the_pages_security_headers(client):
    page = client.get("/")
    for link in static_links(page.get_data(as_text=True)):
        response = client.get(link)
        assert response.status_code == 200 and response.data
        assert response.headers["Cache-Control"] == "max-age=315360000, public, immutable"
        assert "Set-Cookie" not in response.headers
        for header in SECURITY_HEADERS:
            assert response.headers[header] == page.headers[header], header
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_plain_names_still_answer_for_an_hour(client, app):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response.data == (Path(app.static_folder) / "css" / "app.css").read_bytes()
    assert response.headers["Cache-Control"] == "max-age=3600, public"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_static_files_are_answered_before_flask(client, app):
    seen = []
    app.before_request(lambda: seen.append(1))
    link = static_links(client.get("/").get_data(as_text=True))[0]
    seen.clear()
    assert client.get(link).status_code == 200
    assert client.get("/static/css/app.css").status_code == 200
    assert seen == []


def test_a_name_with_another_hash_is_not_found(client):
    assert client.get("/static/css/app.0123456789ab.css").status_code == 404
    assert client.get("/static/css/app.css/../../app/__init__.py").status_code == 404


def test_a_changed_file_gets_a_new_name(tmp_path):
    (tmp_path / "css").mkdir()
    stylesheet = tmp_path / "css" / "site.css"
    stylesheet.write_text("body { color: black }")
    before = manifest(str(tmp_path))["css/site.css"]
    stylesheet.write_text("body { color: navy }")
    after = manifest(str(tmp_path))["css/site.css"]
    assert before != after
    assert before.startswith("css/site.") and before.endswith(".css") and HASHED_NAME.search(before)
    assert hashed_name("favicon.ico", b"x") == "favicon.2d711642b726.ico"
