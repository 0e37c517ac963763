"""The plan as a commented PowerShell script and as JSON-able data."""
from __future__ import annotations

from dataclasses import asdict

from app.remediation.model import ChecklistItem, OnPremisesConfig, Plan
from app.remediation.powershell import ps_comment, ps_quote
from app.remediation.sources import Source
from app.remediation.rules import (
    BLOCKED, CLEANUP, DONE, EXCHANGE_ONLINE, ON_PREMISES, REGISTER_DOMAIN, REQUEST_CERTIFICATE, UPGRADE_EXCHANGE,
    VERIFY,
)
from app.translate import Translate, plain


def render_powershell(plan: Plan, _: Translate = plain) -> str:
    """The whole plan as one .ps1 text; encode it with powershell_bytes before download."""
    items = {item.id: item for item in plan.checklist}
    rule = ps_comment("=" * 70)
    lines = [
        ps_comment(_("Certificate-based relay through Exchange Online (Microsoft KB 3169958)")),
        ps_comment(_("Case: %(case)s", case=plan.case_reference or "-")),
        ps_comment(_("Organization: %(organization)s", organization=plan.organization or "-")),
        ps_comment(_("Generated on %(date)s with ruleset %(version)s", date=plan.generated_on.isoformat(),
                     version=plan.ruleset_version)),
        ps_comment(_("Do not run this file as a whole. Run each part where its heading says, one command "
                     "at a time, and read the dry run (-WhatIf) before the change itself.")),
        # The first statement: running the file stops here, before any command.
        "throw " + ps_quote(_("This file is a plan to read, not a script to run: nothing was changed. Copy each "
                              "command where its heading says and run it on its own, the dry run (-WhatIf) first.")),
    ]
    lines += [ps_comment(_("Warning: %(message)s", message=w.message)) for w in plan.warnings]
    if UPGRADE_EXCHANGE in items:  # Exchange Online blocks this version: said before anything else
        upgrade = items[UPGRADE_EXCHANGE]
        lines += [ps_comment(_("Blocking: %(title)s.", title=upgrade.title))]
        lines += [ps_comment(detail) for detail in upgrade.details]
        lines += _commented_code(upgrade).split("\n")
    register = items[REGISTER_DOMAIN]
    if register.status != DONE:
        lines += [ps_comment(_("First: %(title)s.", title=register.title))]
        lines += [ps_comment(detail) for detail in register.details]
    lines += _request_part(plan, rule, _)
    # Each part is headed by its step's title, as the page and the PDF number it ("Step 1: ..."), in the
    # checklist's order: a hybrid plan installs the certificate before the wizard writes the connector.
    for item in (i for i in plan.checklist if i.id in (EXCHANGE_ONLINE, ON_PREMISES)):
        text = plan.exchange_online.powershell if item.id == EXCHANGE_ONLINE else _on_premises_text(plan.on_premises)
        lines += ["", rule, ps_comment(item.title), rule]
        lines += _part(item, text, _)
    lines += ["", rule, ps_comment(_("After the changes (remove the # to run a command)")), rule]
    for item_id in (VERIFY, CLEANUP):
        if item_id in items:
            lines += [ps_comment(items[item_id].title)] + _part(items[item_id], _commented_code(items[item_id]), _)
    lines += ["", rule, ps_comment(_("Sources")), rule]
    lines += [ps_comment(_source_line(source)) for source in plan.sources]
    return "\n".join(lines) + "\n"


def _request_part(plan: Plan, rule: str, _: Translate) -> list[str]:
    """Issue 25: the certificate request, PowerShell as is, shell commands as comments."""
    item = next(i for i in plan.checklist if i.id in (REQUEST_CERTIFICATE, REGISTER_DOMAIN))
    # The register-domain item holds request commands as its fix only when no name can go on the connector.
    if not item.code or (item.id == REGISTER_DOMAIN and plan.connector_domain):
        return []
    lines = ["", rule, ps_comment(item.title if item.id != REGISTER_DOMAIN else _("Request the certificate")), rule]
    if item.id != REGISTER_DOMAIN:
        lines += [ps_comment(detail) for detail in item.details]
    for block in item.code:
        lines.append(ps_comment("-- " + block.label))
        lines += (block.text.split("\n") if block.language == "powershell"
                  else [ps_comment(line) for line in block.text.split("\n")])
    return lines


def _source_line(source: Source) -> str:
    return f"{source.title}: {source.url}" if source.url else source.title


def _part(item: ChecklistItem, text: str, _: Translate) -> list[str]:
    """The part's commands, unless the checklist says this step must wait: then why."""
    if item.status == BLOCKED:
        # pragma: no mutate start, a blocked step always carries the finding that blocks it
        return [ps_comment(_("Not yet: %(reason)s", reason=item.reason.message if item.reason else ""))]
        # pragma: no mutate end
    if not text:
        return [ps_comment(note) for note in item.details] + numbered_comments(item.steps)
    return text.split("\n")  # pragma: no mutate: the lines are joined with \n again


def numbered_comments(steps: list[str]) -> list[str]:
    """Ordered steps as comments, numbered as the page and the PDF number them."""
    return [ps_comment(f"{number}. {step}") for number, step in enumerate(steps, start=1)]


def _on_premises_text(config: OnPremisesConfig) -> str:
    """Exchange: each block under its label (per server, then once); other servers: their configuration."""
    if not config.blocks:
        return _as_comments(config)
    return "\n".join(ps_comment("-- " + block.label) + "\n" + block.text for block in config.blocks)


def _as_comments(config: OnPremisesConfig) -> str:
    """Configuration for a server that is not Exchange, shown for reference in the script."""
    lines = [config.config_label] + config.config.split("\n") if config.config else []
    if config.checks:
        lines += [""] + config.checks.split("\n")
    return "\n".join(ps_comment(line) for line in lines)


def _commented_code(item: ChecklistItem) -> str:
    """Commands to run later, after checks only a person can make: commented out."""
    lines = []
    for block in item.code:
        lines.append(ps_comment(block.label + ":"))
        lines += [ps_comment(line) for line in block.text.split("\n")]
    return "\n".join(lines)


def plan_to_dict(plan: Plan) -> dict:
    """Plain JSON-able data: every field of the plan, dates as ISO strings."""
    data = asdict(plan)
    data["generated_on"] = plan.generated_on.isoformat()
    return data
