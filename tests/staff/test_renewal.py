"""The renewal check with real certificates: what changed, connector matching, the order of work."""
from __future__ import annotations

import io

import pytest
from cryptography.x509 import NameAttribute
from cryptography.x509.oid import NameOID

from app.web.analysis import report_for
from app.renewal import compare_certificates, connector_matches
from tests.certfactory import DAY, NOW, SERVER_AUTH, make_intermediate, make_leaf, name, to_pem, to_pkcs12
from tests.conftest import page, submit
from tests.remediation.pwsh import OTHER_CMDLETS, parse, reference
from tests.remediation.pwsh import commands as commands_in

DOMAINS = ["contoso.com"]


def report(app, leaf, *chain, domains=DOMAINS):
    with app.test_request_context():
        return report_for(to_pem(leaf.cert, *chain), domains)


@pytest.fixture
def old(app, hierarchy):
    return report(app, hierarchy.leaf, hierarchy.intermediate.cert)


def renewed(hierarchy, cn="mail.contoso.com", **options):
    options.setdefault("not_after", NOW + 400 * DAY)
    return make_leaf(hierarchy.intermediate, cn, sans=options.pop("sans", ["mail.contoso.com", "contoso.com"]), **options)


def changed_fields(plan) -> set[str]:
    return {change.field for change in plan.changes if change.changed}


def commands(plan) -> str:
    return "\n".join(line for step in plan.steps for line in step.commands)


def test_a_plain_renewal_changes_only_thumbprint_and_dates(app, hierarchy, old):
    # The renewed certificate is issued today; the old one has been valid for 30 days.
    new = report(app, renewed(hierarchy, not_before=NOW), hierarchy.intermediate.cert)
    plan = compare_certificates(old, new, "mail.contoso.com", "exchange-2019")
    assert changed_fields(plan) == {"thumbprint", "not_before", "not_after"}
    assert plan.old_matches_connector and plan.new_matches_connector
    assert not plan.tls_name_changed and plan.warnings == []
    text = commands(plan)
    assert f"Enable-ExchangeCertificate -Thumbprint '{new.leaf.thumbprint_sha1}' -Services SMTP" in text
    assert "New-InboundConnector" not in text and "Set-SendConnector" not in text
    assert_documented(text)
    assert old.leaf.thumbprint_sha1 in plan.steps[-1].commands[0]


def test_renamed_certificate_needs_the_connector_first(app, hierarchy, old):
    new = report(app, renewed(hierarchy, "smtp.contoso.com", sans=["smtp.contoso.com"]), hierarchy.intermediate.cert)
    plan = compare_certificates(old, new, "mail.contoso.com", "exchange-2019")
    names = next(c for c in plan.changes if c.field == "names")
    assert names.added == ["smtp.contoso.com"] and names.removed == ["mail.contoso.com", "contoso.com"]
    assert plan.old_matches_connector and not plan.new_matches_connector
    assert plan.new_connector_domain == "*.contoso.com"
    assert plan.tls_name_changed and plan.new_tls_certificate_name.endswith("<S>CN=smtp.contoso.com")
    titles = [step.title for step in plan.steps]
    connector = next(i for i, t in enumerate(titles) if "Exchange Online connector" in t)
    send = next(i for i, t in enumerate(titles) if "send connector" in t)
    test = next(i for i, t in enumerate(titles) if t.startswith("Test"))
    assert titles[0].startswith("Import") and "SMTP" in titles[1] and connector < send < test < len(titles) - 1
    text = commands(plan)
    assert "-TlsSenderCertificateName '*.contoso.com'" in text
    # Built on the server from Get-ExchangeCertificate; the computed value is only compared, never pasted.
    assert "Set-SendConnector -Identity 'To Office 365 (certificate)' -TlsCertificateName $tlsCertificateName" in text
    assert f"$tlsCertificateName -eq '{new.exchange_tls_certificate_name}'" in text
    assert plan.steps[-1].commands[1] == "Set-InboundConnector -Identity 'From on-premises by certificate' -Enabled $false"
    assert_documented(text)


def assert_documented(text: str) -> None:
    """Every cmdlet and parameter the renewal generates is in the Exchange cmdlet reference."""
    found = commands_in(parse(text))
    assert found
    for command in found:
        if command.cmdlet in OTHER_CMDLETS:
            assert set(command.parameters) <= OTHER_CMDLETS[command.cmdlet], command
            continue
        documented = reference()[command.cmdlet]["parameters"]
        assert set(command.parameters) <= set(documented), command


def test_new_issuer_changes_the_send_connector_but_not_the_connector(app, hierarchy, old):
    other_ca = make_intermediate(hierarchy.root, "Other Issuing CA")
    leaf = make_leaf(other_ca, "mail.contoso.com", sans=["mail.contoso.com"], not_after=NOW + 400 * DAY)
    new = report(app, leaf, other_ca.cert)
    plan = compare_certificates(old, new, "mail.contoso.com", "exchange-2019")
    assert "issuer" in changed_fields(plan) and plan.tls_name_changed and plan.new_matches_connector
    assert "Set-SendConnector" in commands(plan) and "New-InboundConnector" not in commands(plan)
    assert "Other Issuing CA" in commands(plan)  # its intermediate is installed first


def test_values_with_quotes_are_quoted_for_powershell(app, hierarchy, old):
    subject = name("mail.contoso.com", NameAttribute(NameOID.ORGANIZATION_NAME, "O'Brien Ltd"))
    new = report(app, renewed(hierarchy, subject=subject), hierarchy.intermediate.cert)
    plan = compare_certificates(old, new, "mail.contoso.com", "exchange-2019")
    assert "O''Brien Ltd" in commands(plan) and "O'Brien" in plan.new_tls_certificate_name


def test_dropped_client_authentication_shows_in_the_ekus(app, hierarchy, old):
    new = report(app, renewed(hierarchy, ekus=[SERVER_AUTH]), hierarchy.intermediate.cert)
    ekus = next(c for c in compare_certificates(old, new, "mail.contoso.com", "exchange-2019").changes if c.field == "ekus")
    assert ekus.removed == ["Client Authentication"] and ekus.added == []


def test_warnings_for_the_same_certificate_and_an_earlier_expiry(app, hierarchy, old):
    same = compare_certificates(old, old, "mail.contoso.com", "exchange-2019")
    assert any("same certificate" in w for w in same.warnings)
    shorter = report(app, renewed(hierarchy, not_after=NOW + 10 * DAY), hierarchy.intermediate.cert)
    assert any("expires no later" in w for w in compare_certificates(old, shorter, "mail.contoso.com", "exchange-2019").warnings)


def test_a_replacement_without_a_usable_name_is_called_out(app, hierarchy, old):
    new = report(app, renewed(hierarchy, "mail.fabrikam.com", sans=["mail.fabrikam.com"]), hierarchy.intermediate.cert)
    plan = compare_certificates(old, new, "mail.contoso.com", "exchange-2019")
    assert plan.new_connector_domain is None and any("No name" in w for w in plan.warnings)
    assert any("problems" in w for w in plan.warnings)  # name_not_accepted blocks it


def test_connector_matching_follows_the_certificate_rules(app, hierarchy, old):
    assert connector_matches("mail.contoso.com", old.leaf) and connector_matches("MAIL.contoso.com.", old.leaf)
    assert connector_matches("*.contoso.com", old.leaf)
    assert not connector_matches("contoso.org", old.leaf) and not connector_matches("*.mail.contoso.com", old.leaf)


def form_data(hierarchy, new_leaf, **extra) -> dict:
    return {"server_kind": "exchange-2019", "hybrid_wizard": "no",
            "current_text": to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert).decode(),
            "new_text": to_pem(new_leaf.cert, hierarchy.intermediate.cert).decode(),
            "connector_domain": "mail.contoso.com", "accepted_domains": "contoso.com", **extra}


def test_the_page_shows_changes_and_steps(client, hierarchy):
    response = submit(client, "/renewal", form_data(hierarchy, renewed(hierarchy, "smtp.contoso.com", sans=["smtp.contoso.com"])))
    assert response.status_code == 200
    soup = page(response)
    result = soup.select_one("#renewal-result")
    assert "*.contoso.com" in result.get_text() and "smtp.contoso.com" in result.get_text()
    assert len(result.select("ol.checklist > li")) == 6


def test_the_page_reads_a_password_protected_pfx(client, hierarchy):
    pfx = to_pkcs12(renewed(hierarchy), hierarchy.intermediate.cert, password="s3cret")
    data = form_data(hierarchy, renewed(hierarchy), new_text="")
    data.update(new_file=(io.BytesIO(pfx), "new.pfx"))
    asks = submit(client, "/renewal", dict(data), content_type="multipart/form-data")
    assert page(asks).select_one(".error-summary-list a")["href"] == "#new_password"
    data.update(new_file=(io.BytesIO(pfx), "new.pfx"), new_password="s3cret")
    done = submit(client, "/renewal", data, content_type="multipart/form-data")
    assert page(done).select_one("#renewal-result") is not None


def test_the_page_names_each_missing_input(client):
    soup = page(submit(client, "/renewal", {"connector_domain": "not a domain", "server_kind": "postfix"}))
    assert soup.title.get_text().startswith("Error: ")
    assert [a["href"] for a in soup.select(".error-summary-list a")] == ["#connector_domain"]
    soup = page(submit(client, "/renewal", {"connector_domain": "mail.contoso.com"}))
    assert [a["href"] for a in soup.select(".error-summary-list a")] == ["#server_kind-0"]
    soup = page(submit(client, "/renewal", {"connector_domain": "mail.contoso.com", "server_kind": "exchange-se"}))
    assert [a["href"] for a in soup.select(".error-summary-list a")] == ["#hybrid_wizard-0"]
    soup = page(submit(client, "/renewal", {"connector_domain": "mail.contoso.com", "server_kind": "postfix"}))
    assert [a["href"] for a in soup.select(".error-summary-list a")] == ["#current_file", "#new_file"]


def test_each_refused_accepted_domain_line_gets_its_own_message_quoting_it(client):
    soup = page(submit(client, "/renewal", {"connector_domain": "mail.contoso.com", "server_kind": "postfix",
                                            "accepted_domains": "contoso\ncontoso.com\nnot a domain"}))
    messages = [a.get_text(" ", strip=True) for a in soup.select(".error-summary-list a[href='#accepted_domains']")]
    assert len(messages) == 2
    assert messages[0].startswith('Line 1: "contoso"') and messages[1].startswith('Line 3: "not a domain"')


def test_a_renamed_certificate_says_why_the_connector_becomes_a_wildcard(app, hierarchy, old):
    """Issue 21 item 2: never a silent switch to a wildcard; the preferred way is to add the host name."""
    new = report(app, renewed(hierarchy, "smtp.contoso.com", sans=["smtp.contoso.com"]), hierarchy.intermediate.cert)
    text = commands(compare_certificates(old, new, "mail.contoso.com", "exchange-2019"))
    assert "-RequireTls $true -TlsSenderCertificateName '*.contoso.com'" in text
    assert "The new connector says *.contoso.com, a wildcard" in text
    assert "Preferred: add smtp.contoso.com as an accepted domain" in text
    assert text.index("a wildcard") < text.index("New-InboundConnector -Name")


def test_a_hybrid_renewal_reruns_the_wizard_instead_of_adding_a_connector(app, hierarchy, old):
    """Issue 21 item 2: no second OnPremises connector beside the wizard's, no hand edit but the fallback."""
    new = report(app, renewed(hierarchy, "smtp.contoso.com", sans=["smtp.contoso.com"]), hierarchy.intermediate.cert)
    plan = compare_certificates(old, new, "mail.contoso.com", "exchange-2019", hybrid=True)
    run = [line for step in plan.steps for line in step.commands if not line.startswith("#")]
    assert not [line for line in run if "InboundConnector" in line and not line.startswith("$hybridConnector")]
    text = commands(plan)
    assert "on its Transport Certificate page, choose the certificate issued to" in text
    assert "# Set-InboundConnector -Identity $hybridConnector.Name -RequireTls $true" in text
    assert "Fallback, only if the Hybrid Configuration Wizard cannot be run" in text
    assert_documented(text)


def test_a_replacement_without_client_authentication_gets_the_dated_statement(app, hierarchy, old):
    """Issue 25, item 3: said where it matters, with its date, claiming neither way."""
    new = report(app, renewed(hierarchy, ekus=[SERVER_AUTH]), hierarchy.intermediate.cert)
    warnings = compare_certificates(old, new, "mail.contoso.com", "exchange-2019").warnings
    [eku] = [w for w in warnings if "Client Authentication" in w]
    assert eku.startswith("As of 2026-12-06, Microsoft has not published whether Exchange Online requires")
    kept = report(app, renewed(hierarchy), hierarchy.intermediate.cert)
    assert not any("Client Authentication" in w
                   for w in compare_certificates(old, kept, "mail.contoso.com", "exchange-2019").warnings)


def test_a_signing_request_as_the_replacement_is_checked_before_buying(client, hierarchy):
    """Issue 25, item 4: the names a certificate issued for it would carry, against the one in use."""
    from tests.certfactory import make_request, request_pem
    kept = request_pem(make_request("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])).decode()
    soup = page(submit(client, "/renewal", form_data(hierarchy, renewed(hierarchy), new_text=kept)))
    section = soup.select_one("#renewal-request")
    assert "keeps the names" in section.get_text() and "needs no change" in section.get_text()
    assert soup.select_one("#renewal-result") is None  # no order of work before the certificate exists
    renamed = request_pem(make_request("smtp.contoso.com")).decode()
    section = page(submit(client, "/renewal", form_data(hierarchy, renewed(hierarchy), new_text=renamed))).select_one(
        "#renewal-request")
    assert "Added: smtp.contoso.com" in section.get_text()
    assert "The connector needs *.contoso.com" in section.get_text()


def test_an_error_elsewhere_keeps_both_chosen_files(client, hierarchy):
    """Issue 24, item 13: a validation error cleared both files; they stay as PEM in their paste fields."""
    current = to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert)
    new_pem = to_pem(renewed(hierarchy).cert, hierarchy.intermediate.cert)
    data = {"server_kind": "exchange-2019", "hybrid_wizard": "no", "connector_domain": "not a domain",
            "current_file": (io.BytesIO(current), "old.cer"), "new_file": (io.BytesIO(new_pem), "new.cer")}
    soup = page(submit(client, "/renewal", data, content_type="multipart/form-data"))
    assert [a["href"] for a in soup.select(".error-summary-list a")] == ["#connector_domain"]
    assert soup.select_one("#current_text").get_text().strip() == current.decode().strip()
    assert soup.select_one("#new_text").get_text().strip() == new_pem.decode().strip()
    fixed = {"server_kind": "exchange-2019", "hybrid_wizard": "no", "connector_domain": "mail.contoso.com",
             "current_text": soup.select_one("#current_text").get_text(), "new_text": soup.select_one("#new_text").get_text()}
    assert page(submit(client, "/renewal", fixed)).select_one("#renewal-result") is not None
