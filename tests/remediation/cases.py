"""The plans the golden, parse and parameter tests run over: every server kind x
existing connector kind, plus hybrid, wildcard, blocked and no-certificate cases.

Each plan is built when a test asks for it, never at import: mutation testing
(`make mutate`) runs the tests on changed rule code after the test modules were
imported, and a plan built at import would not show the change.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date

from app.remediation import build_plan
from app.remediation.answers import CONNECTOR_KINDS, SERVER_KINDS, PlanAnswers
from app.remediation.model import Plan
from app.translate import Translate, plain
from tests.remediation import factories as f

TODAY = date(2026, 11, 5)

# name -> (answers, the certificate report's factory, or None for no certificate)
INPUTS: dict[str, tuple[PlanAnswers, Callable | None]] = {
    f"{kind}__{existing}": (f.answers(kind, existing), f.report)
    for kind in SERVER_KINDS for existing in CONNECTOR_KINDS
}
INPUTS.update({
    "exchange-2019-hybrid__certificate": (f.answers("exchange-2019", "certificate", hybrid_wizard=True), f.report),
    "exchange-2010-hybrid__ip": (f.answers("exchange-2010", "ip", hybrid_wizard=True), f.report),
    "exchange-2016-wildcard__none": (f.answers("exchange-2016", "none", accepted_domains=["contoso.com"]),
                                     f.wildcard_report),
    "exchange-se-blocked__ip": (f.answers("exchange-se", "ip", accepted_domains=["fabrikam.com"]), f.blocked_report),
    "exchange-2013-expired__none": (f.answers("exchange-2013", "none"), f.expired_report),
    "exchange-2016-host-name__none": (f.answers("exchange-2016", "none", accepted_domains=["contoso.com"]),
                                      f.host_name_report),
    "postfix-internal-name__ip": (f.answers("postfix", "ip"), f.internal_name_report),
    "exchange-2013-hybrid__none": (f.answers("exchange-2013", "none", hybrid_wizard=True), f.report),
    "exchange-se-dnssec__none": (f.answers("exchange-se", "none", mx_endpoint="Contoso-com.e-v1.mx.microsoft."),
                                 f.report),
    "postfix-unconfirmed-mx__none": (f.answers("postfix", "none", mx_endpoint=""), f.report),
    "sendmail-smtp-auth-host__none": (f.answers("sendmail", "none", mx_endpoint="smtp.office365.com"), f.report),
    "postfix-no-certificate__none": (f.answers("postfix", "none", connector_domain="mail.contoso.com",
                                               mx_endpoint=""), None),
})


class Cases(Mapping[str, Plan]):
    """name -> plan, built afresh on each lookup, its messages translated with ``_``."""

    def __init__(self, _: Translate = plain):
        self._ = _

    def __getitem__(self, name: str) -> Plan:
        answers, report = INPUTS[name]
        return build_plan(answers, report() if report else None, today=TODAY, _=self._)

    def __iter__(self) -> Iterator[str]:
        return iter(INPUTS)

    def __len__(self) -> int:
        return len(INPUTS)


def build_cases(_: Translate = plain) -> Cases:
    return Cases(_)


CASES = Cases()
