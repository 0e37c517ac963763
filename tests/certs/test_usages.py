"""Extended key usages by name (app/certs/usages.py), as Windows names them."""
from __future__ import annotations

from cryptography.x509.oid import ExtendedKeyUsageOID

from app.certs.usages import EKU_NAMES, eku_name


def test_the_usages_a_connector_certificate_has_are_named():
    assert eku_name(ExtendedKeyUsageOID.SERVER_AUTH.dotted_string) == "Server Authentication"
    assert eku_name(ExtendedKeyUsageOID.CLIENT_AUTH.dotted_string) == "Client Authentication"


def test_the_table_agrees_with_cryptographys_names_for_the_oids_they_share():
    """cryptography's OID constants are the independent source for the RFC 5280 usages."""
    oid = ExtendedKeyUsageOID
    shared = {
        oid.SERVER_AUTH: "Server Authentication", oid.CLIENT_AUTH: "Client Authentication",
        oid.CODE_SIGNING: "Code Signing", oid.EMAIL_PROTECTION: "Secure Email", oid.TIME_STAMPING: "Time Stamping",
        oid.OCSP_SIGNING: "OCSP Signing", oid.ANY_EXTENDED_KEY_USAGE: "Any Purpose",
        oid.SMARTCARD_LOGON: "Smart Card Logon", oid.KERBEROS_PKINIT_KDC: "KDC Authentication",
        oid.IPSEC_IKE: "IPsec IKE",
    }
    for oid, name in shared.items():
        assert EKU_NAMES[oid.dotted_string] == name


def test_an_unknown_usage_is_shown_by_its_oid_and_names_are_translated():
    assert eku_name("1.2.3.4.5") == "1.2.3.4.5"
    assert eku_name("1.3.6.1.5.5.7.3.1", lambda text: text.upper()) == "SERVER AUTHENTICATION"
