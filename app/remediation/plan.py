"""Answers + certificate report -> one Plan."""
from __future__ import annotations

from datetime import date

from app.certs.model import NEEDS_ATTENTION, READY, WARNING, CertificateReport, Finding
from app.remediation.answers import EXCHANGE_KINDS, PlanAnswers
from app.certs.domains import is_internal_name
from app.certs.matching import domain_to_add
from app.remediation.checklist import build_checklist
from app.remediation.exchange_online import build_exchange_online
from app.remediation.model import ChecklistItem, OnPremisesConfig, Plan
from app.remediation.mx import check_mx_endpoint, guess_mx_endpoint
from app.remediation.onprem_exchange import build_exchange
from app.remediation.onprem_mta import build_mta
from app.remediation.rules import DONE, IN_PROGRESS, REGISTER_DOMAIN, RULESET_VERSION
from app.translate import Translate, plain


def build_plan(
    answers: PlanAnswers,
    report: CertificateReport | None,
    *,
    _: Translate = plain,
    today: date | None = None,
) -> Plan:
    connector_domain = _connector_domain(answers, report)
    mx, mx_confirmed, mx_warning = _mx_endpoint(answers, connector_domain, _)
    exchange_online = build_exchange_online(answers, connector_domain, _)
    on_premises = build_on_premises(answers, report, mx, _)
    findings = list(report.findings) if report else []
    warnings = [f for f in findings if f.severity == WARNING] + _plan_warnings(answers, report, connector_domain, _)
    if mx_warning:
        warnings.append(mx_warning)
    checklist = build_checklist(answers, report, connector_domain, mx, exchange_online, on_premises, _)
    return Plan(
        verdict=_verdict(report, checklist),
        connector_domain=connector_domain,
        mx_endpoint=mx,
        mx_endpoint_confirmed=mx_confirmed,
        organization=answers.organization,
        case_reference=answers.case_reference,
        server_kind=answers.server_kind,
        checklist=checklist,
        exchange_online=exchange_online,
        on_premises=on_premises,
        warnings=warnings,
        findings=findings,
        ruleset_version=RULESET_VERSION,
        generated_on=today or date.today(),
    )


def _connector_domain(answers: PlanAnswers, report: CertificateReport | None) -> str | None:
    """The admin's choice, else the report's recommendation; never an internal name (no CA issues one)."""
    chosen = answers.connector_domain or (report.recommended_connector_domain if report else None)
    return None if chosen and is_internal_name(chosen) else chosen


def _verdict(report: CertificateReport | None, checklist: list[ChecklistItem]) -> str:
    """The certificate's verdict, but never ready while the connector's domain is still to be added."""
    if report is None:
        return IN_PROGRESS
    register = next(item for item in checklist if item.id == REGISTER_DOMAIN)
    if report.verdict == READY and register.status != DONE:
        return NEEDS_ATTENTION
    return report.verdict


def build_on_premises(answers: PlanAnswers, report: CertificateReport | None, mx: str, _: Translate) -> OnPremisesConfig:
    if answers.server_kind in EXCHANGE_KINDS:
        return build_exchange(answers, report, mx, _)
    return build_mta(answers.server_kind, mx, _)


def _mx_endpoint(answers: PlanAnswers, connector_domain: str | None, _: Translate) -> tuple[str, bool, Finding | None]:
    """The checked MX endpoint, or a guess from the first accepted domain with a warning saying so."""
    check = check_mx_endpoint(answers.mx_endpoint, _=_) if answers.mx_endpoint.strip() else None
    if check is not None and check.ok:
        return check.host, True, None
    # The tenant's first accepted domain is usually its primary one; "example.com" only keeps the
    # placeholder recognisable when the answers hold no domain at all.
    base = (answers.accepted_domains[:1] or [domain_to_add(connector_domain or "example.com")])[0]
    guess = guess_mx_endpoint(base)
    message = _(
        "The commands use %(guess)s, a guess: replace it with the MX endpoint shown for your domain in "
        "the Microsoft 365 admin center.", guess=guess,
    )
    if check is not None:
        message = check.message + " " + message
    return guess, False, Finding("mx_endpoint_guessed", WARNING, message)


def _plan_warnings(
    answers: PlanAnswers, report: CertificateReport | None, connector_domain: str | None, _: Translate
) -> list[Finding]:
    warnings = [Finding("one_certificate_per_tenant", WARNING, _(
        "If this server also sends mail to other Microsoft 365 organizations, each needs its own "
        "certificate and send connector (message center MC1226222): mail presenting this certificate "
        "is attributed to the organization whose connector matches it."
    ))]
    if answers.connector_domain and is_internal_name(answers.connector_domain):
        warnings.append(Finding("connector_domain_internal", WARNING, _(
            "%(domain)s exists only inside your network: no public CA issues a certificate for it and "
            "Microsoft 365 cannot verify it as a domain, so it cannot go on the connector.",
            domain=answers.connector_domain)))
    if report and connector_domain and connector_domain.lower() not in {
        c.connector_domain.lower() for c in report.candidates
    }:
        warnings.append(Finding("connector_domain_not_on_certificate", WARNING, _(
            "%(domain)s does not match a name on the certificate under one of your accepted domains: "
            "Exchange Online will not match the connector to this certificate.", domain=connector_domain,
        )))
    if answers.existing_connector_kind == "certificate" and not answers.existing_connector_name.strip():
        warnings.append(Finding("existing_connector_unnamed", WARNING, _(
            "Enter the name of your existing certificate connector to edit it; the plan creates a new "
            "connector meanwhile, and two connectors for the same certificate confuse the matching."
        )))
    return warnings
