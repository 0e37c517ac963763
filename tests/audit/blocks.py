"""Collection blocks as collect.ps1 prints them, made from real certificates (tests/certfactory.py).

Format-List output is reproduced the way PowerShell prints it: one blank line
before each object, keys padded to the longest key, " : " between key and
value. Settings are keyword arguments so that a test breaks exactly one thing.
"""
from __future__ import annotations

import base64
from datetime import timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from app.certs.names import windows_name
from tests.certfactory import Hierarchy

BEGIN, END = "-----BEGIN KB3169958 CONFIGURATION-----", "-----END KB3169958 CONFIGURATION-----"
TENANT = "0c6b7f1e-5a0b-4c8f-9d52-2b8e3a4f6d10"


def format_list(*objects: dict) -> str:
    out = [""]
    for obj in objects:
        width = max(len(k) for k in obj)
        out += [f"{k.ljust(width)} : {v}".rstrip() for k, v in obj.items()] + [""]
    return "\n".join(out) + "\n"


def pem_lines(cert) -> str:
    """As [Convert]::ToBase64String(RawData, InsertLineBreaks) prints it: 76 characters a line."""
    b64 = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()
    body = "\n".join(b64[i:i + 76] for i in range(0, len(b64), 76))
    return f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----"


def thumbprint(cert) -> str:
    return cert.fingerprint(hashes.SHA1()).hex().upper()  # nosec B303  (Windows' thumbprint)


def tls_name(cert) -> str:
    return f"<I>{windows_name(cert.issuer)}<S>{windows_name(cert.subject)}"


def windows_date(moment) -> str:
    """en-US, as Exchange on a US-English server prints NotAfter."""
    moment = moment.astimezone(timezone.utc)
    hour = moment.hour % 12 or 12
    return f"{moment.month}/{moment.day}/{moment.year} {hour}:{moment.minute:02d}:{moment.second:02d} " \
           f"{'AM' if moment.hour < 12 else 'PM'}"


def online_part(*, connector_value: str = "mail.contoso.com", enabled: str = "True",
                domains: tuple[str, ...] = ("contoso.com", "mail.contoso.com", "contoso.onmicrosoft.com"),
                cloud: str = "True", extra_connectors: tuple[dict, ...] = (), source: str = "AdminUI",
                treat_internal: str = "False", connector_type: str = "OnPremises") -> str:
    accepted = [{"Name": d, "DomainName": d, "DomainType": "Authoritative", "Default": str(i == 0)}
                for i, d in enumerate(domains)]
    connector = {"Name": "From on-premises by certificate", "Enabled": enabled, "ConnectorType": connector_type,
                 "ConnectorSource": source, "RequireTls": "True", "TlsSenderCertificateName": connector_value,
                 "CloudServicesMailEnabled": cloud, "TreatMessagesAsInternal": treat_internal,
                 "RestrictDomainsToCertificate": "False", "WhenChanged": "11/26/2026 10:02:11 AM",
                 "SenderDomains": "smtp:*;1", "SenderIPAddresses": ""}
    return ("#### Part: Exchange Online\n#### Get-AcceptedDomain\n" + format_list(*accepted)
            + "#### Get-InboundConnector\n" + format_list(connector, *extra_connectors)
            + "#### Get-OutboundConnector\n")


def certificate_object(h: Hierarchy, *, server: str = "EX01", services: str = "IIS, SMTP", key: str = "True",
                       status: str = "Valid", root: str = "ThirdParty", chain: bool = True, leaf=None,
                       self_signed: str = "False") -> str:
    cert = leaf or h.leaf.cert
    names = ", ".join(n.value for n in cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value)
    obj = {"Thumbprint": thumbprint(cert), "Subject": windows_name(cert.subject),
           "Issuer": windows_name(cert.issuer), "NotBefore": windows_date(cert.not_valid_before_utc),
           "NotAfter": windows_date(cert.not_valid_after_utc), "Services": services, "HasPrivateKey": key,
           "IsSelfSigned": self_signed, "RootCAType": root, "Status": status, "CertificateDomains": names,
           "Server": server}
    pems = [pem_lines(cert)] + ([pem_lines(h.intermediate.cert)] if chain else [])
    return format_list(obj) + "\n".join(pems) + "\n"


def server_part(h: Hierarchy, *, smart_host: str = "contoso-com.mail.protection.outlook.com",
                require_tls: str = "True", level: str = "CertificateValidation", tls_domain: str = "",
                certificate_name: str | None = None, enabled: str = "True", build: str = "Version 15.2 (Build 2562.17)",
                cloud: str = "True", fqdn: str = "mail.contoso.com", certificates: str | None = None,
                queue: dict | None = None, log: str = "", address_space: str = "SMTP:*;1",
                hybrid: str | None = None, frontend: str | None = None) -> str:
    send = {"Name": "To Office 365 (certificate)", "Enabled": enabled, "DNSRoutingEnabled": "False", "Fqdn": fqdn,
            "RequireTLS": require_tls, "TlsAuthLevel": level, "TlsDomain": tls_domain,
            "ProtocolLoggingLevel": "Verbose", "Port": "25",
            "TlsCertificateName": tls_name(h.leaf.cert) if certificate_name is None else certificate_name,
            "CloudServicesMailEnabled": cloud, "FrontendProxyEnabled": "False", "AddressSpaces": address_space,
            "SmartHosts": smart_host, "SourceTransportServers": "EX01"}
    server = {"Name": "EX01", "Fqdn": "EX01.contoso.local", "AdminDisplayVersion": build, "ServerRole": "Mailbox",
              "Edition": "Standard"}
    text = ("#### Part: Exchange Server\n#### Get-ExchangeServer\n" + format_list(server)
            + "#### Get-SendConnector\n" + format_list(send) + "#### Get-ReceiveConnector\n"
            + (format_list({"Identity": "EX01\\Default Frontend EX01", "Server": "EX01", "Enabled": "True",
                            "Fqdn": "mail.contoso.com", "RequireTLS": "False", "TransportRole": "FrontendTransport",
                            "TlsCertificateName": frontend, "Bindings": "[::]:25, 0.0.0.0:25",
                            "TlsDomainCapabilities": "mail.protection.outlook.com:AcceptCloudServicesMail"})
               if frontend is not None else "")
            + "#### Get-HybridConfiguration\n"
            + (format_list({"OnPremisesSmartHost": "mail.contoso.com", "TlsCertificateName": hybrid,
                            "SendingTransportServers": "EX01", "ReceivingTransportServers": "EX01",
                            "Domains": "contoso.com"}) if hybrid is not None else "")
            + "#### Get-ExchangeCertificate -Server EX01\n"
            + (certificate_object(h) if certificates is None else certificates)
            + "#### Get-Queue -Server EX01\n" + (format_list(queue) if queue else "")
            + "#### Send protocol log\n" + log)
    return text


def block(*parts: str) -> str:
    """One run's output as pasted: the BEGIN line, the parts, the END line (CRLF, as Windows copies it)."""
    return "\r\n".join([BEGIN, *("".join(parts).split("\n")), END]) + "\r\n"
