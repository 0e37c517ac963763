"""What a pasted object is: from the command that printed it, else from the properties it shows."""
from __future__ import annotations

from app.audit.model import (
    ACCEPTED_DOMAIN, CERTIFICATE, EXCHANGE_SERVER, HYBRID_CONFIGURATION, INBOUND_CONNECTOR, OUTBOUND_CONNECTOR,
    QUEUE, RECEIVE_CONNECTOR, SEND_CONNECTOR, TRANSPORT_SERVICE,
)

BY_CMDLET = {
    "get-accepteddomain": ACCEPTED_DOMAIN,
    "get-inboundconnector": INBOUND_CONNECTOR,
    "get-outboundconnector": OUTBOUND_CONNECTOR,
    "get-sendconnector": SEND_CONNECTOR,
    "get-receiveconnector": RECEIVE_CONNECTOR,
    "get-exchangecertificate": CERTIFICATE,
    "get-exchangeserver": EXCHANGE_SERVER,
    "get-hybridconfiguration": HYBRID_CONFIGURATION,
    "get-queue": QUEUE,
    "get-transportservice": TRANSPORT_SERVICE,
    "get-transportserver": TRANSPORT_SERVICE,
    "get-frontendtransportservice": TRANSPORT_SERVICE,
}

# Properties that only one kind prints, strongest first; each set must be present in full.
SIGNATURES: tuple[tuple[frozenset[str], str], ...] = tuple((frozenset(keys), kind) for keys, kind in (
    ({"tlssendercertificatename"}, INBOUND_CONNECTOR),
    ({"restrictdomainstocertificate"}, INBOUND_CONNECTOR),
    ({"senderdomains", "connectortype"}, INBOUND_CONNECTOR),
    ({"senderipaddresses"}, INBOUND_CONNECTOR),
    ({"recipientdomains"}, OUTBOUND_CONNECTOR),
    ({"usemxrecord"}, OUTBOUND_CONNECTOR),
    ({"tlssettings"}, OUTBOUND_CONNECTOR),
    ({"bindings"}, RECEIVE_CONNECTOR),
    ({"remoteipranges"}, RECEIVE_CONNECTOR),
    ({"permissiongroups"}, RECEIVE_CONNECTOR),
    ({"addressspaces"}, SEND_CONNECTOR),
    ({"smarthostsstring"}, SEND_CONNECTOR),
    ({"dnsroutingenabled"}, SEND_CONNECTOR),
    ({"sourcetransportservers"}, SEND_CONNECTOR),
    ({"thumbprint", "services"}, CERTIFICATE),
    ({"thumbprint", "notafter"}, CERTIFICATE),
    ({"certificatedomains"}, CERTIFICATE),
    ({"rootcatype"}, CERTIFICATE),
    ({"sendingtransportservers"}, HYBRID_CONFIGURATION),
    ({"onpremisessmarthost"}, HYBRID_CONFIGURATION),
    ({"admindisplayversion"}, EXCHANGE_SERVER),
    ({"serverrole", "edition"}, EXCHANGE_SERVER),
    ({"nexthopdomain"}, QUEUE),
    ({"deliverytype"}, QUEUE),
    ({"lasterror", "messagecount"}, QUEUE),
    ({"sendprotocollogpath"}, TRANSPORT_SERVICE),
    ({"domainname", "domaintype"}, ACCEPTED_DOMAIN),
))


def cmdlet_kind(command: str) -> str | None:
    """The kind a command line prints: ``Get-SendConnector | fl`` -> SEND_CONNECTOR."""
    for word in command.replace("|", " ").split():
        kind = BY_CMDLET.get(word.strip("()$;").lower())
        if kind:
            return kind
    return None


def kind_of(keys: set[str], hint: str | None) -> str | None:
    for signature, kind in SIGNATURES:
        if signature <= keys:
            return kind
    return hint
