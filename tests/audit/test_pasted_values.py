"""Values as Exchange prints them, read right: dates in any locale, and booleans and unknown values
in the messages (issue 16)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from app.audit.values import dates
from tests.audit.test_rules import CASES, paste


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


@pytest.mark.parametrize("text,readings", [
    ("2026-12-17T08:05:09Z", [utc(2026, 12, 17, 8, 5, 9)]),
    ("2026-12-17 08:05", [utc(2026, 12, 17, 8, 5, 0)]),
    ("12/2/2026 3:04:05 PM", [utc(2026, 12, 2, 15, 4, 5), utc(2026, 2, 12, 15, 4, 5)]),  # US, or day first
    ("12/2/2026 12:04:05 PM", [utc(2026, 12, 2, 12, 4, 5), utc(2026, 2, 12, 12, 4, 5)]),  # noon stays 12
    ("12/2/2026 12:04:05 am", [utc(2026, 12, 2, 0, 4, 5), utc(2026, 2, 12, 0, 4, 5)]),   # midnight is 0
    ("13/2/2026 11:30", [utc(2026, 2, 13, 11, 30, 0)]),     # only one reading is a date
    ("2/2/2026", [utc(2026, 2, 2)]),                        # both readings agree: one
    ("17.12.2026 08.05.09", [utc(2026, 12, 17, 8, 5, 9)]),  # dotted: day first
    ("17-12-2026", [utc(2026, 12, 17)]),
    ("", []), (None, []), ("soon", []), ("31.02.2026", []),
])
def test_a_pasted_date_reads_as_every_date_it_could_be(text, readings):
    assert dates(text) == readings


def test_booleans_are_named_as_exchange_prints_them(audit):
    code, broken, domains, *_ = CASES[[c[0] for c in CASES].index("cloud_services_mail_mismatch")]
    (finding,) = [f for f in audit(broken, domains).findings if f.code == code]
    assert finding.message == (
        "CloudServicesMailEnabled is False on the send connector To Office 365 (certificate) but True on the inbound "
        "connector From on-premises by certificate. Both must say True for Exchange to keep the cross-premises "
        "headers.")


def test_a_value_the_paste_did_not_show_is_described(audit):
    result = audit(paste({"connector_value": ""}, server={"certificates": ""}))
    (finding,) = [f for f in result.findings if f.code == "inbound_connector_by_ip_only"]
    assert finding.fix == ("Set TlsSenderCertificateName to a name on the certificate that is an accepted domain, a "
                           "name on the certificate your server sends with.")
