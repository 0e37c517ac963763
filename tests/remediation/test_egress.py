"""Issue 21 item 5: the certificate goes on the server that makes the connection to Exchange Online (facts
section 11): an Edge Transport server, the front end (FrontendProxyEnabled), or the Mailbox servers; asked."""
from __future__ import annotations

import pytest

from app.remediation import build_plan
from tests.remediation import factories as f
from tests.remediation.cases import TODAY
from tests.remediation.pwsh import errors, parameter_problems, parse
from tests.remediation.test_swedish_plans import commands
from tests.swedish import swedish


def plan(egress: str, kind: str = "exchange-2019", _=None, **changes):
    answers = f.answers(kind, "none", egress=egress, **changes)
    return build_plan(answers, f.report(), today=TODAY, **({"_": _} if _ else {}))


def test_an_edge_server_gets_the_certificate_and_the_connector_is_made_on_a_mailbox_server():
    result = plan("edge")
    per_server, once = result.on_premises.blocks
    assert per_server.label == "On each Edge Transport server (Exchange Management Shell on the Edge server)"
    assert "Import-ExchangeCertificate" in per_server.text and "Enable-ExchangeCertificate" in per_server.text
    # The name is read where the certificate is, then typed where the connector is made.
    assert '$tlsCertificateName = "<I>$($cert.Issuer)<S>$($cert.Subject)"' in per_server.text
    assert once.label == "Once for the organization, on a Mailbox server (Exchange Management Shell)"
    assert "$tlsCertificateName = Read-Host -Prompt 'TlsCertificateName printed on the Edge server'" in once.text
    assert ("$sourceTransportServers = @(Get-ExchangeServer | Where-Object { $_.IsEdgeServer } | "
            "ForEach-Object { $_.Name })") in once.text
    assert "Get-ExchangeCertificate" not in once.text
    assert result.on_premises.notes[0].startswith("Mail leaves through an Edge Transport server")


def test_the_front_end_keeps_frontend_proxy_on_the_new_connector():
    result = plan("frontend")
    per_server, once = result.on_premises.blocks
    assert "front end proxies mail to Office 365" in per_server.label
    assert [line for line in once.text.splitlines() if line.startswith("New-SendConnector")
            and "-FrontendProxyEnabled $true" in line]
    assert result.on_premises.notes[0].startswith("Your send connector proxies its mail through the front end")
    assert "-FrontendProxyEnabled" not in plan("mailbox").on_premises.powershell


def test_exchange_2010_has_no_front_end_proxy():
    result = plan("frontend", "exchange-2010")
    assert "-FrontendProxyEnabled" not in result.on_premises.powershell
    assert result.on_premises.notes[0].startswith("Exchange 2010 has no front end proxy")


def test_not_knowing_asks_first_with_the_commands_that_tell():
    result = plan("unsure")
    first = result.on_premises.blocks[0]
    assert first.label == "Which server connects to Exchange Online (Exchange Management Shell)"
    assert "Get-SendConnector | Format-List Name,AddressSpaces,SourceTransportServers,FrontendProxyEnabled" in first.text
    assert result.on_premises.notes[0].startswith("First find the server that makes the connection")


@pytest.mark.parametrize("egress", ["mailbox", "frontend", "edge", "unsure"])
@pytest.mark.parametrize("kind", ["exchange-2010", "exchange-2016", "exchange-se"])
def test_every_answer_gives_documented_commands_in_english_and_swedish(egress, kind):
    english, translated = plan(egress, kind), plan(egress, kind, swedish)
    version = {"exchange-2010": "Exchange Server 2010", "exchange-2016": "Exchange Server 2016"}.get(
        kind, "Exchange Server SE")
    assert errors(parse(english.on_premises.powershell)) == []
    assert parameter_problems(english.on_premises.powershell, version) == []
    assert ([commands(b.text) for b in english.on_premises.blocks]
            == [commands(b.text) for b in translated.on_premises.blocks])
    assert [b.label for b in english.on_premises.blocks] != [b.label for b in translated.on_premises.blocks]


def test_the_edge_connector_is_said_to_be_made_on_a_mailbox_server_for_the_edge_servers():
    once = plan("edge").on_premises.blocks[1].text
    assert "on one of the servers above" not in once and "names the subscribed Edge servers" in once
