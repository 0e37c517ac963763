"""The plan's faces for a saved case: page, PDF, PowerShell, JSON and the intermediate certificates."""
from __future__ import annotations

import json
from threading import Lock

from cachetools import TTLCache, cached
from flask import Response, abort, render_template, request
from flask_babel import get_locale, gettext
from flask_login import current_user

from app.remediation.powershell import powershell_bytes
from app.remediation.render import plan_to_dict, render_powershell
from app.wizard.session import case_for_reference

from . import bp
from .chain import chain_zip, intermediates, intermediates_dict
from .pdf import render_pdf
from .plan import case_plan, plan_context


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _page_key(case) -> tuple:
    """Everything the result page shows depends on: the case's version, language, address, viewer."""
    return (case.id, case.updated_at, case.completed_at, str(get_locale()), request.url, current_user.get_id())


# Rendering the whole plan (dozens of translated strings and macros) is most of
# the page's cost; a reload, a print or a return visit within minutes reuses it.
@cached(TTLCache(maxsize=64, ttl=300), lock=Lock(), key=_page_key)
def _result_page(case) -> str:
    return render_template("reports/result.html", **plan_context(case))


@bp.get("/cases/<reference>")
def result(reference: str):
    return _result_page(case_for_reference(reference))


@bp.get("/cases/<reference>/report.pdf")
def report_pdf(reference: str):
    case = case_for_reference(reference)
    pdf = render_pdf(render_template("reports/pdf.html", **plan_context(case)))
    return _download(pdf, "application/pdf", f"{case.reference}-remediation.pdf")


@bp.get("/cases/<reference>/remediation.ps1")
def report_powershell(reference: str):
    case = case_for_reference(reference)
    text = render_powershell(case_plan(case)[0], _=gettext)
    return _download(powershell_bytes(text), "text/plain", f"{case.reference}-remediation.ps1")


@bp.get("/cases/<reference>/plan.json")
def report_json(reference: str):
    case = case_for_reference(reference)

    plan, report = case_plan(case)
    data = {**plan_to_dict(plan), "intermediates": intermediates_dict(report)}
    body = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return _download(body.encode(), "application/json", f"{case.reference}-remediation.json")


@bp.get("/cases/<reference>/intermediates.zip")
def report_chain(reference: str):
    case = case_for_reference(reference)
    report = case_plan(case)[1]
    if not intermediates(report):
        abort(404)
    return _download(chain_zip(report), "application/zip", f"{case.reference}-intermediates.zip")
