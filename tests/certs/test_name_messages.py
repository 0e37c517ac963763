"""What the admin reads about the certificate's names, word for word, and in Swedish (issue 16)."""
from __future__ import annotations

import pytest

from app.certs.matching import find_candidates, name_findings, normalize_accepted
from app.certs.model import ERROR, INFO, WARNING
from app.translate import plain
from tests.swedish import swedish

INTERNAL_TAIL = (
    ": names like these (under .local, .lan, .internal or .corp, single-label names and IP addresses) exist only "
    "inside your network. No public CA issues a certificate for them, and Microsoft 365 cannot verify them as "
    "domains, so Exchange Online cannot identify your server by them. Get a certificate from a public CA whose CN "
    "or SAN holds a public name: one of your accepted domains, like {domain}, or a name under one, like {host}.")

CASES = {
    "no name at all": (
        [], [], ["contoso.com"],
        [("name_not_accepted", ERROR, "The certificate names no domain in its CN or SAN. Get a certificate whose CN "
                                      "or SAN holds an accepted domain of your tenant.")]),
    "no accepted domains entered": (
        ["mail.contoso.com", "contoso.com"], [], [],
        [("name_not_accepted", ERROR, "Enter your tenant's accepted domains so that the names on the certificate "
                                      "(mail.contoso.com, contoso.com) can be checked against them.")]),
    "a wildcard two levels under the accepted domain": (
        ["*.sub.contoso.com"], [], ["contoso.com"],
        [("name_not_accepted", ERROR, "The certificate names *.sub.contoso.com. Your tenant accepts contoso.com, but "
                                      "Exchange Online needs sub.contoso.com to be accepted for this name (KB 4019940)."
                                      " Add sub.contoso.com as an accepted domain.")]),
    "a host two levels under the accepted domain": (
        ["host.sub.contoso.com"], [], ["contoso.com"],
        [("name_not_accepted", ERROR, "The certificate names host.sub.contoso.com. Your tenant accepts contoso.com, "
                                      "but Exchange Online needs the name's parent domain sub.contoso.com to be "
                                      "accepted (KB 4019940). Add sub.contoso.com or host.sub.contoso.com as an "
                                      "accepted domain.")]),
    "names unrelated to the accepted domains": (
        ["mail.fabrikam.net", "smtp.fabrikam.net"], [], ["tailspin.com", "contoso.com"],
        [("name_not_accepted", ERROR, "None of the names on the certificate (mail.fabrikam.net, smtp.fabrikam.net) is "
                                      "one of your accepted domains (tailspin.com, contoso.com) or directly under one. "
                                      "Either add mail.fabrikam.net as an accepted domain and enter mail.fabrikam.net "
                                      "on the connector, or get a certificate whose CN or SAN holds one of your "
                                      "accepted domains, like tailspin.com, or a name under one, like "
                                      "mail.tailspin.com.")]),
    "a host three levels under the accepted domain": (
        ["host.eu.sub.contoso.com"], [], ["contoso.com"],
        [("name_not_accepted", ERROR, "The certificate names host.eu.sub.contoso.com. Your tenant accepts contoso.com, "
                                      "but Exchange Online needs the name's parent domain eu.sub.contoso.com to be "
                                      "accepted (KB 4019940). Add eu.sub.contoso.com or host.eu.sub.contoso.com as an "
                                      "accepted domain.")]),
    "a wildcard unrelated to the accepted domains": (
        ["*.fabrikam.net"], [], ["contoso.com"],
        [("name_not_accepted", ERROR, "None of the names on the certificate (*.fabrikam.net) is one of your accepted "
                                      "domains (contoso.com) or directly under one. Either add fabrikam.net as an "
                                      "accepted domain and enter *.fabrikam.net on the connector, or get a "
                                      "certificate whose CN or SAN holds one of your accepted domains, like "
                                      "contoso.com, or a name under one, like mail.contoso.com.")]),
    "only internal names": (
        [], ["mail.fabrikam.local", "10.0.0.5"], ["fabrikam.com"],
        [("internal_name", ERROR, "mail.fabrikam.local, 10.0.0.5"
          + INTERNAL_TAIL.format(domain="fabrikam.com", host="mail.fabrikam.com"))]),
    "internal names and no accepted domains": (
        [], ["exchange01"], [],
        [("internal_name", ERROR, "exchange01" + INTERNAL_TAIL.format(domain="contoso.com", host="mail.contoso.com"))]),
    "internal and unrelated public names": (
        ["mail.fabrikam.net"], ["mail.contoso.local"], ["contoso.com"],
        [("internal_name", ERROR, "mail.contoso.local"
          + INTERNAL_TAIL.format(domain="contoso.com", host="mail.contoso.com")),
         ("name_not_accepted", ERROR, "None of the names on the certificate (mail.fabrikam.net) is one of your "
                                      "accepted domains (contoso.com) or directly under one. Either add "
                                      "mail.fabrikam.net as an accepted domain and enter mail.fabrikam.net on the "
                                      "connector, or get a certificate whose CN or SAN holds one of your accepted "
                                      "domains, like contoso.com, or a name under one, like mail.contoso.com.")]),
    "a host name under the accepted domain": (
        ["mail.contoso.com"], [], ["contoso.com"],
        [("host_name_not_accepted_domain", WARNING,
          "mail.contoso.com is not an accepted domain of your tenant, although it is under the accepted domain "
          "contoso.com. Either add mail.contoso.com as an accepted domain (Microsoft recommends this) and enter "
          "mail.contoso.com on the connector, or enter *.contoso.com on the connector. The second way works, but then "
          "any other certificate under contoso.com, for example one a server uses to send mail to another tenant, "
          "also matches this connector.")]),
    "a wildcard for the accepted domain": (
        ["*.contoso.com"], [], ["contoso.com"],
        [("wildcard_certificate", INFO, 'This is a wildcard certificate: enter *.contoso.com on the connector, with the'
                                        ' "*.". contoso.com on its own does not match a wildcard certificate.')]),
    "a wildcard through an accepted subdomain": (
        ["*.contoso.com"], [], ["jpn.contoso.com"],
        [("wildcard_certificate", INFO, 'This is a wildcard certificate: enter *.contoso.com on the connector, with the'
                                        ' "*.". It passes because jpn.contoso.com is accepted and lies under '
                                        'contoso.com; Microsoft documents this but we have not verified it, so send a '
                                        'test message.')]),
    "an accepted name": (["mail.contoso.com"], [], ["mail.contoso.com"], []),
}


def findings(names, internal, accepted, _=plain):
    accepted = normalize_accepted(accepted)
    return name_findings(names, internal, accepted, find_candidates(names, accepted), _)


@pytest.mark.parametrize("case", sorted(CASES))
def test_what_the_admin_reads_about_the_names(case):
    names, internal, accepted, expected = CASES[case]
    assert [(f.code, f.severity, f.message) for f in findings(names, internal, accepted)] == expected


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_same_in_swedish(case):
    names, internal, accepted, expected = CASES[case]
    translated = findings(names, internal, accepted, swedish)
    assert [(f.code, f.severity) for f in translated] == [(code, severity) for code, severity, _ in expected]
    assert not {f.message for f in translated} & {message for _, _, message in expected}
