"""Windows X.500 strings, as Get-ExchangeCertificate shows Issuer and Subject."""
from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from app.certs.names import exchange_tls_certificate_name, windows_name
from tests.certfactory import make_leaf, make_root, name

A = x509.NameAttribute


def rdn(*attributes: x509.NameAttribute) -> x509.RelativeDistinguishedName:
    return x509.RelativeDistinguishedName(list(attributes))


def test_microsoft_doc_example():
    issuer = name("A. Datum Corporation CA-3", A(NameOID.COUNTRY_NAME, "US"),
                  A(NameOID.ORGANIZATION_NAME, "A.Datum Corp"),
                  A(NameOID.ORGANIZATIONAL_UNIT_NAME, "www.adatum.com"))
    subject = name("mail.contoso.com", A(NameOID.COUNTRY_NAME, "US"),
                   A(NameOID.STATE_OR_PROVINCE_NAME, "WA"), A(NameOID.LOCALITY_NAME, "Seattle"),
                   A(NameOID.ORGANIZATION_NAME, "Barbara Zighetti"))
    ca = make_root(subject=issuer)
    leaf = make_leaf(ca, subject=subject, sans=["mail.contoso.com"])
    assert exchange_tls_certificate_name(leaf.cert) == (
        "<I>CN=A. Datum Corporation CA-3, OU=www.adatum.com, O=A.Datum Corp, C=US"
        "<S>CN=mail.contoso.com, O=Barbara Zighetti, L=Seattle, S=WA, C=US")


@pytest.mark.parametrize("value, shown", [
    ("Contoso, Ltd", '"Contoso, Ltd"'),
    ('Contoso "Mail"', '"Contoso ""Mail"""'),
    ("a+b", '"a+b"'),
    ("a=b", '"a=b"'),
    ("#1", '"#1"'),
    ("x;y", '"x;y"'),
    ("<x>", '"<x>"'),
    ("two\nlines", '"two\nlines"'),
    (" padded", '" padded"'),
    ("padded ", '"padded "'),
    ("A. Datum", "A. Datum"),
])
def test_values_are_quoted_like_windows(value, shown):
    assert windows_name(name(None, A(NameOID.ORGANIZATION_NAME, value))) == f"O={shown}"


def test_multi_valued_rdn_joined_with_plus():
    subject = x509.Name([rdn(A(NameOID.COUNTRY_NAME, "US")),
                         rdn(A(NameOID.ORGANIZATIONAL_UNIT_NAME, "IT"), A(NameOID.COMMON_NAME, "mail"))])
    assert windows_name(subject) == "OU=IT + CN=mail, C=US"


def test_email_dc_and_person_attributes():
    subject = name("mail.contoso.com",
                   A(NameOID.DOMAIN_COMPONENT, "com"), A(NameOID.DOMAIN_COMPONENT, "contoso"),
                   A(NameOID.EMAIL_ADDRESS, "admin@contoso.com"), A(NameOID.STREET_ADDRESS, "1 Main St"),
                   A(NameOID.TITLE, "Admin"), A(NameOID.GIVEN_NAME, "Kate"), A(NameOID.INITIALS, "K"),
                   A(NameOID.SURNAME, "Smith"), A(NameOID.SERIAL_NUMBER, "42"))
    assert windows_name(subject) == ("CN=mail.contoso.com, SERIALNUMBER=42, SN=Smith, I=K, G=Kate, "
                                     "T=Admin, STREET=1 Main St, E=admin@contoso.com, DC=contoso, DC=com")


def test_extended_validation_attributes_use_dotted_oids():
    subject = name("www.contoso.com",
                   A(x509.ObjectIdentifier("1.3.6.1.4.1.311.60.2.1.3"), "US"),
                   A(NameOID.BUSINESS_CATEGORY, "Private Organization"),
                   A(NameOID.SERIAL_NUMBER, "5157550"), A(NameOID.ORGANIZATION_NAME, "Contoso, Inc."))
    assert windows_name(subject) == ('CN=www.contoso.com, O="Contoso, Inc.", SERIALNUMBER=5157550, '
                                     "OID.2.5.4.15=Private Organization, OID.1.3.6.1.4.1.311.60.2.1.3=US")


def test_unknown_oid():
    subject = name(None, A(x509.ObjectIdentifier("1.2.3.4"), "x"))
    assert windows_name(subject) == "OID.1.2.3.4=x"


def test_state_is_s_not_st():
    assert windows_name(name(None, A(NameOID.STATE_OR_PROVINCE_NAME, "WA"))) == "S=WA"
