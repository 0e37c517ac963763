"""Step 1 of the KB: the inbound OnPremises connector in Exchange Online."""
from __future__ import annotations

from app.remediation.answers import EXCHANGE_KINDS, PlanAnswers
from app.remediation.model import AdminCenterSteps, ExchangeOnlineConfig
from app.remediation.powershell import SWITCH, Token, format_list, ps_command, ps_comment
from app.remediation.rules import (
    CLASSIC_CERTIFICATE_OPTION,
    CONNECTOR_NAME_MAX,
    DEFAULT_CONNECTOR_NAME,
    FROM_ON_PREMISES,
    NEW_CERTIFICATE_OPTION,
    RETAIN_HEADERS,
    TO_OFFICE_365,
)
from app.translate import Translate

CHECK_PROPERTIES = (
    "Name", "ConnectorType", "SenderDomains", "RequireTls",
    "TlsSenderCertificateName", "CloudServicesMailEnabled",
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


def build_exchange_online(answers: PlanAnswers, connector_domain: str | None, _: Translate) -> ExchangeOnlineConfig:
    name = recommend_connector_name(answers)
    editing = edits_existing_connector(answers)
    is_exchange = answers.server_kind in EXCHANGE_KINDS
    return ExchangeOnlineConfig(
        connector_name=name,
        edits_existing=editing,
        tls_sender_certificate_name=connector_domain,
        cloud_services_mail_enabled=is_exchange,
        admin_center=_admin_center_steps(name, editing, is_exchange, connector_domain, _),
        powershell=_powershell(answers, name, editing, is_exchange, connector_domain, _) if connector_domain else "",
    )


def _powershell(answers: PlanAnswers, name: str, editing: bool, is_exchange: bool, domain: str, _: Translate) -> str:
    cmdlet = "Set-InboundConnector" if editing else "New-InboundConnector"
    target = {"Identity": name} if editing else {"Name": name}
    settings = {
        "ConnectorType": Token("OnPremises"),
        "SenderDomains": Token("*"),
        "RequireTls": True,
        "TlsSenderCertificateName": domain,
        # Keeps the cross-premises headers of Exchange; set explicitly to False for
        # other servers so that TreatMessagesAsInternal can be turned on later.
        "CloudServicesMailEnabled": is_exchange,
    }
    lines = [
        ps_comment(_("Sign in with an Exchange administrator account (module ExchangeOnlineManagement).")),
        "Connect-ExchangeOnline",
    ]
    if answers.hybrid_wizard:
        lines.append(ps_comment(_(
            "Hybrid: run the Hybrid Configuration Wizard (part 2) before this part: it rewrites "
            "TlsSenderCertificateName of its inbound connector with the name on the certificate."
        )))
    if answers.existing_connector_kind == "ip":
        lines.append(ps_comment(_(
            "Your IP-based connector %(old)s stays as it is, as a fallback, until the new one is tested.",
            old=answers.existing_connector_name.strip() or _("(unnamed)"),
        )))
    lines += [
        ps_comment(_("Dry run: shows what would change and changes nothing.")),
        ps_command(cmdlet, **target, **settings, WhatIf=SWITCH),
        ps_comment(_("The change itself.")),
        ps_command(cmdlet, **target, **settings),
        ps_comment(_("Check: TlsSenderCertificateName must read %(domain)s.", domain=domain)),
        format_list(ps_command("Get-InboundConnector", Identity=name), CHECK_PROPERTIES),
    ]
    if not is_exchange:
        lines += [
            ps_comment(_(
                "Optional, for servers other than Exchange: have Exchange Online treat their mail "
                "as internal (never together with CloudServicesMailEnabled $true). Remove the # to use it."
            )),
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
    connectors = _("mail flow > connectors")
    new_connectors = _("Mail flow > Connectors")
    from_to = {"source": _(FROM_ON_PREMISES), "target": _(TO_OFFICE_365)}
    classic = [
        _("Sign in to the Microsoft 365 admin center, choose Admin and open the Exchange admin center."),
        _("Go to %(where)s and select the connector %(name)s, then choose Edit.", where=connectors, name=name)
        if editing else _("Go to %(where)s and choose + (Add).", where=connectors),
        _("Under Select your mail flow scenario, choose From: %(source)s and To: %(target)s.", **from_to),
        _("Name: %(name)s. Keep the connector turned on. %(retain)s", name=name, retain=retain),
        _("Under How should Office 365 identify email from your email server?, choose %(option)s and "
          "enter %(domain)s. Save.", option=_(CLASSIC_CERTIFICATE_OPTION), domain=domain_text),
    ]
    new = [
        _("Open the Exchange admin center at https://admin.exchange.microsoft.com."),
        _("Go to %(where)s, select the connector %(name)s and edit it.", where=new_connectors, name=name)
        if editing else _("Go to %(where)s and choose Add a connector.", where=new_connectors),
        _("Connection from: %(source)s. Connection to: %(target)s. Choose Next.", **from_to),
        _("Name: %(name)s. Keep Turn it on selected. %(retain)s Choose Next.", name=name, retain=retain),
        _("Under Authenticating sent email, choose %(option)s, enter %(domain)s and choose Next. "
          "Review and save the connector.", option=_(NEW_CERTIFICATE_OPTION), domain=domain_text),
    ]
    return AdminCenterSteps(new=new, classic=classic)
