"""Two gunicorn instances on one PostgreSQL and one Redis, behind nginx, behave as one service.

Each instance runs two workers in production configuration (bench/server.py), so a
limit kept in memory would be counted four times over; with RATELIMIT_STORAGE_URI
on Redis the sign-in and resume limits hold across all of them, whether the client
reaches them through deploy/nginx.conf (round robin) or directly. A change saved
through one instance shows at once through the other, whose workers cache pages
per case version.
"""
from __future__ import annotations

import secrets
from pathlib import Path

import pytest
import redis

from bench.client import WizardClient, walk_wizard, wizard_answers
from bench.server import HOST, Gunicorn
from tests.certfactory import make_hierarchy, to_pem
from tests.database import ON_POSTGRES, TEST_DATABASE_URL, TEST_REDIS_URL, postgres_database, require_server
from tests.hostile.front import NGINX, Nginx
from tests.staff.conftest import PASSWORD

SIGN_IN_LIMIT, RESUME_LIMIT = 5, 10  # app/staff/auth.py, app/wizard/resume.py
STAFF_EMAIL = "agent@helpdesk.example"


@pytest.fixture(scope="module")
def two_instances(tmp_path_factory):
    if not ON_POSTGRES:
        pytest.skip("two instances share one PostgreSQL: runs in the PostgreSQL pass (TEST_DATABASE_URL)")
    require_server(TEST_DATABASE_URL, "PostgreSQL (TEST_DATABASE_URL)")
    require_server(TEST_REDIS_URL, "Redis (TEST_REDIS_URL)")
    redis.Redis.from_url(TEST_REDIS_URL).flushdb()
    key, env = secrets.token_hex(32), {"RATELIMIT_STORAGE_URI": TEST_REDIS_URL, "CASE_RETENTION_DAYS": "30"}
    with postgres_database(TEST_DATABASE_URL, "instances") as url:
        first = Gunicorn(tmp_path_factory.mktemp("a"), database_url=url, secret_key=key, extra_env=env).start()
        try:
            second = Gunicorn(tmp_path_factory.mktemp("b"), database_url=url, secret_key=key, extra_env=env).start()
            try:
                _add_staff(url)
                yield first, second
            finally:
                second.stop()
        finally:
            first.stop()


def _add_staff(url: str) -> None:
    from app import create_app
    from app.extensions import db
    from tests.staff.conftest import add_user

    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        add_user(STAFF_EMAIL)
        db.engine.dispose()


@pytest.fixture(scope="module")
def nginx(two_instances, tmp_path_factory):
    """Debian's nginx with deploy/nginx.conf, its upstream being the two instances; yields its base URL."""
    if not Path(NGINX).exists():
        require_server("", "nginx", "deploy/services.sh installs it")
    proxy = Nginx(tmp_path_factory.mktemp("nginx") / "nginx", *(s.port for s in two_instances)).start()
    try:
        yield f"http://{HOST}:{proxy.port}"
    finally:
        proxy.stop()


def sign_in(base_url: str, password: str):
    return WizardClient(base_url).submit("/staff/sign-in", {"email": STAFF_EMAIL, "password": password})


def test_the_sign_in_limit_holds_across_instances_and_workers(two_instances, nginx):
    first, second = (server.base_url for server in two_instances)
    for attempt in range(SIGN_IN_LIMIT):
        assert sign_in((first, second, nginx)[attempt % 3], "wrong password").status == 200
    refused = sign_in(second, PASSWORD)  # even the right password waits now, on either instance
    assert refused.status == 429 and "Too many sign-in attempts" in refused.text
    assert sign_in(first, PASSWORD).status == 429 and sign_in(nginx, PASSWORD).status == 429


def test_the_resume_limit_holds_across_instances_and_workers(two_instances, nginx):
    bases = [server.base_url for server in two_instances] + [nginx]
    for attempt in range(RESUME_LIMIT):
        response = WizardClient(bases[attempt % 3]).submit(
            "/resume", {"reference": "KB-0000-0000", "organization": "Nobody"})
        assert response.status == 200, attempt
    for base in bases:
        assert WizardClient(base).submit("/resume", {"reference": "KB-0000-0000", "organization": "Nobody"}).status == 429


def test_a_change_through_one_instance_shows_at_once_through_the_other(two_instances):
    first, second = two_instances
    hierarchy = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])
    customer = WizardClient(first.base_url)
    reference = walk_wizard(customer, wizard_answers("Two Instances Ltd", to_pem(hierarchy.leaf.cert,
                                                     hierarchy.intermediate.cert).decode()))
    elsewhere = WizardClient(second.base_url, cookies=customer.cookies)  # the same browser, the other instance
    for _ in range(4):  # every worker of the second instance renders (and caches) the page
        assert "From on-prem" in elsewhere.get(f"/cases/{reference}").text
    assert customer.submit("/wizard/connector-name?return=check", {"name": "Relay from HQ"}).status == 302
    for _ in range(4):
        page = elsewhere.get(f"/cases/{reference}").text
        assert "Relay from HQ" in page, "the other instance showed the old page"
