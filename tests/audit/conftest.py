"""Audit fixtures: realistic pastes (fixtures/), real certificates, a trust store holding the test root."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from app.audit import run_audit
from app.certs.trust import load_trust_store
from tests.certfactory import make_hierarchy, write_trust_store

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime.now(timezone.utc)


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture
def relay_hierarchy():
    return make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])


@pytest.fixture
def store(tmp_path, relay_hierarchy):
    return load_trust_store(write_trust_store(tmp_path / "roots.pem", relay_hierarchy.root.cert))


@pytest.fixture
def audit(store):
    """run_audit with the test trust store; returns the Audit."""
    def run(text: str, domains=None, **kwargs):
        return run_audit(text, domains, trust_store=store, **kwargs)
    return run


def line_of(text: str, needle: str) -> int:
    """The 1-based line of ``text`` where ``needle`` is (may end with a newline to match a line's end)."""
    return text[:text.index(needle)].count("\n") + 1


def codes(result) -> list[str]:
    return [f.code for f in result.findings]


# The staff fixtures (a signed-in agent can open any case) and the live server for browser tests.
from tests.browser_support import browser_type_launch_args, live_app, live_app_config, live_server  # noqa: E402,F401
from tests.staff.conftest import admin, agent, contoso, users  # noqa: E402,F401
