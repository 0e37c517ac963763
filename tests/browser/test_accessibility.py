"""Every page in every state (tests/browser/pages.py), in English and Swedish: axe-core finds nothing
(WCAG 2.1 A and AA, and best practices), and at 320 px nothing scrolls sideways but code and data tables."""
from __future__ import annotations

import threading

import pytest
from axe_playwright_python.sync_playwright import Axe
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from tests.browser.pages import PAGES, TRUSTED_ROOT, Site, seed
from tests.certfactory import write_trust_store
from tests.database import upgrade_to_head

pytestmark = pytest.mark.browser

AXE_RULES = {"runOnly": {"type": "tag",
                         "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
             "resultTypes": ["violations"]}
AXE = Axe()
LANGUAGES = ("en", "sv")
NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 800}

# What sticks out past the right edge, outside the boxes that may scroll (code and data tables).
STICKING_OUT = """() => [...document.body.querySelectorAll("*")]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
               && !e.closest("pre, .table-scroll, .skip-link, .visually-hidden"))
  .slice(0, 5)
  .map(e => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)} px)`)"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One live app for every state (each state still starts in a fresh browser)."""
    folder = tmp_path_factory.mktemp("pages")
    database_url = f"sqlite:///{folder / 'pages.sqlite3'}"
    upgrade_to_head(database_url)  # the migrations' schema, search table included (create_all has none)
    app = create_app({
        "SECRET_KEY": "accessibility-test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "TRUSTED_ROOTS_FILE": write_trust_store(folder / "roots.pem", TRUSTED_ROOT),
        "RATELIMIT_ENABLED": False,
    })
    seeded = seed(app)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, name="pages-server", daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{httpd.server_port}", seeded
    httpd.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def tab(browser, browser_context_args):
    """One browser tab for the module: each state starts with its cookies cleared (as good as a new
    browser for this app, which keeps nothing else), without the cost of a new context per state."""
    context = browser.new_context(**browser_context_args)
    yield context.new_page()
    context.close()


def visit(tab, server, lang: str, state, viewport: dict) -> Site:
    app, base, seeded = server
    tab.context.clear_cookies()
    tab.context.add_cookies([{"name": "lang", "value": lang, "url": base}])
    tab.set_viewport_size(viewport)
    site = Site(tab, base, app, seeded)
    state(site)
    assert tab.locator("html").get_attribute("lang") == lang, f"{tab.url} is not in {lang}"
    return site


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name, state", PAGES, ids=[name for name, _state in PAGES])
def test_axe_finds_nothing(tab, server, lang, name, state):
    visit(tab, server, lang, state, WIDE)
    results = AXE.run(tab, options=AXE_RULES)
    assert results.violations_count == 0, f"{name} ({lang}) at {tab.url}:\n{results.generate_report()}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name, state", PAGES, ids=[name for name, _state in PAGES])
def test_reflows_at_320_pixels(tab, server, lang, name, state):
    visit(tab, server, lang, state, NARROW)
    page = tab
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{name} ({lang}) scrolls sideways: {widths}, {page.evaluate(STICKING_OUT)}"
