"""Values from users and certificates stay one harmless string literal."""
import pytest

from app.remediation import build_plan, powershell_bytes, ps_quote, render_powershell
from app.remediation.powershell import SINGLE_QUOTES, ps_comment
from tests.remediation import factories as f
from tests.remediation.cases import TODAY
from tests.remediation.pwsh import commands, errors, parse, statements

NASTY = [
    "x'; Remove-Item C:\\ -Recurse; '",
    "x\u2019; Remove-Item C:\\ -Recurse; \u2018",
    "\u201a$(Remove-Item C:\\)\u201b",
    "a''b",
    "'",
    "\u2019",
    "ends with quote'",
    '"$(Stop-Computer)"',
    "`; Remove-Item x",
    "",
]


def powershell_value(literal: str) -> str:
    """Decode a single-quoted literal as PowerShell's tokenizer does: any of the
    five quote characters closes it, unless another one follows (then that one
    is kept). Fails if the literal ends before its last character."""
    assert literal[0] in SINGLE_QUOTES
    value, i = [], 1
    while True:
        c = literal[i]
        if c in SINGLE_QUOTES:
            if i + 1 < len(literal) and literal[i + 1] in SINGLE_QUOTES:
                value.append(literal[i + 1])
                i += 2
                continue
            assert i == len(literal) - 1, f"literal closes early at {i}: {literal!r}"
            return "".join(value)
        value.append(c)
        i += 1


@pytest.mark.parametrize("value", NASTY)
def test_ps_quote_round_trips_under_powershell_rules(value):
    assert powershell_value(ps_quote(value)) == value


@pytest.mark.parametrize("value", NASTY)
def test_quoted_value_is_one_argument_of_one_statement(value):
    root = parse(f"Set-InboundConnector -Identity {ps_quote(value)} -Enabled $false")
    assert errors(root) == []
    assert len(statements(root)) == 1
    [command] = commands(root)
    assert command.cmdlet == "Set-InboundConnector"
    assert command.parameters == ["Identity", "Enabled"]
    assert command.arguments[0].type == "unary_expression"
    assert command.arguments[0].children[0].type == "string_literal"
    assert command.arguments[0].text.decode() == ps_quote(value)


@pytest.mark.parametrize("value", NASTY[:3])
def test_user_values_in_a_whole_plan_stay_literal(value):
    answers = f.answers("exchange-2019", "certificate", existing_connector_name=value,
                        organization=value + "\nRemove-Item C:\\", case_reference=value)
    script = render_powershell(build_plan(answers, f.report(), today=TODAY))
    root = parse(script)
    assert errors(root) == []
    assert {c.cmdlet for c in commands(root)} <= {
        "Connect-ExchangeOnline", "Set-InboundConnector", "Get-InboundConnector", "Format-List",
        "Get-ExchangeCertificate", "Import-ExchangeCertificate", "Read-Host", "Import-Certificate",
        "Enable-ExchangeCertificate", "Get-ChildItem", "Where-Object", "Get-SendConnector", "New-SendConnector", "Set-SendConnector",
    }
    identities = [c.arguments[0].text.decode() for c in commands(root)
                  if c.cmdlet.endswith("InboundConnector") and c.parameters[:1] == ["Identity"]]
    assert identities and all(powershell_value(i) == value for i in identities)


def test_certificate_subject_is_quoted_too():
    report = f.report(subject="CN=mail.contoso.com, O=x'; Remove-Item C:\\; '")
    plan = build_plan(f.answers("exchange-2016"), report, today=TODAY)
    line = next(l for l in plan.on_premises.powershell.splitlines() if l.startswith("$tlsCertificateName -eq "))
    literal = line.split(" -eq ", 1)[1]
    assert powershell_value(literal) == report.exchange_tls_certificate_name


def test_comment_cannot_break_out_into_code():
    assert ps_comment("a\r\nRemove-Item C:\\\u2028b\x85c") == "# a Remove-Item C:\\ b c"
    assert ps_comment("  indented \n") == "#   indented"
    assert ps_comment("") == "#"


def test_powershell_bytes_have_bom_and_crlf():
    data = powershell_bytes("a\nb\r\nc\u2019\n")
    assert data.startswith(b"\xef\xbb\xbf")
    assert data[3:] == "a\r\nb\r\nc\u2019\r\n".encode("utf-8")


def test_powershell_bytes_end_a_lone_carriage_return_as_a_windows_line():
    assert powershell_bytes("a\rb") == b"\xef\xbb\xbfa\r\nb"
