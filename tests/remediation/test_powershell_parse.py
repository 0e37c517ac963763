"""Every generated script parses, and uses only documented cmdlets and parameters."""
import pytest

from app.remediation import render_powershell
from app.remediation.rules import EXCHANGE_ONLINE_VERSION, EXCHANGE_VERSIONS, VERIFY, CLEANUP
from tests.remediation.cases import CASES
from tests.remediation.pwsh import (
    commands, errors, parameter_problems, parse, statements, with_commented_commands,
)


@pytest.mark.parametrize("name", sorted(CASES))
def test_rendered_script_parses_without_errors(name):
    script = render_powershell(CASES[name])
    assert errors(parse(with_commented_commands(script))) == []


@pytest.mark.parametrize("name", sorted(CASES))
def test_exchange_online_part_uses_documented_parameters(name):
    plan = CASES[name]
    blocks = [plan.exchange_online.powershell] + [
        block.text for item in plan.checklist if item.id in (VERIFY, CLEANUP)
        for block in item.code if block.language == "powershell"
    ]
    for text in blocks:
        assert parameter_problems(text, EXCHANGE_ONLINE_VERSION) == []


@pytest.mark.parametrize("name", sorted(n for n in CASES if n.startswith("exchange")))
def test_on_premises_part_uses_parameters_of_that_exchange_version(name):
    plan = CASES[name]
    assert parameter_problems(plan.on_premises.powershell, EXCHANGE_VERSIONS[plan.server_kind]) == []


def test_the_check_catches_a_parameter_that_version_lacks():
    text = "New-SendConnector -Name 'x' -TlsCertificateName $t -CloudServicesMailEnabled $true"
    assert parameter_problems(text, "Exchange Server 2010") == [
        "New-SendConnector -TlsCertificateName not documented for Exchange Server 2010",
        "New-SendConnector -CloudServicesMailEnabled not documented for Exchange Server 2010",
    ]
    assert parameter_problems("Set-InboundConnector -Identity 'x' -ClientHostNames 'a'", "Exchange Online") == [
        "Set-InboundConnector -ClientHostNames not documented for Exchange Online",
    ]


def test_commented_options_are_checked_too():
    script = render_powershell(CASES["postfix__none"])
    cmdlets = [c.cmdlet for c in commands(parse(with_commented_commands(script)))]
    assert "Set-InboundConnector" in cmdlets  # the TreatMessagesAsInternal option


@pytest.mark.parametrize("name", sorted(CASES))
def test_one_statement_per_line(name):
    found = statements(parse(render_powershell(CASES[name])))
    assert all(s.start_point[0] == s.end_point[0] for s in found)
    rows = [s.start_point[0] for s in found]
    assert len(rows) == len(set(rows))


def test_statements_are_found():
    assert len(statements(parse(render_powershell(CASES["exchange-2019__ip"])))) > 10


@pytest.mark.parametrize("name", sorted(CASES))
def test_running_the_file_stops_at_a_guard_before_any_command(name):
    """Issue 10 item 10: the first executable statement throws, with the explanation, so running the
    .ps1 as a whole changes nothing."""
    script = render_powershell(CASES[name])
    first = statements(parse(script))[0]
    assert first.type == "flow_control_statement" and first.text.decode().startswith("throw 'This file is a plan")
    assert "nothing was changed" in first.text.decode()
    assert all(line.startswith("#") or not line for line in script[:first.start_byte].splitlines())


def test_the_guard_is_in_the_reader_s_language():
    def swedish(msgid, **params):
        return "SV " + (msgid % params if params else msgid)

    script = render_powershell(CASES["postfix__none"], swedish)
    assert statements(parse(script))[0].text.decode().startswith("throw 'SV This file is a plan")
