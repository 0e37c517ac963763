"""Internal names (issue 10, item 4): their own finding, and never advice to add or buy them."""
from __future__ import annotations

import pytest

from app.certs.analysis import analyze
from tests.certfactory import NOW, make_hierarchy

ACCEPTED = ["contoso.com", "fabrikam.com"]
INTERNAL = ["mail.contoso.local", "smtp.contoso.lan", "relay.contoso.internal", "exch01.contoso.corp", "exch01"]


@pytest.fixture
def report_for(store):
    def analyse(cn, *, sans=None, ip_addresses=(), accepted=ACCEPTED):
        h = make_hierarchy(cn, sans=sans, ip_addresses=ip_addresses)
        return analyze([h.leaf.cert, h.intermediate.cert], accepted, now=NOW, trust_store=store)
    return analyse


def never_advises_adding_or_buying(report, names):
    for f in report.findings:
        for name in names:
            assert f"add {name}" not in f.message.lower() and f"{name} as an accepted domain" not in f.message


@pytest.mark.parametrize("name", INTERNAL)
def test_an_internal_name_gets_its_own_error_and_the_public_fix(name, report_for):
    report = report_for(name)
    assert [(f.code, f.severity) for f in report.findings] == [("internal_name", "error")]
    assert report.candidates == [] and report.verdict == "blocked"
    message = report.findings[0].message
    assert message.startswith(name + ":")
    assert "No public CA issues a certificate for them" in message
    assert "Microsoft 365 cannot verify them as domains" in message
    assert "like contoso.com" in message and "like mail.contoso.com" in message
    never_advises_adding_or_buying(report, [name])


def test_an_ip_address_san_is_an_internal_name(report_for):
    report = report_for("exch01", sans=["exch01"], ip_addresses=["192.168.10.5"])
    assert report.findings[0].message.startswith("exch01, 192.168.10.5:")


def test_internal_and_unfitting_public_names_get_both_findings_and_only_the_public_one_is_offered(report_for):
    report = report_for("mail.contoso.local", sans=["mail.contoso.local", "mail.fabrikam.net"])
    assert [f.code for f in report.findings] == ["internal_name", "name_not_accepted"]
    assert [c.connector_domain for c in report.candidates] == ["mail.fabrikam.net"]
    never_advises_adding_or_buying(report, ["mail.contoso.local"])


def test_internal_names_beside_a_fitting_public_name_are_not_a_problem_for_the_connector(report_for):
    report = report_for("mail.contoso.com", sans=["mail.contoso.com", "exch01.contoso.local"],
                        accepted=["mail.contoso.com"])
    assert report.findings == [] and report.recommended_connector_domain == "mail.contoso.com"


def test_a_friendly_common_name_is_not_taken_for_a_host(report_for):
    report = report_for("Contoso Relay Certificate", sans=["mail.fabrikam.net"])
    assert [f.code for f in report.findings] == ["name_not_accepted"]


def test_look_alike_public_suffix_is_not_internal(report_for):
    # "localhost.com" and "corp.contoso.com" are public names.
    report = report_for("corp.contoso.com", sans=["corp.contoso.com", "mail.localhost.com"], accepted=["contoso.com"])
    assert "internal_name" not in [f.code for f in report.findings]
