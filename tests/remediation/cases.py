"""The plans the golden, parse and parameter tests run over: every server kind x
existing connector kind, plus hybrid, wildcard, blocked and no-certificate cases."""
from __future__ import annotations

from datetime import date

from app.remediation import build_plan
from app.remediation.answers import CONNECTOR_KINDS, SERVER_KINDS
from app.remediation.model import Plan
from app.translate import Translate, plain
from tests.remediation import factories as f

TODAY = date(2026, 11, 5)


def build_cases(_: Translate = plain) -> dict[str, Plan]:
    """Every case's plan, its messages translated with ``_``."""
    cases = {
        f"{kind}__{existing}": build_plan(f.answers(kind, existing), f.report(), today=TODAY, _=_)
        for kind in SERVER_KINDS for existing in CONNECTOR_KINDS
    }
    cases.update({
        "exchange-2019-hybrid__certificate": build_plan(
            f.answers("exchange-2019", "certificate", hybrid_wizard=True), f.report(), today=TODAY, _=_),
        "exchange-2010-hybrid__ip": build_plan(
            f.answers("exchange-2010", "ip", hybrid_wizard=True), f.report(), today=TODAY, _=_),
        "exchange-2016-wildcard__none": build_plan(
            f.answers("exchange-2016", "none", accepted_domains=["contoso.com"]), f.wildcard_report(), today=TODAY, _=_),
        "exchange-se-blocked__ip": build_plan(
            f.answers("exchange-se", "ip", accepted_domains=["fabrikam.com"]), f.blocked_report(), today=TODAY, _=_),
        "exchange-2013-expired__none": build_plan(f.answers("exchange-2013", "none"), f.expired_report(), today=TODAY, _=_),
        "exchange-2016-host-name__none": build_plan(
            f.answers("exchange-2016", "none", accepted_domains=["contoso.com"]), f.host_name_report(), today=TODAY, _=_),
        "postfix-internal-name__ip": build_plan(f.answers("postfix", "ip"), f.internal_name_report(), today=TODAY, _=_),
        "exchange-2013-hybrid__none": build_plan(
            f.answers("exchange-2013", "none", hybrid_wizard=True), f.report(), today=TODAY, _=_),
        "exchange-se-dnssec__none": build_plan(
            f.answers("exchange-se", "none", mx_endpoint="Contoso-com.e-v1.mx.microsoft."), f.report(), today=TODAY, _=_),
        "postfix-unconfirmed-mx__none": build_plan(f.answers("postfix", "none", mx_endpoint=""), f.report(), today=TODAY, _=_),
        "sendmail-smtp-auth-host__none": build_plan(
            f.answers("sendmail", "none", mx_endpoint="smtp.office365.com"), f.report(), today=TODAY, _=_),
        "postfix-no-certificate__none": build_plan(
            f.answers("postfix", "none", connector_domain="mail.contoso.com", mx_endpoint=""), None, today=TODAY, _=_),
    })
    return cases


CASES = build_cases()
