"""Fixtures for the web tests: an app on a fresh database (tests/database.py), a client that checks every page."""
from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import settings
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from app import create_app
from app.extensions import db
from tests import outside_paths
from tests.clockshift import sitecustomize as clockshift
from tests.certfactory import make_hierarchy, write_trust_store
from tests.database import SchemaTemplate

outside_paths.install()

# The shifted-clock run of `make test` (libfaketime): see tests/clockshift/sitecustomize.py.
if clockshift.UNDER_FAKETIME:
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(Path(clockshift.__file__).parent), os.environ.get("PYTHONPATH")) if p)

# Property tests: CI runs the same examples every time (derandomized: a fixed seed per test), so
# a red build is never the luck of one run; a local run draws new examples each time. .ci/run sets
# HYPOTHESIS_PROFILE=ci (CI=true alone also selects it). A local failure prints the blob for
# @reproduce_failure. No example database: .hypothesis/ stays out of the tree.
# Both start from hypothesis's "default" profile, not from whichever it loaded itself under CI=true.
settings.register_profile("ci", settings.get_profile("default"), derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", settings.get_profile("default"), derandomize=False, database=None, print_blob=True)
HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
settings.load_profile(HYPOTHESIS_PROFILE)


@pytest.fixture(autouse=True)
def nothing_read_outside_the_repository():
    """Fail any test during which code opened a file beside the repository (a sibling reference folder, say)."""
    before = len(outside_paths.violations)
    yield
    opened = outside_paths.violations[before:]
    del outside_paths.violations[before:]
    assert not opened, f"opened outside the repository: {opened}"


def check_page(html: str) -> BeautifulSoup:
    """Every rendered page: one h1, a title that starts with it, no duplicate ids."""
    soup = BeautifulSoup(html, "html.parser")
    headings = soup.find_all("h1")
    assert len(headings) == 1, f"expected one h1, found {len(headings)}"
    title = soup.title.get_text(" ", strip=True)
    heading = " ".join(headings[0].get_text(" ", strip=True).split())
    assert " ".join(title.removeprefix("Error: ").removeprefix("Fel: ").split()).startswith(heading), (title, heading)
    ids = Counter(tag["id"] for tag in soup.find_all(id=True))
    duplicates = [i for i, n in ids.items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    return soup


class PageCheckingClient(FlaskClient):
    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if response.mimetype == "text/html" and response.status_code != 302:
            check_page(response.get_data(as_text=True))
        return response


@pytest.fixture(scope="session")
def shots_dir(tmp_path_factory) -> Path:
    """Where browser tests put screenshots: $SHOTS_DIR for a person to look at, else a temp folder."""
    folder = Path(os.environ["SHOTS_DIR"]) if os.environ.get("SHOTS_DIR") else tmp_path_factory.mktemp("shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def hierarchy():
    return make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])


@pytest.fixture(scope="session")
def schema_template(tmp_path_factory):
    template = SchemaTemplate(tmp_path_factory.mktemp("schema"))
    yield template
    template.close()


@pytest.fixture
def database_url(schema_template, tmp_path):
    """A database at the migrations' head revision, empty, for this test alone."""
    yield schema_template.fresh(tmp_path)
    schema_template.after_test()


@pytest.fixture
def app(tmp_path, hierarchy, database_url):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "TRUSTED_ROOTS_FILE": write_trust_store(tmp_path / "roots.pem", hierarchy.root.cert),
        "RATELIMIT_ENABLED": False,
    })
    app.test_client_class = PageCheckingClient
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def submit(client, url: str, data: dict | None = None, **kwargs):
    """GET a form page, then POST it with its CSRF token, as a browser would."""
    form_page = client.get(url)
    token = page(form_page).find("input", attrs={"name": "csrf_token"})
    # A dict (values may be (file, name) uploads), or (name, value) pairs with repeated names.
    payload = MultiDict(data) if isinstance(data, list) else dict(data or {})
    if token is not None:
        payload["csrf_token"] = token["value"]
    return client.post(url, data=payload, **kwargs)
