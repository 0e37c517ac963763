"""The Client Authentication EKU question, as a dated statement with its sources.

In the relay the on-premises server is the TLS *client*. Public CAs stop putting
the Client Authentication EKU (1.3.6.1.5.5.7.3.2) in TLS server certificates
during 2026; Microsoft has published nothing on whether Exchange Online requires
it on a connector certificate (reference/exchange-facts.md, sections 4 and 10,
"Still UNCONFIRMED"). The product says so, with the date of the statement, and
never claims it either way. When a Microsoft statement appears, change
``as_of``/``checked`` and the wording here, nowhere else.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.translate import N_, Translate


@dataclass(frozen=True)
class DatedStatement:
    id: str
    text: str                          # gettext message id; %(as_of)s is filled in
    as_of: date                        # the state of knowledge the text describes
    checked: date                      # when the sources were last read
    sources: tuple[tuple[str, str], ...]  # (title, address)

    def say(self, _: Translate) -> str:
        return _(self.text, as_of=self.as_of.isoformat())


EKU_STATEMENT = DatedStatement(
    id="client_auth_eku_unconfirmed",
    text=N_("As of %(as_of)s, Microsoft has not published whether Exchange Online requires the Client "
            "Authentication extended key usage (1.3.6.1.5.5.7.3.2) on the certificate of an OnPremises connector, "
            "where your server is the TLS client. Public CAs stopped including it in TLS certificates during 2026 "
            "(Let's Encrypt's default profile since 11 February 2026), and the CA, not your request, decides which "
            "usages the certificate carries. We do not claim it either way: after you install the new certificate, "
            "send a test message to an external recipient and check in its headers or in the message trace that "
            "Exchange Online attributed it to your organization, before you remove the old certificate."),
    as_of=date(2026, 12, 6),
    checked=date(2026, 12, 7),
    sources=(
        ("Let's Encrypt: Ending TLS Client Authentication Certificate Support in 2026 (14 May 2025)",
         "https://letsencrypt.org/2025/05/14/ending-tls-client-authentication/"),
        ("Chrome Root Program Policy 1.8: serverAuth-only leaf certificates from 15 March 2027",
         "https://googlechrome.github.io/chromerootprogram/"),
        ("New-InboundConnector (cmdlet reference): TlsSenderCertificateName, no EKU requirement stated",
         "https://learn.microsoft.com/powershell/module/exchangepowershell/new-inboundconnector"),
    ),
)
