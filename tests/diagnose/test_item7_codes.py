"""Issue 21 item 7: the decoder's new and corrected codes (facts section 11, "Error codes"), with real texts."""
from __future__ import annotations

import pytest

from app.diagnose import diagnose

SUBJECT_MISMATCH = (
    "Reason: [{LED=450 4.4.317 Cannot connect to remote server [Message=SubjectMismatch Expected Subject: "
    "*.contoso.com. Presented Subject: CN=ExchangeServer01. Thumbprint: D0AC2FC63B9C5798828B45D849BE8D33.] "
    "[LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=192.0.2.7:25] [SmtpSecurity=-1;-1]")
HOP_IN_EXCHANGE_ONLINE = (
    "Diagnostic information for administrators:\nGenerating server: DB8PR04MB1234.eurprd04.prod.outlook.com\n"
    "Remote Server returned '451 4.4.397 Error encountered while communicating with primary target IP address: "
    "\"421 4.4.2 Connection dropped due to SocketError.\" Attempted failover to alternate host, but that did not "
    "succeed. Either there are no alternate hosts, or delivery failed to all alternate hosts. The last endpoint "
    "attempted was 203.0.113.5:25'")


def codes(text: str) -> list[str]:
    return [m.code for m in diagnose(text).matches]


def test_subject_mismatch_shows_the_presented_and_the_expected_name():
    [match] = diagnose(SUBJECT_MISMATCH).matches
    assert match.details == ["Expected name: *.contoso.com.", "Presented certificate: CN=ExchangeServer01.",
                             "Thumbprint of the certificate presented: D0AC2FC63B9C5798828B45D849BE8D33."]
    # Without the names in the text, the name Exchange Online tried is still said.
    [bare] = diagnose("450 4.4.317 Cannot connect to remote server [Message=SubjectMismatch] "
                      "[LastAttemptedServerName=mail.contoso.com]").matches
    assert bare.details == ["Expected name: mail.contoso.com."]


def test_4_4_397_reads_which_hop_failed_and_never_assumes_exchange_online():
    [online] = diagnose(HOP_IN_EXCHANGE_ONLINE).matches
    assert online.raised_by == "exchange_online"
    assert online.details == ["The text was written by DB8PR04MB1234.eurprd04.prod.outlook.com, a server of "
                              "Exchange Online.", "The last endpoint it tried: 203.0.113.5:25."]
    [edge] = diagnose("Generating server: EDGE01.contoso.com\n451 4.4.397 Error communicating with target host. "
                      "-> 421 4.4.2 Connection dropped due to SocketError").matches
    assert edge.raised_by == "on_premises" and "EDGE01.contoso.com, not a server of Exchange Online" in edge.details[0]
    [unknown] = diagnose("451 4.4.397 Error communicating with target host.").matches
    assert unknown.raised_by == "hop_in_text" and "The connection to Exchange Online" not in unknown.title


def test_4_7_66_is_the_smtp_auth_endpoint_not_the_relay():
    [match] = diagnose("421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support "
                       "TLS 1.2. Visit https://aka.ms/smtp_auth_tls").matches
    assert "smtp.office365.com" in match.meaning and "not the relay" in match.meaning
    assert match.wizard_step == ""
    # Falling back to no TLS is the sending server's choice: one that requires TLS keeps the message queued.
    assert "keeps the message in its queue" in match.meaning


def test_5_7_30_follows_microsofts_timeline_of_27_january_2026():
    """Basic authentication for SMTP AUTH is unchanged until December 2026, then off by default for existing
    tenants (admins can turn it on), its removal date announced in the second half of 2027."""
    [match] = diagnose("550 5.7.30 Basic authentication is not supported for Client Submission.").matches
    assert "no longer accepts" not in match.meaning
    assert "end of December 2026" in match.meaning and "second half of 2027" in match.meaning


def test_5_4_1_keeps_the_relay_meaning_of_kb_2827473():
    [match] = diagnose("550 5.4.1 Relay Access Denied").matches
    assert "KB 2827473" in match.meaning and "KB2827473" in {s.id for s in match.sources}


@pytest.mark.parametrize("text,code", [
    ("550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains",
     "5.7.750 Unregistered domain"),
    ("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.",
     "5.7.139 SMTP AUTH refused"),
    ("550 5.7.30 Basic authentication is not supported for Client Submission.",
     "5.7.30 Basic authentication not supported"),
    ("451 4.4.0 Primary target IP address responded with: \"421 4.4.1 Connection timed out.\" Attempted failover "
     "to alternate host, but that did not succeed.", "UnknownCredentials / 451 4.4.0"),
    ("550 5.7.64 TenantAttribution; Relay Access Denied [ATTR35]", "ATTR35"),
])
def test_the_new_codes_are_recognized(text, code):
    assert code in codes(text)


def test_the_timeout_on_the_tls_connector_points_at_the_smtp_binding():
    [match] = diagnose("451 4.4.0 Primary target IP address responded with: \"421 4.4.1 Connection timed out.\"").matches
    assert "not bound to the SMTP service (KB 4051498)" in match.meaning and "KB4051498" in {s.id for s in match.sources}


def test_attr35_names_its_second_cause():
    [match] = diagnose("550 5.7.64 Relay Access Denied ATTR35").matches[-1:]
    assert "without a properly configured inbound connector" in match.meaning


def test_direct_send_devices_need_a_partner_connector():
    [match] = diagnose("550 5.7.68 TenantInboundAttribution; Direct Send not allowed").matches
    assert "inbound connector of type Partner" in match.fix and "MC1093237" in {s.id for s in match.sources}


def test_reading_the_names_stays_linear_on_hostile_text():
    """Each pattern that reads the text is bounded: a paste of repeated prefixes costs the same as any other."""
    import time
    for unit in ("Presented Subject: ", "Expected Subject: x", "Generating server: ", "last endpoint attempted was 1"):
        text = "450 4.4.317 4.4.397 SubjectMismatch " + unit * (20000 // len(unit))
        started = time.perf_counter()
        diagnose(text)
        assert time.perf_counter() - started < 2  # generous: quadratic reading took minutes here


def test_5_7_750_and_5_7_708_follow_microsofts_page_of_2_october_2026():
    """Microsoft's page for 5.7.703-5.7.750 (checked 2026-12-07): 5.7.750's fixes include a certificate-based
    connector whose name is an accepted domain, the wizard's own; 5.7.708 is a low-reputation IP, which no
    connector changes."""
    [unregistered] = diagnose("550 5.7.750 Service unavailable. Client blocked from sending from unregistered "
                              "domains").matches
    assert unregistered.wizard_step == "connector" and "certificate" in unregistered.fix
    assert "Microsoft support" in unregistered.fix
    [low_reputation] = diagnose("550 5.7.708 Access denied, traffic not accepted from this IP").matches
    assert low_reputation.code == "5.7.708 Traffic not accepted from this IP" and low_reputation.wizard_step == ""
    assert "trial" in low_reputation.meaning and "IP address exception" in low_reputation.fix
    assert diagnose("error 15.7.7080").matches == []


def test_5_7_139_with_smtp_auth_off_does_not_send_the_admin_to_oauth_alone():
    """With SMTP AUTH disabled for the tenant or mailbox, OAuth over SMTP AUTH is refused as well."""
    [match] = diagnose("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the "
                       "Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.").matches
    assert "Authenticated SMTP" in match.fix and "OAuth included" in match.fix
