"""Why the chooser recommends a way for a device, word for word and in Swedish (issue 16)."""
from __future__ import annotations

import pytest

from app.remediation import devices as d
from app.translate import plain
from tests.swedish import swedish

REASONS = [
    ({"recipients": "external", "oauth": "yes"}, d.SMTP_AUTH,
     "The device can sign in with OAuth: Microsoft's first option for devices."),
    ({"recipients": "external", "oauth": "no", "relay_server": "yes"}, d.RELAY_SERVER,
     "A server on your network can present the certificate for the device, and Exchange Online then relays "
     "everything it sends."),
    ({"recipients": "internal", "oauth": "no"}, d.DIRECT_SEND,
     "The device sends only to your own mailboxes and cannot sign in with OAuth."),
    ({"recipients": "external", "oauth": "no", "relay_server": "no", "static_ip": "yes"}, d.IP_CONNECTOR,
     "The device sends outside your organization from an address that is yours alone; mind what an IP-based "
     "connector does not cover."),
    ({"recipients": "external", "oauth": "no", "relay_server": "no", "static_ip": "no"}, d.RELAY_SERVER,
     "Without OAuth and without an address of your own, a relay server that presents the certificate is the way "
     "that works: set one up."),
]


@pytest.mark.parametrize("answers,way,reason", REASONS)
def test_the_recommendation_says_why(answers, way, reason):
    result = d.recommend(answers, plain)
    assert (result.way.id, result.reason) == (way, reason)
    assert d.recommend(answers, swedish).reason != reason
