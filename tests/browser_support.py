"""Shared pieces for browser tests (pytest-playwright): Debian's Chromium and a live server.

Import the fixtures into a test directory's conftest.py::

    from tests.browser_support import browser_type_launch_args, live_app, live_server  # noqa: F401

``live_server`` serves ``live_app`` (the real app on the test's database from
tests/conftest.py's ``database_url``, CSRF on) with werkzeug in a thread on 127.0.0.1 and a free port, and yields
its base URL. Override ``live_app_config`` to change settings.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from tests.certfactory import make_hierarchy, write_trust_store

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def live_app_config(tmp_path, database_url) -> dict:
    root = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"]).root.cert
    return {
        "SECRET_KEY": "browser-test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "TRUSTED_ROOTS_FILE": write_trust_store(tmp_path / "roots.pem", root),
        "RATELIMIT_ENABLED": False,
    }


@pytest.fixture
def live_app(live_app_config: dict) -> Flask:
    return create_app(live_app_config)


@pytest.fixture
def live_server(live_app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with live_app.app_context():
            db.engine.dispose()


def signed_in_page(page, live_server: str, email: str, password: str, app=None) -> list[str]:
    """Sign ``page`` in at the staff sign-in page, with the account's code when it asks for one (admins:
    ``app`` finds it); returns the list the console's errors are collected into."""
    from tests.staff.conftest import fresh_code

    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server}/staff/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if page.url.split("?")[0].endswith("/staff/sign-in/code"):
        page.locator("input[name=code]").fill(fresh_code(app, email))
        page.locator("main button[type=submit]").first.click()
    return errors
