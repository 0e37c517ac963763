"""The plan's request step: blocked plans lead with the certificate to request (issue 25).

Hooked into build_plan after the checklist is made (one call in plan.py):

- no name can go on the connector ("get a certificate"): the first item gets
  the request's names, commands and notes;
- no name fits yet, but one could once a domain is added: the first item keeps
  adding the domain as its fix and offers the request as the other way;
- the certificate itself cannot serve (self-signed, private CA, expired, weak
  key or signature): a new first item requests its replacement, with the
  names of the connector domain the plan already chose.
"""
from __future__ import annotations

from dataclasses import replace

from app.certs.eku import EKU_STATEMENT
from app.certs.model import ERROR, CertificateReport
from app.remediation.acme import acme_blocks, acme_details, acme_sources
from app.remediation.answers import PlanAnswers
from app.remediation.certificate_request import (
    RequestNames, request_blocks, request_details, request_names, request_sources,
)
from app.remediation.model import ChecklistItem
from app.remediation.rules import DONE, REGISTER_DOMAIN, REQUEST_CERTIFICATE, SERVER_LABELS, TODO
from app.translate import Translate

# Errors that no connector or domain setting fixes: only another certificate does.
NEW_CERTIFICATE_ERRORS = frozenset({"self_signed", "untrusted_root", "expired", "not_yet_valid", "weak_key",
                                    "weak_signature"})


def with_request_step(checklist: list[ChecklistItem], answers: PlanAnswers, report: CertificateReport | None,
                      connector_domain: str | None, _: Translate) -> list[ChecklistItem]:
    # The request goes where the register-domain item stands: first, or after a blocking upgrade step.
    at = next((i for i, item in enumerate(checklist) if item.id == REGISTER_DOMAIN), None)
    if at is None:
        return checklist
    first, before, after = checklist[at], checklist[:at], checklist[at + 1:]
    if connector_domain is None:
        names = request_names(answers.accepted_domains, server_fqdn=answers.server_fqdn)
        return before + [_extend(first, answers, names, _)] + after if names else checklist
    if report and any(f.severity == ERROR and f.code in NEW_CERTIFICATE_ERRORS for f in report.findings):
        names = request_names(answers.accepted_domains, server_fqdn=answers.server_fqdn, report=report,
                              connector_domain=connector_domain)
        return before + [_new_item(answers, names, _), first] + after if names else checklist
    if first.status != DONE and report and not any(c.works_now for c in report.candidates):
        names = request_names(answers.accepted_domains, server_fqdn=answers.server_fqdn)
        if names:
            lead = _("Or request a certificate for a name under one of your accepted domains instead:")
            return before + [_extend(first, answers, names, _, lead=lead)] + after
    return checklist


def _content(answers: PlanAnswers, names: RequestNames, _: Translate) -> tuple[list[str], list, list]:
    kind = answers.server_kind
    server = _(SERVER_LABELS[kind])
    details = request_details(kind, names, _) + acme_details(kind, names.names[0], server, _)
    details.append(EKU_STATEMENT.say(_))
    code = request_blocks(kind, names.names, _) + acme_blocks(kind, names.names[0], _)
    return details, code, request_sources(kind, names) + acme_sources(kind)


def _extend(item: ChecklistItem, answers: PlanAnswers, names: RequestNames, _: Translate,
            lead: str | None = None) -> ChecklistItem:
    details, code, sources = _content(answers, names, _)
    # The request goes before the item's last paragraph ("install it, then upload it"), unless it is the other way.
    before, after = (item.details, []) if lead else (item.details[:-1], item.details[-1:])
    return replace(item, details=before + ([lead] if lead else []) + details + after, code=item.code + code,
                   sources=item.sources + [s for s in sources if s not in item.sources])


def _new_item(answers: PlanAnswers, names: RequestNames, _: Translate) -> ChecklistItem:
    details, code, sources = _content(answers, names, _)
    intro = _("This certificate cannot be used for the connector (see the evidence at the end): request a new "
              "one from a public CA.")
    return ChecklistItem(REQUEST_CERTIFICATE, _("Request a certificate from a public CA"), TODO,
                         details=[intro] + details, code=code, sources=sources)
