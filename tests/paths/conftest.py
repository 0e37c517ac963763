"""One app for every path (a fresh browser, and so a fresh case, per path)."""
from __future__ import annotations

import functools

import pytest

from app import create_app
from app.extensions import db
from tests.certfactory import make_hierarchy, write_trust_store
from tests.conftest import PageCheckingClient
from tests.paths.certificates import certificate_cases
from tests.paths.registry import enumerate_paths


@pytest.fixture(scope="session")
def paths_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("paths")
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "paths-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'paths.sqlite3'}",
        "TRUSTED_ROOTS_FILE": write_trust_store(folder / "roots.pem", make_hierarchy().root.cert),
        "RATELIMIT_ENABLED": False,
    })
    app.test_client_class = PageCheckingClient
    with app.app_context():
        db.create_all()
    return app


@functools.cache
def registry_app():
    """An app only to read the step registry's forms while tests are collected."""
    return create_app({"TESTING": True, "SECRET_KEY": "registry", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def pytest_generate_tests(metafunc):
    if "path" in metafunc.fixturenames:
        found = enumerate_paths(registry_app(), certificate_cases())
        metafunc.parametrize("path", found, ids=[p.label for p in found])
