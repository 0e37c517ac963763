"""Rate limits in shared storage, and a loud warning when production keeps them per worker."""
from __future__ import annotations

import logging

import pytest
import redis

from app import create_app
from app.config import shared_state_warning
from app.extensions import limiter
from tests.conftest import PageCheckingClient
from tests.database import TEST_REDIS_URL, require_server
from tests.staff.conftest import AGENT_EMAIL, sign_in


@pytest.fixture
def two_apps_on_redis(app, users):
    """Two app objects (as two processes would have) on one database and one Redis."""
    require_server(TEST_REDIS_URL, "Redis (TEST_REDIS_URL)")
    redis.Redis.from_url(TEST_REDIS_URL).flushdb()
    config = {key: app.config[key] for key in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "TRUSTED_ROOTS_FILE")}
    apps = []
    for _ in range(2):
        made = create_app({**config, "TESTING": True, "RATELIMIT_ENABLED": True,
                           "RATELIMIT_STORAGE_URI": TEST_REDIS_URL})
        made.test_client_class = PageCheckingClient
        apps.append(made)
    yield apps
    redis.Redis.from_url(TEST_REDIS_URL).flushdb()
    limiter.reset()


def test_sign_in_attempts_are_counted_in_redis(two_apps_on_redis):
    """In one process both apps share the limiter object; that the counts live in Redis is what
    lets separate processes share them (tests/scale/test_instances.py shows that with gunicorn)."""
    first, second = (made.test_client() for made in two_apps_on_redis)
    for attempt in range(5):
        assert sign_in((first, second)[attempt % 2], AGENT_EMAIL, "wrong password").status_code == 200
    assert sign_in(second, AGENT_EMAIL).status_code == 429
    assert sign_in(first, AGENT_EMAIL).status_code == 429
    counted = redis.Redis.from_url(TEST_REDIS_URL).keys("*staff-email:agent@helpdesk.example*")
    assert counted, "the per-account count is kept in Redis"


@pytest.mark.parametrize(("environment", "workers", "storage", "warns"), [
    ("production", "4", "memory://", True),
    ("production", "1", "memory://", False),
    ("production", "4", "redis://127.0.0.1:6379/0", False),
    ("development", "4", "memory://", False),
])
def test_production_with_several_workers_and_memory_limits_warns(environment, workers, storage, warns):
    config = {"APP_ENV": environment, "RATELIMIT_STORAGE_URI": storage}
    message = shared_state_warning(config, {"WEB_CONCURRENCY": workers})
    assert bool(message) is warns
    if warns:
        assert f"memory:// with {workers} workers" in message and "redis://" in message


def test_the_warning_is_logged_at_start(monkeypatch, tmp_path, caplog):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    with caplog.at_level(logging.WARNING, logger="app"):
        create_app({"SECRET_KEY": "x", "APP_ENV": "production", "RATELIMIT_STORAGE_URI": "memory://",
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    assert any("memory:// with 3 workers" in record.getMessage() for record in caplog.records)
