"""The certificate request per server kind (issue 25, item 1): the names, and commands that run."""
from __future__ import annotations

import os
import re
import subprocess

import pytest

from app.certs.analysis import analyze
from app.certs.request import check_request
from app.certs.trust import load_trust_store
from app.remediation import build_plan
from app.remediation.answers import EXCHANGE_KINDS, SERVER_KINDS
from app.remediation.certificate_request import (
    exchange_request_lines, openssl_request_line, renewal_names, request_blocks, request_names,
)
from app.remediation.rules import EXCHANGE_VERSIONS, UNIX_KEY_FILE
from app.translate import plain
from tests.certfactory import make_hierarchy, write_trust_store
from tests.remediation import factories as f
from tests.remediation.cases import CASES, TODAY
from tests.remediation.pwsh import commands, errors, parameter_problems, parse

ACCEPTED = ["contoso.com", "fabrikam.net"]


@pytest.mark.parametrize("kind", EXCHANGE_KINDS)
def test_each_exchange_request_parses_and_uses_only_documented_parameters(kind):
    text = "\n".join(exchange_request_lines(kind, ["mail.contoso.com", "smtp01.contoso.com"], plain))
    assert errors(parse(text)) == []
    assert parameter_problems(text, EXCHANGE_VERSIONS[kind]) == []
    request = next(c for c in commands(parse(text)) if c.cmdlet == "New-ExchangeCertificate")
    assert {"GenerateRequest", "SubjectName", "DomainName", "KeySize", "PrivateKeyExportable"} <= set(request.parameters)
    assert [c.cmdlet for c in commands(parse(text))][-2:] == ["Import-ExchangeCertificate", "Enable-ExchangeCertificate"]


def test_request_file_only_where_the_reference_documents_it():
    by_kind = {kind: "\n".join(exchange_request_lines(kind, ["mail.contoso.com"], plain)) for kind in EXCHANGE_KINDS}
    assert "-RequestFile" in by_kind["exchange-2013"]
    assert "Set-Content -Path 'C:\\Certificates\\relay.req' -Value $request" in by_kind["exchange-2010"]
    for kind in ("exchange-2016", "exchange-2019", "exchange-se"):
        assert "-RequestFile" not in by_kind[kind] and "Unicode.GetBytes($request)" in by_kind[kind]
    # The reference check is what keeps -RequestFile off 2016: it would catch it.
    assert parameter_problems(by_kind["exchange-2013"], "Exchange Server 2016") == [
        "New-ExchangeCertificate -RequestFile not documented for Exchange Server 2016"]


def test_the_openssl_line_runs_and_its_request_passes_our_check(tmp_path):
    names = ["mail.contoso.com", "smtp01.contoso.com"]
    subprocess.run(["sh", "-c", openssl_request_line(names)], cwd=tmp_path, check=True, capture_output=True)
    assert os.stat(tmp_path / UNIX_KEY_FILE).st_mode & 0o777 == 0o600
    report = check_request((tmp_path / "relay.csr").read_bytes(), ["contoso.com"])
    assert report.request.common_name == "mail.contoso.com"
    assert report.request.dns_names == names
    assert report.request.key_type == "RSA" and report.request.key_size == 2048
    assert report.recommended_connector_domain == "mail.contoso.com"
    assert report.verdict != "blocked"


def test_the_openssl_line_quotes_a_wildcard_for_the_shell(tmp_path):
    subprocess.run(["sh", "-c", openssl_request_line(["*.contoso.com"])], cwd=tmp_path, check=True,
                   capture_output=True)
    assert check_request((tmp_path / "relay.csr").read_bytes(), ["contoso.com"]).request.dns_names == ["*.contoso.com"]


def test_the_server_name_is_requested_when_it_is_under_an_accepted_domain():
    names = request_names(ACCEPTED, server_fqdn="SMTP01.contoso.com.")
    assert names.names == ["smtp01.contoso.com"] and names.add_domain == "smtp01.contoso.com"


@pytest.mark.parametrize("fqdn", ["", "exchange01.contoso.local", "exchange01", "mail.notcontoso.com"])
def test_otherwise_the_plans_example_host_name(fqdn):
    names = request_names(ACCEPTED, server_fqdn=fqdn)
    assert names.names == ["mail.contoso.com"]
    assert names.connector_domain == "mail.contoso.com"


def test_an_accepted_connector_domain_comes_first_and_needs_nothing_added():
    names = request_names(ACCEPTED, server_fqdn="smtp01.contoso.com", connector_domain="contoso.com")
    assert names.names == ["contoso.com", "smtp01.contoso.com"] and names.add_domain is None


def test_no_accepted_domain_no_names():
    assert request_names([]) is None


def test_mta_kinds_get_the_openssl_block():
    for kind in ("postfix", "sendmail", "exim", "other"):
        [block] = request_blocks(kind, ["mail.contoso.com"], plain)
        assert block.language == "shell" and block.text.startswith("(umask 077; openssl req -new")


def test_renewal_asks_for_the_current_public_names(hierarchy_with_names):
    report = hierarchy_with_names
    assert renewal_names(report) == ["contoso.com", "mail.contoso.com"]


@pytest.fixture
def hierarchy_with_names(tmp_path):
    h = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com", "exchange01.contoso.local"])
    store = load_trust_store(write_trust_store(tmp_path / "roots.pem", h.root.cert))
    return analyze([h.leaf.cert, h.intermediate.cert], ["contoso.com"], trust_store=store)


def _requested(plan_item) -> list[str]:
    """The names in the request command of a checklist item (PowerShell -DomainName or openssl's SAN)."""
    text = "\n".join(block.text for block in plan_item.code)
    match = re.search(r"-DomainName ((?:'[^']+',?)+)", text) or re.search(r"subjectAltName=([^' )\n]+)", text)
    return re.findall(r"'([^']+)'", match.group(1)) if "-DomainName" in match.group(0) else [
        n.removeprefix("DNS:") for n in match.group(1).split(",")]


GET_A_CERTIFICATE_PATHS = [
    (kind, fqdn, accepted, report)
    for kind in SERVER_KINDS
    for fqdn in ("", "smtp01.fabrikam.com", "exchange01.fabrikam.local")
    for accepted in (["fabrikam.com"], ["fabrikam.com", "contoso.com"])
    for report in (None, f.internal_name_report)
]


@pytest.mark.parametrize("kind,fqdn,accepted,report", GET_A_CERTIFICATE_PATHS)
def test_every_get_a_certificate_path_requests_the_plans_recommended_name(kind, fqdn, accepted, report):
    answers = f.answers(kind, "ip", accepted_domains=accepted, server_fqdn=fqdn)
    result = build_plan(answers, report() if report else None, today=TODAY)
    first = [item for item in result.checklist if item.id != "upgrade_exchange"][0]  # after a blocking upgrade
    assert first.title == "Get a certificate whose name is one of your accepted domains"
    host = "smtp01.fabrikam.com" if fqdn == "smtp01.fabrikam.com" else "mail.fabrikam.com"
    assert f"like {host}." in " ".join(first.details)
    assert _requested(first) == [host]


@pytest.mark.parametrize("name", sorted(n for n in CASES if n.startswith("exchange")))
def test_request_commands_in_every_exchange_plan_are_documented_for_that_version(name):
    plan = CASES[name]
    for item in plan.checklist:
        for block in item.code:
            if block.label.startswith("Request the certificate"):
                assert errors(parse(block.text)) == []
                assert parameter_problems(block.text, EXCHANGE_VERSIONS[plan.server_kind]) == []


@pytest.mark.parametrize("report,code", [(f.expired_report, "expired"), (f.internal_name_report, "internal_name")])
def test_blocked_plans_lead_with_the_request(report, code):
    result = build_plan(f.answers("exchange-2019", "none"), report(), today=TODAY)
    first = result.checklist[0]
    assert any(block.label.startswith("Request the certificate") for block in first.code)
    assert any("As of 2026-12-06" in detail for detail in first.details)
    assert code in {finding.code for finding in result.findings}
