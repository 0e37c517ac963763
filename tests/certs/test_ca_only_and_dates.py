"""An upload of CA certificates only, and the dates of the JSON report wherever the server runs (issue 16)."""
from __future__ import annotations

import time

import pytest

from app.certs.analysis import analyze
from app.certs.model import ERROR
from app.certs.serialize import report_to_dict
from tests.certfactory import NOW, make_hierarchy

H = make_hierarchy()


def test_an_upload_of_ca_certificates_only_says_which_certificate_to_upload(store):
    report = analyze([H.intermediate.cert, H.root.cert], ["contoso.com"], now=NOW, trust_store=store)
    assert [(f.code, f.severity, f.message) for f in report.findings] == [("ca_certificate_only", ERROR, (
        "The upload holds only CA certificates, not the server's own certificate. Upload the certificate issued to "
        "your server (for example mail.contoso.com), with its intermediate certificates if you have them."))]


@pytest.fixture
def stockholm_clock(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Stockholm")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_reports_dates_are_utc_on_a_server_in_another_time_zone(store, stockholm_clock):
    report = analyze([H.leaf.cert, H.intermediate.cert], ["contoso.com"], now=NOW, trust_store=store)
    certificate = report_to_dict(report)["certificate"]
    assert certificate["not_after"] == H.leaf.cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert certificate["not_before"] == H.leaf.cert.not_valid_before_utc.strftime("%Y-%m-%dT%H:%M:%SZ")
