"""A signing request is checked as the certificate a CA would issue for it (issue 25, item 2)."""
import subprocess

import pytest

from app.certs.reading import CSR, CertificateInputError, read_certificates
from app.certs.request import NOT_A_REQUEST, RequestInputError, check_request, looks_like_request, read_request
from tests.certfactory import make_hierarchy, make_key, make_request, request_der, request_pem, to_der, to_pem

ACCEPTED = ["contoso.com", "fabrikam.net"]


def codes(report):
    return [f.code for f in report.findings]


def test_a_request_for_an_accepted_domain_gives_that_connector_domain():
    report = check_request(request_pem(make_request("contoso.com")), ACCEPTED)
    assert report.recommended_connector_domain == "contoso.com"
    assert report.working_connector_domain == "contoso.com"
    assert report.verdict == "ready"


def test_a_host_name_under_an_accepted_domain_asks_to_add_it_first():
    report = check_request(request_pem(make_request("mail.contoso.com")), ACCEPTED)
    assert report.recommended_connector_domain == "mail.contoso.com"
    assert report.candidates[0].kind == "add_accepted_domain"
    assert report.working_connector_domain == "*.contoso.com"
    assert "host_name_not_accepted_domain" in codes(report)


def test_an_internal_name_blocks_with_the_reason():
    report = check_request(request_pem(make_request("exchange01.contoso.local", ip_sans=["10.0.0.5"])), ACCEPTED)
    assert report.verdict == "blocked"
    internal = next(f for f in report.findings if f.code == "internal_name")
    assert "exchange01.contoso.local" in internal.message and "10.0.0.5" in internal.message
    assert report.recommended_connector_domain is None


def test_a_wildcard_request_works_but_is_flagged_as_a_choice():
    report = check_request(request_pem(make_request("*.contoso.com")), ACCEPTED)
    assert report.working_connector_domain == "*.contoso.com"
    assert {"wildcard_certificate", "wildcard_request"} <= set(codes(report))
    assert "mail.contoso.com" in next(f.message for f in report.findings if f.code == "wildcard_request")


def test_a_weak_key_blocks_and_says_make_a_new_request():
    report = check_request(request_pem(make_request("contoso.com", key=make_key("rsa", 1024))), ACCEPTED)
    weak = next(f for f in report.findings if f.code == "weak_key")
    assert weak.severity == "error" and "1024" in weak.message and "new request" in weak.message
    assert report.request.key_type == "RSA" and report.request.key_size == 1024


def test_a_sha1_signature_blocks(tmp_path):
    # cryptography no longer signs with SHA-1: openssl still does, as an old script would.
    key, out = tmp_path / "relay.key", tmp_path / "relay.csr"
    subprocess.run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", str(key), "-sha1", "-subj", "/CN=contoso.com", "-out", str(out)],
                   check=True, capture_output=True)
    report = check_request(out.read_bytes(), ACCEPTED)
    assert next(f for f in report.findings if f.code == "weak_signature").severity == "error"


@pytest.mark.parametrize("name", ["notcontoso.com", "contoso.com.evil.net", "contoso.co"])
def test_a_look_alike_name_matches_nothing(name):
    report = check_request(request_pem(make_request(name)), ACCEPTED)
    assert report.verdict == "blocked"
    assert "name_not_accepted" in codes(report)
    assert report.working_connector_domain is None
    assert all(c.kind == "add_accepted_domain" for c in report.candidates)


def test_der_and_exchange_utf16_files_read_like_pem():
    csr = make_request("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])
    utf16 = request_pem(csr).decode().replace("\n", "\r\n").encode("utf-16-le")  # Unicode.GetBytes: no BOM
    for data in (request_der(csr), utf16, b"\xff\xfe" + utf16):
        report = check_request(data, ACCEPTED)
        assert report.request.dns_names == ["mail.contoso.com", "contoso.com"]
        assert report.working_connector_domain == "contoso.com"


def test_a_changed_request_fails_its_signature_check():
    der = bytearray(request_der(make_request("contoso.com", key=make_key("rsa", 2048))))
    der[-1] ^= 0x01
    report = check_request(bytes(der), ACCEPTED)
    assert "request_signature_invalid" in codes(report) and report.verdict == "blocked"


def test_a_certificate_is_not_taken_for_a_request():
    leaf = make_hierarchy().leaf.cert
    for data in (to_pem(leaf), to_der(leaf)):
        with pytest.raises(RequestInputError) as raised:
            read_request(data)
        assert raised.value.code == NOT_A_REQUEST
        assert "certificate check" in raised.value.message()
        assert not looks_like_request(data)


def test_the_certificate_reader_still_refuses_a_request():
    with pytest.raises(CertificateInputError) as raised:
        read_certificates(request_pem(make_request()))
    assert raised.value.detail == CSR
    assert looks_like_request(request_pem(make_request()))


def test_the_eku_question_is_answered_honestly_with_its_date():
    report = check_request(request_pem(make_request("contoso.com")), ACCEPTED)
    eku = next(f for f in report.findings if f.code == "client_auth_eku_unconfirmed")
    assert eku.severity == "info"
    assert "As of 2026-12-06" in eku.message and "has not published" in eku.message


def test_a_request_with_more_names_than_we_check_is_refused_with_the_limit():
    names = [f"host{i}.contoso.com" for i in range(1001)]
    with pytest.raises(RequestInputError) as raised:
        read_request(request_der(make_request("contoso.com", sans=names)))
    assert raised.value.code == "too_many_names" and "1000" in raised.value.message()
