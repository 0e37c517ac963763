"""The certificate cases every wizard path is crossed with, made once with tests/certfactory.py.

Accepted domains are always contoso.com and fabrikam.com; the trust store holds
the factory's root (a stand-in for a public root). Each case says what a user
must see at the end: the plan's verdict, a finding the evidence shows, and the
values the connector-domain page offers, each with the plan's first item.
"""
from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field

from tests.certfactory import DAY, NOW, make_hierarchy, make_intermediate, make_leaf, make_root, to_pem, to_pkcs12, to_pkcs7

ACCEPTED = "contoso.com\nfabrikam.com"
PFX_PASSWORD = "Relay-2026!"

COVERED = "The connector's domain {} is covered by your accepted domains"
ADD = "Add {} to Microsoft 365 as a domain"
GET_CERTIFICATE = "Get a certificate whose name is one of your accepted domains"
ISSUING = ("Test Issuing CA",)
FROM_THE_CA = "Download them from the website of the certificate authority that issued the certificate"


@dataclass(frozen=True)
class CertificateCase:
    name: str
    verdict: str                      # the plan's verdict
    finding: str | None               # a finding code the evidence must show
    choices: dict[str, str] = field(default_factory=dict)  # connector value offered -> first plan item
    upload: dict | None = None        # the certificate step's form data; None: go on without one
    intermediates: tuple[str, ...] = ()  # the CNs in the chain download, in order; () answers 404 with this advice:
    no_chain_advice: str = ""

    def form_data(self) -> dict:
        """Fresh form data (file uploads are streams a request consumes)."""
        data = dict(self.upload or {})
        if "certificate_file" in data:
            content, filename = data["certificate_file"]
            data["certificate_file"] = (io.BytesIO(content), filename)
        return data


def _text(*certs) -> dict:
    return {"certificate_text": to_pem(*certs).decode()}


def _file(content: bytes, filename: str, **extra) -> dict:
    return {"certificate_file": (content, filename), **extra}


MATCHING = {"contoso.com": COVERED.format("contoso.com"), "*.contoso.com": COVERED.format("*.contoso.com")}
BOTH_NAMES = ["mail.contoso.com", "contoso.com"]


@functools.cache
def certificate_cases() -> tuple[CertificateCase, ...]:
    public = make_hierarchy("mail.contoso.com", sans=BOTH_NAMES)
    issuing = public.intermediate
    host_only = make_leaf(issuing, "mail.contoso.com")
    wildcard = make_leaf(issuing, "*.contoso.com")
    no_fit = make_leaf(issuing, "mail.fabrikam.net")
    internal = make_leaf(issuing, "mail.contoso.local")
    expired = make_leaf(issuing, "mail.contoso.com", sans=BOTH_NAMES, not_before=NOW - 400 * DAY, not_after=NOW - DAY)
    self_signed = make_leaf(None, "mail.contoso.com", sans=BOTH_NAMES)
    private_root = make_root("Contoso Private Root")
    private_issuing = make_intermediate(private_root, "Contoso Issuing CA")
    private_leaf = make_leaf(private_issuing, "mail.contoso.com", sans=BOTH_NAMES)
    logged = make_leaf(issuing, "mail.contoso.com", sans=BOTH_NAMES, logged=True)
    return (
        CertificateCase("matching SAN", "ready", None, MATCHING, _text(public.leaf.cert, issuing.cert), ISSUING),
        CertificateCase("host name only", "needs_attention", "host_name_not_accepted_domain",
                        {"mail.contoso.com": ADD.format("mail.contoso.com"), "*.contoso.com": COVERED.format("*.contoso.com")},
                        _file(to_pem(host_only.cert, issuing.cert), "mail.pem"), ISSUING),
        CertificateCase("wildcard", "ready", "wildcard_certificate", {"*.contoso.com": COVERED.format("*.contoso.com")},
                        _file(to_pkcs7(wildcard.cert, issuing.cert), "wildcard.p7b"), ISSUING),
        CertificateCase("no name fits", "blocked", "name_not_accepted",
                        {"mail.fabrikam.net": ADD.format("mail.fabrikam.net")}, _text(no_fit.cert, issuing.cert),
                        ISSUING),
        CertificateCase("internal name only", "blocked", "internal_name", {}, _text(internal.cert, issuing.cert),
                        ISSUING),
        CertificateCase("expired", "blocked", "expired", MATCHING, _text(expired.cert, issuing.cert), ISSUING),
        CertificateCase("self-signed", "blocked", "self_signed", MATCHING, _file(to_pem(self_signed.cert), "self.cer"),
                        no_chain_advice="The certificate is self-signed, so it has no intermediate certificates"),
        # The root in the upload is no intermediate: the download leaves it out.
        CertificateCase("private CA with its root", "blocked", "untrusted_root", MATCHING,
                        _text(private_leaf.cert, private_issuing.cert, private_root.cert), ("Contoso Issuing CA",)),
        CertificateCase("private CA without its root", "blocked", "untrusted_root", MATCHING,
                        _text(private_leaf.cert, private_issuing.cert), ("Contoso Issuing CA",)),
        CertificateCase("PFX with a password", "ready", None, MATCHING,
                        _file(to_pkcs12(public.leaf, issuing.cert, password=PFX_PASSWORD), "server.pfx",
                              password=PFX_PASSWORD), ISSUING),
        CertificateCase("public leaf without its intermediate", "needs_attention", "incomplete_chain", MATCHING,
                        _file(to_pem(logged.cert), "leaf.cer"), no_chain_advice=FROM_THE_CA),
        CertificateCase("no certificate at all", "in_progress", None, {}, None,
                        no_chain_advice="No certificate was added to this case yet"),
    )
