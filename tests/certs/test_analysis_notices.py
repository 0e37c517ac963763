"""What the report says besides findings: the private-key notice, an upload of CA certificates only,
and the current time when none is given (issue 16)."""
from __future__ import annotations

from app.certs.analysis import analyze
from tests.certfactory import make_hierarchy

H = make_hierarchy()
KEY_NOTICE = ("The file held a private key. It was not kept: only the certificates were read. "
              "Keep the private key on the server.")


def test_a_dropped_private_key_is_said_word_for_word(store):
    report = analyze([H.leaf.cert, H.intermediate.cert], ["contoso.com"], private_key_dropped=True, trust_store=store)
    assert report.notices == [KEY_NOTICE]


def test_an_upload_of_ca_certificates_only_keeps_the_notice_and_the_first_certificates_tls_name(store):
    report = analyze([H.intermediate.cert, H.root.cert], ["contoso.com"], private_key_dropped=True, trust_store=store)
    assert report.notices == [KEY_NOTICE]
    assert report.exchange_tls_certificate_name == (
        "<I>CN=Test Root CA, O=Test PKI, C=US<S>CN=Test Issuing CA, O=Test PKI, C=US")


def test_without_a_time_the_report_judges_the_certificate_now(store):
    report = analyze([H.leaf.cert, H.intermediate.cert], ["mail.contoso.com"], trust_store=store)
    assert [f.code for f in report.findings] == []
