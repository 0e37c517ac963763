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
