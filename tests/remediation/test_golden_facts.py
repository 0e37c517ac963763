"""The facts each golden case must hold, asserted on their own (issue 16): the goldens are not an oracle.

Each test states a rule of exchange-facts.md section 10 (or the issue item it closes) and checks
it on every case it applies to, so that a regenerated golden file cannot quietly break it.
"""
from __future__ import annotations

import re

import pytest

from app.remediation import render_powershell
from app.remediation.answers import EXCHANGE_KINDS
from app.remediation.rules import DIGICERT_GLOBAL_ROOT_G2, MX_PLACEHOLDER, ON_PREMISES, VERIFY
from tests.remediation.cases import CASES

EXCHANGE = sorted(n for n, p in CASES.items() if p.server_kind in EXCHANGE_KINDS and p.on_premises.blocks)
MTA = sorted(n for n, p in CASES.items() if p.server_kind in ("postfix", "sendmail", "exim"))
OUT_OF_SUPPORT = {"exchange-2010", "exchange-2013", "exchange-2016", "exchange-2019"}


def command_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def block(plan, word: str) -> str:
    return next(b.text for b in plan.on_premises.blocks if word in b.label)


def every_text(plan) -> str:
    parts = [plan.exchange_online.powershell, plan.on_premises.powershell, plan.on_premises.config,
             plan.on_premises.checks, *plan.on_premises.notes, *plan.exchange_online.admin_center.new]
    parts += [d for item in plan.checklist for d in item.details] + [c.text for i in plan.checklist for c in i.code]
    return "\n".join(parts)


@pytest.mark.parametrize("name", EXCHANGE)
def test_exchange_imports_the_pfx_in_the_shell_on_each_server(name):
    plan = CASES[name]
    per_server = block(plan, "each server")
    assert ("Import-ExchangeCertificate -FileData ([System.IO.File]::ReadAllBytes('C:\\Certificates\\relay.pfx')) "
            "-Password (Read-Host -AsSecureString -Prompt 'PFX password') -PrivateKeyExportable $true") in per_server
    assert "Enable-ExchangeCertificate" in per_server and "Import Exchange certificate" not in every_text(plan)
    assert f"$_.Thumbprint -eq '{DIGICERT_GLOBAL_ROOT_G2}'" in per_server  # DigiCert Global Root G2 check
    old_windows = plan.server_kind in ("exchange-2010", "exchange-2013")
    starts = [line.split(" ", 1)[0] for line in command_lines(per_server)]
    assert ("certutil" in starts, "Import-Certificate" in starts) == (old_windows, not old_windows)
    assert ("TLS 1.2\\Client" in per_server) == old_windows  # TLS 1.2 check on 2010/2013


def send_connector_commands(plan) -> list[str]:
    per_server, once = block(plan, "each server"), block(plan, "Once")
    assert "New-SendConnector" not in per_server and "Set-SendConnector" not in per_server
    return [line for line in command_lines(once) if line.startswith("New-SendConnector")]


@pytest.mark.parametrize("name", [n for n in EXCHANGE if "hybrid" in n])
def test_hybrid_reruns_the_hybrid_configuration_wizard_instead_of_a_send_connector(name):
    plan = CASES[name]
    once = block(plan, "Once")
    assert send_connector_commands(plan) == [] and "Run the Hybrid Configuration Wizard again" in once
    assert "rewrites them each time it runs" in once


@pytest.mark.parametrize("name", [n for n in EXCHANGE if "hybrid" not in n])
def test_the_send_connector_is_made_once_for_the_organization(name):
    plan = CASES[name]
    once = block(plan, "Once")
    made = send_connector_commands(plan)
    assert len(made) == 2 and made[0].endswith("-WhatIf") and made[1] == made[0].removesuffix(" -WhatIf")
    assert "-SourceTransportServers $sourceTransportServers" in made[1]
    assert "$sourceTransportServers = @($env:COMPUTERNAME)" in once


@pytest.mark.parametrize("name", EXCHANGE)
def test_the_certificate_name_is_built_on_the_server_never_pasted(name):
    plan = CASES[name]
    lines = command_lines(plan.on_premises.powershell)
    assert not [line for line in lines if re.search(r"-TlsCertificateName\s+'", line)]
    if plan.server_kind == "exchange-2010":
        assert not [line for line in lines if "TlsCertificateName" in line or "CloudServicesMailEnabled" in line]
        # The wizard's own send connector (hybrid) is checked, not made: only the others set its FQDN.
        assert any("-Fqdn 'mail.contoso.com'" in line for line in lines) == ("hybrid" not in name)
        assert "uses the SMTP-enabled certificate whose name matches the connector's FQDN" in every_text(plan)
    else:
        assert '$tlsCertificateName = "<I>$($cert.Issuer)<S>$($cert.Subject)"' in lines
        assert any(line.startswith("$tlsCertificateName -eq '") for line in lines)  # the computed value: a check


@pytest.mark.parametrize("name", sorted(CASES))
def test_out_of_support_versions_are_warned_with_the_pause(name):
    plan = CASES[name]
    codes = {w.code for w in plan.warnings}
    # A version Exchange Online blocks (2010, 2013) says it once, as its first, blocking upgrade step with the
    # pause; the other out-of-support versions get the warning.
    blocked = plan.checklist[0].id == "upgrade_exchange"
    assert blocked == (plan.server_kind in ("exchange-2010", "exchange-2013"))
    assert ("exchange_out_of_support" in codes) == (plan.server_kind in OUT_OF_SUPPORT and not blocked)
    if blocked:
        assert "New-TenantExemptionInfo -BlockingScenario UnpatchedOnPremServer" in plan.checklist[0].code[0].text
    if plan.server_kind in EXCHANGE_KINDS and plan.exchange_online.powershell:
        assert "# New-TenantExemptionInfo -BlockingScenario UnpatchedOnPremServer -NumberOfDays 30" in \
            plan.exchange_online.powershell


@pytest.mark.parametrize("name", sorted(CASES))
def test_exchange_online_part_follows_section_10(name):
    plan = CASES[name]
    text = every_text(plan)
    # MC283874: new EAC only (no classic steps, whose option said "matches this domain name").
    assert "In the classic" not in text and "How should Office 365 identify" not in text
    assert "matches this domain name" not in text
    # Section 11: every inbound connector command that names the certificate also sets RequireTls $true.
    inbound = [line.removeprefix("# ") for line in plan.exchange_online.powershell.splitlines()
               if re.match(r"(# )?(New|Set)-InboundConnector .*-TlsSenderCertificateName", line)]
    assert all("-RequireTls $true -TlsSenderCertificateName" in line for line in inbound)
    assert bool(inbound) == bool(plan.exchange_online.tls_sender_certificate_name)
    if plan.server_kind not in EXCHANGE_KINDS and plan.exchange_online.powershell:
        assert "internal messages bypass antispam filtering" in plan.exchange_online.powershell
    assert "IIS SMTP" not in text and "4.4.317" not in text   # KB 3212877: the relay fails with 5.7.64


@pytest.mark.parametrize("name", MTA)
def test_mail_servers_log_paths_chain_note_and_openssl(name):
    plan = CASES[name]
    checks = plan.on_premises.checks
    if plan.server_kind == "exim":
        assert "/var/log/exim4/mainlog" in checks and "/var/log/exim/main.log" in checks
    else:
        assert all(path in checks for path in ("/var/log/mail.log", "/var/log/maillog", "journalctl -u"))
    assert "550 5.7.64 TenantAttribution" in plan.on_premises.notes[0]
    verify = next(item for item in plan.checklist if item.id == VERIFY)
    openssl = next(c.text for c in verify.code if c.text.startswith("openssl"))
    assert "-cert relay-cert.pem -cert_chain relay-intermediates.pem -key relay.key" in openssl
    assert "does not" not in openssl and "Exchange Online matches the connector later" in " ".join(verify.details)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_smart_host_is_never_an_unconfirmed_guess(name):
    plan = CASES[name]
    commands = "\n".join([plan.on_premises.powershell, plan.on_premises.config, plan.on_premises.checks]
                         + [c.text for i in plan.checklist for c in i.code])
    if plan.mx_endpoint_confirmed:
        assert plan.smart_host == plan.mx_endpoint and MX_PLACEHOLDER not in commands
    else:
        assert plan.smart_host == MX_PLACEHOLDER and plan.mx_endpoint not in commands
        assert "mx_endpoint_unconfirmed" in {w.code for w in plan.warnings}
        assert "Warning: " in render_powershell(plan) and MX_PLACEHOLDER in render_powershell(plan)
        for text in (plan.on_premises.powershell, plan.on_premises.config):  # said where the lines are pasted
            if MX_PLACEHOLDER in text:  # the first mention is the warning, before any line that uses it
                assert text.find("Replace " + MX_PLACEHOLDER) + len("Replace ") == text.index(MX_PLACEHOLDER)


def test_the_dnssec_endpoint_is_used_as_given():
    plan = CASES["exchange-se-dnssec__none"]
    assert plan.mx_endpoint_confirmed and "-SmartHosts 'contoso-com.e-v1.mx.microsoft'" in plan.on_premises.powershell


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_step_names_its_sources(name):
    plan = CASES[name]
    assert all(item.sources for item in plan.checklist)
    script = render_powershell(plan)
    assert "# Sources" in script and all(source.title in script for source in plan.sources)
    on_premises = next(item for item in plan.checklist if item.id == ON_PREMISES)
    if plan.server_kind in EXCHANGE_KINDS and plan.on_premises.blocks:
        assert {"KB3212877", "MC1224565", "Import-ExchangeCertificate"} <= {s.id for s in on_premises.sources}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_version_exchange_online_blocks_is_never_ready(name):
    """Issue 21 item 6: Exchange 2010 (and 2013) plans start with the upgrade as the blocking step, with
    New-TenantExemptionInfo as the stop-gap and its limit of 90 days a calendar year, dated."""
    plan = CASES[name]
    blocked = plan.server_kind in ("exchange-2010", "exchange-2013")
    first = plan.checklist[0]
    assert (first.id == "upgrade_exchange") == blocked
    if not blocked:
        return
    assert plan.verdict == "blocked"
    text = " ".join(first.details)
    assert "so no plan for it is ready" in text and "at most 90 days" in text and "(as of 2023-12-12)" in text
    assert "New-TenantExemptionInfo -BlockingScenario UnpatchedOnPremServer -NumberOfDays 30" in first.code[0].text
    assert render_powershell(plan).index("# Blocking: Upgrade ") < render_powershell(plan).index("# Step 1:")


@pytest.mark.parametrize("name", [n for n in EXCHANGE if "hybrid" not in n])
def test_an_existing_star_connector_is_turned_off_after_the_new_one_exists(name):
    """Issue 21 item 4: equal address space and cost fall to the name that sorts first, so the plan says what
    to do with an existing * connector and gives the commands, in the order that keeps mail flowing."""
    once = command_lines(block(CASES[name], "Once"))
    found = next(i for i, line in enumerate(once) if line.startswith("$otherStarConnectors = @(Get-SendConnector"))
    made = next(i for i, line in enumerate(once) if line.startswith("New-SendConnector") and "-WhatIf" not in line)
    off = once.index("$otherStarConnectors | Set-SendConnector -Enabled $false")
    assert found < made < off and once[off - 1] == off_dry_run()
    assert "the one whose name sorts first" in block(CASES[name], "Once")


def off_dry_run() -> str:
    return "$otherStarConnectors | Set-SendConnector -Enabled $false -WhatIf"
