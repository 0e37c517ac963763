"""The plan's first screen: the verdict, what blocks it, and the checks, each reason said once.

The plan (app.remediation) says what to do; this module only orders and groups it for the
page and the PDF: the blockers first (each error finding once, with the fix in its message),
then one pass / fail / check line per concern, each opening to its reason. A checklist step
that waits for a blocker links to it instead of repeating it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext

from app.certs.model import BLOCKED as BLOCKED_VERDICT, ERROR, NEEDS_ATTENTION, Finding, verdict_for
from app.remediation.model import ChecklistItem, Plan
from app.remediation.rules import BLOCKED, DONE, FIXED_BY_FIRST_ITEM, REQUEST_CERTIFICATE, UPGRADE_EXCHANGE
from app.translate import N_

# The certificate's findings grouped by concern: one line each on the first screen.
# (check id, its name, the finding codes that speak of it)
CHECKS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("issuer", N_("Issued by a public CA"), frozenset({"self_signed", "untrusted_root", "ca_certificate_only"})),
    ("dates", N_("Valid today and not about to expire"), frozenset({"expired", "not_yet_valid", "expires_soon"})),
    ("name", N_("A name that is one of your accepted domains"),
     frozenset({"name_not_accepted", "internal_name", "host_name_not_accepted_domain", "wildcard_certificate"})),
    ("strength", N_("A strong key and signature"), frozenset({"weak_key", "weak_signature"})),
    ("chain", N_("The intermediate certificates"), frozenset({"incomplete_chain"})),
    ("usage", N_("Names and key usages"), frozenset({"no_san", "client_auth_eku_missing", "unreadable_field"})),
)

# What blocks the plan, in a few words: the first thing a person reads on a blocked plan.
# Every error finding the certificate analysis raises has one (tests/web/test_plan_outline.py).
BLOCKER_HEADLINES = {
    "self_signed": N_("The certificate is self-signed"),
    "untrusted_root": N_("The certificate is not from a public CA"),
    "ca_certificate_only": N_("The file holds no server certificate"),
    "expired": N_("The certificate has expired"),
    "not_yet_valid": N_("The certificate is not valid yet"),
    "weak_key": N_("The certificate's key is too weak"),
    "weak_signature": N_("The certificate's signature is too weak"),
    "name_not_accepted": N_("No name on the certificate is one of your accepted domains"),
    "internal_name": N_("The certificate holds only internal names"),
    "certificate_missing": N_("No certificate yet"),
}

# The plan's own warnings (app.remediation.advice.WARNINGS), named for their line.
WARNING_TITLES = {
    "one_certificate_per_tenant": N_("Other Microsoft 365 organizations"),
    "connector_domain_not_on_certificate": N_("The connector's domain is not on the certificate"),
    "connector_domain_internal": N_("An internal name cannot go on the connector"),
    "existing_connector_unnamed": N_("The name of your existing connector"),
    "mx_endpoint_unconfirmed": N_("The MX endpoint is a guess"),
    "exchange_out_of_support": N_("Your Exchange Server version"),
}

PASS, FAIL, ATTENTION = "pass", "fail", "attention"


@dataclass(frozen=True)
class Blocker:
    anchor: str          # the element id the blocked steps link to
    headline: str
    message: str         # the reason and its fix, said here only ("" without a certificate: the step says it)
    step: str = ""       # when the fix is the plan's first step: its anchor


@dataclass(frozen=True)
class Check:
    anchor: str
    title: str
    status: str                                  # PASS | FAIL | ATTENTION
    findings: list[Finding] = field(default_factory=list)  # those not said as a blocker already


@dataclass(frozen=True)
class Outline:
    blockers: list[Blocker]
    checks: list[Check]
    notices: list[Check]          # the plan's own warnings: to check before starting
    first_step: str               # the anchor of the step to do first
    open_step: str                # the step shown open: the first one, unless the certificate blocks them
    waits_for: dict[str, Blocker]  # checklist item id -> the blocker it waits for


def step_anchor(item: ChecklistItem) -> str:
    return f"step-{item.id.replace('_', '-')}"


def plan_outline(plan: Plan, has_certificate: bool) -> Outline:
    first = next((item for item in plan.checklist if item.status != DONE), plan.checklist[0])
    blockers = _blockers(plan, has_certificate, first)
    said = {b.anchor for b in blockers}
    by_code = {b.anchor.removeprefix("blocker-"): b for b in blockers}
    waits_for = {item.id: by_code.get(item.reason.code, blockers[0] if blockers else None)
                 for item in plan.checklist if item.status == BLOCKED and item.reason}
    return Outline(
        blockers=blockers,
        checks=_checks(plan.findings, has_certificate, said),
        notices=[Check(f"notice-{w.code}", gettext(WARNING_TITLES[w.code]), ATTENTION, [w])
                 for w in plan.warnings if w.code in WARNING_TITLES],
        first_step=step_anchor(first),
        open_step=step_anchor(first) if all(b.step for b in blockers) else "",
        waits_for={k: v for k, v in waits_for.items() if v},
    )


def _blockers(plan: Plan, has_certificate: bool, first: ChecklistItem) -> list[Blocker]:
    # A version Exchange Online blocks (issue 21): its upgrade step is the plan's first, whatever the certificate.
    upgrade = [Blocker(f"blocker-{item.id}", item.title, "", step=step_anchor(item))
               for item in plan.checklist if item.id == UPGRADE_EXCHANGE and item.status != DONE]
    first = next((item for item in plan.checklist if item.status != DONE and item.id != UPGRADE_EXCHANGE), first)
    return upgrade + _certificate_blockers(plan, has_certificate, first)


def _certificate_blockers(plan: Plan, has_certificate: bool, first: ChecklistItem) -> list[Blocker]:
    if not has_certificate:
        return [Blocker("blocker-certificate_missing", gettext(BLOCKER_HEADLINES["certificate_missing"]), "",
                        step=step_anchor(first))]
    seen: dict[str, Blocker] = {}
    for finding in plan.findings:
        if finding.severity == ERROR and finding.code not in seen:
            headline = BLOCKER_HEADLINES.get(finding.code)
            # The first step is the fix of some (add the domain, get a certificate with a public name), and of
            # every one when it requests a new certificate (issue 25).
            fixes_it = finding.code in FIXED_BY_FIRST_ITEM or first.id == REQUEST_CERTIFICATE
            fixed_first = fixes_it and first.status != DONE
            seen[finding.code] = Blocker(f"blocker-{finding.code}", gettext(headline) if headline else finding.message,
                                         finding.message, step=step_anchor(first) if fixed_first else "")
    return list(seen.values())


def _checks(findings: list[Finding], has_certificate: bool, said: set[str]) -> list[Check]:
    if not has_certificate:
        return []
    checks = []
    known = set().union(*(codes for _id, _title, codes in CHECKS))
    for check_id, title, codes in CHECKS:
        found = [f for f in findings if f.code in codes]
        checks.append(Check(f"check-{check_id}", gettext(title), _status(found),
                            [f for f in found if f"blocker-{f.code}" not in said]))
    others = [f for f in findings if f.code not in known]
    if others:
        checks.append(Check("check-other", gettext("Other findings"), _status(others),
                            [f for f in others if f"blocker-{f.code}" not in said]))
    return checks


def _status(found: list[Finding]) -> str:
    """A check's line follows the verdict rule of its findings (any error fails, any warning asks)."""
    return {BLOCKED_VERDICT: FAIL, NEEDS_ATTENTION: ATTENTION}.get(verdict_for(found), PASS)
