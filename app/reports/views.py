"""The plan's faces for a saved case: page, PDF, PowerShell, JSON and the intermediate certificates."""
from __future__ import annotations

import json

from flask import Response, current_app, render_template, request, session, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user

from app.certs.model import CertificateReport
from app.errors import render_error
from app.extensions import limiter
from app.remediation.rules import RULESET_VERSION
from app.remediation.powershell import powershell_bytes
from app.remediation.render import plan_to_dict, render_powershell
from app.staff.customer_notice import customer_case_id, notice_key, own_case_version, this_customer_view
from app.tools.records import proof_for
from app.web.analysis import StoredCertificateUnreadable
from app.web.metrics import rendering
from app.wizard.session import case_for_reference, current_case, staff_own_case_version

from . import bp
from .chain import chain_zip, intermediates, intermediates_dict
from .kept import good_until, kept
from .pdf import pdf_limit
from .pdf_store import case_pdf
from .plan import case_plan, clock_now, plan_context


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# What the page shows of the app's settings (the help desk's name in a note's heading, the languages it
# links, the absolute address of the link back, the roots the chain is checked against).
# tests/web/test_result_page_kept.py checks that a render reads no other setting.
PAGE_SETTINGS = ("HELP_DESK_NAME", "LANGUAGES", "BABEL_DEFAULT_LOCALE", "PUBLIC_URL", "SERVER_NAME",
                 "APPLICATION_ROOT", "PREFERRED_URL_SCHEME", "TRUSTED_ROOTS_FILE")


def _page_key(case_id: int, updated_at, completed_at, owner_id, day) -> tuple:
    """This request's page_key: the viewer (no user to load for a visitor), language and address are its."""
    viewer = current_user.get_id() if "_user_id" in session else None
    return page_key((case_id, updated_at, completed_at, owner_id), str(get_locale()), request, viewer, day,
                    notice_key(), current_app.config)


def page_key(version: tuple, language: str, address, viewer, day, notice: tuple, settings) -> tuple:
    """Everything the result page depends on but the clock's moments (app/reports/kept.py): the case's
    version (id, last change, completion) and owner (the agent a customer may write to), the rules, the
    language, the address (``address``: a request's scheme, host, root, path and query), the viewer, the day,
    the help desk's notice (notice_key: who follows the case, a note for the customer) and the settings the
    page shows. Also the key of the early answer (app/reports/early.py), made without Flask's request."""
    # The address in its parts: request.url would build (and decode) the whole of it for every request.
    return (*version, RULESET_VERSION, language, address.scheme, address.host, address.root_path, address.path,
            address.query_string, viewer, day, notice, repr([settings.get(name) for name in PAGE_SETTINGS]))


def render_result_page(case) -> tuple[bytes, CertificateReport | None]:
    """The page as sent (UTF-8), and the plan's report (what decides until when it holds)."""
    with rendering("html"):
        context = plan_context(case)
        return render_template("reports/result.html", **context).encode(), context["report"]


# Rendering the whole plan (dozens of translated strings and macros) is most of
# the page's cost; a reload, a print or a return visit within minutes reuses it.
# The visitor's own case is looked up by its version alone: a kept page needs
# neither the case's answers nor the plan.
@bp.get("/cases/<reference>")
def result(reference: str):
    now = clock_now()
    pages = kept("pages")
    case_id = customer_case_id()
    if case_id is not None:  # a customer: the version comes with the help desk's notice, in one query
        version = own_case_version(this_customer_view(), case_id, reference)
    else:
        version = staff_own_case_version(reference)
    if version is not None:
        page = pages.get(_page_key(*version, now.date()), now)
        if page is not None:
            return page
    case = case_for_reference(reference)
    key = _page_key(case.id, case.updated_at, case.completed_at, case.owner_id, now.date())
    page = pages.get(key, now)
    if page is None:
        page, report = render_result_page(case)
        pages.put(key, page, good_until(report, now))
    return page


def plan_pdf(case) -> bytes:
    """The plan as PDF in the current language: the download, and the attachment of the help desk's e-mail.
    Rendered once for what it shows, then kept (app/reports/pdf_store.py)."""
    return case_pdf(case.id, render_template("reports/pdf.html", **plan_context(case)))


@bp.get("/cases/<reference>/report.pdf")
@limiter.limit(pdf_limit)
def report_pdf(reference: str):
    case = case_for_reference(reference)
    return _download(plan_pdf(case), "application/pdf", f"{case.reference}-remediation.pdf")


@bp.get("/cases/<reference>/remediation.ps1")
def report_powershell(reference: str):
    case = case_for_reference(reference)
    text = render_powershell(case_plan(case)[0], _=gettext)
    return _download(powershell_bytes(text), "text/plain", f"{case.reference}-remediation.ps1")


@bp.get("/cases/<reference>/plan.json")
def report_json(reference: str):
    case = case_for_reference(reference)

    plan, report = case_plan(case)
    proof = proof_for(case)
    data = {**plan_to_dict(plan), "intermediates": intermediates_dict(report),
            "proven_at": proof.created_at.isoformat() + "Z" if proof else None}  # a test message's headers proved it
    body = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return _download(body.encode(), "application/json", f"{case.reference}-remediation.json")


@bp.get("/cases/<reference>/intermediates.zip")
def report_chain(reference: str):
    case = case_for_reference(reference)
    report = case_plan(case)[1]
    if not intermediates(report):
        return render_error(404, "no_intermediates", gettext("This case holds no intermediate certificates"),
                            _where_to_get_intermediates(report),
                            back=(url_for("reports.result", reference=case.reference), gettext("Back to the plan")))
    return _download(chain_zip(report), "application/zip", f"{case.reference}-intermediates.zip")


def _where_to_get_intermediates(report: CertificateReport | None) -> str:
    """The 404 of the chain download says why there is no .zip and where the certificates come from."""
    if report is None:
        return gettext("No certificate was added to this case yet. Add the server's certificate with its chain "
                       "in the wizard's certificate step.")
    if report.leaf.self_signed:
        return gettext("The certificate is self-signed, so it has no intermediate certificates. Exchange Online "
                       "does not accept it: the plan says which certificate to get instead.")
    return gettext("The uploaded file held no intermediate certificates. Download them from the website of the "
                   "certificate authority that issued the certificate (%(issuer)s), where they are often called "
                   "the chain or CA bundle, or export the certificate with its whole chain from the server (a .pfx "
                   "or .p7b file) and add it to the case again.", issuer=report.leaf.issuer_windows)


@bp.app_errorhandler(StoredCertificateUnreadable)
def stored_certificate_unreadable(error: StoredCertificateUnreadable):
    """A case saved before a limit its certificate breaks: every page that reads it says so and asks for it again.

    The visitor whose case it is goes to the certificate step; staff to the case page; a read-only reader
    to their help-desk contact.
    """
    case = error.case
    current_app.logger.warning("Case %s: its stored certificate no longer reads (%s)", case.reference, error.error.code)
    own = current_case()
    reader = "owner" if own is not None and own.id == case.id else ("staff" if current_user.is_authenticated else "reader")
    page = render_template("reports/unreadable_certificate.html", case=case, reader=reader,
                           reason=error.error.message(gettext))
    return page, 409
