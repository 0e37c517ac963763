"""A saved case as the plan builder's input, and its plan in a chosen language."""
from __future__ import annotations

from datetime import datetime

from flask import current_app, g
from flask_babel import get_locale, gettext

from app.web.analysis import case_domains, case_report
from app.certs.model import CertificateReport
from app.remediation.answers import EXCHANGE_KINDS, PlanAnswers
from app.remediation.model import Plan
from app.remediation.plan import build_plan
from app.remediation.sources_sv import plan_in_language
from app.store import Case, utcnow
from app.web.templating import viewer_is_staff
from app.wizard.forms.fields import AGENT as AGENT_ROLE, case_role, viewer_role
from app.wizard.summary import check_rows

from .chain import intermediates_dict
from .kept import good_until, kept
from .outline import PASS, plan_outline, step_anchor

# Exchange 2010's send connector has no TlsCertificateName (docs/reference/exchange-facts.md):
# the value applies to Exchange 2013 and later only.
TLS_CERTIFICATE_NAME_KINDS = tuple(kind for kind in EXCHANGE_KINDS if kind != "exchange-2010")


def plan_answers(case: Case) -> PlanAnswers:
    answers = case.answers

    def value(step: str, field: str, default=None):
        return (answers.get(step) or {}).get(field, default)

    return PlanAnswers(
        accepted_domains=case_domains(case),
        server_kind=value("server", "kind", "other"),
        server_fqdn=value("server-details", "fqdn", "") or "",
        mx_endpoint=value("server-details", "mx_endpoint", "") or "",
        hybrid_wizard=value("exchange-setup", "hybrid_wizard") == "yes",
        egress=value("exchange-setup", "egress", "mailbox") or "mailbox",
        existing_connector_kind=value("connector", "kind", "none"),
        existing_connector_name=value("connector-name", "name", "") if value("connector", "kind", "none") != "none" else "",
        scenarios=[s for s in value("scenarios", "scenarios", []) if s != "none"],
        connector_domain=value("connector-domain", "connector_domain"),
        organization=case.organization,
        case_reference=case.reference,
    )


def clock_now() -> datetime:
    """Now (naive UTC), read at request time: its day is in every cache key of what shows a date, and
    it decides whether a kept plan or page still holds."""
    return utcnow()


def case_plan(case: Case) -> tuple[Plan, CertificateReport | None]:
    """The plan and the certificate report, translated into the current locale.

    A plan changes only when its case does, but its findings also depend on the clock (days left,
    expiry, the date it was made): each one is kept per worker for a few minutes and never past the
    moment the clock changes it (app/reports/kept.py). Every face of a case (page, PDF, script,
    JSON) and every reload reuses it.
    """
    now = clock_now()
    locale = str(get_locale())
    key = (case.id, case.updated_at, case.completed_at, locale, now.date(), current_app.config["TRUSTED_ROOTS_FILE"])
    plans = kept("plans")
    made = plans.get(key, now)
    if made is None:
        report = case_report(case, _=gettext)
        plan = build_plan(plan_answers(case), report, _=gettext, today=now.date())
        made = plan_in_language(plan, locale), report
        plans.put(key, made, good_until(report, now))
    return made


def plan_context(case: Case) -> dict:
    """What the plan's templates (page, PDF, read-only copy) need for a case, worded for the case's role."""
    g.wording_role = viewer_role(case)
    plan, report = case_plan(case)
    return {"case": case, "plan": plan, "report": report, "answers": check_rows(case),
            "outline": plan_outline(plan, report is not None), "step_anchor": step_anchor,
            "started_by": _started_by(case),
            "intermediates": intermediates_dict(report),
            "shows_tls_certificate_name": plan.server_kind in TLS_CERTIFICATE_NAME_KINDS}


def _started_by(case: Case) -> str | None:
    """For the customer of a case the help desk started: the agent's address, to reach them."""
    if case.owner_id is None or case_role(case.answers) != AGENT_ROLE or viewer_is_staff():
        return None
    from app.staff.models import user_emails  # the staff package imports this module: load it when asked
    return user_emails({case.owner_id}).get(case.owner_id)


def verdict_reasons(case: Case) -> list[str]:
    """Why a case is blocked or needs attention, in a few words each (the staff case page's verdict row)."""
    plan, report = case_plan(case)
    outline = plan_outline(plan, report is not None)
    if outline.blockers:
        return [blocker.headline for blocker in outline.blockers]
    return [check.title for check in outline.checks + outline.notices if check.status != PASS]
