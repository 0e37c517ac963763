"""Whatever bytes are uploaded, the reader and the analysis answer with a report or a known refusal.

A user who uploads a damaged, truncated or random file must get one of the
documented messages, never an error page; and a file that still parses must
give a report that serializes to JSON for the API.
"""
from __future__ import annotations

import base64
import json
import textwrap
from pathlib import Path

import pytest
from cryptography.x509 import verification
from hypothesis import given
from hypothesis import strategies as st

from app.certs.analysis import analyze
from app.certs.reading import CertificateInputError, read_certificates
from app.certs.serialize import report_to_dict
from app.certs.trust import TrustStore
from tests.certfactory import make_hierarchy, make_leaf, to_der, to_pem, to_pkcs7, to_pkcs12
from tests.fuzz.conftest import FUZZ

DOCUMENTED_CODES = {"no_certificate", "not_a_certificate", "password_required", "wrong_password",
                    "private_key_only", "too_many_certificates"}
PASSWORD = "s3cret"
CORPUS = Path(__file__).resolve().parent.parent / "certs" / "corpus"

_H = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])
_RSA = make_leaf(_H.intermediate, "relay.fabrikam.com", key_type="rsa", key_size=2048)
STORE = TrustStore((_H.root.cert,), verification.Store([_H.root.cert]))

DER_SAMPLES = [to_der(_H.leaf.cert), to_der(_H.intermediate.cert), to_der(_H.root.cert), to_der(_RSA.cert),
               to_pkcs7(_H.leaf.cert, _H.intermediate.cert)]
PKCS12_SAMPLES = [
    (to_pkcs12(_H.leaf, _H.intermediate.cert), None),
    (to_pkcs12(_H.leaf, _H.intermediate.cert, password=PASSWORD), PASSWORD),
    (to_pkcs12(_RSA, password=PASSWORD), PASSWORD),
    (to_pkcs12(_H.leaf, _H.intermediate.cert, with_key=False), None),
] + [(path.read_bytes(), "cryptography") for path in sorted(CORPUS.glob("*.p12"))[:6]]
PEM_CHAIN = to_pem(_H.leaf.cert, _H.intermediate.cert, _H.root.cert)


def check_upload(data: bytes, password: str | None = None) -> None:
    """The whole path an upload takes: read, analyse, serialize for the API."""
    try:
        upload = read_certificates(data, password)
    except CertificateInputError as refusal:
        assert refusal.code in DOCUMENTED_CODES, refusal.code
        assert refusal.message(), "every refusal has a message for the user"
        return
    assert upload.certificates, "a successful read holds at least one certificate"
    report = analyze(upload.certificates, ["contoso.com", "fabrikam.com"], trust_store=STORE,
                     private_key_dropped=upload.private_key_dropped)
    assert report.verdict in {"ready", "needs_attention", "blocked"}
    json.loads(json.dumps(report_to_dict(report)))


@st.composite
def mutated(draw, original: bytes) -> bytes:
    """``original`` after 1 to 4 edits: bit flips, byte overwrites, insertions, deletions, a truncation."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        edit = draw(st.sampled_from(["flip", "overwrite", "insert", "delete", "truncate"]))
        if edit == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif edit == "overwrite":
            data[at] = draw(st.sampled_from([0x00, 0x30, 0x80, 0x81, 0x82, 0xFF, 0x7F, 0x04]))
        elif edit == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif edit == "delete":
            del data[at:at + draw(st.integers(1, 16))]
        else:
            del data[at:]
    return bytes(data)


def armour(der: bytes, label: str = "CERTIFICATE") -> bytes:
    body = "\n".join(textwrap.wrap(base64.b64encode(der).decode(), 64))
    return f"-----BEGIN {label}-----\n{body}\n-----END {label}-----\n".encode()


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes_are_refused_with_a_documented_code(data):
    check_upload(data)


@FUZZ
@given(st.sampled_from([b"", b"-----BEGIN CERTIFICATE-----\n", b"-----BEGIN PKCS7-----\n", b"\x30\x82",
                        b"\x30\x80", b"\xff\xfe", b"MII"]),
       st.binary(max_size=2048), st.sampled_from([b"", b"\n-----END CERTIFICATE-----\n", b"\n-----END PKCS7-----\n"]))
def test_random_bytes_behind_familiar_headers_are_refused_cleanly(head, body, tail):
    check_upload(head + body + tail)


@FUZZ
@given(st.sampled_from(DER_SAMPLES).flatmap(mutated))
def test_mutated_der_certificates_give_a_report_or_a_documented_refusal(data):
    check_upload(data)


@FUZZ
@given(st.sampled_from(DER_SAMPLES).flatmap(mutated), st.sampled_from(["CERTIFICATE", "PKCS7", "X509 CERTIFICATE"]))
def test_pem_around_mutated_der_gives_a_report_or_a_documented_refusal(der, label):
    # Re-armoured, so the damage reaches the DER parser rather than the base64 decoder.
    check_upload(armour(der, label) + to_pem(_H.intermediate.cert))


@FUZZ
@given(mutated(PEM_CHAIN))
def test_mutated_pem_chain_gives_a_report_or_a_documented_refusal(data):
    check_upload(data)


@FUZZ
@given(st.sampled_from(PKCS12_SAMPLES), st.data())
def test_truncated_pkcs12_is_refused_with_a_documented_code(sample, data):
    blob, password = sample
    cut = data.draw(st.integers(0, len(blob) - 1), label="cut")
    given_password = data.draw(st.sampled_from([password, None, "wrong"]), label="password")
    check_upload(blob[:cut], given_password)


@FUZZ
@given(st.sampled_from(PKCS12_SAMPLES).flatmap(lambda s: st.tuples(mutated(s[0]), st.just(s[1]))))
def test_mutated_pkcs12_is_refused_or_read(sample):
    check_upload(*sample)


@pytest.mark.parametrize("blob,password", PKCS12_SAMPLES[:3])
def test_the_unmutated_samples_are_read(blob, password):
    """The fuzzers start from files that really work: otherwise they would prove little."""
    assert read_certificates(blob, password).certificates
