"""The plan: plain data that the report page, PDF, .ps1 and JSON all render."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.certs.model import Finding
from app.remediation.sources import Source


@dataclass(frozen=True)
class CodeBlock:
    label: str        # user-facing, translated
    language: str     # "powershell", "shell", "ini", "m4", "exim": for highlighting and copy buttons
    text: str


@dataclass(frozen=True)
class ChecklistItem:
    id: str                            # one of the item ids in rules
    title: str
    status: str                        # DONE | TODO | BLOCKED
    reason: Finding | None = None      # when blocked: the finding that blocks it
    details: list[str] = field(default_factory=list)  # paragraphs, in order
    steps: list[str] = field(default_factory=list)    # numbered steps after the paragraphs (in the admin center)
    code: list[CodeBlock] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)  # where the step's rules come from


@dataclass(frozen=True)
class AdminCenterSteps:
    new: list[str]       # the new Exchange admin center (admin.exchange.microsoft.com); the classic one is retired


@dataclass(frozen=True)
class ExchangeOnlineConfig:
    connector_name: str
    edits_existing: bool                       # Set-InboundConnector on the admin's certificate connector
    tls_sender_certificate_name: str | None    # None until a connector domain is known
    cloud_services_mail_enabled: bool
    admin_center: AdminCenterSteps
    powershell: str                            # empty while no connector domain is known
    sources: list[Source] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # said with the admin center steps too, not only in the script


@dataclass(frozen=True)
class OnPremisesConfig:
    kind: str                  # the server kind from the answers
    powershell: str = ""       # Exchange Server: Exchange Management Shell commands (all of ``blocks``)
    blocks: list[CodeBlock] = field(default_factory=list)  # the same commands, per server and once
    config: str = ""           # other servers: configuration lines to add
    config_label: str = ""     # e.g. "/etc/postfix/main.cf"
    config_language: str = ""
    checks: str = ""           # shell commands that show the configuration took
    notes: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


@dataclass(frozen=True)
class Plan:
    verdict: str                       # the report's verdict, or IN_PROGRESS without a certificate
    connector_domain: str | None       # the TlsSenderCertificateName value
    mx_endpoint: str                   # the tenant's MX endpoint; when not confirmed, a guess to show as one
    mx_endpoint_confirmed: bool        # False: guessed from a domain, the admin must confirm it
    organization: str
    case_reference: str
    server_kind: str
    checklist: list[ChecklistItem]
    exchange_online: ExchangeOnlineConfig
    on_premises: OnPremisesConfig
    warnings: list[Finding]            # warning findings, then what the plan itself warns of
    findings: list[Finding]            # all findings of the certificate report
    ruleset_version: str
    generated_on: date
    smart_host: str = ""               # what the commands use: the confirmed endpoint, else rules.MX_PLACEHOLDER
    sources: list[Source] = field(default_factory=list)  # every source the plan cites, once
