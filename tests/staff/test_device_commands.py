"""The devices result gives the commands of the two ways set up in PowerShell, once it knows the device's address.

Issue 24 item 15: the result listed steps and gave no commands. The commands are the ones Microsoft's pages
give (Allow anonymous relay on Exchange servers; the multifunction-device guide), with only cmdlets and
parameters of our reference, parsed by tree-sitter-pwsh; a wrong or missing address gives no commands at all.
"""
from __future__ import annotations

import pytest

from app.remediation.device_commands import device_address
from tests.conftest import page
from tests.remediation import pwsh

RELAY = "/devices/result?recipients=external&oauth=no&relay_server=yes"
BY_IP = "/devices/result?recipients=external&oauth=no&relay_server=no&static_ip=yes"


def _code(soup) -> str:
    return "\n".join(pre.get_text() for pre in soup.select("figure.code-block pre"))


def _copies(soup) -> list[str]:
    return [button.find_parent("figure").pre.get_text() for button in soup.select("button[data-copy]")]


def test_the_relay_result_asks_for_the_address_and_gives_no_commands_before(client):
    soup = page(client.get(RELAY))
    assert soup.select_one("h2#commands").get_text(strip=True) == "Commands"
    assert soup.select_one("input#address") is not None
    assert _code(soup) == ""


def test_the_relay_commands_let_only_the_device_relay(client):
    soup = page(client.get(RELAY + "&address=+10.1.2.3+"))
    code = _code(soup)
    assert "New-ReceiveConnector -Name 'Relay for devices' -TransportRole FrontendTransport -Custom " \
           "-Bindings '0.0.0.0:25' -RemoteIPRanges '10.1.2.3'" in code
    assert "Set-ReceiveConnector -Identity 'Relay for devices' -PermissionGroups ExchangeServers " \
           "-AuthMechanism ExternalAuthoritative" in code
    assert "0.0.0.0-255.255.255.255" not in code  # an open relay
    for version in ("Exchange Server 2016", "Exchange Server 2019", "Exchange Server SE"):
        assert pwsh.parameter_problems(code, version) == []
    assert pwsh.errors(pwsh.parse(code)) == []
    # The dry run and the change are copied apart: no Copy takes a change with its -WhatIf twin.
    for copied in _copies(soup):
        lines = [line for line in copied.splitlines() if line and not line.startswith("#")]
        assert all(line.endswith("-WhatIf") for line in lines) or not any(l.endswith("-WhatIf") for l in lines)


def test_the_ip_connector_commands_name_the_public_address(client):
    soup = page(client.get(BY_IP + "&address=20.30.40.50"))
    code = _code(soup)
    assert "New-InboundConnector -Name 'Devices by IP address' -ConnectorType OnPremises -SenderDomains * " \
           "-SenderIPAddresses '20.30.40.50' -RestrictDomainsToIPAddresses $true" in code
    assert pwsh.parameter_problems(code, "Exchange Online") == []
    assert pwsh.errors(pwsh.parse(code)) == []


@pytest.mark.parametrize("url, address, message", [
    (BY_IP, "10.0.0.5", "Enter the device's public IP address"),       # Exchange Online never sees a private one
    (BY_IP, "100.64.0.1", "Enter the device's public IP address"),     # shared address space (carrier NAT)
    (RELAY, "0.0.0.0", "not a network, a loopback or an unspecified"),  # everyone: an open relay
    (RELAY, "127.0.0.1", "not a network, a loopback or an unspecified"),
    (RELAY, "10.0.0.0/8", "Enter an IP address"),                        # a whole network
    (RELAY, "printer.contoso.com", "Enter an IP address"),
    (RELAY, "10.1.2.3'; Remove-Item C:\\ -Recurse #", "Enter an IP address"),
    (RELAY, "", "Enter an IP address"),
])
def test_a_wrong_address_gives_an_error_and_no_commands(client, url, address, message):
    soup = page(client.get(url + "&address=" + address.replace("#", "%23").replace(";", "%3B")))
    error = soup.select_one("#address-error")
    assert error is not None and message in error.get_text()
    assert soup.select_one("input#address")["aria-describedby"].split() == ["address-hint", "address-error"]
    assert _code(soup) == ""


def test_the_relay_server_takes_a_private_address_and_ipv6():
    assert device_address("192.168.5.10", public=False) == ("192.168.5.10", None)
    assert device_address("2001:DB8::10", public=False) == ("2001:db8::10", None)
    assert device_address("192.168.5.10", public=True)[0] is None
    assert device_address("8.8.8.8", public=True) == ("8.8.8.8", None)


def test_ways_without_powershell_ask_for_nothing(client):
    for url in ("/devices/result?recipients=internal&oauth=yes", "/devices/result?recipients=internal&oauth=no"):
        soup = page(client.get(url))
        assert soup.select_one("input#address") is None and soup.select_one("h2#commands") is None


def test_the_swedish_page_gives_the_same_commands(client):
    english = _code(page(client.get(RELAY + "&address=10.1.2.3")))
    swedish_page = page(client.get(RELAY + "&address=10.1.2.3&lang=sv"))
    assert swedish_page.select_one("h2#commands").get_text(strip=True) == "Kommandon"
    swedish = _code(swedish_page)
    strip = lambda text: [line for line in text.splitlines() if not line.startswith("#")]
    assert strip(swedish) == strip(english) and strip(english)
