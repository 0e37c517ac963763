"""/audit and a case's audits: paste Get-* output, see what is wrong, download only the fixes."""
from __future__ import annotations

from datetime import timezone

from flask import Response, abort, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.audit import AuditInputError, run_audit
from app.audit.collect import collection_script
from app.audit.history import compare
from app.audit.model import Audit
from app.audit.proof import test_step
from app.audit.render import audit_to_dict, render_fix_powershell
from app.certs.domains import parse_accepted_domains
from app.extensions import limiter
from app.remediation.answers import EXCHANGE_KINDS
from app.remediation.powershell import powershell_bytes
from app.remediation.rules import SERVER_LABELS
from app.reports.pdf import pdf_limit, render_pdf
from app.reports.plan import plan_answers
from app.store import Case
from app.web.analysis import case_domains, trust_store
from app.web.budget import AUDIT, budget
from app.web.metrics import AUDITS
from app.wizard.forms.domains import bad_lines_message
from app.wizard.session import case_for_reference, current_case

from . import bp
from .forms import AuditForm
from .records import CaseAudit, audit_number, audits_for, proof_for, save_audit, tenant_for

DEFAULT_KIND = "exchange-2019"


@bp.app_context_processor
def _proof_helpers() -> dict:
    """templates/audit/_test_step.html, includable from any page (the plan's verify step too), and a case's
    proof for the plan and the staff case page."""
    return {"audit_test_step": lambda url=None, read_only=False: test_step(url, _, read_only=read_only),
            "case_proof": proof_for}


def input_error_message(error: AuditInputError) -> str:
    if error.code == "unreadable" and error.line:
        return _("We could not read line %(line)s (%(text)s). Paste the block the collection script printed, or "
                 "the Format-List output of the Get- commands.", line=error.line, text=error.text[:80])
    if error.code == "table_without_header":
        return _("Line %(line)s (%(text)s) is a table row without its header line, so we cannot tell which column "
                 "is which. Paste the table with its header and dash lines, or run the command with | Format-List.",
                 line=error.line, text=error.text[:80])
    if error.code in ("too_large", "too_many_lines"):
        return _("The paste is too long to read: run the collection script and paste its block.")
    return _("We found nothing to read. Paste the block the collection script printed, or the Format-List output "
             "of the Get- commands.")


def _answers(case: Case | None) -> tuple[str | None, str]:
    if case is None:
        return None, ""
    answers = plan_answers(case)
    return answers.server_kind, answers.mx_endpoint


def audit_text(text: str, domains: list[str], case: Case | None = None, made_at=None,
               certificate_pem: str | None = None) -> Audit:
    """The audit with the app's trust store and language; the case adds its domains, server, MX endpoint and
    certificate. It runs under the audit's time budget, also when a stored audit is shown again (its page,
    .ps1, .pdf and .json read the saved paste anew)."""
    server_kind, mx = _answers(case)
    all_domains = list(dict.fromkeys(domains + (case_domains(case) if case else [])))
    pem = certificate_pem or (case.certificate_pem if case else None)
    store = trust_store()
    with budget(AUDIT):
        result = run_audit(text, all_domains, pem, now=made_at, trust_store=store, mx_endpoint=mx,
                           server_kind=server_kind, _=_)
    AUDITS.inc()
    return result


def _form_domains(form: AuditForm) -> list[str] | None:
    parsed = parse_accepted_domains(form.accepted_domains.data or "")
    problem = bad_lines_message(parsed)
    if problem:
        form.accepted_domains.errors.append(problem)
        return None
    return parsed.domains


def _submitted(form: AuditForm, case: Case | None) -> tuple[Audit | None, list[str]]:
    if not form.validate_on_submit():
        return None, []
    domains = _form_domains(form)
    if domains is None:
        return None, []
    try:
        return audit_text(form.text.data, domains, case), domains
    except AuditInputError as error:
        form.text.errors.append(input_error_message(error))
        return None, []


def _server_kind(value: str | None) -> str:
    return value if value in EXCHANGE_KINDS else DEFAULT_KIND


@bp.route("/audit", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def audit():
    form = AuditForm()
    result, _domains = _submitted(form, None)
    return render_template("audit/audit.html", form=form, audit=result, case=current_case(),
                           server_labels={kind: _(SERVER_LABELS[kind]) for kind in EXCHANGE_KINDS},
                           default_kind=DEFAULT_KIND)


def _script(kind: str, reference: str = "") -> Response:
    response = Response(powershell_bytes(collection_script(kind, reference, _=_)), mimetype="text/plain")
    name = f"{reference}-collect.ps1" if reference else "collect.ps1"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/audit/collect.ps1")
def collect_script():
    return _script(_server_kind(request.args.get("server")))


@bp.get("/cases/<reference>/collect.ps1")
def case_collect_script(reference: str):
    case = case_for_reference(reference)
    return _script(_server_kind(plan_answers(case).server_kind), case.reference)


@bp.route("/cases/<reference>/audit", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def case_audit(reference: str):
    case = case_for_reference(reference)
    form = AuditForm()
    result, domains = _submitted(form, case)
    if result is not None:
        record = save_audit(case, result, form.text.data, domains)
        return redirect(url_for("tools.case_audit_result", reference=case.reference, number=record.number))
    return render_template("audit/case.html", form=form, case=case, audits=audits_for(case), proof=proof_for(case),
                           tenant=tenant_for(case))


def _stored(case: Case, number: int) -> tuple[CaseAudit, Audit]:
    record = audit_number(case, number)
    if record is None:
        abort(404)
    made_at = record.created_at.replace(tzinfo=timezone.utc)
    return record, audit_text(record.text, list(record.accepted_domains or []), case, made_at)


@bp.get("/cases/<reference>/audit/<int:number>")
def case_audit_result(reference: str, number: int):
    case = case_for_reference(reference)
    record, result = _stored(case, number)
    previous = audit_number(case, number - 1)
    changes = compare(previous.findings, record.findings) if previous else None
    return render_template("audit/result.html", case=case, record=record, audit=result, previous=previous,
                           changes=changes, proof=proof_for(case))


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/cases/<reference>/audit/<int:number>/fix.ps1")
def case_audit_powershell(reference: str, number: int):
    case = case_for_reference(reference)

    record, result = _stored(case, number)
    text = render_fix_powershell(result.plan, case.reference, record.created_at.date().isoformat(), _)
    return _download(powershell_bytes(text), "text/plain", f"{case.reference}-fix-{number}.ps1")


@bp.get("/cases/<reference>/audit/<int:number>/fix.pdf")
@limiter.limit(pdf_limit)
def case_audit_pdf(reference: str, number: int):
    case = case_for_reference(reference)

    record, result = _stored(case, number)
    pdf = render_pdf(render_template("audit/fix_pdf.html", case=case, record=record, audit=result))
    return _download(pdf, "application/pdf", f"{case.reference}-fix-{number}.pdf")


@bp.get("/cases/<reference>/audit/<int:number>/fix.json")
def case_audit_json(reference: str, number: int):
    case = case_for_reference(reference)
    return jsonify(audit_to_dict(_stored(case, number)[1]))
