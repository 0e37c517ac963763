"""Files that are almost something else: a CMS file that is no PFX, bytes shaped just past a PFX's
header, a trust bundle holding a certificate whose name cannot be read (issue 16)."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.certs.analysis import analyze
from app.certs.reading import CertificateInputError, read_certificates
from app.certs.trust import load_trust_store
from tests.certfactory import NOW, make_hierarchy, write_trust_store
from tests.certs.test_facts import corpus_cert

CORPUS = Path(__file__).parent / "corpus"
PFX_VERSION = bytes.fromhex("02010330")
DATA_OID = bytes.fromhex("06092a864886f70d010701")


def refusal(data: bytes) -> tuple[str, str | None]:
    with pytest.raises(CertificateInputError) as caught:
        read_certificates(data)
    return caught.value.code, caught.value.detail


def test_an_encrypted_cms_message_is_not_a_certificate_and_not_a_damaged_pfx():
    assert refusal((CORPUS / "pkcs7_enveloped-no-content.der").read_bytes()) == ("not_a_certificate", None)


@pytest.mark.parametrize("data", [
    # the version starting one byte later than a five-byte length allows
    b"\x30\x85\x00\x00\x00\x00\x00" + PFX_VERSION + DATA_OID + bytes(40),
    # the content type ending one byte past the 32 a PFX can need
    b"\x30\x81\x00" + PFX_VERSION + bytes(16) + DATA_OID + bytes(40),
])
def test_bytes_shaped_just_past_a_pfx_header_are_not_taken_for_one(data):
    assert refusal(data) == ("not_a_certificate", None)


def test_a_trust_bundle_with_an_unreadable_certificate_keeps_the_roots_after_it(tmp_path):
    h = make_hierarchy()
    odd = corpus_cert("x509_custom_name_attribute_unsupported_tag.pem")
    store = load_trust_store(write_trust_store(tmp_path / "roots.pem", odd, h.root.cert))
    assert store.roots == (h.root.cert,)
    report = analyze([h.leaf.cert, h.intermediate.cert], ["mail.contoso.com"], now=NOW, trust_store=store)
    assert report.findings == []


def test_a_known_intermediate_after_an_unreadable_certificate_is_still_known(tmp_path):
    h = make_hierarchy()
    odd = corpus_cert("x509_custom_name_attribute_unsupported_tag.pem")
    store = load_trust_store(write_trust_store(tmp_path / "bundle.pem", odd, h.intermediate.cert, h.root.cert))
    report = analyze([h.leaf.cert], ["mail.contoso.com"], now=NOW, trust_store=store)
    assert [f.code for f in report.findings] == ["incomplete_chain"]
