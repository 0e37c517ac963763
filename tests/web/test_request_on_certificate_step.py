"""The certificate step checks a signing request and keeps nothing (issue 25, item 2)."""
from __future__ import annotations

import io

from app.extensions import db
from app.store import Case
from tests.certfactory import make_key, make_request, request_der, request_pem
from tests.conftest import page, submit
from tests.web.test_wizard import walk_to


def _case(app):
    with app.app_context():
        return db.session.scalars(db.select(Case)).one()


def test_a_pasted_request_is_checked_and_not_saved(client, hierarchy, app):
    walk_to(client, hierarchy, stop="certificate")
    csr = request_pem(make_request("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])).decode()
    response = submit(client, "/wizard/certificate", {"certificate_text": csr})
    assert response.status_code == 200  # the same page again, with the check: no redirect to the next step
    section = page(response).select_one("#request-check")
    assert "This is a signing request, not a certificate" in section.get_text()
    assert "contoso.com" in section.select_one("td code").get_text() or "contoso.com" in section.get_text()
    assert page(response).select(".error-message") == []
    assert _case(app).certificate_pem is None  # a CSR never becomes the case's certificate


def test_an_uploaded_der_request_with_a_weak_key_says_make_a_new_one(client, hierarchy, app):
    walk_to(client, hierarchy, stop="certificate")
    der = request_der(make_request("contoso.com", key=make_key("rsa", 1024)))
    response = submit(client, "/wizard/certificate", {"certificate_file": (io.BytesIO(der), "relay.req")},
                      content_type="multipart/form-data")
    section = page(response).select_one("#request-check")
    assert section.select_one('[data-code="weak_key"]') is not None
    assert "Make a new request" in section.get_text()
    assert _case(app).certificate_pem is None


def test_a_look_alike_request_is_blocked_on_the_page(client, hierarchy):
    walk_to(client, hierarchy, stop="certificate")
    response = submit(client, "/wizard/certificate",
                      {"certificate_text": request_pem(make_request("notcontoso.com")).decode()})
    section = page(response).select_one("#request-check")
    assert section.select_one(".tag-blocked") is not None
    assert section.select_one('[data-code="name_not_accepted"]') is not None


def test_the_request_file_exchange_2016_writes_is_read_too(client, hierarchy, app):
    """WriteAllBytes(..., Unicode.GetBytes($request)): UTF-16 without a byte order mark."""
    walk_to(client, hierarchy, stop="certificate")
    utf16 = request_pem(make_request("contoso.com")).decode().replace("\n", "\r\n").encode("utf-16-le")
    response = submit(client, "/wizard/certificate", {"certificate_file": (io.BytesIO(utf16), "relay.req")},
                      content_type="multipart/form-data")
    assert page(response).select_one("#request-check .tag-ready") is not None
    assert _case(app).certificate_pem is None
