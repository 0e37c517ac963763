"""The KB's steps as a checklist with the customer's own values."""
from __future__ import annotations

from dataclasses import replace

from app.certs.domains import is_internal_name
from app.certs.matching import domain_to_add, example_names, normalize_accepted, passes_now
from app.certs.model import ERROR, INFO, WILDCARD_CONNECTOR, CertificateReport, Finding
from app.remediation import advice as A
from app.remediation.advice import sources_of
from app.remediation.answers import EXCHANGE_KINDS, PlanAnswers
from app.remediation.model import ChecklistItem, CodeBlock, ExchangeOnlineConfig, OnPremisesConfig
from app.remediation.certificate_request import request_names
from app.remediation.exchange_online import disable_connector_command, message_trace_command
from app.remediation.powershell import Token, format_list, ps_command, ps_comment
from app.remediation.rules import (
    ADMIN_CENTER_DOMAINS,
    FIXED_BY_FIRST_ITEM,
    BLOCKED,
    BLOCKED_BY_ANY_ERROR,
    BLOCKED_BY_CONNECTOR_DOMAIN_ERROR,
    CLEANUP,
    CONNECTOR_DOMAIN_ERRORS,
    DONE,
    EXCHANGE_LIFECYCLE,
    EXCHANGE_ONLINE,
    ON_PREMISES,
    REGISTER_DOMAIN,
    SERVER_LABELS,
    TODO,
    UNIX_CERT_FILE,
    UNIX_INTERMEDIATES_FILE,
    UNIX_KEY_FILE,
    UPGRADE_EXCHANGE,
    VERIFY,
)
from app.translate import Translate


def is_covered(connector_domain: str, accepted_domains: list[str]) -> bool:
    """Whether Exchange Online accepts this connector value for the tenant (facts §4; app.certs.matching)."""
    return passes_now(connector_domain, accepted_domains)


def build_checklist(
    answers: PlanAnswers,
    report: CertificateReport | None,
    connector_domain: str | None,
    smart_host: str,
    exchange_online: ExchangeOnlineConfig,
    on_premises: OnPremisesConfig,
    _: Translate,
) -> list[ChecklistItem]:
    register = _register_domain(answers, report, connector_domain, _)
    connector = _exchange_online(answers, exchange_online, report, connector_domain, _)
    server = _on_premises(answers, on_premises, report, _)
    # Hybrid: the certificate goes on the servers first; then the wizard's run writes the connector.
    steps = [server, connector] if answers.hybrid_wizard else [connector, server]
    items = [
        replace(register, sources=register.sources or sources_of(A.REGISTER_DOMAIN_RULE)),
        *steps,
        _verify(answers, report, smart_host, _),
    ]
    # Devices that cannot present a certificate keep relaying by IP address: no clean-up for them.
    if answers.existing_connector_kind == "ip" and answers.server_kind != "other":
        items.append(_cleanup(answers, report, _))
    items = [_point_to_first(items[0], item, _) for item in items]
    lifecycle = EXCHANGE_LIFECYCLE.get(answers.server_kind)
    # A version Exchange Online blocks: the upgrade is the first step, and it blocks the plan (issue 21 item 6).
    return ([_upgrade(answers.server_kind, lifecycle, _)] if lifecycle and lifecycle.blocked else []) + items


def _upgrade(kind: str, lifecycle, _: Translate) -> ChecklistItem:
    server = _(SERVER_LABELS[kind])
    pause = "\n".join([
        ps_comment(_("Sign in with an Exchange administrator account (module ExchangeOnlineManagement).")),
        "Connect-ExchangeOnline",
        ps_command("New-TenantExemptionInfo", BlockingScenario=Token("UnpatchedOnPremServer"), NumberOfDays=Token("30")),
    ])
    return ChecklistItem(
        UPGRADE_EXCHANGE, _("Upgrade %(server)s: Exchange Online blocks it", server=server), TODO,
        details=[A.EXCHANGE_BLOCKED.say(_, server=server, date=lifecycle.end_of_support.isoformat()),
                 A.EXCHANGE_PAUSE.say(_)],
        code=[CodeBlock(_("Stop-gap: pause the blocking for 30 days (Exchange Online PowerShell)"), "powershell",
                        pause)],
        sources=sources_of(A.EXCHANGE_BLOCKED, A.EXCHANGE_PAUSE, extra=lifecycle.sources))


def _point_to_first(first: ChecklistItem, item: ChecklistItem, _: Translate) -> ChecklistItem:
    """A step blocked by what the first item fixes says so, instead of repeating the finding."""
    if item.reason is None or item.reason.code not in FIXED_BY_FIRST_ITEM:
        return item
    return replace(item, reason=Finding(item.reason.code, item.reason.severity,
                                        _("%(title)s (above).", title=first.title)))


def _blocker(item_id: str, report: CertificateReport | None, connector_domain: str | None, _: Translate) -> Finding | None:
    """The finding that keeps this item from being done now, if any."""
    if report is None and not (item_id == EXCHANGE_ONLINE and connector_domain):
        return Finding("certificate_missing", INFO, _("Add the certificate the server will present to continue."))
    errors = [f for f in report.findings if f.severity == ERROR] if report else []
    for finding in errors:
        blocked = BLOCKED_BY_CONNECTOR_DOMAIN_ERROR if finding.code in CONNECTOR_DOMAIN_ERRORS else BLOCKED_BY_ANY_ERROR
        if item_id in blocked:
            return finding
    if item_id == EXCHANGE_ONLINE and not connector_domain:
        # No name on the certificate can go on the connector: the certificate's own error says why.
        return next(iter(errors), None)
    return None


def _item(item_id: str, title: str, report, connector_domain, _, **parts) -> ChecklistItem:
    reason = _blocker(item_id, report, connector_domain, _)
    return ChecklistItem(item_id, title, BLOCKED if reason else TODO, reason, **parts)


def _first_item(title: str, *, status: str = TODO, **parts) -> ChecklistItem:
    """The item that registers the domain: nothing blocks it, it is what unblocks the others."""
    return ChecklistItem(REGISTER_DOMAIN, title, status, **parts)


def _register_domain(answers, report, connector_domain, _: Translate) -> ChecklistItem:
    """The plan's first item: the fix that makes the certificate's name count for the tenant."""
    if connector_domain and is_covered(connector_domain, answers.accepted_domains):
        return _first_item(_(
            "The connector's domain %(domain)s is covered by your accepted domains", domain=connector_domain,
        ), status=DONE, details=[_(
            "Nothing to do: Exchange Online can attribute the relayed mail to your organization."
        )])
    if connector_domain and not is_internal_name(connector_domain):
        return _add_domain(answers, report, connector_domain, _)
    return _get_certificate(answers, report, _)


def _add_domain(answers, report, connector_domain: str, _: Translate) -> ChecklistItem:
    """Add the connector value's domain: KB 4019940's preferred fix, with the fallbacks that remain."""
    domain = domain_to_add(connector_domain)
    accepted = normalize_accepted(answers.accepted_domains)
    parent = domain.split(".", 1)[1]
    if parent in accepted:
        # Microsoft Graph, "Add a domain": subdomains of a verified root domain are verified automatically.
        details = [_("In %(where)s, choose Add domain and enter %(domain)s. %(parent)s is already one of your "
                     "domains, so Microsoft 365 verifies %(domain)s at once: no DNS record is needed.",
                     where=_(ADMIN_CENTER_DOMAINS), domain=domain, parent=parent)]
    else:
        details = [_("In %(where)s, choose Add domain, enter %(domain)s and verify it with the DNS record the "
                     "admin center shows.", where=_(ADMIN_CENTER_DOMAINS), domain=domain)]
    details.append(_("The domain needs no mailboxes and no MX record: Exchange Online only has to know it, to "
                     "attribute the relayed mail to your organization."))
    candidates = report.candidates if report else []
    fallback = next((c for c in candidates if c.kind == WILDCARD_CONNECTOR), None)
    if fallback:
        details.append(_(
            "If you cannot add %(domain)s, enter %(connector)s on the connector instead. It works at once "
            "because %(accepted)s is an accepted domain, but then any other certificate under "
            "%(accepted)s, for example one a server uses to send mail to another tenant, also matches "
            "this connector: Microsoft does not recommend it.",
            domain=domain, connector=fallback.connector_domain, accepted=fallback.accepted_domain))
    elif not any(c.works_now for c in candidates):
        example, host = _recommended_names(answers)
        details.append(_(
            "Or get a certificate whose CN or SAN holds one of your accepted domains, like %(domain)s, "
            "or a name under one, like %(host)s, and upload it to this case instead.",
            domain=example, host=host))
    return _first_item(_("Add %(domain)s to Microsoft 365 as a domain", domain=domain), details=details)


def _get_certificate(answers, report, _: Translate) -> ChecklistItem:
    """No name the connector can use: the fix is another certificate, never an internal name."""
    domain, host = _recommended_names(answers)
    details = [
        _("No certificate was added to this case yet.") if report is None else
        _("No name on the uploaded certificate can identify your server to Exchange Online: see the "
          "evidence at the end."),
        _("Ask a public CA (one in Microsoft's Trusted Root Program) for a certificate whose CN or SAN "
          "holds one of your accepted domains, like %(domain)s, or a name under one, like %(host)s.",
          domain=domain, host=host),
    ]
    if host not in answers.accepted_domains:
        details.append(_(
            "For a name under an accepted domain, Microsoft prefers that you also add the name itself "
            "(%(host)s) in %(where)s and enter it on the connector; a subdomain of one of your domains "
            "needs no DNS record of its own.", host=host, where=_(ADMIN_CENTER_DOMAINS)))
    details.append(_("Install the certificate on the server, then upload it to this case to get the exact "
                     "values and commands."))
    return _first_item(_("Get a certificate whose name is one of your accepted domains"), details=details)


def _recommended_names(answers: PlanAnswers) -> tuple[str, str]:
    """(an accepted domain, the host name to get a certificate for): the request step asks for the same name."""
    domain, host = example_names(normalize_accepted(answers.accepted_domains))
    requested = request_names(answers.accepted_domains, server_fqdn=answers.server_fqdn)
    return domain, requested.names[0] if requested else host


def _exchange_online(answers: PlanAnswers, config: ExchangeOnlineConfig, report, connector_domain,
                     _: Translate) -> ChecklistItem:
    if answers.hybrid_wizard:
        title = _("Step 2: Run the Hybrid Configuration Wizard again and check its connector in Exchange Online")
    elif config.edits_existing:
        title = _("Step 1: Edit the connector %(name)s in Exchange Online", name=config.connector_name)
    else:
        title = _("Step 1: Create the connector %(name)s in Exchange Online", name=config.connector_name)
    label = _("Check in Exchange Online PowerShell") if answers.hybrid_wizard else _("Or in Exchange Online PowerShell")
    code = [CodeBlock(label, "powershell", config.powershell)] if config.powershell else []
    # Hybrid: the steps are the wizard's, not the admin center's; the hand edit stays in the commented fallback.
    details = [A.HCW_REWRITES.say(_)] if answers.hybrid_wizard else [A.NEW_EAC_ONLY.say(_), *config.notes]
    return _item(EXCHANGE_ONLINE, title, report, connector_domain, _, details=details,
                 steps=config.admin_center.new, code=code, sources=config.sources)


def _on_premises(answers: PlanAnswers, config: OnPremisesConfig, report, _: Translate) -> ChecklistItem:
    server = _(SERVER_LABELS[answers.server_kind])
    details = [_("Install the certificate with its private key and its full chain (the intermediate "
                 "certificates) on the server that sends to Office 365.")] + config.notes
    code = list(config.blocks)
    if config.config:
        code.append(CodeBlock(config.config_label, config.config_language, config.config))
    if config.checks:
        code.append(CodeBlock(_("Apply and check"), "shell", config.checks))
    title = (_("Step 1: Install the certificate on %(server)s for the Hybrid Configuration Wizard", server=server)
             if answers.hybrid_wizard else _("Step 2: Configure %(server)s to present the certificate", server=server))
    return _item(ON_PREMISES, title, report, None, _, details=details, code=code, sources=config.sources)


def _verify(answers: PlanAnswers, report, smart_host: str, _: Translate) -> ChecklistItem:
    used = [A.NDR_TEST, A.HEADER_PROOF, A.TRACE_PROOF, A.NON_ACCEPTED_REPORT]
    details = [
        _("Allow up to an hour for a new or changed connector to take effect."),
        _("Send a test message that only the certificate can relay, from your on-premises server to a mailbox "
          "outside Microsoft 365: a message sent as a domain that is not one of your accepted domains, or a message "
          "that an on-premises mailbox forwards to the external address."),
        A.NDR_TEST.say(_), A.HEADER_PROOF.say(_), A.TRACE_PROOF.say(_), A.NON_ACCEPTED_REPORT.say(_),
    ]
    trace = format_list(message_trace_command(2), ("Received", "SenderAddress", "RecipientAddress", "Subject", "Status"))
    code = [CodeBlock(_("Message trace in Exchange Online PowerShell"), "powershell", trace)]
    if answers.server_kind in EXCHANGE_KINDS:
        details.append(_(
            "In the send connector's protocol log (TransportRoles\\Logs\\Hub\\ProtocolLog\\SmtpSend under "
            "the Exchange installation folder; Logs\\FrontEnd\\ProtocolLog\\SmtpSend when the connector "
            "sends through the front end, Logs\\Edge\\ProtocolLog\\SmtpSend on an Edge Transport server, "
            "TransportRoles\\Logs\\ProtocolLog\\SmtpSend on Exchange 2010), the lines \"Certificate "
            "subject\" and \"Certificate thumbprint\" must name the certificate with thumbprint %(thumbprint)s.",
            thumbprint=report.leaf.thumbprint_sha1 if report else _("(add the certificate to see it)"),
        ))
    else:
        details.append(A.OPENSSL_TEST.say(_))
        used.append(A.OPENSSL_TEST)
        code.append(CodeBlock(_("TLS handshake with the certificate"), "shell", openssl_command(smart_host)))
    return _item(VERIFY, _("Step 3: Test the relay"), report, None, _, details=details, code=code,
                 sources=sources_of(*used))


def openssl_command(smart_host: str) -> str:
    """The certificate once (-cert) and the intermediates once (-cert_chain): what the server presents."""
    return (f"openssl s_client -starttls smtp -crlf -connect {smart_host}:25 "
            f"-cert {UNIX_CERT_FILE} -cert_chain {UNIX_INTERMEDIATES_FILE} -key {UNIX_KEY_FILE}")


def _cleanup(answers: PlanAnswers, report, _: Translate) -> ChecklistItem:
    old = answers.existing_connector_name.strip()
    details = [
        _("Keep the IP-based connector until the tests of step 3 pass: it is the fallback while the new "
          "connector takes effect."),
        _("Then turn it off. Devices that relay by IP address through it without a certificate stop "
          "relaying: check first. Remove it in the admin center once mail has flowed for a few days."),
    ]
    code = [CodeBlock(_("Your inbound connectors"), "powershell", format_list(
        "Get-InboundConnector", ("Name", "ConnectorType", "SenderIPAddresses", "TlsSenderCertificateName", "Enabled"),
    ))]
    if old:
        code.append(CodeBlock(_("Turn the IP-based connector off"), "powershell",
                              disable_connector_command(old)))
    title = (_("Step 4: Retire the IP-based connector %(name)s", name=old) if old
             else _("Step 4: Retire the IP-based connector"))
    return _item(CLEANUP, title, report, None, _, details=details, code=code,
                 sources=sources_of(extra=("KB3169958", "Set-InboundConnector")))
