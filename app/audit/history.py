"""Two audits of one case compared: what was fixed, what is new, what still fails."""
from __future__ import annotations

from dataclasses import dataclass

from app.audit.model import Finding


def finding_key(finding: Finding) -> str:
    """The rule and what it is about (connector, server, certificate): stable between audits."""
    parts = [finding.code] + [f"{k}={finding.target[k]}" for k in sorted(finding.target)
                              if k in ("connector", "server", "thumbprint", "receive_connector")]
    return "|".join(str(p) for p in parts)


def summary(findings: list[Finding]) -> list[dict]:
    """What a stored audit keeps of its findings to compare with the next one."""
    return [{"key": finding_key(f), "code": f.code, "severity": f.severity, "title": f.title} for f in findings]


@dataclass(frozen=True)
class Changes:
    fixed: list[dict]
    new: list[dict]
    still: list[dict]


def compare(before: list[dict], after: list[dict]) -> Changes:
    old = {item["key"]: item for item in before}
    now = {item["key"]: item for item in after}
    return Changes([old[k] for k in old if k not in now], [now[k] for k in now if k not in old],
                   [now[k] for k in now if k in old])
