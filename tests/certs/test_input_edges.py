"""Uploads and names at their edges: a binary name attribute, PEM text saved as UTF-16 big-endian, the
largest number of names a certificate may carry (issue 16)."""
from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import NameOID

from app.certs.domains import parse_accepted_domains
from app.certs.names import windows_name
from app.certs.reading import MAX_NAMES, CertificateInputError, read_certificates
from tests.certfactory import make_hierarchy, make_leaf, to_pem


def test_a_binary_attribute_prints_as_a_hash_and_upper_case_hex():
    unique_id = x509.NameAttribute(NameOID.X500_UNIQUE_IDENTIFIER, b"\x01\xab", _type=_ASN1Type.BitString)
    assert windows_name(x509.Name([unique_id])) == "OID.2.5.4.45=#01AB"


def test_pem_text_saved_as_utf16_big_endian_is_read():
    leaf = make_hierarchy().leaf.cert
    upload = read_certificates(to_pem(leaf).decode().encode("utf-16"))
    assert upload.certificates == [leaf]
    assert read_certificates(b"\xfe\xff" + to_pem(leaf).decode().encode("utf-16-be")).certificates == [leaf]


def test_a_certificate_may_carry_the_largest_number_of_names_and_not_one_more():
    issuer = make_hierarchy().intermediate
    at_limit = make_leaf(issuer, "mail.contoso.com", sans=[f"h{i}.contoso.com" for i in range(MAX_NAMES)])
    assert len(read_certificates(to_pem(at_limit.cert)).certificates) == 1
    over = make_leaf(issuer, "mail.contoso.com", sans=[f"h{i}.contoso.com" for i in range(MAX_NAMES + 1)])
    with pytest.raises(CertificateInputError) as caught:
        read_certificates(to_pem(over.cert))
    assert caught.value.code == "too_many_names"


def test_an_address_after_a_capitalised_word_and_a_colon_is_read_not_skipped_as_a_property():
    """"MAILTO:ann@contoso.com" looked like PowerShell's "Property : value" and vanished without a word."""
    for line in ("MAILTO:ann@contoso.com", "Mailto:ann@contoso.com", "mailto:ann@contoso.com"):
        parsed = parse_accepted_domains(line)
        assert parsed.domains == ["contoso.com"] and parsed.sources == {"contoso.com": line}, line
    assert parse_accepted_domains("DomainName : contoso.com\nName : Contoso\nDomainType : Authoritative").domains \
        == ["contoso.com"]
