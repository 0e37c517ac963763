"""The session cookie, verified once per worker (app/extensions.py SigningOnceSessionInterface): every
cookie opens as Flask's own signed-cookie session opens it, however often it was seen before."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest
from flask import request
from flask.sessions import SecureCookieSessionInterface


def opened(app, value: str | None):
    """(ours, Flask's) session for a request carrying session cookie ``value``."""
    interface = app.session_interface
    headers = {"Cookie": f"{interface.get_cookie_name(app)}={value}"} if value is not None else {}
    with app.test_request_context("/", headers=headers):
        return interface.open_session(app, request), SecureCookieSessionInterface().open_session(app, request)


def signed(app, data: dict) -> str:
    return app.session_interface.get_signing_serializer(app).dumps(data)


def assert_as_flask(app, value: str | None) -> dict:
    ours, flasks = opened(app, value)
    assert dict(ours) == dict(flasks)
    assert type(ours) is type(flasks) and not ours.modified
    return dict(ours)


@pytest.mark.parametrize("nested", [False, True], ids=["kept", "too nested to keep"])
def test_a_cookie_opens_the_same_session_every_time(app, nested):
    data = {"case": 7, "seen": (1, "a"), **({"pending": {"user": 3}} if nested else {})}
    value = signed(app, data)
    for _ in range(3):
        assert assert_as_flask(app, value) == data


def test_each_request_gets_a_session_of_its_own(app):
    value = signed(app, {"case": 7, "pending": {"user": 3}})
    first, _ = opened(app, value)
    first["case"] = 8
    first["pending"]["user"] = 4
    del first["pending"]
    again, _ = opened(app, value)
    assert dict(again) == {"case": 7, "pending": {"user": 3}}


def test_a_kept_cookie_is_refused_once_older_than_the_session_lifetime(app):
    value = signed(app, {"case": 7})
    assert assert_as_flask(app, value) == {"case": 7}  # verified and kept
    time.sleep(1.1)  # the cookie is at least a second old now (itsdangerous counts whole seconds)
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=0)
    assert assert_as_flask(app, value) == {}
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(days=1)
    assert assert_as_flask(app, value) == {"case": 7}


def test_a_changed_byte_is_refused_even_beside_the_kept_cookie(app):
    value = signed(app, {"case": 7})
    assert assert_as_flask(app, value) == {"case": 7}
    # Not the last character: in unpadded base64 its low bits are padding, which decoding drops (a "change"
    # there can leave the signature's bytes as they were, and Flask accepts it too).
    for position in (0, len(value) // 2, len(value) - 2):
        changed = value[:position] + ("B" if value[position] != "B" else "C") + value[position + 1:]
        assert assert_as_flask(app, changed) == {}
    assert assert_as_flask(app, value + "x") == {}
    assert assert_as_flask(app, value) == {"case": 7}


def test_no_cookie_or_an_empty_one_opens_an_empty_session(app):
    assert assert_as_flask(app, None) == {}
    assert assert_as_flask(app, "") == {}


def test_a_rotated_secret_key_accepts_what_flask_accepts(app):
    old = signed(app, {"case": 7})
    assert assert_as_flask(app, old) == {"case": 7}  # kept under the old key
    app.secret_key = "the-new-secret"
    app.config["SECRET_KEY_FALLBACKS"] = ["test-secret"]
    assert assert_as_flask(app, old) == {"case": 7}  # the old key is a fallback: Flask still accepts it
    new = signed(app, {"case": 8})
    assert assert_as_flask(app, new) == {"case": 8}
    app.config["SECRET_KEY_FALLBACKS"] = []
    assert assert_as_flask(app, old) == {}  # the old key is gone: its cookie with it
    assert assert_as_flask(app, new) == {"case": 8}
    app.secret_key = "test-secret"
    assert assert_as_flask(app, new) == {}  # signed with a key the app no longer has


def test_a_visitor_keeps_the_case_across_requests_and_loses_it_with_the_key(app, client):
    from tests.conftest import submit

    assert submit(client, "/wizard/start", {"organization": "Contoso", "role": "admin", "ticket": ""}).status_code == 302
    assert client.get("/wizard/domains").status_code == 200
    assert client.get("/wizard/domains").status_code == 200
    app.secret_key = "the-new-secret"
    assert client.get("/wizard/domains").status_code == 302  # no case in the session any more: back to the start


def test_the_keep_stays_bounded_and_keeps_answering_as_flask(app, monkeypatch):
    monkeypatch.setattr(type(app.session_interface), "MAX_KEPT", 4)
    values = [signed(app, {"case": number}) for number in range(10)]
    for number, value in enumerate(values * 2):
        assert assert_as_flask(app, value) == {"case": number % 10}
