"""The certificate request: which names to ask a public CA for, and the exact command per server kind.

Names (facts sections 4, 10 and 11): the connector's name first. With no usable
certificate, that is a host name under an accepted domain (the sending
server's FQDN when it is one, else mail.<first accepted domain>, the name the
plan's "get a certificate" step gives), to be added as an accepted domain
itself: KB 4019940's "(Preferred)" fix. Never an internal name (no public CA
issues one), and a wildcard only when the certificate being renewed is one.

Commands: New-ExchangeCertificate -GenerateRequest with the parameters that
exchange-cmdlet-parameters.json documents for each version (-RequestFile only
on Exchange 2013; Exchange 2010 saves the output with Set-Content, 2016 and
later with WriteAllBytes, as Microsoft's pages show), and openssl req for the
other servers, with the file names the plan's configuration lines use.
"""
from __future__ import annotations

import shlex
from dataclasses import dataclass

from app.certs.domains import is_internal_name
from app.certs.matching import domain_to_add, example_names, normalize_accepted, passes_now, public_names
from app.certs.model import WILDCARD_CERTIFICATE, WILDCARD_CONNECTOR, CertificateReport
from app.remediation.advice import Advice, sources_of
from app.remediation.answers import EXCHANGE_KINDS
from app.remediation.model import CodeBlock
from app.remediation.powershell import SWITCH, Token, ps_command, ps_comment, ps_quote
from app.remediation.rules import UNIX_KEY_FILE
from app.remediation.sources import Source
from app.translate import N_, Translate

KEY_SIZE = 2048
WINDOWS_REQUEST_FILE = "C:\\Certificates\\relay.req"
WINDOWS_ISSUED_FILE = "C:\\Certificates\\relay.cer"
UNIX_REQUEST_FILE = "relay.csr"
FRIENDLY_NAME = "Relay to Office 365"
REQUEST = Token("$request")

WHICH_NAMES = Advice("request_which_names", N_(
    "Ask the CA for %(names)s. %(first)s is the name Exchange Online will know your server by: enter it on the "
    "connector. Do not ask for internal names (under .local, .lan or .corp, single-label names, IP addresses): no "
    "public CA issues them. Ask for a wildcard (*.%(domain)s) only if you choose it knowingly: the connector would "
    "then say *.%(domain)s, which any other certificate under %(domain)s matches too."
), ("KB3169958", "KB4019940", "cabf-internal-names", "blog-hybrid-tls-2025"))
ADD_FIRST = Advice("request_add_first", N_(
    "%(first)s is not an accepted domain yet: add it in the Microsoft 365 admin center before you create the "
    "connector (Microsoft's preferred way; a name under a domain you already have is verified at once)."
), ("KB4019940", "blog-relay-2023"))
PUBLIC_CA = Advice("request_public_ca", N_(
    "Send the request to a public CA: Exchange Online accepts only certificates that chain to a root in Microsoft's "
    "Trusted Root Program, whose participants Microsoft publishes. Your own CA and self-signed certificates do not "
    "work. Before you buy, upload the request file on the certificate step of this wizard to check it."
), ("KB3169958", "trusted-root-participants"))
EXCHANGE_REQUEST = Advice("request_exchange", N_(
    "Run this in the Exchange Management Shell on the server that sends to Office 365: the private key is made "
    "and kept on that server. Open the request file, paste its text into the CA's order form, and keep the "
    "pending request until the certificate comes back."
), ("New-ExchangeCertificate", "create-ca-certificate-requests", "exchange-2010-request"))
EXCHANGE_COMPLETE = Advice("request_exchange_complete", N_(
    "When the CA has issued the certificate, save it as %(file)s on the same server and complete the request. "
    "Then upload the certificate to this case: step 2 gives the commands for each server that sends."
), ("complete-pending-request", "Import-ExchangeCertificate", "Enable-ExchangeCertificate"))
OPENSSL_REQUEST = Advice("request_openssl", N_(
    "Run this on the server that sends (OpenSSL 1.1.1 or later for -addext). It writes the new private key to "
    "%(key)s, readable only by you, and the request to %(request)s: paste the request's text into the CA's order "
    "form. Save what the CA sends back as the certificate and the intermediate files that step 2 names."
), ("openssl-req",))


@dataclass(frozen=True)
class RequestNames:
    names: list[str]              # the subject's CN first, then the other SANs (the CN is a SAN too)
    connector_domain: str         # the value the connector will carry
    add_domain: str | None        # to add as an accepted domain first; None when it passes as it is


def _public_fqdn(server_fqdn: str) -> str | None:
    fqdn = server_fqdn.strip().lower().rstrip(".")
    return fqdn if fqdn and not is_internal_name(fqdn) and "*" not in fqdn else None


def _under_accepted(name: str, accepted: list[str]) -> bool:
    return name in accepted or name.split(".", 1)[-1] in accepted


def request_names(accepted_domains: list[str], *, server_fqdn: str = "", report: CertificateReport | None = None,
                  connector_domain: str | None = None) -> RequestNames | None:
    """The names to request: the connector's name first; None without any accepted domain to go by."""
    accepted = normalize_accepted(accepted_domains)
    fqdn = _public_fqdn(server_fqdn)
    first = _certificate_name_for(connector_domain, report)
    if first is None:
        if not accepted:
            return None
        first = fqdn if fqdn and _under_accepted(fqdn, accepted) else example_names(accepted)[1]
    names = [first] + ([fqdn] if fqdn and fqdn != first and _under_accepted(fqdn, accepted) else [])
    value = first
    return RequestNames(names, value, None if passes_now(value, accepted) else domain_to_add(value))


def _certificate_name_for(connector_domain: str | None, report: CertificateReport | None) -> str | None:
    """The name on the certificate that the chosen connector value relies on, if any is usable."""
    if not connector_domain or is_internal_name(connector_domain):
        return None
    candidate = next((c for c in (report.candidates if report else []) if c.connector_domain == connector_domain),
                     None)
    if candidate and candidate.kind == WILDCARD_CONNECTOR:
        return candidate.certificate_name  # mail.contoso.com behind *.contoso.com: request the host name
    if connector_domain.startswith("*.") and not (candidate and candidate.kind == WILDCARD_CERTIFICATE):
        return None
    return connector_domain


def replacement_names(facts, connector_certificate_name: str | None) -> list[str]:
    """The replacement asks for the current certificate's public names, the one the connector relies on first.

    ``facts`` is the current certificate's CertificateFacts; ``connector_certificate_name`` the name on it that
    the connector's value matches (``mail.contoso.com`` behind ``*.contoso.com``), if known.
    """
    names = public_names(facts)
    first = connector_certificate_name if connector_certificate_name in names else None
    return ([first] if first else []) + [n for n in names if n != first]


def certificate_name_behind(connector_domain: str | None, names: list[str]) -> str | None:
    """Which of ``names`` a connector value relies on: itself, or the host name behind ``*.parent``."""
    if not connector_domain:
        return None
    value = connector_domain.strip().lower()
    if value in names:
        return value
    return next((n for n in names if value.startswith("*.") and n.split(".", 1)[-1] == value[2:]), None)


def renewal_names(report: CertificateReport) -> list[str]:
    return replacement_names(report.leaf, report.candidates[0].certificate_name if report.candidates else None)


def exchange_request_lines(kind: str, names: list[str], _: Translate) -> list[str]:
    """New-ExchangeCertificate -GenerateRequest, saved as each version's documentation shows."""
    settings: dict[str, object] = {
        "GenerateRequest": SWITCH,
        "SubjectName": "CN=" + names[0],
        "DomainName": Token(",".join(ps_quote(name) for name in names)),
        "KeySize": Token(str(KEY_SIZE)),
        "PrivateKeyExportable": True,
        "FriendlyName": FRIENDLY_NAME,
    }
    lines = [ps_comment(EXCHANGE_REQUEST.say(_))]
    if kind == "exchange-2013":
        lines.append(ps_command("New-ExchangeCertificate", **settings, RequestFile=WINDOWS_REQUEST_FILE))
    else:
        lines.append(f"{REQUEST} = " + ps_command("New-ExchangeCertificate", **settings))
        lines.append(ps_command("Set-Content", Path=WINDOWS_REQUEST_FILE, Value=REQUEST) if kind == "exchange-2010"
                     else f"[System.IO.File]::WriteAllBytes({ps_quote(WINDOWS_REQUEST_FILE)}, "
                          f"[System.Text.Encoding]::Unicode.GetBytes({REQUEST}))")
    lines += [
        ps_comment(EXCHANGE_COMPLETE.say(_, file=WINDOWS_ISSUED_FILE)),
        "$issued = " + ps_command("Import-ExchangeCertificate", FileData=Token(
            f"([System.IO.File]::ReadAllBytes({ps_quote(WINDOWS_ISSUED_FILE)}))")),
        ps_command("Enable-ExchangeCertificate", Thumbprint=Token("$issued.Thumbprint"), Services=Token("SMTP")),
    ]
    return lines


def openssl_request_line(names: list[str]) -> str:
    """openssl req with a new key (mode 600 through the umask), the CN and every name as a SAN."""
    subject = shlex.quote("/CN=" + names[0])
    sans = shlex.quote("subjectAltName=" + ",".join("DNS:" + name for name in names))
    return (f"(umask 077; openssl req -new -newkey rsa:{KEY_SIZE} -nodes -keyout {UNIX_KEY_FILE} "
            f"-out {UNIX_REQUEST_FILE} -subj {subject} -addext {sans})")


def request_blocks(kind: str, names: list[str], _: Translate) -> list[CodeBlock]:
    if kind in EXCHANGE_KINDS:
        return [CodeBlock(_("Request the certificate (Exchange Management Shell)"), "powershell",
                          "\n".join(exchange_request_lines(kind, names, _)))]
    return [CodeBlock(_("Request the certificate (shell)"), "shell", openssl_request_line(names))]


def request_details(kind: str, request: RequestNames, _: Translate) -> list[str]:
    """What to ask for and why, in the order the admin needs it."""
    domain = domain_to_add(request.names[0]).split(".", 1)[-1] if "." in request.names[0] else request.names[0]
    details = [WHICH_NAMES.say(_, names=", ".join(request.names), first=request.names[0], domain=domain)]
    if request.add_domain:
        details.append(ADD_FIRST.say(_, first=request.add_domain))
    details.append(PUBLIC_CA.say(_))
    if kind not in EXCHANGE_KINDS:
        details.append(OPENSSL_REQUEST.say(_, key=UNIX_KEY_FILE, request=UNIX_REQUEST_FILE))
    return details


def request_sources(kind: str, request: RequestNames) -> list[Source]:
    used = [WHICH_NAMES, PUBLIC_CA] + ([ADD_FIRST] if request.add_domain else [])
    used += [EXCHANGE_REQUEST, EXCHANGE_COMPLETE] if kind in EXCHANGE_KINDS else [OPENSSL_REQUEST]
    return sources_of(*used)

