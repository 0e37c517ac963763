"""The registry's states of the pages beside the wizard (tests/browser/pages.py lists them in PAGES): the
devices chooser, the configuration audit (public and a case's), the header reader (public and a case's), the
probe, and the staff pages of the expiry watch and the proof."""
from __future__ import annotations

import re
import socket
import ssl
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from aiosmtpd.controller import Controller
from cryptography.hazmat.primitives import serialization
from playwright.sync_api import expect

from app.extensions import db
from app.tools.records import CaseHeaderCheck
from tests.audit.conftest import fixture
from tests.certfactory import DAY, NOW, Hierarchy, make_hierarchy, make_leaf, to_pem
from tests.staff.conftest import AGENT_EMAIL, make_case

if TYPE_CHECKING:
    from tests.browser.pages import Site

# What people paste: a forum thread's Format-List output of both sides (it has findings and fixes).
FORUM_PASTE = fixture("exchange_online_hybrid.txt") + fixture("exchange_server_2016_hybrid.txt")
DEVICE_ANSWERS = "recipients=external&oauth=no&relay_server=yes&static_ip=unsure"
EXPIRES_IN_DAYS = 45  # inside the 60- and 90-day windows, outside the 30-day one


def seed_checks(hierarchy: Hierarchy) -> dict:
    """Cases of their own for these states (inside an app context), with certificates from ``hierarchy``'s
    trusted CA: one expiring soon and one a test message proved, so that no state changes what another shows."""
    names = ["mail.contoso.com", "contoso.com"]
    soon = make_leaf(hierarchy.intermediate, names[0], sans=names, not_before=NOW - 300 * DAY,
                     not_after=NOW + EXPIRES_IN_DAYS * DAY)
    expiring = make_case("Tailspin Toys", ["contoso.com"], pem=to_pem(soon.cert, hierarchy.intermediate.cert))
    proven = make_case("Proseware", ["contoso.com"], pem=to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert))
    audited = make_case("Woodgrove Bank", ["contoso.com"])
    db.session.add(CaseHeaderCheck(case_id=proven.id, verdict="attributed", via="certificate_connector",
                                   tenant_id="0c6b7f1e-5a0b-4c8f-9d52-2b8e3a4f6d10", proven=True))
    db.session.commit()
    return {"expiring": expiring.reference, "proven": proven.reference, "audited": audited.reference}


def _signed_in(path: str, email: str = AGENT_EMAIL) -> Callable[[Site], None]:
    def visit(site: Site) -> None:
        site.sign_in(email)
        site.goto(path.format(**site.seeded))
    return visit


def _filled(path: str, text: str, shows: str, *, staff: bool = False) -> Callable[[Site], None]:
    """The page at ``path`` after ``text`` is pasted into its first text box and its main button pressed."""
    def visit(site: Site) -> None:
        if staff:
            site.sign_in()
        site.goto(path.format(**site.seeded))
        site.page.locator("main form textarea").first.fill(text)
        site.press_main_button()
        expect(site.page.locator(shows).first).to_be_visible()
    return visit


def _empty(path: str, *, staff: bool = False) -> Callable[[Site], None]:
    def visit(site: Site) -> None:
        if staff:
            site.sign_in()
        site.submit_empty(path.format(**site.seeded))
        site.expect_errors()
    return visit


def _probe(host: str, port: str, shows: str) -> Callable[[Site], None]:
    def visit(site: Site) -> None:
        site.goto("/probe")
        site.page.locator("input[name=host]").fill(host)
        site.page.locator("input[name=port]").fill(port)
        site.page.locator("textarea[name=accepted_domains]").fill("contoso.com")
        site.press_main_button()
        expect(site.page.locator(shows).first).to_be_visible()
    return visit


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _smtp_server(hierarchy):
    """A STARTTLS server on loopback presenting ``hierarchy``'s chain; yields its port."""
    with tempfile.TemporaryDirectory() as folder:
        chain, key = Path(folder, "chain.pem"), Path(folder, "key.pem")
        chain.write_bytes(to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert))
        key.write_bytes(hierarchy.leaf.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(chain, key)
        port = _free_port()
        controller = Controller(object(), hostname="127.0.0.1", port=port, tls_context=context,
                                require_starttls=False, server_hostname="mail.contoso.com")
        controller.start()
        try:
            yield port
        finally:
            controller.stop()


def _probe_result(site: Site) -> None:
    """A server on loopback presenting a chain from the trusted test CA; private addresses allowed for this visit."""
    hierarchy = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])
    site.app.config["PROBE_ALLOW_PRIVATE"] = True
    try:
        with _smtp_server(hierarchy) as port:
            site.app.config["PROBE_PORTS"] = (port,)  # the mail ports only, and this test server's
            _probe("127.0.0.1", str(port), "#probe-result")(site)
    finally:
        site.app.config["PROBE_ALLOW_PRIVATE"] = False
        site.app.config.pop("PROBE_PORTS", None)


def _staff_button(path: str, button: str, shows: str) -> Callable[[Site], None]:
    def visit(site: Site) -> None:
        site.sign_in()
        site.goto(path.format(**site.seeded))
        site.page.locator("main button[type=submit]", has_text=re.compile(button)).click()
        expect(site.page.locator(shows)).to_be_visible()
    return visit


CHECK_PAGES: list[tuple[str, Callable[[Site], None]]] = [
    ("devices: start", lambda site: site.goto("/devices")),
    ("devices: question", lambda site: site.goto("/devices/recipients")),
    ("devices: question errors", lambda site: (site.submit_empty("/devices/recipients"), site.expect_errors())),
    ("devices: result", lambda site: site.goto(f"/devices/result?{DEVICE_ANSWERS}")),
    ("audit: empty", lambda site: site.goto("/audit")),
    ("audit: errors", _empty("/audit")),
    ("audit: unreadable paste", _filled("/audit", "hello\nthis is not Get- output", ".error-summary")),
    ("audit: results", _filled("/audit", FORUM_PASTE, "#audit-result")),
    ("case audit", _signed_in("/cases/{audited}/audit")),
    ("case audit: errors", _empty("/cases/{audited}/audit", staff=True)),
    ("case audit: result", _filled("/cases/{audited}/audit", FORUM_PASTE, ".audit-findings", staff=True)),
    ("headers: empty", lambda site: site.goto("/diagnose/headers")),
    ("headers: errors", _empty("/diagnose/headers")),
    ("headers: proven", _filled("/diagnose/headers", fixture("headers_relayed_ndr.txt"), "#headers-result")),
    ("headers: not attributed", _filled("/diagnose/headers", fixture("headers_hotmail_incoming.txt"),
                                        "#headers-result")),
    ("case headers", _signed_in("/cases/{reference}/headers")),
    ("case headers: proven", _signed_in("/cases/{proven}/headers")),
    ("probe: empty", lambda site: site.goto("/probe")),
    ("probe: errors", _empty("/probe")),
    ("probe: private address refused", _probe("127.0.0.1", "25", ".error-summary")),
    ("probe: result", _probe_result),
    ("staff expiring: none within 30 days", _signed_in("/staff/expiring?within=30")),
    ("staff expiring: within 60 days", _signed_in("/staff/expiring?within=60")),
    ("staff expiring: calendar address shown", _staff_button("/staff/expiring?within=60", "(Make|Skapa).*(calendar address|kalenderadress)",
                                                             "#calendar ~ .code-block")),
    ("staff case: calendar address shown", _staff_button("/staff/cases/{expiring}", "(Make|Skapa).*(calendar address|kalenderadress)",
                                                         "#calendar ~ .code-block")),
    ("staff case: proven", _signed_in("/staff/cases/{proven}")),
    ("result: proven", _signed_in("/cases/{proven}")),
]
