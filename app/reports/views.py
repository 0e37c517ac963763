"""The plan's faces for a saved case: page, PDF, PowerShell and JSON."""
from __future__ import annotations

from threading import Lock

from cachetools import TTLCache, cached
from flask import Response, jsonify, render_template, request
from flask_babel import get_locale, gettext
from flask_login import current_user

from app.remediation.powershell import powershell_bytes
from app.remediation.render import plan_to_dict, render_powershell
from app.wizard.session import case_for_reference

from . import bp
from .pdf import render_pdf
from .plan import case_plan, in_report_language


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
    plan, report = case_plan(case)
    return render_template("reports/result.html", case=case, plan=plan, report=report)


@bp.get("/cases/<reference>")
def result(reference: str):
    case = case_for_reference(reference)
    return in_report_language(lambda: _result_page(case))


@bp.get("/cases/<reference>/report.pdf")
def report_pdf(reference: str):
    case = case_for_reference(reference)

    def render():
        plan, report = case_plan(case)
        html = render_template("reports/pdf.html", case=case, plan=plan, report=report)
        return render_pdf(html)

    return _download(in_report_language(render), "application/pdf", f"{case.reference}-remediation.pdf")


@bp.get("/cases/<reference>/remediation.ps1")
def report_powershell(reference: str):
    case = case_for_reference(reference)
    text = in_report_language(lambda: render_powershell(case_plan(case)[0], _=gettext))
    return _download(powershell_bytes(text), "text/plain", f"{case.reference}-remediation.ps1")


@bp.get("/cases/<reference>/plan.json")
def report_json(reference: str):
    case = case_for_reference(reference)
    return jsonify(in_report_language(lambda: plan_to_dict(case_plan(case)[0])))
