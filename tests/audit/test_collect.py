"""collect.ps1 only reads, parses, and uses only documented cmdlets and parameters on every Exchange version."""
from __future__ import annotations

import pytest

from app.audit.collect import collection_script, online_part, server_part
from app.audit.reading import BLOCK_BEGIN, BLOCK_END
from app.remediation.powershell import powershell_bytes
from app.remediation.rules import EXCHANGE_ONLINE_VERSION, EXCHANGE_VERSIONS
from tests.remediation.pwsh import errors, parameter_problems, parse, reference

# Generic cmdlets that only format, filter or read (Microsoft.PowerShell.Core, .Management, .Utility).
READ_ONLY_GENERIC = {"Format-List", "Out-String", "Where-Object", "ForEach-Object", "Select-Object", "Sort-Object",
                     "Select-String", "Get-Command", "Get-ChildItem"}
ALLOWED_METHODS = {"ToBase64String"}
FORBIDDEN_NODES = {"redirection", "command_invocation_operator"}


def read_only_problems(script: str) -> list[str]:
    """Everything in the script that could change something: a cmdlet that is not Get-* (or a formatter),
    a method call other than ToBase64String, a redirection to a file, the call operator."""
    problems: list[str] = []

    def walk(node) -> None:
        if node.type == "command":
            name = next((c.text.decode() for c in node.children if c.type == "command_name"), None)
            if name is None:
                problems.append(f"computed command: {node.text.decode()[:60]}")
            elif name not in READ_ONLY_GENERIC and not (name.startswith("Get-") and name in reference()):
                problems.append(name)
        if node.type in FORBIDDEN_NODES:
            problems.append(f"{node.type}: {node.text.decode()[:60]}")
        if node.type == "invocation_expression":
            name = next((c.text.decode() for c in node.children if c.type == "member_name"), "")
            if name not in ALLOWED_METHODS:
                problems.append(f"method {name}")
        if node.type == "left_assignment_expression" and not node.text.decode().startswith("$"):
            problems.append(f"assignment to {node.text.decode()[:60]}")
        for child in node.children:
            walk(child)

    walk(parse(script))
    return problems


@pytest.mark.parametrize("kind", sorted(EXCHANGE_VERSIONS))
def test_the_script_only_reads(kind):
    assert read_only_problems(collection_script(kind, "KB-7F3K-92QD")) == []


def test_the_read_only_check_catches_a_change():
    assert read_only_problems("Set-SendConnector -Identity 'x' -RequireTLS $true") == ["Set-SendConnector"]
    assert read_only_problems("Get-SendConnector > C:\\out.txt")
    assert read_only_problems("$c = Get-ExchangeCertificate; $c.Export('Pfx')") == ["method Export"]
    assert read_only_problems("& 'Remove-Item' C:\\x")


@pytest.mark.parametrize("kind", sorted(EXCHANGE_VERSIONS))
def test_the_script_parses(kind):
    assert errors(parse(collection_script(kind))) == []


@pytest.mark.parametrize("kind", sorted(EXCHANGE_VERSIONS))
def test_part_two_uses_parameters_of_that_exchange_version(kind):
    assert parameter_problems("\n".join(server_part(kind == "exchange-2010")), EXCHANGE_VERSIONS[kind]) == []


def test_part_one_uses_exchange_online_parameters():
    assert parameter_problems("\n".join(online_part()), EXCHANGE_ONLINE_VERSION) == []


def test_exchange_2010_gets_its_own_cmdlets():
    script = collection_script("exchange-2010")
    assert "Get-TransportServer" in script and "Get-TransportService" not in script
    assert "Get-FrontendTransportService" not in script and "TlsCertificateName," not in script.split("Get-SendConnector |")[1].split("\n")[0]


def test_no_cmdlet_newer_than_windows_powershell_2():
    script = collection_script("exchange-2010")
    assert "ConvertTo-Json" not in script and "-Raw" not in script and "[ordered]" not in script


def test_the_block_markers_are_the_readers():
    script = collection_script("exchange-se")
    assert f"'{BLOCK_BEGIN}'" in script and f"'{BLOCK_END}'" in script


def test_the_public_certificate_is_printed_never_the_key():
    script = collection_script("exchange-2019")
    assert "$certificate.RawData" in script and "Export" not in script and "PrivateKey" not in script.replace(
        "HasPrivateKey", "")


def test_the_file_is_utf8_with_bom_and_crlf():
    data = powershell_bytes(collection_script("exchange-2016", "KB-7F3K-92QD"))
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")


def test_the_script_collects_every_property_the_rules_read():
    script = collection_script("exchange-2019")
    for name in ("TlsSenderCertificateName", "ConnectorType", "ConnectorSource", "CloudServicesMailEnabled",
                 "TreatMessagesAsInternal", "AddressSpaces", "SmartHosts", "RequireTLS", "TlsAuthLevel", "TlsDomain",
                 "TlsCertificateName", "Fqdn", "SourceTransportServers", "Services", "HasPrivateKey", "IsSelfSigned",
                 "RootCAType", "Status", "NotAfter", "CertificateDomains", "AdminDisplayVersion", "LastError",
                 "DomainName", "SendProtocolLogPath"):
        assert name in script, name


def test_a_script_without_a_case_names_no_case():
    """Issue 24, cosmetic: "# Case: -." in a collection script made without a case."""
    from app.audit.collect import collection_script
    header = collection_script("exchange-2019").splitlines()[1]
    assert header.startswith("# Written for Exchange Server 2019, ruleset ") and "Case" not in header
