"""Checks on the certificate itself: dates, key, signature, names, usages.

Trust (trust.py) and name matching (matching.py) have their own modules; this
one holds the checks that need nothing but the facts of one certificate.
Key-size, hash and EKU rules are not published by Microsoft for connector
certificates: the thresholds are those of current TLS stacks.
"""
from __future__ import annotations

from datetime import datetime

from app.certs.eku import EKU_STATEMENT
from app.certs.model import ERROR, INFO, WARNING, CertificateFacts, Finding
from app.translate import Translate

CLIENT_AUTH = "1.3.6.1.5.5.7.3.2"
ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0"
WARN_DAYS, NOTICE_DAYS = 30, 60
MIN_KEY_BITS = {"RSA": 2048, "DSA": 2048, "EC": 256}
WEAK_HASHES = {"md5": "MD5", "sha1": "SHA-1"}


def _day(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


def validity_findings(facts: CertificateFacts, now: datetime, _: Translate, *, leaf: bool) -> list[Finding]:
    """expired / not_yet_valid / expires_soon; for CA certificates of the chain too."""
    if {"not_before", "not_after"} & set(facts.unreadable):
        return []
    if facts.not_after < now:
        message = (_("The certificate expired on %(date)s. Renew it, install the new "
                     "certificate on the server, and upload the new one here.",
                     date=_day(facts.not_after)) if leaf else
                   _("The CA certificate %(name)s in the chain expired on %(date)s. Get the "
                     "current intermediate certificate from your CA and install it on the server.",
                     name=facts.subject_windows, date=_day(facts.not_after)))
        return [Finding("expired", ERROR, message)]
    if facts.not_before > now:
        return [Finding("not_yet_valid", ERROR, _(
            "The certificate %(name)s is valid only from %(date)s. Wait until then, or check "
            "the date on the server and on this computer.",
            name=facts.subject_windows, date=_day(facts.not_before)))]
    if leaf and facts.days_remaining < NOTICE_DAYS:
        severity = WARNING if facts.days_remaining < WARN_DAYS else INFO
        return [Finding("expires_soon", severity, _(
            "The certificate expires on %(date)s, in %(days)s days. Renew it before then; if "
            "the new certificate has another issuer or name, update the connectors too.",
            date=_day(facts.not_after), days=facts.days_remaining))]
    return []


def self_signed_finding(facts: CertificateFacts, _: Translate) -> list[Finding]:
    if not facts.self_signed:
        return []
    return [Finding("self_signed", ERROR, _(
        "The certificate is self-signed. Exchange Online accepts only certificates issued by a "
        "CA in Microsoft's Trusted Root Program: get a certificate from a public CA."))]


def key_findings(facts: CertificateFacts, _: Translate) -> list[Finding]:
    """weak_key and weak_signature."""
    findings = []
    minimum = MIN_KEY_BITS.get(facts.key_type)
    if minimum and facts.key_size is not None and facts.key_size < minimum:
        findings.append(Finding("weak_key", ERROR, _(
            "The certificate's %(type)s key has only %(bits)s bits. Get a new certificate with "
            "an RSA key of at least 2048 bits or an EC key of at least 256 bits.",
            type=facts.key_type, bits=facts.key_size)))
    if facts.signature_hash in WEAK_HASHES:
        findings.append(Finding("weak_signature", ERROR, _(
            "The certificate is signed with %(hash)s, which current TLS stacks refuse. Get a "
            "new certificate signed with SHA-256 or stronger.",
            hash=WEAK_HASHES[facts.signature_hash])))
    return findings


def usage_findings(facts: CertificateFacts, _: Translate) -> list[Finding]:
    """no_san and client_auth_eku_missing."""
    findings = []
    unreadable = set(facts.unreadable)
    if not facts.dns_names and facts.common_name and "subject_alternative_name" not in unreadable:
        findings.append(Finding("no_san", WARNING, _(
            "The certificate names %(name)s only in its subject (CN), not in a Subject "
            "Alternative Name. Some TLS stacks ignore the CN: ask your CA for a certificate "
            "that also lists %(name)s as a SAN.", name=facts.common_name)))
    usages = set(facts.extended_key_usages)
    if facts.eku_restricted and not usages & {CLIENT_AUTH, ANY_EXTENDED_KEY_USAGE}:
        findings.append(Finding("client_auth_eku_missing", WARNING, _(
            "The certificate is not marked for Client Authentication (extended key usage "
            "1.3.6.1.5.5.7.3.2). When it relays through Exchange Online, your server is the "
            "TLS client. Public CAs stop including Client Authentication in TLS certificates "
            "during 2026, and as of %(as_of)s Microsoft has not said whether Exchange Online requires "
            "it: send a test message before you rely on this certificate.",
            as_of=EKU_STATEMENT.as_of.isoformat())))
    return findings


def unreadable_findings(facts: CertificateFacts, _: Translate) -> list[Finding]:
    if not facts.unreadable:
        return []
    return [Finding("unreadable_field", WARNING, _(
        "Part of the certificate could not be read: %(fields)s. The report leaves it out; "
        "check those fields in the tool that made the certificate.",
        fields=", ".join(facts.unreadable)))]


def certificate_findings(facts: CertificateFacts, now: datetime, _: Translate) -> list[Finding]:
    """Every check on the server certificate alone, in the order the report lists them."""
    return (
        self_signed_finding(facts, _)
        + validity_findings(facts, now, _, leaf=True)
        + key_findings(facts, _)
        + usage_findings(facts, _)
        + unreadable_findings(facts, _)
    )
