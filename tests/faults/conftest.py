"""The fault tests: the web fixtures (tests/conftest.py), and which pass of `make test` runs which test.

Tests marked ``postgres_pass`` run in the PostgreSQL pass (TEST_DATABASE_URL names a PostgreSQL server) and
are skipped, saying so, in the SQLite pass; tests marked ``sqlite_pass`` the other way round.
"""
from __future__ import annotations

import pytest

from tests.database import ON_POSTGRES


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("postgres_pass") and not ON_POSTGRES:
            item.add_marker(pytest.mark.skip(reason="runs in the PostgreSQL pass of make test (TEST_DATABASE_URL)"))
        if item.get_closest_marker("sqlite_pass") and ON_POSTGRES:
            item.add_marker(pytest.mark.skip(reason="SQLite files: runs in the SQLite pass of make test"))


from tests.browser_support import browser_type_launch_args, live_app, live_app_config, live_server  # noqa: E402,F401
