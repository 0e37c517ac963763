"""The Exchange commands the renewal check hands out (app/renewal uses these generators), line for line."""
from __future__ import annotations

from app.remediation import onprem_exchange as exchange
from app.translate import plain
from tests.remediation.pwsh import errors, parse
from tests.swedish import swedish

THUMBPRINT = "3C1F4A9E0B7D2C8F61A5E4D3B2C1F0E9D8C7B6A5"
GENERATORS = {
    "certificate": lambda _: exchange.set_send_connector_certificate_lines(_),
    "fqdn": lambda _: exchange.set_send_connector_fqdn_lines("mail.contoso.com", _),
    "remove": lambda _: exchange.remove_certificate_lines(THUMBPRINT, _),
    "hybrid": lambda _: exchange.hybrid_receive_connector_lines(_),
}


def test_the_send_connector_is_pointed_at_the_certificate_by_its_computed_name():
    assert exchange.set_send_connector_certificate_lines(plain) == [
        "# Use your send connector's name (Get-SendConnector) if it is not To Office 365 (certificate).",
        "Set-SendConnector -Identity 'To Office 365 (certificate)' -TlsCertificateName $tlsCertificateName"]


def test_exchange_2010_points_the_send_connector_at_a_name_on_the_certificate():
    assert exchange.set_send_connector_fqdn_lines("mail.contoso.com", plain) == [
        "# If the FQDN is a name the certificate does not have, set it to one it has (use your send connector's "
        "name if it is not To Office 365 (certificate)):",
        "Set-SendConnector -Identity 'To Office 365 (certificate)' -Fqdn 'mail.contoso.com'"]


def test_the_old_certificate_is_removed_after_a_dry_run():
    assert exchange.remove_certificate_lines(THUMBPRINT, plain) == [
        f"# When the test mail arrived, remove the old certificate (thumbprint {THUMBPRINT}) from each server:",
        f"Remove-ExchangeCertificate -Thumbprint '{THUMBPRINT}' -WhatIf",
        f"Remove-ExchangeCertificate -Thumbprint '{THUMBPRINT}'"]


def test_hybrid_names_the_certificate_on_the_default_frontend_receive_connector():
    assert exchange.hybrid_receive_connector_lines(plain) == [
        "# Hybrid: Exchange Online delivers to your servers through the Default Frontend receive connector, which "
        "names the certificate too. Until it names the new one, mail from Exchange Online fails with 451 5.7.3 "
        "STARTTLS is required (KB 2989382). Run on each server that receives from Exchange Online:",
        'Set-ReceiveConnector -Identity "$env:COMPUTERNAME\\Default Frontend $env:COMPUTERNAME" '
        "-TlsCertificateName $tlsCertificateName"]


def test_each_parses_as_powershell_and_reads_in_swedish_with_the_same_commands():
    for name, lines in GENERATORS.items():
        english, translated = lines(plain), lines(swedish)
        assert errors(parse("\n".join(english))) == [], name
        assert [line for line in translated if not line.startswith("#")] == \
            [line for line in english if not line.startswith("#")], name
        assert [line for line in translated if line.startswith("#")] != \
            [line for line in english if line.startswith("#")], name
