"""Commands for the two ways of sending a device's mail that are set up in PowerShell.

Relay through a server (the way KB 3169958 describes): on Exchange Server, a dedicated receive connector in
the Front End Transport service that lets only the device's address relay, set up as Microsoft's "Allow
anonymous relay on Exchange servers" does it (New-ReceiveConnector with -Custom and the device's
-RemoteIPRanges, then Set-ReceiveConnector -PermissionGroups ExchangeServers -AuthMechanism
ExternalAuthoritative: its "externally secured" option, whose cmdlets our parameter reference holds).

Relay through an IP-based connector: an inbound connector of type OnPremises in Exchange Online that
recognises the device's public address (the multifunction-device guide's third option).

The address is the one thing the commands need from the person: without a valid one there are no commands.
"""
from __future__ import annotations

import ipaddress

from app.remediation.exchange_online import dry_run_then_change
from app.remediation.powershell import SWITCH, Token, format_list, ps_command, ps_comment
from app.translate import N_, Translate

RELAY_CONNECTOR_NAME = "Relay for devices"
IP_CONNECTOR_NAME = "Devices by IP address"
ADDRESS_MAX = 45  # the longest IPv6 text form

NOT_AN_ADDRESS = N_("Enter an IP address, like 192.0.2.10 or 2001:db8::10")
NOT_ONE_DEVICE = N_("Enter the address of the device itself, not a network, a loopback or an unspecified address")
NOT_PUBLIC = N_("Enter the device's public IP address: Exchange Online sees its mail come from a public address, "
                "never from %(address)s")


def device_address(text: str, public: bool) -> tuple[str | None, str | None]:
    """(the address in its usual form, None) or (None, why not: an N_ message). ``public``: Exchange Online sees it."""
    text = text.strip()
    try:
        address = ipaddress.ip_address(text[:ADDRESS_MAX + 1])
    except ValueError:
        return None, NOT_AN_ADDRESS
    if address.is_unspecified or address.is_loopback or address.is_multicast or address.is_link_local:
        return None, NOT_ONE_DEVICE
    if public and not address.is_global:
        return None, NOT_PUBLIC
    return str(address), None


def relay_connector_commands(address: str, _: Translate) -> str:
    """Exchange Management Shell lines for a receive connector that lets only ``address`` relay."""
    create = {"Name": RELAY_CONNECTOR_NAME, "TransportRole": Token("FrontendTransport"), "Custom": SWITCH,
              "Bindings": "0.0.0.0:25", "RemoteIPRanges": address}
    secure = {"Identity": RELAY_CONNECTOR_NAME, "PermissionGroups": Token("ExchangeServers"),
              "AuthMechanism": Token("ExternalAuthoritative")}
    return "\n".join([
        ps_comment(_("In the Exchange Management Shell on the Exchange server that the device sends to.")),
        *dry_run_then_change("New-ReceiveConnector", create, _),
        ps_comment(_("Only %(address)s may relay through this connector: Exchange trusts what it sends as if it "
                     "came from inside the organization.", address=address)),
        *dry_run_then_change("Set-ReceiveConnector", secure, _),
        ps_comment(_("Check: the connector, the one address, ExchangeServers and ExternalAuthoritative.")),
        format_list(ps_command("Get-ReceiveConnector", Identity=RELAY_CONNECTOR_NAME),
                    ("Name", "Bindings", "RemoteIPRanges", "PermissionGroups", "AuthMechanism")),
    ])


def ip_connector_commands(address: str, _: Translate) -> str:
    """Exchange Online PowerShell lines for an inbound connector that recognises the device by ``address``."""
    params = {"Name": IP_CONNECTOR_NAME, "ConnectorType": Token("OnPremises"), "SenderDomains": Token("*"),
              "SenderIPAddresses": address, "RestrictDomainsToIPAddresses": True}
    return "\n".join([
        ps_comment(_("In Exchange Online PowerShell (Connect-ExchangeOnline).")),
        *dry_run_then_change("New-InboundConnector", params, _),
        ps_comment(_("Check: the connector and the one address.")),
        format_list(ps_command("Get-InboundConnector", Identity=IP_CONNECTOR_NAME),
                    ("Name", "ConnectorType", "SenderIPAddresses", "RestrictDomainsToIPAddresses", "Enabled")),
    ])
