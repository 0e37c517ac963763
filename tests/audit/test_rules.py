"""Every rule, from realistic pasted output: the broken paste raises it with the line that shows it,
the same paste with that one thing fixed does not."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.audit import RULES
from app.audit.reading import clean_lines
from app.certs.model import ERROR, INFO, WARNING
from tests.audit.blocks import block, certificate_object, format_list, online_part, server_part, thumbprint, tls_name
from tests.audit.conftest import codes, fixture
from tests.certfactory import DAY, NOW, make_hierarchy, make_leaf, one_way

H = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])
SELF = make_leaf(None, "mail.contoso.com", sans=["mail.contoso.com"])
# Pasted as Exchange prints NotAfter (M/d/yyyy), so each ends on a date that reads one way (one_way).
OLD = make_leaf(H.intermediate, "mail.contoso.com", sans=["mail.contoso.com", "contoso.com"],
                not_before=NOW - 400 * DAY, not_after=one_way(NOW - 35 * DAY, -DAY))
EXPIRED = make_leaf(H.intermediate, "mail.contoso.com", sans=["mail.contoso.com", "contoso.com"],
                    not_before=NOW - 400 * DAY, not_after=one_way(NOW - 2 * DAY, -DAY))
SOON = make_leaf(H.intermediate, "mail.contoso.com", sans=["mail.contoso.com", "contoso.com"],
                 not_before=NOW - 300 * DAY, not_after=one_way(NOW + 20 * DAY, -DAY))
OTHER_NAME = "<I>CN=R13, O=Let's Encrypt, C=US<S>CN=mail.contoso.com"
LOG = ("2026-11-26T10:00:01.123Z,To Office 365 (certificate),08DE0A1B2C3D4E5F,16,10.0.0.5:28252,"
       "52.101.68.3:25,*,,Sending certificate\n"
       "2026-11-26T10:00:01.124Z,To Office 365 (certificate),08DE0A1B2C3D4E5F,17,10.0.0.5:28252,"
       "52.101.68.3:25,*,CN=mail.contoso.com,Certificate subject\n"
       "2026-11-26T10:00:01.125Z,To Office 365 (certificate),08DE0A1B2C3D4E5F,20,10.0.0.5:28252,"
       "52.101.68.3:25,*,{thumbprint},Certificate thumbprint\n")


def paste(online: dict | None = None, server: dict | None = None, *, only: str | None = None) -> str:
    parts = []
    if only != "server":
        parts.append(online_part(**(online or {})))
    if only != "online":
        parts.append(server_part(H, **(server or {})))
    return block(*parts)


HEALTHY = paste()
DUPLICATE = {"Name": "Relay (old)", "Enabled": "True", "ConnectorType": "OnPremises", "ConnectorSource": "AdminUI",
             "TlsSenderCertificateName": "mail.contoso.com", "CloudServicesMailEnabled": "True"}

# (rule, broken paste, accepted domains given beside it, the text its evidence line shows, fixed paste)
CASES = [
    ("exchange_online_output_missing", paste(only="server"), None, None, HEALTHY),
    ("exchange_server_output_missing", paste(only="online"), None, None, HEALTHY),
    ("inbound_connector_missing", paste({"connector_type": "Partner"}), None, None, HEALTHY),
    ("inbound_connector_disabled", paste({"enabled": "False"}), None, "Enabled", HEALTHY),
    ("inbound_connector_by_ip_only", paste({"connector_value": ""}), None, "TlsSenderCertificateName", HEALTHY),
    ("tls_sender_name_not_on_certificate", paste({"connector_value": "relay.contoso.com",
                                                  "domains": ("contoso.com", "relay.contoso.com")}),
     None, "relay.contoso.com", HEALTHY),
    ("tls_sender_name_not_accepted", paste({"domains": ("contoso.com",)}), None, "mail.contoso.com", HEALTHY),
    ("tls_sender_name_wildcard", paste({"connector_value": "*.contoso.com"}), None, "*.contoso.com", HEALTHY),
    ("duplicate_onpremises_connectors", paste({"extra_connectors": (DUPLICATE,)}), None, "mail.contoso.com",
     HEALTHY),
    ("hybrid_connector_edited", paste({"source": "HybridWizard", "connector_value": "contoso.com"},
                                      {"hybrid": tls_name(H.leaf.cert), "frontend": tls_name(H.leaf.cert)}),
     None, "HybridWizard", paste({"source": "HybridWizard"},
                                 {"hybrid": tls_name(H.leaf.cert), "frontend": tls_name(H.leaf.cert)})),
    ("cloud_services_mail_mismatch", paste(server={"cloud": "False"}), None, "CloudServicesMailEnabled", HEALTHY),
    ("treat_messages_as_internal", paste({"treat_internal": "True"}), None, "TreatMessagesAsInternal", HEALTHY),
    ("send_connector_missing", paste(server={"address_space": "SMTP:fabrikam.com;1"}), None, None, HEALTHY),
    ("send_connector_disabled", paste(server={"enabled": "False"}), None, "Enabled", HEALTHY),
    ("smart_host_submission", paste(server={"smart_host": "smtp.office365.com"}), None, "smtp.office365.com",
     HEALTHY),
    ("smart_host_legacy", paste(server={"smart_host": "mail.messaging.microsoft.com"}), None,
     "mail.messaging.microsoft.com", HEALTHY),
    ("smart_host_legacy", paste(server={"smart_host": "65.55.88.22"}), None, "65.55.88.22", HEALTHY),
    ("smart_host_not_mx_endpoint", paste(server={"smart_host": "relay.isp.example.net"}), None,
     "relay.isp.example.net", HEALTHY),
    ("require_tls_off", paste(server={"require_tls": "False"}), None, "RequireTLS", HEALTHY),
    ("tls_auth_level_weak", paste(server={"level": "EncryptionOnly"}), None, "EncryptionOnly", HEALTHY),
    ("tls_domain_missing", paste(server={"level": "DomainValidation"}), None, "DomainValidation",
     paste(server={"level": "DomainValidation", "tls_domain": "mail.protection.outlook.com"})),
    ("tls_domain_unexpected", paste(server={"level": "DomainValidation", "tls_domain": "contoso.com"}), None,
     "contoso.com", paste(server={"level": "DomainValidation", "tls_domain": "mail.protection.outlook.com"})),
    ("tls_certificate_name_missing", paste(server={"certificate_name": "", "fqdn": ""}), None,
     "TlsCertificateName", HEALTHY),
    ("tls_certificate_name_syntax", paste(server={"certificate_name": "CN=mail.contoso.com"}), None,
     "CN=mail.contoso.com", HEALTHY),
    ("tls_certificate_not_found", paste(server={"certificate_name": OTHER_NAME}), None, "Let's Encrypt", HEALTHY),
    ("tls_certificate_ambiguous", paste(server={"certificates": certificate_object(H, leaf=OLD.cert)
                                                + certificate_object(H)}), None, "Thumbprint", HEALTHY),
    ("certificate_not_smtp", paste(server={"certificates": certificate_object(H, services="IIS")}), None,
     "IIS", HEALTHY),
    ("certificate_no_private_key", paste(server={"certificates": certificate_object(H, key="False")}), None,
     "HasPrivateKey", HEALTHY),
    ("certificate_expired", paste(server={"certificates": certificate_object(H, leaf=EXPIRED.cert)}), None,
     "NotAfter", HEALTHY),
    ("certificate_expires_soon", paste(server={"certificates": certificate_object(H, leaf=SOON.cert)}), None,
     "NotAfter", HEALTHY),
    ("certificate_status_invalid", paste(server={"certificates": certificate_object(H, status="Untrusted")}),
     None, "Untrusted", HEALTHY),
    ("certificate_self_signed", paste(server={"certificate_name": tls_name(SELF.cert), "certificates":
                                              certificate_object(H, leaf=SELF.cert, self_signed="True",
                                                                 root="Registry", chain=False)}),
     None, "IsSelfSigned", HEALTHY),
    ("certificate_root_not_third_party", paste(server={"certificates": certificate_object(H, root="Registry")}),
     None, "Registry", HEALTHY),
    ("certificate_finding", paste(server={"certificates": certificate_object(H, chain=False)}), None,
     "Thumbprint", HEALTHY),
    ("frontend_certificate_mismatch", paste(server={"hybrid": tls_name(H.leaf.cert),
                                                    "frontend": "<I>CN=EX01<S>CN=EX01"}),
     None, "CN=EX01", paste(server={"hybrid": tls_name(H.leaf.cert), "frontend": tls_name(H.leaf.cert)})),
    ("hybrid_certificate_mismatch", paste(server={"hybrid": OTHER_NAME, "frontend": OTHER_NAME}), None,
     "Let's Encrypt", paste(server={"hybrid": tls_name(H.leaf.cert), "frontend": tls_name(H.leaf.cert)})),
    ("exchange_out_of_support", paste(server={"build": "Version 15.0 (Build 1497.2)"}), None, "15.0", HEALTHY),
    ("queue_error", paste(server={"queue": {"Identity": "EX01\\7", "DeliveryType": "SmartHostConnectorDelivery",
                                            "Status": "Retry", "MessageCount": "23",
                                            "NextHopDomain": "contoso-com.mail.protection.outlook.com",
                                            "LastError": "451 4.4.62 Mail sent to the wrong Office 365 region. "
                                                         "ATTR35. For more information please go to "
                                                         "https://go.microsoft.com/fwlink/?linkid=865268"}}),
     None, "ATTR35", HEALTHY),
    ("inbound_connector_output_missing",
     "PS C:\\> Get-OutboundConnector | fl\n\nName             : To on-premises\nRecipientDomains : {contoso.com}\n"
     "UseMXRecord      : False\n", None, None, HEALTHY),
    ("send_connector_output_missing",
     "PS C:\\> Get-ExchangeServer | fl\n\nName                : EX01\nAdminDisplayVersion : Version 15.2 (Build 2562.17)\n"
     "ServerRole          : Mailbox\nEdition             : Standard\n", None, None, HEALTHY),
    ("connector_type_not_shown",
     "PS C:\\> Get-InboundConnector | fl Name,Enabled,TlsSenderCertificateName\n\nName                     : Relay\n"
     "Enabled                  : True\nTlsSenderCertificateName : mail.contoso.com\n", None, "Relay", HEALTHY),
    ("certificate_none_public",
     "PS C:\\> Get-ExchangeCertificate | fl\n\nThumbprint   : 7274AA46956DFF4E80B13168A7B6B0037C99CA14\n"
     "Subject      : CN=EX01\nIssuer       : CN=EX01\nIsSelfSigned : True\nServices     : IMAP, POP, IIS, SMTP\n",
     None, "IsSelfSigned", HEALTHY),
    ("tls_certificate_name_self_signed",
     "PS C:\\> Get-SendConnector | fl\n\nName               : To Office 365\nAddressSpaces      : {SMTP:*;1}\n"
     "SmartHosts         : {contoso-com.mail.protection.outlook.com}\nRequireTLS         : True\n"
     "TlsCertificateName : <I>CN=localhost<S>CN=localhost\nEnabled            : True\n", None, "<I>CN=localhost",
     HEALTHY),
    ("log_other_certificate", paste(server={"log": LOG.format(thumbprint=thumbprint(SELF.cert))}), None,
     thumbprint(SELF.cert), paste(server={"log": LOG.format(thumbprint=thumbprint(H.leaf.cert))})),
    ("log_tls_failed", paste(server={"log": "2026-11-26T10:00:01.130Z,To Office 365 (certificate),08DE0A1B2C3D,"
                                            "22,10.0.0.5:28252,52.101.68.3:25,*,,TLS negotiation failed with error "
                                            "NoCredentials\n"}), None, "NoCredentials", HEALTHY),
]


def test_the_healthy_paste_passes_every_rule(audit):
    result = audit(HEALTHY)
    assert result.findings == [] and result.verdict == "ready" and result.plan.steps == []


def test_every_rule_has_a_case_and_a_source():
    assert {case[0] for case in CASES} == set(RULES)
    assert all(rule.sources for rule in RULES.values())


@pytest.mark.parametrize("code,broken,domains,shows,fixed", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_the_rule_fires_on_the_broken_paste_only(audit, code, broken, domains, shows, fixed):
    result = audit(broken, domains)
    found = [f for f in result.findings if f.code == code]
    assert found, codes(result)
    if shows:
        lines = clean_lines(broken)
        assert any(shows in e.text and lines[e.line - 1].strip().startswith(e.text[:20].strip())
                   for f in found for e in f.evidence), [f.evidence for f in found]
    assert code not in codes(audit(fixed, domains))


def test_severities_follow_the_table(audit):
    assert {f.code: f.severity for f in audit(paste(server={"build": "Version 15.1 (Build 2507.39)"})).findings} == {
        "exchange_out_of_support": WARNING}
    later = make_leaf(H.intermediate, "mail.contoso.com", sans=["mail.contoso.com"], not_after=NOW + 45 * DAY)
    result = audit(paste(server={"certificates": certificate_object(H, leaf=later.cert)}))
    assert [(f.code, f.severity) for f in result.findings] == [("certificate_expires_soon", INFO)]
    unknown = {"Identity": "EX01\\7", "MessageCount": "3", "LastError": "421 4.2.1 Unable to connect"}
    assert [f.severity for f in audit(paste(server={"queue": unknown})).findings] == [WARNING]


def test_a_look_alike_domain_is_not_accepted(audit):
    result = audit(paste({"connector_value": "*.notcontoso.com", "domains": ("notcontoso.com",)}))
    assert "tls_sender_name_not_on_certificate" in codes(result)


def test_the_verdict_follows_the_worst_finding(audit):
    assert audit(paste(server={"level": "EncryptionOnly"})).verdict == "needs_attention"
    # Issue 21 item 8: RequireTLS False is a warning (TLS is opportunistic), not an error.
    assert audit(paste(server={"require_tls": "False"})).verdict == "needs_attention"
    assert audit(paste(server={"enabled": "False"})).verdict == "blocked"


def test_the_day_the_certificate_expires(audit):
    # 10:00 on a day whose pasted date reads one way: 12:00 and 13:00 fall on the same day.
    day = one_way(NOW).replace(hour=10, minute=0, second=0)
    leaf = make_leaf(H.intermediate, "mail.contoso.com", sans=["mail.contoso.com"], not_after=day + timedelta(hours=2))
    text = paste(server={"certificates": certificate_object(H, leaf=leaf.cert)})
    assert "certificate_expires_soon" in codes(audit(text, now=day))
    assert "certificate_expired" in codes(audit(text, now=day + timedelta(hours=3)))


def test_pasted_forum_output_finds_the_hybrid_problems(audit):
    result = audit(fixture("exchange_online_hybrid.txt") + fixture("exchange_server_2016_hybrid.txt"))
    assert {"tls_sender_name_not_accepted", "smart_host_submission", "require_tls_off", "certificate_not_smtp",
            "tls_certificate_ambiguous", "frontend_certificate_mismatch", "queue_error",
            "exchange_out_of_support"} <= set(codes(result))


def test_a_messy_paste_still_finds_the_legacy_smart_host_and_the_ip_connector(audit):
    result = audit(fixture("messy_paste.txt"), ["contoso.com"])
    assert {"smart_host_legacy", "tls_auth_level_weak", "inbound_connector_by_ip_only"} <= set(codes(result))


def test_exchange_2010_is_not_asked_for_tls_certificate_name(audit):
    text = paste(server={"certificate_name": "", "fqdn": "", "build": "Version 14.3 (Build 123.4)"})
    assert "tls_certificate_name_missing" not in codes(audit(text))


def test_evidence_names_the_line_as_pasted(audit):
    text = fixture("exchange_online_hybrid.txt") + format_list(
        {"Name": "x", "AddressSpaces": "{SMTP:*;1}", "SmartHosts": "{smtp.office365.com}"})
    finding = next(f for f in audit(text).findings if f.code == "smart_host_submission")
    assert clean_lines(text)[finding.evidence[0].line - 1] == "SmartHosts    : {smtp.office365.com}"
