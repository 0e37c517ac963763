"""The checks on the certificate itself, at their limits and word for word (issue 16)."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from app.certs.findings import certificate_findings, validity_findings
from app.certs.model import ERROR, INFO, WARNING
from app.translate import plain
from tests.remediation.factories import ISSUER, SUBJECT, THUMBPRINT, facts as make_facts
from tests.swedish import swedish

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)
FACTS = replace(make_facts(SUBJECT, ISSUER, dns_names=["mail.contoso.com"], common_name="mail.contoso.com",
                           thumbprint=THUMBPRINT),
                not_before=NOW - timedelta(days=30), not_after=NOW + timedelta(days=200), days_remaining=200,
                eku_restricted=True)


def found(facts=FACTS, now=NOW, _=plain):
    return [(f.code, f.severity, f.message) for f in certificate_findings(facts, now, _)]


def test_a_sound_certificate_has_nothing_to_say():
    assert found() == []


def test_a_certificate_that_ends_this_instant_has_not_expired():
    facts = replace(FACTS, not_after=NOW, days_remaining=0)
    assert [code for code, _, _ in found(facts)] == ["expires_soon"]


def test_a_certificate_that_ended_a_second_ago_has_expired():
    facts = replace(FACTS, not_after=NOW - timedelta(seconds=1), days_remaining=-1)
    assert found(facts) == [("expired", ERROR, "The certificate expired on 2026-11-05. Renew it, install the new "
                             "certificate on the server, and upload the new one here.")]


def test_an_expired_ca_certificate_of_the_chain_is_named():
    facts = replace(FACTS, not_after=datetime(2026, 1, 31, tzinfo=timezone.utc))
    assert [(f.code, f.message) for f in validity_findings(facts, NOW, plain, leaf=False)] == [
        ("expired", f"The CA certificate {SUBJECT} in the chain expired on 2026-01-31. Get the current "
                    "intermediate certificate from your CA and install it on the server.")]


def test_a_ca_certificate_that_expires_soon_is_not_the_admins_to_renew():
    facts = replace(FACTS, days_remaining=5)
    assert validity_findings(facts, NOW, plain, leaf=False) == []


def test_a_certificate_valid_from_this_instant_is_valid():
    assert found(replace(FACTS, not_before=NOW)) == []


def test_a_certificate_valid_from_a_second_later_is_not_yet_valid():
    facts = replace(FACTS, not_before=NOW + timedelta(seconds=1))
    assert found(facts) == [("not_yet_valid", ERROR, f"The certificate {SUBJECT} is valid only from 2026-11-05. "
                             "Wait until then, or check the date on the server and on this computer.")]


@pytest.mark.parametrize("field", ["not_before", "not_after"])
def test_unreadable_dates_are_not_judged(field):
    facts = replace(FACTS, not_before=NOW + timedelta(days=1), not_after=NOW - timedelta(days=1), unreadable=[field])
    assert [code for code, _, _ in found(facts)] == ["unreadable_field"]


@pytest.mark.parametrize("days,severity", [(29, WARNING), (30, INFO), (59, INFO)])
def test_expiry_is_a_warning_under_30_days_and_a_notice_under_60(days, severity):
    facts = replace(FACTS, not_after=NOW + timedelta(days=days), days_remaining=days)
    date = (NOW + timedelta(days=days)).strftime("%Y-%m-%d")
    assert found(facts) == [("expires_soon", severity, f"The certificate expires on {date}, in {days} days. Renew "
                             "it before then; if the new certificate has another issuer or name, update the "
                             "connectors too.")]


def test_sixty_days_left_is_nothing_to_say():
    assert found(replace(FACTS, days_remaining=60)) == []


def test_a_self_signed_certificate():
    assert found(replace(FACTS, self_signed=True)) == [("self_signed", ERROR, (
        "The certificate is self-signed. Exchange Online accepts only certificates issued by a CA in Microsoft's "
        "Trusted Root Program: get a certificate from a public CA."))]


@pytest.mark.parametrize("key_type,bits,weak", [("RSA", 2047, True), ("RSA", 2048, False), ("DSA", 1024, True),
                                                ("DSA", 2048, False), ("EC", 255, True), ("EC", 256, False),
                                                ("Ed25519", 256, False)])
def test_keys_under_2048_rsa_or_256_ec_bits_are_weak(key_type, bits, weak):
    message = (f"The certificate's {key_type} key has only {bits} bits. Get a new certificate with an RSA key of at "
               "least 2048 bits or an EC key of at least 256 bits.")
    assert found(replace(FACTS, key_type=key_type, key_size=bits)) == ([("weak_key", ERROR, message)] if weak else [])


def test_a_key_of_unknown_size_is_not_judged():
    assert found(replace(FACTS, key_type="RSA", key_size=None)) == []


@pytest.mark.parametrize("hash_name,shown", [("sha1", "SHA-1"), ("md5", "MD5")])
def test_sha1_and_md5_signatures_are_weak(hash_name, shown):
    assert found(replace(FACTS, signature_hash=hash_name)) == [("weak_signature", ERROR, (
        f"The certificate is signed with {shown}, which current TLS stacks refuse. Get a new certificate signed "
        "with SHA-256 or stronger."))]


def test_a_name_only_in_the_cn_is_warned():
    assert found(replace(FACTS, dns_names=[])) == [("no_san", WARNING, (
        "The certificate names mail.contoso.com only in its subject (CN), not in a Subject Alternative Name. Some "
        "TLS stacks ignore the CN: ask your CA for a certificate that also lists mail.contoso.com as a SAN."))]


def test_no_cn_and_no_san_is_not_a_missing_san():
    assert found(replace(FACTS, dns_names=[], common_name=None)) == []


def test_an_unreadable_san_is_not_called_missing():
    assert [code for code, _, _ in found(replace(FACTS, dns_names=[], unreadable=["subject_alternative_name"]))] \
        == ["unreadable_field"]


CLIENT_AUTH_MISSING = (
    "client_auth_eku_missing", WARNING,
    "The certificate is not marked for Client Authentication (extended key usage 1.3.6.1.5.5.7.3.2). When it relays "
    "through Exchange Online, your server is the TLS client. Public CAs stop including Client Authentication in TLS "
    "certificates during 2026, and as of 2026-12-06 Microsoft has not said whether Exchange Online requires it: send "
    "a test message before you rely on this certificate.")


@pytest.mark.parametrize("usages,restricted,missing", [
    (["1.3.6.1.5.5.7.3.1"], True, True),
    (["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], True, False),
    (["2.5.29.37.0"], True, False),       # any extended key usage
    ([], False, False),                   # no EKU extension: every use allowed
])
def test_client_authentication_is_missing_only_when_an_eku_list_leaves_it_out(usages, restricted, missing):
    facts = replace(FACTS, extended_key_usages=usages, eku_restricted=restricted)
    assert found(facts) == ([CLIENT_AUTH_MISSING] if missing else [])


def test_unreadable_fields_are_named():
    assert found(replace(FACTS, unreadable=["key_usage", "serial_number"])) == [("unreadable_field", WARNING, (
        "Part of the certificate could not be read: key_usage, serial_number. The report leaves it out; check those "
        "fields in the tool that made the certificate."))]


def test_the_findings_come_in_the_reports_order():
    facts = replace(FACTS, self_signed=True, days_remaining=10, key_size=1024, key_type="RSA", dns_names=[],
                    unreadable=["key_usage"])
    assert [code for code, _, _ in found(facts)] == [
        "self_signed", "expires_soon", "weak_key", "no_san", "unreadable_field"]


@pytest.mark.parametrize("changes", [
    {"self_signed": True}, {"not_after": NOW - timedelta(days=1)}, {"not_before": NOW + timedelta(days=1)},
    {"days_remaining": 10}, {"days_remaining": 40}, {"key_type": "RSA", "key_size": 1024},
    {"signature_hash": "sha1"}, {"dns_names": []}, {"extended_key_usages": []}, {"unreadable": ["serial_number"]},
])
def test_each_finding_reads_in_swedish(changes):
    facts = replace(FACTS, **changes)
    english, translated = found(facts), found(facts, _=swedish)
    assert [code for code, _, _ in translated] == [code for code, _, _ in english] != []
    assert all(t != e for (_, _, t), (_, _, e) in zip(translated, english))
