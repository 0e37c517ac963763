"""Devices that cannot present a certificate (printers, scanners, applications): which way to send.

The questions, the five ways and the choice between them are data; each way
names its sources (ids in app.remediation.sources). Microsoft's multifunction
device guide lists SMTP AUTH client submission, Direct Send and relay through
a connector; High Volume Email is its own service; relay through an on-premises
server that presents the certificate is the path KB 3169958 describes, and the
only one that covers non-delivery reports, mail sent as other domains and
forwarding (exchange-facts.md section 10).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.remediation.rules import CHECKED_SECTION_11, Dated
from app.translate import N_, Translate

# Exchange Team blog, 27 Jan 2026: the SMTP AUTH Basic authentication timeline (facts section 11).
SMTP_AUTH_TIMELINE = Dated(date(2026, 1, 27), CHECKED_SECTION_11)

YES, NO, UNSURE = "yes", "no", "unsure"
INTERNAL, EXTERNAL = "internal", "external"
SMTP_AUTH, DIRECT_SEND, IP_CONNECTOR, HVE, RELAY_SERVER = (
    "smtp-auth", "direct-send", "ip-connector", "high-volume-email", "relay-server")


@dataclass(frozen=True)
class Question:
    name: str
    text: str                          # the page's h1 (N_-marked, like every text here)
    hint: str
    choices: tuple[tuple[str, str], ...]
    error: str                         # what to do when nothing was chosen
    dated: Dated | None = None         # the hint depends on a date: shown with "as of"
    sources: tuple[str, ...] = ()      # where a dated hint comes from (ids in app.remediation.sources)


@dataclass(frozen=True)
class Way:
    id: str
    title: str
    summary: str
    outside_recipients: str            # can it reach people outside the organization?
    kb_scenarios: bool                 # non-delivery reports, other domains, forwarding (KB 3169958)
    needs: str
    status: str                        # what changes in 2025-2026
    steps: tuple[str, ...]
    sources: tuple[str, ...]
    dated: Dated | None = None         # the status depends on a date: shown with "as of"


QUESTIONS: tuple[Question, ...] = (
    Question("recipients", N_("Who does the device send mail to?"),
             N_("Scan-to-mail to your own colleagues is inside your organization; alerts to customers or suppliers "
                "are outside."),
             ((INTERNAL, N_("Only mailboxes in my organization")), (EXTERNAL, N_("Also people outside my organization"))),
             N_("Select who the device sends mail to")),
    Question("oauth", N_("Can the device sign in with OAuth 2.0 when it sends mail?"),
             N_("Look for OAuth, modern authentication or Microsoft 365 in its mail settings. A user name and password "
                "alone will not last: Exchange Online turns Basic authentication for SMTP AUTH off by default for "
                "existing tenants at the end of December 2026, and will remove it on a date to be announced in the "
                "second half of 2027."),
             ((YES, N_("Yes")), (NO, N_("No")), (UNSURE, N_("I don't know"))),
             N_("Select whether the device can sign in with OAuth 2.0"), SMTP_AUTH_TIMELINE, ("blog-smtp-auth-2026",)),
    Question("relay_server", N_("Is there a mail server on your network that could relay the device's mail?"),
             N_("Exchange Server, or a Linux server with Postfix, Sendmail or Exim: it can present a certificate to "
                "Exchange Online for the device."),
             ((YES, N_("Yes, or we can set one up")), (NO, N_("No"))),
             N_("Select whether a server could relay the device's mail")),
    Question("static_ip", N_("Does the device send from a public IP address that only your organization uses?"),
             N_("Not an address shared with other organizations, such as a hosting provider's or a shared office "
                "building's."),
             ((YES, N_("Yes")), (NO, N_("No")), (UNSURE, N_("I don't know"))),
             N_("Select whether the device's public IP address is your organization's alone")),
)
BY_NAME = {question.name: question for question in QUESTIONS}

WAYS: tuple[Way, ...] = (
    Way(SMTP_AUTH, N_("SMTP AUTH client submission with OAuth"),
        N_("The device signs in to a licensed mailbox and sends through smtp.office365.com on port 587 with STARTTLS."),
        N_("Yes"), False, N_("OAuth 2.0 for SMTP, a licensed mailbox, TLS 1.2"),
        N_("Basic authentication (user name and password) stays as it is until December 2026; at the end of "
           "December 2026 it is turned off by default for existing tenants (admins can still turn it on) and is not "
           "available by default for tenants created after that; its final removal date is to be announced in the "
           "second half of 2027. Use OAuth."),
        (N_("Choose a mailbox for the device and give it a license."),
         N_("Turn on Authenticated SMTP for that mailbox (in the Microsoft 365 admin center, the user's Mail > Manage "
            "email apps)."),
         N_("Register the device or application for OAuth in Microsoft Entra ID as its vendor describes, and let it "
            "send as that mailbox."),
         N_("Device settings: server smtp.office365.com, port 587, STARTTLS, the mailbox's address as user name and "
            "sender, OAuth sign-in."),
         N_("Mind the limits of a mailbox: 30 messages a minute and 10,000 recipients a day.")),
        ("mfd-guide", "blog-smtp-auth-2026", "blog-smtp-auth-basic"), SMTP_AUTH_TIMELINE),
    Way(DIRECT_SEND, N_("Direct Send"),
        N_("The device sends to your MX endpoint on port 25 without signing in, from an address of your domain."),
        N_("No: only mailboxes in your organization"), False, N_("Port 25 open to the internet"),
        N_("A tenant that turns on RejectDirectSend refuses it: 550 5.7.68 TenantInboundAttribution; Direct Send not "
           "allowed."),
        (N_("Device settings: server your MX endpoint (the MX record's \"Points to address\" in the Microsoft 365 "
            "admin center under Settings > Domains), port 25, STARTTLS if the device offers it, a sender address of "
            "your domain."),
         N_("Check that your tenant accepts Direct Send: in Exchange Online PowerShell, Get-OrganizationConfig | "
            "Format-List RejectDirectSend must read False. If it reads True, the device needs an inbound connector "
            "of type Partner that identifies it by its IP address or certificate (MC1093237), not an OnPremises "
            "connector."),
         N_("Add the device's public IP address to your domain's SPF record, so that its mail is not treated as "
            "spoofed.")),
        ("mfd-guide", "blog-direct-send-2025", "MC1093237")),
    Way(IP_CONNECTOR, N_("Relay through an IP-based connector"),
        N_("An inbound connector from your organization's email server recognises the device by its public IP "
           "address, and Exchange Online relays its mail."),
        N_("Yes, when the sender is one of your accepted domains"), False,
        N_("A static public IP address used by your organization alone"),
        N_("Message center MC1226222 calls connectors on IP addresses shared with other organizations a broken "
           "configuration."),
        (N_("In the Exchange admin center, Mail flow > Connectors: add a connector from your organization's email "
            "server to Office 365 that identifies the sending server by its IP address: the device's public "
            "address."),
         N_("Device settings: server your MX endpoint, port 25, STARTTLS if the device offers it, a sender address "
            "of one of your accepted domains."),
         N_("It does not relay non-delivery reports, mail sent as other domains or forwarded mail: for those, relay "
            "through a server that presents a certificate.")),
        ("mfd-guide", "MC1226222", "KB3169958", "blog-relay-2023")),
    Way(HVE, N_("High Volume Email"),
        N_("A dedicated High Volume Email account that applications use to send large amounts of mail, designed for "
           "recipients in your own organization."),
        N_("Limited: designed for your organization's mailboxes"), False,
        N_("SMTP AUTH on port 587 with TLS, as Microsoft's High Volume Email page describes"),
        N_("Check Microsoft's High Volume Email page for the sign-in methods, endpoint and limits in force."),
        (N_("In the Exchange admin center, create a High Volume Email account for the application."),
         N_("Device settings: the endpoint, port 587 with STARTTLS and the sign-in that Microsoft's High Volume Email "
            "page gives, with the HVE account as user name and sender.")),
        ("hve",)),
    Way(RELAY_SERVER, N_("Relay through a server that presents the certificate"),
        N_("The device sends to a mail server on your network (Exchange Server, Postfix, Sendmail or Exim). That server "
           "presents a certificate whose name is one of your accepted domains, and Exchange Online relays all of its "
           "mail: the way KB 3169958 describes."),
        N_("Yes"), True, N_("A mail server on your network and a certificate from a public CA"),
        N_("Unaffected by the 2026 changes: the robust path."),
        (N_("Let the server accept mail from the device's address: on Exchange, a dedicated receive connector for "
            "relay; on Postfix, the device in mynetworks."),
         N_("Device settings: server the relay server's name, port 25, a sender address of your domain."),
         N_("Configure the relay server with the wizard: it checks the certificate and gives the connector settings "
            "and commands for Exchange Online and the server.")),
        ("KB3169958", "mfd-guide", "anonymous-relay")),
)
WAY_BY_ID = {way.id: way for way in WAYS}


def dated_text(text: str, dated: Dated | None, _: Translate) -> str:
    """A message whose truth depends on a date, translated, with "as of" the date Microsoft stated it."""
    if dated is None:
        return _(text)
    return _("%(text)s (as of %(date)s)", text=_(text), date=dated.as_of.isoformat())


@dataclass(frozen=True)
class Recommendation:
    way: Way
    reason: str                 # translated
    others: tuple[Way, ...]     # the remaining ways, for the comparison


def valid_answers(raw: dict[str, str]) -> dict[str, str]:
    """The answers that belong to a question and one of its choices, in question order; the rest is dropped."""
    return {q.name: raw[q.name] for q in QUESTIONS if raw.get(q.name) in {value for value, _ in q.choices}}


def next_question(answers: dict[str, str]) -> Question | None:
    """The first question still to ask, None when the answers are enough for a recommendation."""
    for question in QUESTIONS:
        if question.name in answers:
            continue
        if question.name == "relay_server" and answers.get("oauth") == YES:
            return None
        if question.name == "static_ip" and (answers.get("relay_server") == YES or answers.get("recipients") == INTERNAL):
            return None
        return question
    return None


def recommend(answers: dict[str, str], _: Translate) -> Recommendation:
    if answers.get("oauth") == YES:
        way, reason = SMTP_AUTH, _("The device can sign in with OAuth: Microsoft's first option for devices.")
    elif answers.get("relay_server") == YES:
        way, reason = RELAY_SERVER, _("A server on your network can present the certificate for the device, and "
                                      "Exchange Online then relays everything it sends.")
    elif answers.get("recipients") == INTERNAL:
        way, reason = DIRECT_SEND, _("The device sends only to your own mailboxes and cannot sign in with OAuth.")
    elif answers.get("static_ip") == YES:
        way, reason = IP_CONNECTOR, _("The device sends outside your organization from an address that is yours "
                                      "alone; mind what an IP-based connector does not cover.")
    else:
        way, reason = RELAY_SERVER, _("Without OAuth and without an address of your own, a relay server that "
                                      "presents the certificate is the way that works: set one up.")
    return Recommendation(WAY_BY_ID[way], reason, tuple(w for w in WAYS if w.id != way))
