"""Every page of the app in every state it has: one registry for the accessibility and reflow tests.

``PAGES`` lists (name, visit): ``visit(site)`` brings ``site.page`` to the page
in that state, through the real views, starting from a fresh browser. The
wizard's steps come from its step registry (each one plain and after Continue
with nothing filled in); everything else is listed by hand. A new page is one
line here, for example::

    ("expiry: empty", lambda site: site.goto("/expiry")),
    ("expiry: errors", lambda site: site.submit_empty("/expiry")),

The pages beside the wizard (audit, headers, probe, devices, expiry watch) are in pages_checks.py.
A new wizard step is found by itself; if it needs an answer to get past it,
add that answer to ``ANSWERS`` (the walk says so when it is missing).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlencode, urlsplit

from flask import Flask
from playwright.sync_api import Page, expect

from app.extensions import db
from app.staff.models import ADMIN, AGENT
from app.wizard.steps import STEPS
from tests.certfactory import (
    DAY, NOW, key_pem, make_hierarchy, make_intermediate, make_leaf, make_root, to_pem, to_pkcs12,
)
from tests.staff.conftest import ADMIN_EMAIL, AGENT_EMAIL, PASSWORD, add_user, make_case

from .pages_checks import CHECK_PAGES, seed_checks
from .pages_mfa import MFA_PAGES, sign_in_with_code

_HIERARCHY = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])
TRUSTED_ROOT = _HIERARCHY.root.cert


def _pem(*certs) -> str:
    return to_pem(*certs).decode()


# A certificate per verdict: the intermediate in the upload; the intermediate missing (a
# warning: the server may lack it); the certificate expired (an error).
READY_PEM = _pem(_HIERARCHY.leaf.cert, _HIERARCHY.intermediate.cert)
NEEDS_ATTENTION_PEM = _pem(_HIERARCHY.leaf.cert)
BLOCKED_PEM = _pem(make_leaf(_HIERARCHY.intermediate, "mail.contoso.com", sans=["mail.contoso.com", "contoso.com"],
                             not_before=NOW - 400 * DAY, not_after=NOW - DAY).cert, _HIERARCHY.intermediate.cert)

# The answer to each step that takes the walk past it, as a browser posts it.
ANSWERS: dict[str, dict] = {
    "start": {"role": "agent", "organization": "Contoso Ltd", "ticket": "INC-4711"},
    "scenarios": {"scenarios": ["ndr", "forwarding"]},
    "not-affected": {},
    "domains": {"accepted_domains": "contoso.com\nfabrikam.com"},
    "connector": {"kind": "ip"},
    "connector-name": {"name": "Legacy relay"},
    "server": {"kind": "exchange-2019"},
    "exchange-setup": {"hybrid_wizard": "no", "egress": "mailbox"},
    "server-details": {"fqdn": "mail.contoso.com", "mx_endpoint": "contoso-com.mail.protection.outlook.com"},
    "certificate": {"certificate_text": READY_PEM},
    "connector-domain": {"connector_domain": "contoso.com"},
}
# Answers that lead the walk through a step the usual answers skip.
PATH_TO = {"not-affected": {"scenarios": {"scenarios": ["none"]}}}
# Steps whose page cannot show an error: nothing to answer, or an answer chosen for the user.
NO_ERROR_STATE = {"not-affected"}

_TOKEN = re.compile(r'name="csrf_token"[^>]*?value="([^"]*)"')


@dataclass
class Site:
    """One fresh browser on the live app: its page, and the ways into each state."""

    page: Page
    base: str
    app: Flask
    seeded: dict = field(default_factory=dict)  # what the server was given: references, tokens

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None

    def submit(self, path: str, fields: dict):
        """Post a form as its page would (CSRF token included) with this browser's cookies; no redirects."""
        form_page = self.page.request.get(self.base + path)
        token = _TOKEN.search(form_page.text())
        data = {**fields, **({"csrf_token": token.group(1)} if token else {})}
        return self.page.request.post(self.base + path, data=urlencode(data, doseq=True), max_redirects=0,
                                      headers={"Content-Type": "application/x-www-form-urlencoded"})

    def walk(self, stop: str | None = None, **overrides: dict) -> None:
        """Answer the wizard in this browser up to step ``stop`` (None: up to the check page)."""
        answers = {**ANSWERS, **PATH_TO.get(stop, {}), **overrides}
        path = "/wizard/start"
        for _ in range(2 * len(STEPS)):
            name = path.removeprefix("/wizard/")
            if name == stop or name == "check":
                assert name == (stop or "check"), f"the walk reached {path}, not {stop}"
                return
            assert name in answers, f"no answer for the wizard step {name!r}: add one to ANSWERS in {__file__}"
            response = self.submit(path, answers[name])
            assert response.status == 302, f"{path} refused the answer {answers[name]} ({response.status})"
            path = urlsplit(response.headers["location"]).path
        raise AssertionError(f"the walk never reached {stop}")

    def result(self, certificate_pem: str = READY_PEM) -> None:
        self.walk(certificate={"certificate_text": certificate_pem})
        response = self.submit("/wizard/check", {})
        assert response.status == 302
        self.goto(urlsplit(response.headers["location"]).path)

    def submit_empty(self, path: str) -> None:
        """The page at ``path`` after its main button is pressed with every field cleared."""
        self.goto(path)
        self.page.evaluate("""() => document.querySelectorAll("main form input, main form textarea").forEach(i => {
            if (i.type === "radio" || i.type === "checkbox") { i.checked = false; }
            else if (i.type !== "hidden" && i.type !== "file") { i.value = ""; } })""")
        self.press_main_button()

    def press_main_button(self) -> None:
        """The last form with a primary button (a secondary one, such as "Go on without a certificate", is not it)."""
        primary = "button[type=submit]:not(.button-secondary)"
        self.page.locator("main form").filter(has=self.page.locator(primary)).last.locator(primary).first.click()
        self.page.wait_for_load_state()

    def expect_errors(self) -> None:
        expect(self.page.locator(".error-summary")).to_be_visible()

    def upload(self, name: str, content: bytes, password: str = "", text: str = "") -> None:
        """The certificate step after uploading a file (with a password or pasted text too)."""
        self.walk("certificate")
        self.goto("/wizard/certificate")
        self.page.locator("input[type=file]").set_input_files(
            {"name": name, "mimeType": "application/octet-stream", "buffer": content})
        if password:
            self.page.locator("input[type=password]").fill(password)
        if text:
            self.page.locator("textarea").fill(text)
        self.press_main_button()

    def sign_in(self, email: str = AGENT_EMAIL) -> None:
        response = self.submit("/staff/sign-in", {"email": email, "password": PASSWORD})
        assert response.status == 302, "staff sign-in failed"
        if urlsplit(response.headers["location"]).path == "/staff/sign-in/code":  # admins: a second factor
            sign_in_with_code(self, email)


def seed(app: Flask) -> dict:
    """Staff accounts and a finished case, made once per server."""
    with app.app_context():
        add_user(AGENT_EMAIL, AGENT)
        add_user(ADMIN_EMAIL, ADMIN)
        case = make_case("Contoso Ltd", ["contoso.com", "fabrikam.com"], pem=READY_PEM.encode())
        make_case("Fabrikam", ["fabrikam.com"], server="postfix", completed=False)
        case.read_token = "read-only-token-for-the-accessibility-tests"
        db.session.commit()
        seeded = {"reference": case.reference, "read_token": case.read_token, **seed_checks(_HIERARCHY)}
        db.session.remove()
    return seeded


def _wizard_states() -> list[tuple[str, Callable[[Site], None]]]:
    states = []
    for step in STEPS:
        path = f"/wizard/{step.name}"

        def plain(site: Site, step=step.name, path=path) -> None:
            site.walk(step)
            site.goto(path)

        def with_errors(site: Site, step=step.name, path=path) -> None:
            site.walk(step)
            site.submit_empty(path)
            site.expect_errors()

        states.append((f"wizard {step.name}", plain))
        if step.name not in NO_ERROR_STATE:
            states.append((f"wizard {step.name}: errors", with_errors))
    return states


def _pfx(password: str) -> bytes:
    return to_pkcs12(_HIERARCHY.leaf, _HIERARCHY.intermediate.cert, password=password)


def _too_many() -> bytes:
    root = make_root("Crowded Root")
    return to_pem(*(make_intermediate(root, f"CA {n}").cert for n in range(12)))


def _upload_error(name: str, content: Callable[[], bytes], **extra: str) -> Callable[[Site], None]:
    def visit(site: Site) -> None:
        site.upload(name, content(), **extra)
        site.expect_errors()
    return visit


CERTIFICATE_UPLOAD_ERRORS = [
    ("not a certificate", _upload_error("notes.txt", lambda: b"Remember to renew the certificate.\n")),
    ("a signing request", _upload_error("request.csr", lambda: b"-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n"
                                                                b"-----END CERTIFICATE REQUEST-----\n")),
    ("password missing", _upload_error("server.pfx", lambda: _pfx("secret"))),
    ("wrong password", _upload_error("server.pfx", lambda: _pfx("secret"), password="not it")),
    ("damaged .pfx", _upload_error("server.pfx", lambda: _pfx("secret")[:200], password="secret")),
    ("private key only", _upload_error("server.key", lambda: key_pem(_HIERARCHY.leaf.key))),
    ("too many certificates", _upload_error("bundle.pem", _too_many)),
    ("a file and pasted text", _upload_error("server.pem", lambda: READY_PEM.encode(), text=READY_PEM)),
]


def _too_large(site: Site) -> None:
    site.upload("huge.pfx", b"0" * (2 * 1024 * 1024))
    expect(site.page.locator("h1")).to_have_text(re.compile("too large|för stor"))


def _expired_form(site: Site) -> None:
    site.goto("/wizard/start")
    site.page.evaluate("() => { document.querySelector('input[name=csrf_token]').value = 'expired'; }")
    site.press_main_button()


def _staff(path: str, email: str = AGENT_EMAIL) -> Callable[[Site], None]:
    def visit(site: Site) -> None:
        site.sign_in(email)
        site.goto(path.format(**site.seeded))
    return visit


def _audit_log_with_entries(site: Site) -> None:
    site.sign_in(ADMIN_EMAIL)
    site.goto("/staff/cases/{reference}".format(**site.seeded))  # opening a case is recorded
    site.goto("/staff/audit")
    expect(site.page.locator("tbody tr").first).to_be_visible()


def _organization_erase_error(site: Site) -> None:
    """A wrong confirmation: nothing is erased, so the other states keep their cases."""
    site.sign_in(ADMIN_EMAIL)
    site.goto("/staff/organizations?name=Fabrikam")
    site.page.locator("input[name=erase-confirm]").fill("Fabrik")
    site.page.locator("button.button-warning").click()
    site.expect_errors()


def _staff_case_with_link(site: Site) -> None:
    site.sign_in()
    site.goto("/staff/cases/{reference}".format(**site.seeded))
    site.page.get_by_role("button", name=re.compile("secret link|hemliga länk")).click()


def _staff_note_added(site: Site) -> None:
    site.sign_in()
    site.goto("/staff/cases/{reference}".format(**site.seeded))
    site.page.locator("#notes + form textarea").fill("Called the customer; waiting for the new certificate.")
    site.page.locator("#notes + form button[type=submit]").click()
    expect(site.page.locator("[role=status] .status")).to_be_visible()


def _staff_note_error(site: Site) -> None:
    site.sign_in()
    site.goto("/staff/cases/{reference}".format(**site.seeded))
    site.page.locator("#notes + form button[type=submit]").click()
    site.expect_errors()


def _staff_customer_note_error(site: Site) -> None:
    site.sign_in()
    site.goto("/staff/cases/{reference}".format(**site.seeded))
    site.page.locator("form[action*='/customer-note'] button[type=submit]").click()
    site.expect_errors()


def _staff_empty_form(path: str) -> Callable[[Site], None]:
    def visit(site: Site) -> None:
        site.sign_in()
        site.submit_empty(path)
        site.expect_errors()
    return visit


def _renewal_results(site: Site) -> None:
    site.goto("/renewal")
    files = site.page.locator("input[type=file]")
    files.nth(0).set_input_files({"name": "old.pem", "mimeType": "text/plain", "buffer": READY_PEM.encode()})
    files.nth(1).set_input_files({"name": "new.pem", "mimeType": "text/plain", "buffer": NEEDS_ATTENTION_PEM.encode()})
    site.page.locator("input[name=connector_domain]").fill("contoso.com")
    site.page.locator("input[name=server_kind][value=exchange-2019]").check()
    site.page.locator("input[name=hybrid_wizard][value=no]").check()
    site.press_main_button()
    expect(site.page.locator("#renewal-result")).to_be_visible()


def _diagnose(text: str) -> Callable[[Site], None]:
    def visit(site: Site) -> None:
        site.goto("/diagnose")
        site.page.locator("textarea").fill(text)
        site.press_main_button()
        expect(site.page.locator("#results")).to_be_visible()
    return visit


def _resume_no_match(site: Site) -> None:
    site.goto("/resume")
    site.page.locator("input[name=reference]").fill("KB-0000-0000")
    site.page.locator("input[name=organization]").fill("Nobody")
    site.press_main_button()
    site.expect_errors()


def _mx_guess_filled(site: Site) -> None:
    site.walk("server-details")
    site.goto("/wizard/server-details")
    site.page.locator("button[name=use_guess]").click()
    expect(site.page.locator(".inset-warning[role=status]")).to_be_visible()


def _with_case_open(site: Site) -> None:
    site.walk("scenarios")
    site.goto("/")


PAGES: list[tuple[str, Callable[[Site], None]]] = [
    ("start page", lambda site: site.goto("/")),
    ("start page with a case open", _with_case_open),
    *_wizard_states(),
    *[(f"wizard certificate: {name}", visit) for name, visit in CERTIFICATE_UPLOAD_ERRORS],
    ("wizard server-details: guess filled in", _mx_guess_filled),
    ("check answers", lambda site: (site.walk(), site.goto("/wizard/check"))),
    ("result: ready", lambda site: site.result(READY_PEM)),
    ("result: needs attention", lambda site: site.result(NEEDS_ATTENTION_PEM)),
    ("result: blocked", lambda site: site.result(BLOCKED_PEM)),
    ("resume: empty", lambda site: site.goto("/resume")),
    ("resume: errors", lambda site: (site.submit_empty("/resume"), site.expect_errors())),
    ("resume: no such case", _resume_no_match),
    ("diagnose: empty", lambda site: site.goto("/diagnose")),
    ("diagnose: errors", lambda site: (site.submit_empty("/diagnose"), site.expect_errors())),
    ("diagnose: recognised", _diagnose("550 5.7.64 TenantAttribution; Relay Access Denied ATTR36")),
    ("diagnose: not recognised", _diagnose("421 4.4.2 Connection dropped")),
    ("renewal: empty", lambda site: site.goto("/renewal")),
    ("renewal: errors", lambda site: (site.submit_empty("/renewal"), site.expect_errors())),
    ("renewal: results", _renewal_results),
    ("renewal: opened from the expiry watch", lambda site: site.goto(
        "/renewal?connector_domain=mail.contoso.com&accepted_domains=contoso.com&accepted_domains=fabrikam.com"
        "&server_kind=exchange-2019&hybrid_wizard=yes")),
    ("staff sign-in", lambda site: site.goto("/staff/sign-in")),
    ("staff sign-in: errors", lambda site: (site.submit_empty("/staff/sign-in"), site.expect_errors())),
    ("staff cases", _staff("/staff/cases")),
    ("staff cases: search without a match", _staff("/staff/cases?q=nothing-like-this")),
    ("staff new case", _staff("/staff/cases/new")),
    ("staff new case: errors", _staff_empty_form("/staff/cases/new")),
    ("staff case", _staff("/staff/cases/{reference}")),
    ("staff case: link shown", _staff_case_with_link),
    ("staff case: note errors", _staff_note_error),
    ("staff case: customer note errors", _staff_customer_note_error),
    ("staff case: note added", _staff_note_added),
    ("staff result page", _staff("/cases/{reference}")),
    ("staff audit log", _audit_log_with_entries),
    ("staff organization", _staff("/staff/organizations", ADMIN_EMAIL)),
    ("staff organization: found", _staff("/staff/organizations?name=Fabrikam", ADMIN_EMAIL)),
    ("staff organization: erase errors", _organization_erase_error),
    ("read-only report", lambda site: site.goto("/cases/{reference}/view/{read_token}".format(**site.seeded))),
    ("error: page not found", lambda site: site.goto("/no-such-page")),
    ("error: upload too large", _too_large),
    ("error: form expired", _expired_form),
    ("error: no access", _staff("/staff/audit")),
    ("error: method not allowed", lambda site: site.goto("/wizard/new")),
    *CHECK_PAGES,
    *MFA_PAGES,
]
