"""Derived values at their edges: servers named by their FQDN, dates with dots, a certificate without an
expiry date, and the lines that show a missing certificate name (issue 16)."""
from __future__ import annotations

from datetime import datetime, timezone

from app.audit import derive, values
from app.audit.model import SEND_CONNECTOR, Field, PastedObject
from tests.audit.test_derived_values import pasted
from tests.audit.test_rules import paste


def test_source_servers_named_by_their_fqdn_are_known_by_their_host_name():
    connector = PastedObject(SEND_CONNECTOR, 1, {"sourcetransportservers": Field(
        "SourceTransportServers", "{ex01.contoso.local, EX02}", 1, "")})
    assert derive.source_servers(connector) == ["EX01", "EX02"]


def test_a_date_with_dots_is_day_first_and_read_once():
    assert values.dates("05.11.2026 10:00:00") == [datetime(2026, 11, 5, 10, tzinfo=timezone.utc)]
    assert values.dates("05/11/2026 10:00:00 PM") == [datetime(2026, 5, 11, 22, tzinfo=timezone.utc),
                                                      datetime(2026, 11, 5, 22, tzinfo=timezone.utc)]


def test_a_certificate_without_an_expiry_date_is_chosen_last():
    undated = pasted(Subject="CN=a", NotAfter="")
    dated = pasted(Subject="CN=a", NotAfter="11/5/2027 10:00:00 AM")
    assert derive.expiry(undated) is None
    assert derive.chosen_certificate([undated, dated]) is dated


def test_a_missing_certificate_name_shows_the_empty_name_and_fqdn_lines(audit):
    result = audit(paste(server={"certificate_name": "", "fqdn": ""}))
    (finding,) = [f for f in result.findings if f.code == "tls_certificate_name_missing"]
    assert [e.text for e in finding.evidence] == ["TlsCertificateName       :", "Fqdn                     :"]
