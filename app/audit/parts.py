"""Which side of the relay the paste covers: Exchange Online, the Exchange server, or both."""
from __future__ import annotations

from app.audit.model import (
    CERTIFICATE, EXCHANGE_SERVER, HYBRID_CONFIGURATION, INBOUND_CONNECTOR, OUTBOUND_CONNECTOR, QUEUE,
    RECEIVE_CONNECTOR, SEND_CONNECTOR, TRANSPORT_SERVICE, Configuration,
)

EXCHANGE_ONLINE_PART, EXCHANGE_SERVER_PART = "exchange_online", "exchange_server"
_ONLINE_KINDS = {INBOUND_CONNECTOR, OUTBOUND_CONNECTOR}
_SERVER_KINDS = {SEND_CONNECTOR, RECEIVE_CONNECTOR, CERTIFICATE, EXCHANGE_SERVER, HYBRID_CONFIGURATION, QUEUE,
                 TRANSPORT_SERVICE}
# The collection script names its parts on a "#### Part: ..." line.
_NAMED = {"exchange online": EXCHANGE_ONLINE_PART, "exchange server": EXCHANGE_SERVER_PART}


def parts_of(config: Configuration, named: set[str]) -> set[str]:
    parts = {_NAMED[name] for name in named if name in _NAMED}
    kinds = {o.kind for o in config.objects}
    if kinds & _ONLINE_KINDS:
        parts.add(EXCHANGE_ONLINE_PART)
    if kinds & _SERVER_KINDS or config.log_lines:
        parts.add(EXCHANGE_SERVER_PART)
    return parts
