"""Answers + certificate report -> one Plan."""
from __future__ import annotations

from datetime import date

from app.certs.domains import is_internal_name
from app.certs.matching import domain_to_add
from app.certs.model import BLOCKED, NEEDS_ATTENTION, READY, WARNING, CertificateReport, Finding
from app.remediation import advice as A
from app.remediation.advice import WARNINGS
from app.remediation.answers import EXCHANGE_KINDS, PlanAnswers
from app.remediation.checklist import build_checklist
from app.remediation.exchange_online import build_exchange_online
from app.remediation.model import ChecklistItem, OnPremisesConfig, Plan
from app.remediation.mx import MxChoice, choose_mx
from app.remediation.onprem_exchange import build_exchange
from app.remediation.onprem_mta import build_mta
from app.remediation.request_step import with_request_step
from app.remediation.rules import (
    DONE, EXCHANGE_LIFECYCLE, IN_PROGRESS, REGISTER_DOMAIN, RULESET_VERSION, SERVER_LABELS, UPGRADE_EXCHANGE,
)
from app.remediation.sources import cite
from app.translate import Translate, plain


def build_plan(
    answers: PlanAnswers,
    report: CertificateReport | None,
    *,
    _: Translate = plain,
    today: date | None = None,
) -> Plan:
    connector_domain = _connector_domain(answers, report)
    mx = _mx_endpoint(answers, connector_domain, _)
    exchange_online = build_exchange_online(answers, connector_domain, _, report)
    on_premises = build_on_premises(answers, report, mx.smart_host, _)
    findings = list(report.findings) if report else []
    today = today or date.today()
    warnings = [f for f in findings if f.severity == WARNING] + _plan_warnings(answers, report, connector_domain,
                                                                               today, _)
    if mx.warning:
        warnings.append(mx.warning)
    checklist = build_checklist(answers, report, connector_domain, mx.smart_host, exchange_online, on_premises, _)
    checklist = with_request_step(checklist, answers, report, connector_domain, _)  # issue 25: the request leads
    return Plan(
        verdict=_verdict(report, checklist),
        connector_domain=connector_domain,
        mx_endpoint=mx.endpoint,
        mx_endpoint_confirmed=mx.confirmed,
        organization=answers.organization,
        case_reference=answers.case_reference,
        server_kind=answers.server_kind,
        checklist=checklist,
        exchange_online=exchange_online,
        on_premises=on_premises,
        warnings=warnings,
        findings=findings,
        ruleset_version=RULESET_VERSION,
        generated_on=today,
        smart_host=mx.smart_host,
        sources=cite(*(s.id for item in checklist for s in item.sources),
                     *(i for w in warnings if w.code in WARNINGS for i in WARNINGS[w.code].sources),
                     *(EXCHANGE_LIFECYCLE[answers.server_kind].sources if answers.server_kind in EXCHANGE_LIFECYCLE
                       else ())),
    )


def _connector_domain(answers: PlanAnswers, report: CertificateReport | None) -> str | None:
    """The admin's choice, else the report's recommendation; never an internal name (no CA issues one)."""
    chosen = answers.connector_domain or (report.recommended_connector_domain if report else None)
    return None if chosen and is_internal_name(chosen) else chosen


def _verdict(report: CertificateReport | None, checklist: list[ChecklistItem]) -> str:
    """The certificate's verdict, but never ready while the connector's domain is still to be added."""
    if report is None:
        return IN_PROGRESS
    if any(item.id == UPGRADE_EXCHANGE for item in checklist):
        return BLOCKED  # Exchange Online blocks this version: never ready (issue 21 item 6)
    register = next(item for item in checklist if item.id == REGISTER_DOMAIN)
    if report.verdict == READY and register.status != DONE:
        return NEEDS_ATTENTION
    return report.verdict


def build_on_premises(answers: PlanAnswers, report: CertificateReport | None, smart_host: str,
                      _: Translate) -> OnPremisesConfig:
    if answers.server_kind in EXCHANGE_KINDS:
        return build_exchange(answers, report, smart_host, _)
    return build_mta(answers.server_kind, smart_host, _)


def _mx_endpoint(answers: PlanAnswers, connector_domain: str | None, _: Translate) -> MxChoice:
    """The checked MX endpoint; else a guess from the first accepted domain, shown but never used."""
    # The tenant's first accepted domain is usually its primary one; "example.com" only keeps the
    # guess recognisable when the answers hold no domain at all.
    base = (answers.accepted_domains[:1] or [domain_to_add(connector_domain or "example.com")])[0]
    return choose_mx(answers.mx_endpoint, base, _=_)


def _plan_warnings(
    answers: PlanAnswers, report: CertificateReport | None, connector_domain: str | None, today: date, _: Translate
) -> list[Finding]:
    warnings = [_warning(A.ONE_CERTIFICATE_PER_TENANT, _)]
    if answers.connector_domain and is_internal_name(answers.connector_domain):
        warnings.append(_warning(A.CONNECTOR_DOMAIN_INTERNAL, _, domain=answers.connector_domain))
    if report and connector_domain and connector_domain.lower() not in {
        c.connector_domain.lower() for c in report.candidates
    }:
        warnings.append(_warning(A.CONNECTOR_DOMAIN_NOT_ON_CERTIFICATE, _, domain=connector_domain))
    if answers.existing_connector_kind == "certificate" and not answers.existing_connector_name.strip():
        warnings.append(_warning(A.EXISTING_CONNECTOR_UNNAMED, _))
    lifecycle = EXCHANGE_LIFECYCLE.get(answers.server_kind)
    # Out of support on the plan's day (a version whose support ends later is not warned about before);
    # a version Exchange Online blocks has its upgrade step instead, said once.
    if lifecycle and lifecycle.end_of_support and lifecycle.end_of_support <= today and not lifecycle.blocked:
        warnings.append(_warning(A.EXCHANGE_OUT_OF_SUPPORT, _, server=_(SERVER_LABELS[answers.server_kind]),
                                 date=lifecycle.end_of_support.isoformat()))
    return warnings


def _warning(advice: A.Advice, _: Translate, **params: object) -> Finding:
    return Finding(advice.id, WARNING, advice.say(_, **params))
