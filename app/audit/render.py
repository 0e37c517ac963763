"""The targeted plan as a .ps1 text and the audit as JSON-able data (API, CLI, downloads)."""
from __future__ import annotations

from app.audit.catalog import RULESET_VERSION
from app.audit.model import EXCHANGE_ONLINE_SHELL, EXCHANGE_SERVER_SHELL, Audit, FixPlan
from app.remediation.powershell import ps_comment
from app.translate import Translate, plain

SHELL_LABELS = {
    EXCHANGE_ONLINE_SHELL: "Exchange Online PowerShell",
    EXCHANGE_SERVER_SHELL: "Exchange Management Shell",
}


def shell_label(shell: str, _: Translate = plain) -> str:
    return SHELL_LABELS.get(shell) or _("By hand")


def render_fix_powershell(plan: FixPlan, case_reference: str, made_on: str, _: Translate = plain) -> str:
    rule = ps_comment("=" * 70)
    lines = [
        ps_comment(_("Fixes for what the configuration check found (KB 3169958)")),
        ps_comment(_("Case: %(case)s. Check made on %(date)s with ruleset %(version)s; Exchange Server commands for "
                     "%(server)s.", case=case_reference or "-", date=made_on, version=RULESET_VERSION,
                     server=plan.server_version)),
        ps_comment(_("Run each step where its heading says, in this order, one command at a time: the dry run "
                     "(-WhatIf) first, then the change, then the check.")),
    ]
    if not plan.steps:
        lines.append(ps_comment(_("Nothing to fix: every rule passed.")))
    for number, step in enumerate(plan.steps, start=1):
        lines += ["", rule, ps_comment(_("Step %(number)d: %(title)s (%(where)s)", number=number, title=step.title,
                                         where=shell_label(step.shell, _))), rule]
        if step.note and not step.commands:
            lines.append(ps_comment(step.note))
        lines += step.commands
    return "\n".join(lines) + "\n"


def audit_to_dict(audit: Audit) -> dict:
    return {
        "verdict": audit.verdict,
        "findings": [f.to_dict() for f in audit.findings],
        "plan": audit.plan.to_dict(),
        "read": {"objects": audit.counts, "parts": sorted(audit.configuration.parts),
                 "notices": [{"line": n.line, "text": n.text, "reason": n.reason}
                             for n in audit.configuration.notices]},
        "ruleset_version": audit.ruleset_version,
        "made_at": audit.made_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
