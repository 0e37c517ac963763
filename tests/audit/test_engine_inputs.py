"""What the audit takes beside the paste: the MX endpoint, the server kind, a certificate; and what it counts
(issue 16)."""
from __future__ import annotations

from tests.audit.blocks import certificate_object, thumbprint
from tests.audit.test_rules import H, HEALTHY, LOG, paste
from tests.certfactory import make_leaf, to_pem

SUBMISSION = {"smart_host": "smtp.office365.com"}


def mx_step(result):
    (step,) = [s for s in result.plan.steps if s.code == "smart_host_submission"]
    return step


def test_a_given_mx_endpoint_is_used_as_known(audit):
    step = mx_step(audit(paste(server=SUBMISSION), mx_endpoint="fabrikam-com.mail.protection.outlook.com"))
    assert step.note == "" and "-SmartHosts 'fabrikam-com.mail.protection.outlook.com'" in step.commands[0]


def test_the_mx_guess_comes_from_the_first_domain_that_is_not_the_tenants_onmicrosoft_one(audit):
    domains = ("contoso.onmicrosoft.com", "fabrikam.com", "contoso.com")
    step = mx_step(audit(paste({"domains": domains}, SUBMISSION)))
    assert step.note.startswith("fabrikam-com.mail.protection.outlook.com is a guess")


def test_without_accepted_domains_the_mx_guess_is_an_example(audit):
    step = mx_step(audit(paste({"domains": ()}, SUBMISSION)))
    assert step.note.startswith("contoso-com.mail.protection.outlook.com is a guess")


def test_without_pasted_servers_the_cases_server_kind_decides_the_commands(audit):
    assert audit(paste(only="online"), server_kind="exchange-2013").plan.server_version == "Exchange Server 2013"
    assert audit(paste(only="online")).plan.server_version == "Exchange Server 2016"


def test_the_audit_counts_what_it_read(audit):
    assert audit(HEALTHY).counts == {"accepted_domain": 3, "inbound_connector": 1, "exchange_server": 1,
                                     "send_connector": 1, "certificate": 1}
    logged = audit(paste(server={"log": LOG.format(thumbprint=thumbprint(H.leaf.cert))}))
    assert logged.counts["log_lines"] == 3


def test_a_given_certificate_adds_no_names_to_the_one_the_server_printed(audit):
    relay = make_leaf(H.intermediate, "relay.contoso.com")
    text = paste({"connector_value": "relay.contoso.com", "domains": ("contoso.com", "relay.contoso.com")})
    codes = [f.code for f in audit(text, certificate_pem=to_pem(relay.cert).decode()).findings]
    assert "tls_sender_name_not_on_certificate" in codes


def test_the_names_of_every_source_servers_certificate_count(audit):
    on_ex02 = make_leaf(H.intermediate, "mail.contoso.com", sans=["mail.contoso.com", "relay.contoso.com"])
    installed = certificate_object(H) + certificate_object(H, leaf=on_ex02.cert, server="EX02")
    text = paste({"connector_value": "contoso.com", "domains": ("contoso.com", "mail.contoso.com")},
                 {"certificates": installed}).replace("SourceTransportServers   : EX01",
                                                      "SourceTransportServers   : {EX01, EX02}")
    assert "tls_sender_name_not_on_certificate" not in [f.code for f in audit(text).findings]
