"""SAN entries that are not DNS names are shown as the admin's tools show them (issue 16)."""
from __future__ import annotations

import ipaddress
from datetime import timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.certs.facts import certificate_facts
from tests.certfactory import NOW


def certificate_with(*names: x509.GeneralName) -> x509.Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mail.contoso.com")])
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(1).not_valid_before(NOW - timedelta(days=1)).not_valid_after(NOW + timedelta(days=90))
            .add_extension(x509.SubjectAlternativeName(list(names)), critical=False)
            .sign(key, hashes.SHA256()))


def test_each_kind_of_other_name_keeps_its_label_and_value():
    cert = certificate_with(
        x509.DNSName("mail.contoso.com"),
        x509.IPAddress(ipaddress.ip_address("192.0.2.10")),
        x509.RFC822Name("postmaster@contoso.com"),
        x509.UniformResourceIdentifier("https://contoso.com/relay"),
        x509.DirectoryName(x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Contoso Ltd"),
                                      x509.NameAttribute(NameOID.COMMON_NAME, "relay")])),
        x509.RegisteredID(x509.ObjectIdentifier("1.3.6.1.4.1.311.25.1")),
        x509.OtherName(x509.ObjectIdentifier("1.3.6.1.4.1.311.20.2.3"), b"\x0c\x0bupn@contoso"),
    )
    facts = certificate_facts(cert, NOW)
    assert facts.dns_names == ["mail.contoso.com"]
    assert facts.other_names == [
        "IP:192.0.2.10", "email:postmaster@contoso.com", "URI:https://contoso.com/relay",
        "DirName:CN=relay,O=Contoso Ltd", "RID:1.3.6.1.4.1.311.25.1", "othername:1.3.6.1.4.1.311.20.2.3"]
