"""The audit's rules as data: code, severity, what it means, how to fix it, and where that comes from.

Messages are N_-marked and formatted with the parameters a check finds; the
engine translates them. Bump RULESET_VERSION whenever a rule changes.
Reference for maintainers: docs/reference/exchange-facts.md (sections 4, 5, 6, 8 and 10). A source
here is shown to the reader: it names a public page, never a file of this repository.
"""
from __future__ import annotations

from dataclasses import dataclass

from datetime import date

from app.certs.model import ERROR, INFO, WARNING
from app.remediation.rules import CHECKED_SECTION_11, Dated
from app.translate import N_

RULESET_VERSION = "2026.12.3"

KB = "KB 3169958"
FACTS_4 = "Exchange Team blog: Office 365 Message Attribution"  # exchange-facts.md section 4
FACTS_5 = "New-SendConnector / Set-SendConnector reference"  # exchange-facts.md section 5
MX_ENDPOINT = "KB 3169958; message center MC1048624 (MX endpoints)"  # exchange-facts.md section 6
HC_EXO = "HealthChecker Invoke-AnalyzerFrequentConfigurationIssues.ps1 (aka.ms/HC-ExoConnectorIssue)"
HC_HYBRID = "HealthChecker Invoke-AnalyzerHybridInformation.ps1 (aka.ms/HC-HybridConnector)"
INBOUND_REF = "New-InboundConnector / Set-InboundConnector reference (MicrosoftDocs/office-docs-powershell)"
CERT_REF = "Get-ExchangeCertificate reference; Microsoft Learn: troubleshoot hybrid mail flow (certificates)"


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    title: str
    message: str
    fix: str
    sources: tuple[str, ...]
    dated: Dated | None = None   # a rule whose truth depends on the date: when stated, when last checked


_RULES = (
    Rule("exchange_online_output_missing", WARNING, N_("Exchange Online side not pasted"),
         N_("The paste holds no inbound connector from Exchange Online, so the two sides cannot be compared."),
         N_("Run part 1 of the collection script in Exchange Online PowerShell (or Get-InboundConnector | "
            "Format-List and Get-AcceptedDomain) and paste its output too."), (KB,)),
    Rule("exchange_server_output_missing", WARNING, N_("On-premises side not pasted"),
         N_("The paste holds no send connector or certificate from the Exchange server, so the two sides cannot "
            "be compared."),
         N_("Run part 2 of the collection script in the Exchange Management Shell (or Get-SendConnector | "
            "Format-List and Get-ExchangeCertificate | Format-List) and paste its output too."), (KB,)),
    Rule("inbound_connector_output_missing", WARNING, N_("Get-InboundConnector output not pasted"),
         N_("The paste shows Exchange Online output but not Get-InboundConnector's, so the inbound connector was "
            "not checked."),
         N_("Run Get-InboundConnector | Format-List in Exchange Online PowerShell (or part 1 of the collection "
            "script) and paste its output too."), (KB,)),
    Rule("send_connector_output_missing", WARNING, N_("Get-SendConnector output not pasted"),
         N_("The paste shows output from the Exchange server but not Get-SendConnector's, so the send connector and "
            "the certificate it presents were not checked."),
         N_("Run Get-SendConnector | Format-List in the Exchange Management Shell (or part 2 of the collection "
            "script) and paste its output too."), (KB, FACTS_5)),
    Rule("connector_type_not_shown", WARNING, N_("The connector's type was not pasted"),
         N_("The inbound connector %(name)s is shown without its ConnectorType line, so we cannot tell whether it is "
            "an OnPremises connector, the only type that relays for your server."),
         N_("Run Get-InboundConnector | Format-List Name,ConnectorType,Enabled,TlsSenderCertificateName and paste "
            "its output."), (KB, INBOUND_REF)),
    Rule("inbound_connector_missing", ERROR, N_("No OnPremises inbound connector"),
         N_("Exchange Online has no inbound connector of type OnPremises, so nothing ties mail from your server "
            "to your tenant and relay to the internet is refused (550 5.7.64)."),
         N_("Create the certificate connector with the wizard's plan: it gives the New-InboundConnector command."),
         (KB, INBOUND_REF)),
    Rule("inbound_connector_disabled", ERROR, N_("The OnPremises connector is turned off"),
         N_("The inbound connector %(name)s is of type OnPremises but turned off (Enabled False)."),
         N_("Turn the connector on (Set-InboundConnector -Enabled $true)."), (KB, INBOUND_REF)),
    Rule("inbound_connector_by_ip_only", ERROR, N_("The connector identifies the server by IP address only"),
         N_("The OnPremises connector %(name)s has no TlsSenderCertificateName: it knows your server by its IP "
            "address only. Exchange Online then relays non-delivery reports, forwarded mail and mail sent as other "
            "domains only while your server happens to present a certificate whose name is an accepted domain, and "
            "an IP address that other tenants' servers share can send mail to the wrong tenant (MC1226222)."),
         N_("Set TlsSenderCertificateName to %(value)s, a name on the certificate your server sends with."),
         (KB, "MC1226222")),
    Rule("tls_sender_name_not_on_certificate", ERROR, N_("The connector expects another certificate name"),
         N_("The connector %(name)s expects %(value)s, but the certificate the send connector uses names "
            "%(names)s. Exchange Online will not match the connector (550 5.7.64 TenantAttribution)."),
         N_("Set TlsSenderCertificateName to %(fix_value)s."), (KB, FACTS_4)),
    Rule("tls_sender_name_not_accepted", ERROR, N_("The connector's certificate name is not an accepted domain"),
         N_("The connector %(name)s expects %(value)s, which is not an accepted domain of your tenant (%(accepted)s). "
            "Exchange Online attributes the relay only when the connector's value is an accepted domain."),
         N_("Add %(domain)s as an accepted domain (Microsoft 365 admin center > Settings > Domains), which Microsoft "
            "recommends, or set TlsSenderCertificateName to %(fix_value)s."), (KB, FACTS_4, "KB 4019940")),
    Rule("tls_sender_name_wildcard", WARNING, N_("The connector accepts any certificate under the domain"),
         N_("The connector %(name)s expects %(value)s for a certificate that names %(names)s. It works, but any "
            "other certificate under %(domain)s, for example one a server uses to send to another tenant, also "
            "matches this connector."),
         N_("Add %(host)s as an accepted domain and set TlsSenderCertificateName to %(host)s."), (FACTS_4, "KB 4019940")),
    Rule("duplicate_onpremises_connectors", WARNING, N_("Several OnPremises connectors match the same certificate"),
         N_("The connectors %(names)s all expect a name on the same certificate (%(value)s). Which one matches is "
            "not defined, and a change to one of them may not take effect."),
         N_("Keep one certificate connector: turn the others off after checking that nothing else uses them."),
         (KB, FACTS_4)),
    Rule("hybrid_connector_edited", WARNING, N_("A connector the Hybrid Configuration Wizard manages was changed"),
         N_("The connector %(name)s was made by the Hybrid Configuration Wizard (ConnectorSource HybridWizard), but "
            "expects %(value)s while the hybrid configuration names %(hybrid)s. The wizard rewrites its connectors "
            "on each run and will undo a change made by hand."),
         N_("Choose the certificate in the Hybrid Configuration Wizard and run it again, instead of editing its "
            "connectors."), ("KB 2989382",)),
    Rule("cloud_services_mail_mismatch", WARNING, N_("Only one side keeps the internal Exchange headers"),
         N_("CloudServicesMailEnabled is %(send)s on the send connector %(send_name)s but %(inbound)s on the "
            "inbound connector %(name)s. Both must say True for Exchange to keep the cross-premises headers."),
         N_("Set CloudServicesMailEnabled to True on both connectors."), (HC_EXO, INBOUND_REF)),
    Rule("treat_messages_as_internal", WARNING, N_("Mail from the connector skips spam filtering"),
         N_("The connector %(name)s has TreatMessagesAsInternal True: Microsoft warns that internal messages bypass "
            "antispam filtering."),
         N_("Turn it off unless you need it for a server that is not Exchange (Set-InboundConnector "
            "-TreatMessagesAsInternal $false)."), (INBOUND_REF,)),
    Rule("send_connector_missing", ERROR, N_("No send connector relays through Office 365"),
         N_("No send connector routes address space * (or your tenant's routing domain) to Exchange Online."),
         N_("Create the send connector with the wizard's plan (New-SendConnector)."), (KB, FACTS_5)),
    Rule("send_connector_disabled", ERROR, N_("The send connector is turned off"),
         N_("The send connector %(name)s routes %(spaces)s to Exchange Online but is turned off."),
         N_("Turn it on (Set-SendConnector -Enabled $true)."), (FACTS_5,)),
    Rule("smart_host_submission", ERROR, N_("The smart host is the sign-in endpoint"),
         N_("The send connector %(name)s sends to %(host)s, which is for mail clients that sign in; a server relaying "
            "through a connector is refused there (550 5.7.57)."),
         N_("Send to your tenant's MX endpoint, like %(mx)s, instead."), (MX_ENDPOINT,)),
    Rule("smart_host_legacy", ERROR, N_("The smart host is an old Office 365 address"),
         N_("The send connector %(name)s sends to %(host)s, an old smart host or an IP address that refuses relay "
            "(451 4.4.62 ATTR35)."),
         N_("Send to your tenant's MX endpoint, like %(mx)s, instead."), (MX_ENDPOINT,)),
    Rule("smart_host_not_mx_endpoint", WARNING, N_("The smart host is not a Microsoft 365 MX endpoint"),
         N_("The send connector %(name)s for * sends to %(host)s, which is not a Microsoft 365 MX endpoint, so its "
            "mail may not reach Exchange Online through your connector."),
         N_("If this connector should relay through Office 365, send to your tenant's MX endpoint, like %(mx)s."),
         (MX_ENDPOINT, HC_EXO)),
    Rule("require_tls_off", WARNING, N_("TLS is not enforced on the send connector"),
         N_("RequireTLS is False on %(name)s: TLS is opportunistic, so the connector uses it when both sides can, "
            "but nothing enforces it. A connection that falls back to no TLS presents no certificate, and then the "
            "relay fails with 550 5.7.64."),
         N_("Set RequireTLS to True."), (HC_HYBRID, FACTS_5)),
    Rule("tls_auth_level_weak", WARNING, N_("The send connector does not validate Office 365's certificate"),
         N_("TlsAuthLevel is %(level)s on %(name)s."),
         N_("Set TlsAuthLevel to CertificateValidation (or DomainValidation with TlsDomain "
            "mail.protection.outlook.com)."), (HC_HYBRID, HC_EXO)),
    Rule("tls_domain_missing", ERROR, N_("DomainValidation without TlsDomain"),
         N_("%(name)s uses TlsAuthLevel DomainValidation but TlsDomain is empty, so the domain checked is the "
            "recipient's and TLS to Office 365 fails."),
         N_("Set TlsDomain to mail.protection.outlook.com."), (HC_HYBRID,)),
    Rule("tls_domain_unexpected", WARNING, N_("TlsDomain is not Office 365's"),
         N_("%(name)s checks Office 365's certificate for %(domain)s."),
         N_("Set TlsDomain to mail.protection.outlook.com."), (HC_EXO,)),
    Rule("tls_certificate_name_missing", ERROR, N_("The send connector names no certificate"),
         N_("%(name)s has neither TlsCertificateName nor Fqdn, so Exchange picks a certificate by the server's own "
            "name, usually an internal one that Exchange Online does not accept."),
         N_("Set TlsCertificateName from the certificate (see the plan)."), (HC_EXO, FACTS_5)),
    Rule("tls_certificate_name_syntax", ERROR, N_("TlsCertificateName is not in the <I>issuer<S>subject form"),
         N_("%(name)s has TlsCertificateName %(value)s, which lacks the <I> and <S> parts."),
         N_("Set TlsCertificateName from the certificate (see the plan)."), (HC_HYBRID,)),
    Rule("tls_certificate_not_found", ERROR, N_("The certificate the send connector names is not installed"),
         N_("%(name)s names %(value)s, but no certificate with that issuer and subject is installed on %(server)s "
            "(454 4.7.5)."),
         N_("Point TlsCertificateName at the installed certificate, or install that certificate on %(server)s."),
         (HC_HYBRID, FACTS_5)),
    Rule("tls_certificate_ambiguous", WARNING, N_("Several certificates have the same issuer and subject"),
         N_("On %(server)s, %(count)s certificates match %(name)s's TlsCertificateName (%(thumbprints)s). Exchange "
            "uses the one that expires last, %(chosen)s, without checking that it is enabled for SMTP."),
         N_("Remove the old certificates once the newest one works, so that the choice is obvious."), (FACTS_5,)),
    Rule("certificate_not_smtp", ERROR, N_("The relay certificate is not enabled for SMTP"),
         N_("The certificate %(thumbprint)s on %(server)s is used by %(name)s but its services are %(services)s."),
         N_("Enable it for SMTP (Enable-ExchangeCertificate -Services SMTP)."), (CERT_REF, "KB 4051498")),
    Rule("certificate_no_private_key", ERROR, N_("The relay certificate has no private key"),
         N_("The certificate %(thumbprint)s on %(server)s has no private key, so it cannot be presented "
            "(UnknownCredentials)."),
         N_("Import the certificate again from the .pfx file that holds its private key "
            "(Import-ExchangeCertificate)."), (CERT_REF, "KB 4051498")),
    Rule("certificate_expired", ERROR, N_("The relay certificate has expired"),
         N_("The certificate %(thumbprint)s on %(server)s expired on %(date)s."),
         N_("Install the renewed certificate and point the connectors at it (see the renewal check)."), (CERT_REF,)),
    Rule("certificate_expires_soon", WARNING, N_("The relay certificate expires soon"),
         N_("The certificate %(thumbprint)s on %(server)s expires on %(date)s, in %(days)s days."),
         N_("Plan the renewal now: the send connector and maybe the Exchange Online connector must change with it."),
         (CERT_REF,)),
    Rule("certificate_status_invalid", ERROR, N_("Windows does not trust the relay certificate"),
         N_("Get-ExchangeCertificate says Status %(status)s for %(thumbprint)s on %(server)s: usually a missing "
            "intermediate or root certificate, or a failed revocation check."),
         N_("Install the intermediate and root certificates on %(server)s until Status says Valid."), (CERT_REF,)),
    Rule("certificate_self_signed", ERROR, N_("The relay certificate is self-signed"),
         N_("The certificate %(thumbprint)s on %(server)s is self-signed; Exchange Online accepts only certificates "
            "from a public CA."),
         N_("Use a certificate from a public CA whose name is an accepted domain."), (KB, CERT_REF)),
    Rule("certificate_root_not_third_party", WARNING, N_("The root certificate is not where Exchange expects it"),
         N_("RootCAType is %(root)s for %(thumbprint)s on %(server)s, not ThirdParty."),
         N_("Import the root certificate into the Third-Party Root Certification Authorities store of %(server)s."),
         ("KB 2879262", CERT_REF)),
    Rule("certificate_none_public", ERROR, N_("No certificate from a public CA"),
         N_("Every certificate pasted (%(count)s) is self-signed: %(names)s. Exchange Online identifies your server "
            "only by a certificate from a public CA whose name is an accepted domain."),
         N_("Install a certificate from a public CA whose name is an accepted domain, enable it for SMTP "
            "(Enable-ExchangeCertificate -Services SMTP) and point the send connector at it (see the plan)."),
         (KB, CERT_REF)),
    Rule("tls_certificate_name_self_signed", ERROR, N_("The send connector names a self-signed certificate"),
         N_("%(name)s names %(value)s, whose issuer and subject are the same: a self-signed certificate, which "
            "Exchange Online does not accept to identify your server."),
         N_("Install a certificate from a public CA and set TlsCertificateName from it (see the plan)."),
         (KB, FACTS_5)),
    Rule("certificate_finding", ERROR, N_("The certificate check found a problem"),
         N_("%(message)s"),
         N_("The certificate check in the wizard explains this finding and what to do."),
         (KB, "the wizard's certificate check")),
    Rule("frontend_certificate_mismatch", WARNING, N_("The Front End receive connector names another certificate"),
         N_("The receive connector %(name)s names %(value)s, but the hybrid configuration names %(hybrid)s. Mail "
            "from Exchange Online to this server fails (451 5.7.3 STARTTLS is required)."),
         N_("Set the receive connector's TlsCertificateName to the hybrid certificate."), ("KB 2989382",)),
    Rule("hybrid_certificate_mismatch", WARNING, N_("The hybrid configuration names another certificate"),
         N_("The hybrid configuration names %(hybrid)s but the send connector %(name)s names %(value)s."),
         N_("Run the Hybrid Configuration Wizard again and choose the certificate the send connector uses."),
         (HC_HYBRID,)),
    Rule("exchange_out_of_support", ERROR, N_("An Exchange server is out of support"),
         N_("%(server)s runs %(version)s (build %(build)s), out of support since %(date)s. Exchange Online throttles "
            "and then blocks mail from such servers (4.7.230 / 5.7.230)."),
         N_("Upgrade to Exchange Server SE. New-TenantExemptionInfo can pause the blocking for up to 90 days a "
            "year."), ("Exchange Team blog, Dec 2023 (transport-based enforcement)",),
         Dated(date(2023, 12, 12), CHECKED_SECTION_11)),
    Rule("queue_error", ERROR, N_("A queue holds mail with a relay error"),
         N_("The queue %(queue)s (%(count)s messages) says: %(error)s"),
         N_("%(fix)s"), ("the wizard's error decoder (/diagnose), from Microsoft's NDR reference",)),
    Rule("log_other_certificate", ERROR, N_("The server sends with another certificate"),
         N_("The send protocol log shows the server sending %(sent)s, not the certificate the connectors expect "
            "(%(expected)s)."),
         N_("Point TlsCertificateName at the right certificate and make sure it is enabled for SMTP."), (FACTS_5,)),
    Rule("log_tls_failed", ERROR, N_("TLS to Office 365 failed"),
         N_("The send protocol log says: %(line)s"),
         N_("Enable the certificate for SMTP and check that it has its private key."), ("KB 4051498",)),
)

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}
