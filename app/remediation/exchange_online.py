"""Step 1 of the KB: the inbound OnPremises connector in Exchange Online."""
from __future__ import annotations

from app.remediation import advice as A
from app.remediation.advice import sources_of
from app.certs.model import CertificateReport
from app.remediation.answers import EXCHANGE_KINDS, PlanAnswers
from app.remediation.model import AdminCenterSteps, ExchangeOnlineConfig
from app.remediation.powershell import SWITCH, Token, format_list, ps_command, ps_comment
from app.remediation.rules import (
    CONNECTOR_NAME_MAX,
    DEFAULT_CONNECTOR_NAME,
    FROM_ON_PREMISES,
    NEW_CERTIFICATE_OPTION,
    RETAIN_HEADERS,
    TO_OFFICE_365,
)
from app.translate import Translate

# The connector the Hybrid Configuration Wizard made ("Inbound from <GUID>"), found by its source, not its name.
HYBRID_CONNECTOR = Token("$hybridConnector")
HCW_FILTER = " | Where-Object { $_.ConnectorSource -eq 'HybridWizard' }"

CHECK_PROPERTIES = (
    "Name", "ConnectorType", "SenderDomains", "RequireTls", "TlsSenderCertificateName", "CloudServicesMailEnabled",
)


def edits_existing_connector(answers: PlanAnswers) -> bool:
    """Edit the admin's certificate connector in place, as the KB says; else build a new one."""
    return answers.existing_connector_kind == "certificate" and bool(answers.existing_connector_name.strip())


def recommend_connector_name(answers: PlanAnswers) -> str:
    """The existing certificate connector's name, or a new name that differs from the old IP connector's."""
    existing = answers.existing_connector_name.strip()
    if edits_existing_connector(answers):
        return existing
    if existing.casefold() == DEFAULT_CONNECTOR_NAME.casefold():
        return f"{DEFAULT_CONNECTOR_NAME} (2)"[:CONNECTOR_NAME_MAX]
    return DEFAULT_CONNECTOR_NAME


def inbound_connector_settings(domain: str, is_exchange: bool) -> dict[str, object]:
    """The connector's settings for New-/Set-InboundConnector: the plan, the renewal check and the audit share them.

    RequireTls $true with TlsSenderCertificateName, as Microsoft's examples, the EAC and the HCW set them
    (exchange-facts.md section 11; advice.REQUIRE_TLS). CloudServicesMailEnabled keeps Exchange's cross-premises
    headers; it is set to $false for other servers so that TreatMessagesAsInternal can be turned on later.
    """
    return {
        "ConnectorType": Token("OnPremises"),
        "SenderDomains": Token("*"),
        "RequireTls": True,
        "TlsSenderCertificateName": domain,
        "CloudServicesMailEnabled": is_exchange,
    }


def dry_run_then_change(cmdlet: str, params: dict[str, object], _: Translate) -> list[str]:
    """The command with -WhatIf, then the command itself, each under a comment that says which is which."""
    return [
        ps_comment(_("Dry run: shows what would change and changes nothing.")),
        ps_command(cmdlet, **params, WhatIf=SWITCH),
        ps_comment(_("The change itself.")),
        ps_command(cmdlet, **params),
    ]


def disable_connector_command(name: str) -> str:
    """Turn an inbound connector off: reversible, unlike removing it."""
    return ps_command("Set-InboundConnector", Identity=name, Enabled=False)


def message_trace_command(hours: int) -> str:
    return ps_command("Get-MessageTraceV2", StartDate=Token(f"(Get-Date).AddHours(-{hours})"), EndDate=Token("(Get-Date)"))


def build_exchange_online(answers: PlanAnswers, connector_domain: str | None, _: Translate,
                          report: CertificateReport | None = None) -> ExchangeOnlineConfig:
    if answers.hybrid_wizard:
        return _hybrid(answers, connector_domain, report, _)
    name = recommend_connector_name(answers)
    editing = edits_existing_connector(answers)
    is_exchange = answers.server_kind in EXCHANGE_KINDS
    used = [A.CONNECTOR_STEPS, A.NEW_EAC_ONLY, A.REQUIRE_TLS]
    used += [A.UNPATCHED_PAUSE] if is_exchange else [A.TREAT_AS_INTERNAL]
    return ExchangeOnlineConfig(
        connector_name=name,
        edits_existing=editing,
        tls_sender_certificate_name=connector_domain,
        cloud_services_mail_enabled=is_exchange,
        admin_center=_admin_center_steps(name, editing, is_exchange, connector_domain, _),
        powershell=_powershell(answers, name, editing, is_exchange, connector_domain, _) if connector_domain else "",
        sources=sources_of(*used),
    )


def _hybrid(answers: PlanAnswers, domain: str | None, report: CertificateReport | None,
            _: Translate) -> ExchangeOnlineConfig:
    """Connectors the Hybrid Configuration Wizard made: run it again; a hand edit only as the labelled fallback."""
    certificate = (_("the certificate issued to %(subject)s (thumbprint %(thumbprint)s)",
                     subject=report.leaf.subject_windows, thumbprint=report.leaf.thumbprint_sha1)
                   if report else _("the certificate of this plan"))
    steps = [
        A.HYBRID_VIA_HCW.say(_, certificate=certificate),
        _("Finish the wizard. It writes the certificate's name into TlsSenderCertificateName of its connector "
          "Inbound from <GUID> in Exchange Online, with RequireTls True."),
        _("Check the wizard's connector with the command below."),
    ]
    lines = [
        ps_comment(_("Sign in with an Exchange administrator account (module ExchangeOnlineManagement).")),
        "Connect-ExchangeOnline",
        ps_comment(A.HYBRID_VIA_HCW.say(_, certificate=certificate)),
    ] + hybrid_connector_lines(domain, _)
    lines += _pause_lines(_)
    return ExchangeOnlineConfig(
        connector_name="Inbound from <GUID>",
        edits_existing=True,
        tls_sender_certificate_name=domain,
        cloud_services_mail_enabled=True,
        admin_center=AdminCenterSteps(new=steps),
        powershell="\n".join(lines),
        sources=sources_of(A.HYBRID_VIA_HCW, A.HYBRID_CHECK_INBOUND, A.HCW_FALLBACK, A.HCW_REWRITES, A.REQUIRE_TLS,
                           A.UNPATCHED_PAUSE),
        notes=[A.HCW_REWRITES.say(_)],
    )


def hybrid_connector_lines(domain: str | None, _: Translate) -> list[str]:
    """Find the wizard's connector by its source, check it, and the commented hand edit as the labelled fallback."""
    lines = [
        f"{HYBRID_CONNECTOR} = " + ps_command("Get-InboundConnector") + HCW_FILTER,
        ps_comment(A.HYBRID_CHECK_INBOUND.say(_, domain=domain or _("the domain on your certificate"))),
        format_list(str(HYBRID_CONNECTOR), ("Name", "ConnectorSource") + CHECK_PROPERTIES[1:] + ("Enabled",)),
    ]
    if domain:
        fallback = {"Identity": Token(f"{HYBRID_CONNECTOR}.Name"), "RequireTls": True,
                    "TlsSenderCertificateName": domain}
        lines += [ps_comment(A.HCW_FALLBACK.say(_)), ps_comment(A.HCW_REWRITES.say(_))]
        lines += [ps_comment(line) for line in dry_run_then_change("Set-InboundConnector", fallback, _)
                  if not line.startswith("#")]
    return lines


def _pause_lines(_: Translate) -> list[str]:
    return [
        ps_comment(A.UNPATCHED_PAUSE.say(_)),
        ps_comment(ps_command("New-TenantExemptionInfo", BlockingScenario=Token("UnpatchedOnPremServer"),
                              NumberOfDays=Token("30"))),
    ]


def _powershell(answers: PlanAnswers, name: str, editing: bool, is_exchange: bool, domain: str, _: Translate) -> str:
    cmdlet = "Set-InboundConnector" if editing else "New-InboundConnector"
    target = {"Identity": name} if editing else {"Name": name}
    settings = inbound_connector_settings(domain, is_exchange)
    lines = [
        ps_comment(_("Sign in with an Exchange administrator account (module ExchangeOnlineManagement).")),
        "Connect-ExchangeOnline",
    ]
    if answers.existing_connector_kind == "ip":
        lines.append(ps_comment(_(
            "Your IP-based connector %(old)s stays as it is, as a fallback, until the new one is tested.",
            old=answers.existing_connector_name.strip() or _("(unnamed)"),
        )))
    lines += [ps_comment(A.REQUIRE_TLS.say(_))] + dry_run_then_change(cmdlet, {**target, **settings}, _)
    lines += [
        ps_comment(_("Check: TlsSenderCertificateName must read %(domain)s.", domain=domain)),
        format_list(ps_command("Get-InboundConnector", Identity=name), CHECK_PROPERTIES),
    ]
    if is_exchange:
        lines += _pause_lines(_)
    else:
        lines += [
            ps_comment(A.TREAT_AS_INTERNAL.say(_)),
            ps_comment(ps_command("Set-InboundConnector", Identity=name, TreatMessagesAsInternal=True)),
        ]
    return "\n".join(lines)


def _admin_center_steps(
    name: str, editing: bool, is_exchange: bool, domain: str | None, _: Translate
) -> AdminCenterSteps:
    domain_text = domain or _("the domain on your certificate")
    retain = (
        _("Select %(option)s.", option=_(RETAIN_HEADERS)) if is_exchange
        else _("Leave %(option)s cleared: the server is not Exchange.", option=_(RETAIN_HEADERS))
    )
    new_connectors = _("Mail flow > Connectors")
    from_to = {"source": _(FROM_ON_PREMISES), "target": _(TO_OFFICE_365)}
    return AdminCenterSteps(new=[
        _("Open the Exchange admin center at https://admin.exchange.microsoft.com."),
        _("Go to %(where)s, select the connector %(name)s and edit it.", where=new_connectors, name=name)
        if editing else _("Go to %(where)s and choose Add a connector.", where=new_connectors),
        _("Connection from: %(source)s. Connection to: %(target)s. Choose Next.", **from_to),
        _("Name: %(name)s. Keep Turn it on selected. %(retain)s Choose Next.", name=name, retain=retain),
        _("Under Authenticating sent email, choose %(option)s, enter %(domain)s and choose Next. "
          "Review and save the connector.", option=_(NEW_CERTIFICATE_OPTION), domain=domain_text),
    ])
