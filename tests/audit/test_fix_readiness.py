"""Issue 21 item 8: a certificate the fix names on a send connector is enabled for SMTP and installed on every
source server, or the fix says what is missing; RequireTLS False is a warning (TLS is opportunistic)."""
from __future__ import annotations

import re

from tests.audit.blocks import certificate_object, thumbprint
from tests.audit.test_rules import H, paste


def name_step(result):
    (step,) = [s for s in result.plan.steps if s.code == "tls_certificate_name_missing"]
    return step


def unnamed(services: str, sources: str = "EX01") -> str:
    text = paste(server={"certificate_name": "", "fqdn": "", "certificates": certificate_object(H, services=services)})
    return re.sub(r"(SourceTransportServers\s*:) EX01", rf"\1 {sources}", text)


def test_a_certificate_not_enabled_for_smtp_is_enabled_before_it_is_named(audit):
    step = name_step(audit(unnamed("IIS")))
    tp = thumbprint(H.leaf.cert)
    enable = f"Enable-ExchangeCertificate -Thumbprint '{tp}' -Services SMTP -Server 'EX01'"
    assert enable in step.commands and f"{enable} -WhatIf" in step.commands
    named = next(i for i, c in enumerate(step.commands) if c.startswith("Set-SendConnector"))
    assert step.commands.index(enable) < named


def test_a_source_server_without_the_certificate_is_named(audit):
    step = name_step(audit(unnamed("IIS, SMTP", "EX01, EX02")))
    assert "is not installed on EX02, which also send through To Office 365 (certificate)" in step.note
    assert step.commands[0] == "# " + step.note
    assert not [c for c in step.commands if c.startswith("Enable-ExchangeCertificate")]


def test_a_ready_certificate_needs_nothing_more(audit):
    step = name_step(audit(unnamed("IIS, SMTP")))
    assert step.note == "" and not [c for c in step.commands if "Enable-ExchangeCertificate" in c]


def test_require_tls_off_is_a_warning_that_tls_is_not_enforced(audit):
    (finding,) = [f for f in audit(paste(server={"require_tls": "False"})).findings if f.code == "require_tls_off"]
    assert finding.severity == "warning" and finding.title == "TLS is not enforced on the send connector"
    assert "no certificate is presented and the connector cannot match" not in finding.message
    assert "TLS is opportunistic" in finding.message
