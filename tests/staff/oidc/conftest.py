"""A real OpenID provider for the staff sign-in tests: tests/oidc/provider.mjs (panva's oidc-provider) on loopback.

``provider`` is the running provider, set afresh for each test: one client for the app, the
accounts ``ACCOUNTS`` and auto sign-in as ``AGENT_SUB``. ``oidc_app`` is the app configured for it
(the live app of tests/browser_support.py, so the browser tests serve the very same app).
"""
from __future__ import annotations

import os
import secrets
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from tests.browser_support import browser_type_launch_args, live_app, live_server  # noqa: F401
from tests.conftest import PageCheckingClient

PROVIDER_DIR = Path(__file__).resolve().parents[2] / "oidc"
CLIENT_ID = "kb-wizard"
TENANT, OTHER_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47", "0f6c6a1e-2b8c-4b53-9c1e-5d8f5a3b0c11"
ROLE_MAP = "Wizard.Agent=agent,Wizard.Admin=admin"
AGENT_SUB, ADMIN_SUB, NO_ROLE_SUB, FOREIGN_SUB = "sub-agent-4711", "sub-admin-0815", "sub-norole-17", "sub-foreign-99"
ACCOUNTS = {
    AGENT_SUB: {"email": "maria.agent@helpdesk.example", "roles": ["Wizard.Agent"], "tid": TENANT, "name": "Maria"},
    ADMIN_SUB: {"email": "alex.admin@helpdesk.example", "roles": ["Wizard.Admin", "Wizard.Agent"], "tid": TENANT},
    NO_ROLE_SUB: {"email": "nils.norole@helpdesk.example", "roles": ["Something.Else"], "tid": TENANT},
    FOREIGN_SUB: {"email": "eve@other.example", "roles": ["Wizard.Admin"], "tid": OTHER_TENANT},
}
APP_ORIGIN = "http://localhost"  # the Flask test client's


class Provider:
    def __init__(self, issuer: str):
        self.issuer = issuer
        self.secret = secrets.token_urlsafe(24)

    def _post(self, path: str, body: dict) -> dict:
        response = requests.post(self.issuer + path, json=body, timeout=30)
        response.raise_for_status()
        return response.json()

    def setup(self, **settings) -> None:
        self._post("/_test/setup", settings)

    def reset(self, redirect_origins: list[str]) -> None:
        self.setup(client_id=CLIENT_ID, client_secret=self.secret, accounts=ACCOUNTS, auto_login=AGENT_SUB, deny=False, tamper=None,
                   redirect_uris=[origin + "/staff/oidc/callback" for origin in redirect_origins],
                   post_logout_redirect_uris=[origin + "/staff/sign-in" for origin in redirect_origins])

    def rotate(self, keep_old: bool = False) -> list[str]:
        return self._post("/_test/rotate", {"keep_old": keep_old})["kids"]

    def jwks_kids(self) -> list[str]:
        return [key["kid"] for key in requests.get(self.issuer + "/jwks", timeout=30).json()["keys"]]


def _require_node_modules() -> None:
    if shutil.which("node") and (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        return
    reason = "the test OpenID provider is not installed: run `make oidc-provider` (npm ci in tests/oidc)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def running_provider(tmp_path_factory) -> Iterator[Provider]:
    _require_node_modules()
    log = (tmp_path_factory.mktemp("oidc-provider") / "provider.log").open("w")
    process = subprocess.Popen(["node", "provider.mjs"], cwd=PROVIDER_DIR, stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        ready, _w, _x = select.select([process.stdout], [], [], 60)
        line = process.stdout.readline() if ready else ""
        assert line.startswith("listening http://127.0.0.1:"), f"the provider did not start: {line!r}"
        yield Provider(line.split()[1])
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


@pytest.fixture
def provider(running_provider: Provider) -> Provider:
    running_provider.reset([APP_ORIGIN])
    return running_provider


@pytest.fixture
def live_app_config(live_app_config: dict, provider: Provider) -> dict:
    return {**live_app_config, "OIDC_ISSUER": provider.issuer, "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": provider.secret, "OIDC_ROLE_MAP": ROLE_MAP, "OIDC_ALLOWED_TENANTS": TENANT}


@pytest.fixture
def oidc_app(live_app):
    live_app.test_client_class = PageCheckingClient
    return live_app


def to_provider(client, start: str = "/staff/oidc/start") -> str:
    """The address the app sends the browser to at the provider."""
    response = client.get(start)
    assert response.status_code == 302, response.status_code
    return response.headers["Location"]


def through_provider(url: str, browser: requests.Session | None = None) -> str:
    """Follow the provider's redirects (it signs the configured account in) to the app's callback address."""
    browser = browser or requests.Session()
    deadline = time.monotonic() + 60
    while not url.startswith(APP_ORIGIN + "/"):
        assert time.monotonic() < deadline, "the provider never sent the browser back"
        response = browser.get(url, allow_redirects=False, timeout=30)
        assert response.is_redirect, f"{url}: {response.status_code} {response.text[:300]}"
        url = urljoin(url, response.headers["Location"])
    return url


def local(url: str) -> str:
    """The path and query of an address of the app, for the test client."""
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def sign_in_with_provider(client):
    """The whole walk: start, the provider, the callback. Returns the callback's response."""
    return client.get(local(through_provider(to_provider(client))))
