"""PowerShell parsing for the tests: tree-sitter-pwsh, plus the cmdlet parameter reference."""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import tree_sitter_pwsh
from tree_sitter import Language, Node, Parser

# The project's own copy of the cmdlet reference (docs/reference/README.md says where it comes from).
REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "reference" / "exchange-cmdlet-parameters.json"

# Commands outside the Exchange reference that the plan uses, with the parameters
# we allow; sources: ExchangeOnlineManagement (Connect-ExchangeOnline), the PKI
# module (Import-Certificate, Windows Server 2012 and later), learn.microsoft.com
# Get-MessageTraceV2, Microsoft.PowerShell.Utility (Format-List, Get-Date,
# Read-Host), Microsoft.PowerShell.Management (Get-ChildItem, Get-ItemProperty),
# Microsoft.PowerShell.Core (Where-Object), and the Windows commands reference
# for certutil (-addstore; KB 3212877 and the DigiCert Global Root G2 blog use it).
# The audit's collection script (app/audit/collect.py) also uses, all present in
# Windows PowerShell 2.0 (Exchange 2010): Microsoft.PowerShell.Core (Get-Command,
# ForEach-Object) and Microsoft.PowerShell.Utility (Select-Object, Sort-Object, Select-String, Out-String).
OTHER_CMDLETS = {
    "Connect-ExchangeOnline": set(),
    "Import-Certificate": {"CertStoreLocation", "FilePath"},
    "Get-MessageTraceV2": {"StartDate", "EndDate", "SenderAddress", "RecipientAddress"},
    "Format-List": set(),
    "Get-Date": set(),
    "Read-Host": {"AsSecureString", "Prompt"},
    "Get-Command": {"Name", "ErrorAction"},
    "Where-Object": set(),
    "ForEach-Object": set(),
    "Get-ChildItem": {"Path", "Filter"},
    "Get-ItemProperty": {"Path"},
    "Select-Object": {"First", "Last"},
    "Sort-Object": {"Property"},
    "Select-String": {"Pattern"},
    "Out-String": {"Width"},
    "certutil": {"addstore"},
    # Microsoft.PowerShell.Management; Exchange 2010's "Generate Request for Third-Party Certificate Services"
    # saves New-ExchangeCertificate's request with it (issue 25).
    "Set-Content": {"Path", "Value"},
}

# A comment that holds a command to enable ("# Set-InboundConnector -Identity ...").
COMMENTED_COMMAND = re.compile(r"^# ([A-Z][a-z]+-[A-Za-z0-9]+(?: .*)?)$")


@dataclass(frozen=True)
class Command:
    cmdlet: str
    parameters: list[str]
    arguments: list[Node]


@functools.cache
def _parser() -> Parser:
    return Parser(Language(tree_sitter_pwsh.language()))


@functools.cache
def reference() -> dict:
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


def parse(text: str) -> Node:
    return _parser().parse(text.encode("utf-8")).root_node


def errors(root: Node) -> list[str]:
    found = []

    def walk(node: Node) -> None:
        if node.type == "ERROR" or node.is_missing:
            found.append(f"{node.type} at {node.start_point}: {node.text.decode()[:80]!r}")
        for child in node.children:
            walk(child)

    walk(root)
    return found


def statements(root: Node) -> list[Node]:
    """Top-level statements (not comments)."""
    return [n for block in root.children if block.type == "statement_list"
            for n in block.named_children if n.type != "comment"]


def commands(root: Node) -> list[Command]:
    found = []

    def walk(node: Node) -> None:
        if node.type == "command":
            name = next(c for c in node.children if c.type == "command_name").text.decode()
            elements = next((c for c in node.children if c.type == "command_elements"), None)
            children = elements.children if elements else []
            params = [c.text.decode().lstrip("-").rstrip(":") for c in children if c.type == "command_parameter"]
            args = [c for c in children if c.type not in ("command_parameter", "command_argument_sep")]
            found.append(Command(name, params, args))
        for child in node.children:
            walk(child)

    walk(root)
    return found


def with_commented_commands(text: str) -> str:
    """The script plus the commands its comments offer, uncommented, so they are checked too."""
    extra = [m.group(1) for line in text.splitlines() if (m := COMMENTED_COMMAND.match(line))]
    return text + "\n" + "\n".join(extra)


def parameter_problems(text: str, version: str) -> list[str]:
    """Cmdlets or parameters not documented for ``version`` (e.g. "Exchange Server 2010")."""
    problems = []
    for command in commands(parse(with_commented_commands(text))):
        if command.cmdlet in OTHER_CMDLETS:
            allowed = OTHER_CMDLETS[command.cmdlet]
            problems += [f"{command.cmdlet} -{p}" for p in command.parameters if p not in allowed]
            continue
        entry = reference().get(command.cmdlet)
        if entry is None or version not in entry["applicable"].split(", "):
            problems.append(f"{command.cmdlet} not documented for {version}")
            continue
        for param in command.parameters:
            spec = entry["parameters"].get(param)
            if spec is None or version not in spec["applicable"].split(", "):
                problems.append(f"{command.cmdlet} -{param} not documented for {version}")
    return problems
