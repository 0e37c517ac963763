"""Extended key usages by name, as Windows' certificate viewer shows them.

Sources: RFC 5280 §4.2.1.12 (id-kp-serverAuth ... id-kp-OCSPSigning), RFC 4945
(IPsec IKE), RFC 9336 (document signing) and Microsoft's "Object IDs associated
with Microsoft cryptography" (KB 287547) for the 1.3.6.1.4.1.311 usages.
"""
from __future__ import annotations

from app.translate import N_, Translate, plain

EKU_NAMES = {
    "1.3.6.1.5.5.7.3.1": N_("Server Authentication"),
    "1.3.6.1.5.5.7.3.2": N_("Client Authentication"),
    "1.3.6.1.5.5.7.3.3": N_("Code Signing"),
    "1.3.6.1.5.5.7.3.4": N_("Secure Email"),
    "1.3.6.1.5.5.7.3.8": N_("Time Stamping"),
    "1.3.6.1.5.5.7.3.9": N_("OCSP Signing"),
    "1.3.6.1.5.5.7.3.17": N_("IPsec IKE"),
    "1.3.6.1.5.5.7.3.36": N_("Document Signing"),
    "1.3.6.1.4.1.311.10.3.4": N_("Encrypting File System"),
    "1.3.6.1.4.1.311.10.3.12": N_("Document Signing"),
    "1.3.6.1.4.1.311.20.2.2": N_("Smart Card Logon"),
    "1.3.6.1.5.2.3.5": N_("KDC Authentication"),
    "2.5.29.37.0": N_("Any Purpose"),
}


def eku_name(oid: str, _: Translate = plain) -> str:
    """The usage's name, or the OID itself for one without a common name."""
    name = EKU_NAMES.get(oid)
    return _(name) if name else oid
