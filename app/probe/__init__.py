"""Read the certificate chain a mail server presents: EHLO, STARTTLS, the chain, QUIT. No Flask.

This is the certificate the server shows when it *receives* mail; it is usually,
but not always, the one it sends with (an Exchange send connector names its own
certificate in TlsCertificateName).
"""
from app.probe.address import ProbeError, checked_addresses
from app.probe.smtp import PORTS, ProbeResult, checked_ehlo_name, probe

__all__ = ["PORTS", "ProbeError", "ProbeResult", "checked_addresses", "checked_ehlo_name", "probe"]
