"""What each golden case must say, written down by hand rather than read from its golden file (issue 16).

For every case: the verdict, each checklist step's status, the one inbound connector command the
admin runs in Exchange Online (cmdlet and TlsSenderCertificateName value, or none while the case is
blocked) and the smart host the on-premises server sends to. A case added to cases.py without a
line here fails test_every_golden_case_has_its_facts_written_down.
"""
from __future__ import annotations

import re

import pytest

from app.remediation import render_powershell
from tests.remediation.cases import CASES

NEW, SET = "New-InboundConnector", "Set-InboundConnector"
MX = "contoso-com.mail.protection.outlook.com"
PLACEHOLDER = "your-mx-endpoint.invalid"
STEPS = ("register_domain", "exchange_online_connector", "on_premises", "verify", "cleanup")


def usual(server_kind: str, existing: str) -> dict:
    """A certificate naming mail.contoso.com, an accepted domain: ready, every step to do.

    An existing certificate connector is changed in place; otherwise a new one is made, and an
    IP connector is retired afterwards (the cleanup step), except for devices that cannot present
    a certificate ("other"), which keep relaying by IP address."""
    cleanup = "todo" if existing == "ip" and server_kind != "other" else None
    # Exchange Online blocks Exchange 2010 and 2013 as out of date: never ready (issue 21 item 6).
    blocked = server_kind in ("exchange-2010", "exchange-2013")
    return {"verdict": "blocked" if blocked else "ready", "steps": ("done", "todo", "todo", "todo", cleanup),
            "connector": (SET if existing == "certificate" else NEW, "mail.contoso.com"), "smart_host": MX}


SPECIAL = {
    # *.contoso.com on the certificate: the connector must carry the wildcard.
    "exchange-2016-wildcard__none": {"connector": (NEW, "*.contoso.com")},
    # Only fabrikam.com accepted: nothing runs until mail.contoso.com is added as a domain.
    "exchange-se-blocked__ip": {"verdict": "blocked", "steps": ("todo", "blocked", "blocked", "blocked", "blocked"),
                                "connector": None},
    # An expired certificate blocks the server steps, not the connector.
    "exchange-2013-expired__none": {"verdict": "blocked", "steps": ("done", "todo", "blocked", "blocked", None)},
    # Only contoso.com accepted: add mail.contoso.com (Microsoft's preferred way), then name it on the connector.
    "exchange-2016-host-name__none": {"verdict": "needs_attention", "steps": ("todo", "todo", "todo", "todo", None)},
    # mail.contoso.local names nothing Exchange Online can verify: no connector at all.
    "postfix-internal-name__ip": {"verdict": "blocked", "steps": ("todo", "blocked", "blocked", "blocked", "blocked"),
                                  "connector": None},
    # No certificate yet: the connector can be made from the domain; the server waits for the certificate.
    "postfix-no-certificate__none": {"verdict": "in_progress", "steps": ("done", "todo", "blocked", "blocked", None),
                                     "smart_host": PLACEHOLDER},
    # An endpoint that is not the tenant's MX (or none) is never guessed into a command.
    "postfix-unconfirmed-mx__none": {"smart_host": PLACEHOLDER},
    "sendmail-smtp-auth-host__none": {"smart_host": PLACEHOLDER},
    # A DNSSEC (mx.microsoft) endpoint is used as given, without its trailing dot and in lower case.
    "exchange-se-dnssec__none": {"smart_host": "contoso-com.e-v1.mx.microsoft"},
    # Hybrid: the Hybrid Configuration Wizard writes its own connector; no inbound connector command runs
    # (a hand edit appears only commented out, as the fallback, issue 21 item 2).
    "exchange-2019-hybrid__certificate": {"connector": None},
    "exchange-2010-hybrid__ip": {"connector": None},
    "exchange-2013-hybrid__none": {"connector": None},
}


def expected(name: str) -> dict:
    return usual(CASES[name].server_kind, name.rsplit("__", 1)[1]) | SPECIAL.get(name, {})


def inbound_commands(name: str) -> list[tuple[str, str]]:
    """(cmdlet, TlsSenderCertificateName) of each inbound connector command to run (dry runs aside)."""
    found = []
    for line in render_powershell(CASES[name]).splitlines():
        command = re.match(r"((?:New|Set)-InboundConnector) .*-TlsSenderCertificateName '([^']*)'", line)
        if command and not line.endswith(" -WhatIf"):
            found.append(command.groups())
    return found


def test_every_golden_case_has_its_facts_written_down():
    assert set(SPECIAL) <= set(CASES)
    assert all(re.fullmatch(r"[\w-]+__(none|ip|certificate)", name) for name in CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_verdict(name):
    assert CASES[name].verdict == expected(name)["verdict"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_status_of_each_step(name):
    statuses = {item.id: item.status for item in CASES[name].checklist}
    assert tuple(statuses.get(step) for step in STEPS) == expected(name)["steps"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_inbound_connector_command(name):
    connector = expected(name)["connector"]
    assert inbound_commands(name) == ([connector] if connector else [])


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_smart_host(name):
    assert CASES[name].smart_host == expected(name)["smart_host"]
