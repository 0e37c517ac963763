"""A connector name or organization written as PowerShell stays one harmless string in the .ps1."""
from __future__ import annotations

import pytest
from tree_sitter import Node

from app.remediation.powershell import SINGLE_QUOTES
from tests.hostile.conftest import EVIL, walk
from tests.remediation.pwsh import commands, errors, parse

HOSTILE_NAMES = [
    EVIL,
    "x\u2019; Remove-Item C:\\ -Recurse; \u2019",        # typographic quotes end a literal in PowerShell too
    "x'; Remove-Item C:\\ -Recurse #",
    "$(Remove-Item C:\\ -Recurse)",
    "x`'; Remove-Item C:\\ -Recurse; '",
]


def unquote(literal: str) -> str:
    """The value PowerShell gives a single-quoted literal: any quote character doubled stands for one."""
    assert literal[0] in SINGLE_QUOTES and literal[-1] in SINGLE_QUOTES, literal
    body, value, i = literal[1:-1], [], 0
    while i < len(body):
        value.append(body[i])
        i += 2 if body[i] in SINGLE_QUOTES and i + 1 < len(body) and body[i + 1] in SINGLE_QUOTES else 1
    return "".join(value)


def string_literals(node: Node) -> list[str]:
    found = [node.text.decode()] if node.type == "verbatim_string_characters" else []
    for child in node.children:
        found += string_literals(child)
    return found


def script_for(client, hierarchy, name: str, connector_name: str | None = None) -> str:
    from tests.certfactory import to_pem

    location = walk(client, to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert).decode(),
                    organization=name, connector_name=connector_name or name).headers["Location"]
    response = client.get(location + "/remediation.ps1")
    assert response.status_code == 200
    return response.data.decode("utf-8-sig")


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_stay_one_string_in_the_downloaded_script(client, hierarchy, name):
    script = script_for(client, hierarchy, name)
    root = parse(script)
    assert errors(root) == []
    assert "Remove-Item" not in [command.cmdlet for command in commands(root)]
    values = [unquote(literal) for literal in string_literals(root)]
    assert name in values, "the connector's name reaches the script unchanged, as one literal"
    # The organization sits in comments: each mention stays on a comment line.
    assert all(line.startswith("#") for line in script.splitlines() if "Remove-Item" in line and
               not any(literal in line for literal in string_literals(root) if unquote(literal) == name))


def test_a_line_break_in_the_organization_cannot_start_a_command(client, hierarchy):
    script = script_for(client, hierarchy, "Contoso\r\nRemove-Item C:\\ -Recurse", "From on-prem")
    assert [line for line in script.splitlines() if "Remove-Item" in line][0].startswith("# ")
    assert "Remove-Item" not in [command.cmdlet for command in commands(parse(script))]
    assert errors(parse(script)) == []


UNSEEN_ORGANIZATION = "Contoso \u202egnp.exe\u202c Ltd\r\nRemove-Item C:\\ -Recurse\u2028x\u2066y"


def test_bidi_and_line_breaks_from_a_certificate_subject_are_spelled_out(client):
    """Issue 23, finding 13: a subject's RLO made a string read reversed, its line break split it."""
    from cryptography import x509 as cx509
    from cryptography.x509.oid import NameOID

    from tests.certfactory import make_hierarchy, name

    subject = name("mail.contoso.com", cx509.NameAttribute(NameOID.ORGANIZATION_NAME, UNSEEN_ORGANIZATION))
    hierarchy = make_hierarchy("mail.contoso.com", subject=subject, sans=["mail.contoso.com", "contoso.com"])
    script = script_for(client, hierarchy, "Contoso Ltd", "From on-prem")
    for raw in ("\u202e", "\u202c", "\u2028", "\u2066"):
        assert raw not in script
    assert "[char]0x202E" in script and "[char]0x000D + [char]0x000A" in script
    root = parse(script)
    assert errors(root) == []
    assert "Remove-Item" not in [command.cmdlet for command in commands(root)]
    assert all(line.startswith("#") or "[char]0x000D" in line for line in script.splitlines() if "Remove-Item" in line)


@pytest.mark.parametrize("value", ["plain", "a\u202eb", "\u202e", "\u202e\u202c", "x\r\ny", "it\u2019s\u202e", "\ttab"])
def test_a_spelled_out_literal_holds_exactly_the_value(value):
    from app.remediation.powershell import ps_quote

    literal = ps_quote(value)
    root = parse(f"Write-Output {literal}\n")
    assert errors(root) == []
    parts = []  # the expression's pieces, in order: literals unquoted, [char]0x.... decoded
    for piece in literal.strip("()").split(" + ") if literal.startswith("(") else [literal]:
        parts.append(chr(int(piece[len("[char]0x"):], 16)) if piece.startswith("[char]") else unquote(piece))
    assert "".join(parts) == value
