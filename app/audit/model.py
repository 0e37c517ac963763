"""Plain data of the audit: pasted objects with the lines they came from, findings, the result."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.audit import values

# What a pasted object is (from the cmdlet that printed it).
ACCEPTED_DOMAIN = "accepted_domain"
INBOUND_CONNECTOR = "inbound_connector"
OUTBOUND_CONNECTOR = "outbound_connector"
SEND_CONNECTOR = "send_connector"
RECEIVE_CONNECTOR = "receive_connector"
CERTIFICATE = "certificate"
EXCHANGE_SERVER = "exchange_server"
HYBRID_CONFIGURATION = "hybrid_configuration"
QUEUE = "queue"
TRANSPORT_SERVICE = "transport_service"
KINDS = (ACCEPTED_DOMAIN, INBOUND_CONNECTOR, OUTBOUND_CONNECTOR, SEND_CONNECTOR, RECEIVE_CONNECTOR,
         CERTIFICATE, EXCHANGE_SERVER, HYBRID_CONFIGURATION, QUEUE, TRANSPORT_SERVICE)


@dataclass(frozen=True)
class Evidence:
    line: int      # 1-based line of the paste
    text: str      # that line as pasted (shortened)

    def to_dict(self) -> dict:
        return {"line": self.line, "text": self.text}


@dataclass
class Field:
    name: str
    value: str
    line: int
    text: str
    truncated: bool = False   # the paste cut it ("..." or a "{a, b...}" list)


@dataclass
class PastedObject:
    kind: str | None
    line: int                                      # where it starts
    fields: dict[str, Field] = field(default_factory=dict)   # by lower-case name
    certificates: list[str] = field(default_factory=list)    # PEM blocks printed with it (leaf, then issuers)
    table: bool = False                            # read from a table row (cut values, letters for services)

    def get(self, name: str) -> str | None:
        found = self.fields.get(name.lower())
        return found.value if found else None

    def has(self, name: str) -> bool:
        return name.lower() in self.fields

    def text(self, name: str) -> str:
        return (self.get(name) or "").strip()

    def flag(self, name: str) -> bool | None:
        return values.boolean(self.get(name))

    def items(self, name: str) -> list[str]:
        return values.items(self.get(name))

    def cut(self, name: str) -> bool:
        found = self.fields.get(name.lower())
        return bool(found and found.truncated)

    def evidence(self, *names: str) -> list[Evidence]:
        found = [self.fields[n.lower()] for n in names if n.lower() in self.fields]
        return [Evidence(f.line, f.text) for f in found] or [Evidence(self.line, self.label)]

    @property
    def label(self) -> str:
        return self.text("Identity") or self.text("Name") or self.text("Thumbprint") or self.text("DomainName")

    @property
    def name(self) -> str:
        return self.text("Name") or self.label


@dataclass(frozen=True)
class Notice:
    """Something the reader could not use: shown so nothing is silently dropped."""
    line: int
    text: str
    reason: str    # UNREAD_LINE | POWERSHELL_ERROR | CUT_OFF


UNREAD_LINE, POWERSHELL_ERROR, CUT_OFF = "unread_line", "powershell_error", "cut_off"


@dataclass
class Configuration:
    objects: list[PastedObject]
    log_lines: list[Evidence]
    notices: list[Notice]
    parts: set[str]                     # "exchange_online", "exchange_server": which collection parts ran
    read: set[str] = field(default_factory=set)   # kinds whose Get- output was read (objects, or the command named)

    def of(self, kind: str) -> list[PastedObject]:
        return [o for o in self.objects if o.kind == kind]


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    title: str
    message: str
    evidence: list[Evidence]
    fix: str
    sources: tuple[str, ...]
    target: dict = field(default_factory=dict)   # what the fix acts on (connector, server, thumbprint...)

    def to_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "title": self.title, "message": self.message,
                "evidence": [e.to_dict() for e in self.evidence], "fix": self.fix, "sources": list(self.sources)}


@dataclass(frozen=True)
class FixStep:
    code: str                  # the rule it fixes
    title: str
    shell: str                 # EXCHANGE_ONLINE_SHELL | EXCHANGE_SERVER_SHELL | MANUAL
    commands: list[str]        # dry run first, then the change, then a check; empty for manual steps
    note: str = ""


EXCHANGE_ONLINE_SHELL, EXCHANGE_SERVER_SHELL, MANUAL = "exchange_online", "exchange_server", "manual"


@dataclass(frozen=True)
class FixPlan:
    steps: list[FixStep]
    server_version: str        # the Exchange Server version the on-premises commands were written for

    def to_dict(self) -> dict:
        return {"server_version": self.server_version,
                "steps": [{"rule": s.code, "title": s.title, "shell": s.shell, "commands": s.commands,
                           "note": s.note} for s in self.steps]}


@dataclass
class Audit:
    findings: list[Finding]
    verdict: str
    configuration: Configuration
    plan: FixPlan
    made_at: datetime
    ruleset_version: str
    counts: dict[str, int]     # objects read per kind
