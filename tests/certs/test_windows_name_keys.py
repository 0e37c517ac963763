"""Windows keys for name attributes, checked against the .NET X500DistinguishedName tests.

Source: dotnet/runtime, X500DistinguishedNameTests.PrintComplexReversed (the
subject of www.microsoft.com's EV certificate, decoded by Windows with the
Reversed flag). The subject is rebuilt here attribute by attribute.
"""
from __future__ import annotations

from cryptography import x509
from cryptography.x509.oid import NameOID, ObjectIdentifier

from app.certs.names import windows_name

A = x509.NameAttribute
JURISDICTION_STATE = ObjectIdentifier("1.3.6.1.4.1.311.60.2.1.2")
JURISDICTION_COUNTRY = ObjectIdentifier("1.3.6.1.4.1.311.60.2.1.3")

# DER order: the EV attributes first, CN last; Windows prints them reversed.
MICROSOFT_DOT_COM = x509.Name([
    A(JURISDICTION_COUNTRY, "US"),
    A(JURISDICTION_STATE, "Washington"),
    A(NameOID.BUSINESS_CATEGORY, "Private Organization"),
    A(NameOID.SERIAL_NUMBER, "600413485"),
    A(NameOID.COUNTRY_NAME, "US"),
    A(NameOID.POSTAL_CODE, "98052"),
    A(NameOID.STATE_OR_PROVINCE_NAME, "Washington"),
    A(NameOID.LOCALITY_NAME, "Redmond"),
    A(NameOID.STREET_ADDRESS, "1 Microsoft Way"),
    A(NameOID.ORGANIZATION_NAME, "Microsoft Corporation"),
    A(NameOID.ORGANIZATIONAL_UNIT_NAME, "MSCOM"),
    A(NameOID.COMMON_NAME, "www.microsoft.com"),
])


def test_print_complex_reversed_as_windows_does():
    assert windows_name(MICROSOFT_DOT_COM).startswith(
        "CN=www.microsoft.com, OU=MSCOM, O=Microsoft Corporation, STREET=1 Microsoft Way, "
        "L=Redmond, S=Washington, PostalCode=98052, C=US, SERIALNUMBER=600413485, ")


def test_types_without_a_windows_key_print_as_oids():
    # Windows 8.1 printed the EV attributes this way; other versions may name them (the test's own note).
    assert windows_name(MICROSOFT_DOT_COM).endswith(
        "OID.2.5.4.15=Private Organization, OID.1.3.6.1.4.1.311.60.2.1.2=Washington, "
        "OID.1.3.6.1.4.1.311.60.2.1.3=US")
