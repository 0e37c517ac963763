"""The renewal check per server kind, with real certificates: the steps fit the server, and every
PowerShell command is documented for the version it runs on (Exchange Online or the Exchange version)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from app.remediation.answers import EXCHANGE_KINDS, SERVER_KINDS
from app.remediation.onprem_exchange import import_certificate_lines, intermediate_lines
from app.remediation.onprem_mta import install_lines
from app.remediation.rules import EXCHANGE_ONLINE_VERSION, EXCHANGE_VERSIONS
from app.renewal import compare_certificates
from app.translate import plain
from tests.certfactory import DAY, NOW, make_intermediate, make_leaf
from tests.remediation.pwsh import OTHER_CMDLETS, commands, parameter_problems, parse, reference
from tests.staff.test_renewal import old, renewed, report  # noqa: F401  (old is a fixture)

PASTED_TLS_NAME = re.compile(r"-TlsCertificateName\s+'")


def powershell(plan) -> list[str]:
    return [line for step in plan.steps if step.language == "powershell" for line in step.commands]


def text_of(plan) -> str:
    return "\n".join(line for step in plan.steps for line in step.commands)


def version_for(cmdlet: str, kind: str) -> str:
    """Exchange Online cmdlets run there; the rest on the Exchange server of this kind."""
    entry = reference().get(cmdlet)
    if entry and "Exchange Server" not in entry["applicable"]:
        return EXCHANGE_ONLINE_VERSION
    return EXCHANGE_VERSIONS.get(kind, EXCHANGE_ONLINE_VERSION)


def undocumented(plan, kind: str) -> list[str]:
    problems = []
    for line in powershell(plan):
        if line.startswith("#"):
            continue
        for command in commands(parse(line)):
            if command.cmdlet not in OTHER_CMDLETS:
                problems += parameter_problems(line, version_for(command.cmdlet, kind))
    return problems


@pytest.fixture(params=["same-names", "renamed", "new-issuer"])
def replacement(request, app, hierarchy):
    if request.param == "same-names":
        return report(app, renewed(hierarchy), hierarchy.intermediate.cert)
    if request.param == "renamed":
        return report(app, renewed(hierarchy, "smtp.contoso.com", sans=["smtp.contoso.com"]), hierarchy.intermediate.cert)
    other_ca = make_intermediate(hierarchy.root, "Other Issuing CA")
    leaf = make_leaf(other_ca, "mail.contoso.com", sans=["mail.contoso.com"], not_after=NOW + 400 * DAY)
    return report(app, leaf, other_ca.cert)


@pytest.mark.parametrize("kind,hybrid", [(k, False) for k in SERVER_KINDS] + [(k, True) for k in EXCHANGE_KINDS]
                         + [("postfix", True)])
def test_every_command_is_documented_for_where_it_runs(old, replacement, kind, hybrid):  # noqa: F811
    plan = compare_certificates(old, replacement, "mail.contoso.com", kind, hybrid)
    assert undocumented(plan, kind) == []
    assert all(step.sources for step in plan.steps)
    # A computed <I>..<S>.. value is a check only: no command ever pastes one.
    assert not [line for line in text_of(plan).splitlines() if PASTED_TLS_NAME.search(line)]
    assert plan.hybrid == (hybrid and kind in EXCHANGE_KINDS)


def test_exchange_2010_selects_by_fqdn_and_uses_certutil(app, hierarchy, old):  # noqa: F811
    new = report(app, renewed(hierarchy, "smtp.contoso.com", sans=["smtp.contoso.com"]), hierarchy.intermediate.cert)
    plan = compare_certificates(old, new, "mail.contoso.com", "exchange-2010")
    text = text_of(plan)
    assert "TlsCertificateName" not in "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    assert "certutil -addstore CA 'C:\\Certificates\\intermediate-1.cer'" in text
    assert not [line for line in text.splitlines() if line.startswith("Import-Certificate")]
    assert "Get-SendConnector | Format-List Name,Fqdn,SmartHosts" in text
    assert "Set-SendConnector -Identity 'To Office 365 (certificate)' -Fqdn 'smtp.contoso.com'" in text
    assert not plan.names_certificate


def test_exchange_2013_and_later_build_the_name_on_the_server(app, hierarchy, old):  # noqa: F811
    other_ca = make_intermediate(hierarchy.root, "Other Issuing CA")
    new = report(app, make_leaf(other_ca, "mail.contoso.com", sans=["mail.contoso.com"], not_after=NOW + 400 * DAY),
                 other_ca.cert)
    plan = compare_certificates(old, new, "mail.contoso.com", "exchange-se")
    text = text_of(plan)
    assert '$tlsCertificateName = "<I>$($cert.Issuer)<S>$($cert.Subject)"' in text
    assert "Set-SendConnector -Identity 'To Office 365 (certificate)' -TlsCertificateName $tlsCertificateName" in text
    assert "Set-ReceiveConnector" not in text and plan.names_certificate


def test_hybrid_points_the_default_frontend_connector_and_reruns_the_wizard(app, hierarchy, old):  # noqa: F811
    other_ca = make_intermediate(hierarchy.root, "Other Issuing CA")
    new = report(app, make_leaf(other_ca, "mail.contoso.com", sans=["mail.contoso.com"], not_after=NOW + 400 * DAY),
                 other_ca.cert)
    plan = compare_certificates(old, new, "mail.contoso.com", "exchange-2019", hybrid=True)
    text = text_of(plan)
    assert ('Set-ReceiveConnector -Identity "$env:COMPUTERNAME\\Default Frontend $env:COMPUTERNAME" '
            "-TlsCertificateName $tlsCertificateName") in text
    assert "Run the Hybrid Configuration Wizard again" in text and "451 5.7.3 STARTTLS is required" in text
    assert "rewrites them each time it runs" in text
    hybrid_step = next(step for step in plan.steps if "hybrid" in step.title)
    assert "KB2989382" in {source.id for source in hybrid_step.sources}


@pytest.mark.parametrize("kind,reload", [("postfix", "postfix reload"), ("sendmail", "systemctl restart sendmail"),
                                         ("exim", "systemctl restart exim4")])
def test_mail_servers_replace_files_and_reload(app, hierarchy, old, kind, reload):  # noqa: F811
    plan = compare_certificates(old, report(app, renewed(hierarchy), hierarchy.intermediate.cert),
                                "mail.contoso.com", kind)
    text = text_of(plan)
    assert all(line in text for line in install_lines(kind)) and reload in text
    assert not {c.cmdlet for c in commands(parse("\n".join(powershell(plan))))} & set(reference())
    assert "-cert relay-cert.pem -cert_chain relay-intermediates.pem -key relay.key" in text
    if kind == "exim":
        assert "/var/log/exim4/mainlog" in text and "/var/log/exim/main.log" in text
    else:
        assert "/var/log/mail.log" in text and "/var/log/maillog" in text and "journalctl -u" in text
    assert [step.language for step in plan.steps][:1] == ["shell"]


def test_the_renewal_uses_the_plans_generators(app, hierarchy, old):  # noqa: F811
    new = report(app, renewed(hierarchy), hierarchy.intermediate.cert)
    text = text_of(compare_certificates(old, new, "mail.contoso.com", "exchange-2016"))
    for line in import_certificate_lines(plain) + intermediate_lines(new, "exchange-2016", plain):
        assert line in text
    # No second generator: app/renewal never formats a command itself.
    for path in (Path(__file__).parents[2] / "app" / "renewal").glob("*.py"):
        names = {n.id for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.Name)}
        assert not names & {"ps_command", "ps_quote"}, path


def test_the_page_asks_for_the_server_and_shows_its_steps(client, hierarchy):
    from tests.conftest import page, submit
    from tests.staff.test_renewal import form_data
    data = form_data(hierarchy, renewed(hierarchy), server_kind="exchange-2010", hybrid_wizard="no")
    soup = page(submit(client, "/renewal", data))
    result = soup.select_one("#renewal-result").get_text()
    assert "Exchange 2010 cannot name the certificate" in result and "certutil -addstore CA" in result
    assert "Get-ExchangeCertificate should show" not in result  # no check value where nothing names it
    data = form_data(hierarchy, renewed(hierarchy), server_kind="postfix", hybrid_wizard="")
    result = page(submit(client, "/renewal", data)).select_one("#renewal-result").get_text()
    assert "postfix reload" in result and "Import-ExchangeCertificate" not in result
