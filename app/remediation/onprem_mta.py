"""Step 2 of the KB on servers other than Exchange: present the certificate as a TLS client.

The configuration lines hold no user value except the MX endpoint, which is a
checked host name (or a guess built from an accepted domain); file paths are
placeholders named in rules.
"""
from __future__ import annotations

from app.remediation.model import OnPremisesConfig
from app.remediation.rules import UNIX_CHAIN_FILE, UNIX_KEY_FILE
from app.translate import Translate


def build_mta(kind: str, mx: str, _: Translate) -> OnPremisesConfig:
    chain_note = _(
        "%(chain)s holds your certificate first, then the intermediate certificates (PEM); %(key)s is "
        "its private key, readable only by root and the mail system. Exchange Online does not fetch "
        "intermediates: without them it refuses the certificate (450 4.4.317 UntrustedRoot).",
        chain=UNIX_CHAIN_FILE, key=UNIX_KEY_FILE,
    )
    if kind == "postfix":
        return _postfix(mx, chain_note, _)
    if kind == "sendmail":
        return _sendmail(mx, chain_note, _)
    if kind == "exim":
        return _exim(mx, chain_note, _)
    return _other(kind, mx, _)


def _postfix(mx: str, chain_note: str, _: Translate) -> OnPremisesConfig:
    tls = "/etc/postfix/tls"
    config = "\n".join([
        f"relayhost = [{mx}]:25",
        "smtp_tls_security_level = encrypt",
        "# " + _("Postfix 3.4 or later: one file with the private key, then the certificate, then the intermediates."),
        f"smtp_tls_chain_files = {tls}/relay-key-chain.pem",
        "# " + _("Older Postfix: instead of smtp_tls_chain_files, remove the # from these two lines."),
        f"# smtp_tls_cert_file = {tls}/{UNIX_CHAIN_FILE}",
        f"# smtp_tls_key_file = {tls}/{UNIX_KEY_FILE}",
        "smtp_tls_loglevel = 1",
    ])
    checks = "\n".join([
        f"cat {tls}/{UNIX_KEY_FILE} {tls}/{UNIX_CHAIN_FILE} > {tls}/relay-key-chain.pem",
        f"chmod 600 {tls}/relay-key-chain.pem",
        "postfix check",
        "postconf -n | grep -E '^(relayhost|smtp_tls_)'",
        "postfix reload",
        "grep 'TLS connection established to' /var/log/maillog | tail -n 5",
    ])
    return OnPremisesConfig(
        kind="postfix", config=config, config_label="/etc/postfix/main.cf", config_language="ini",
        checks=checks,
        notes=[chain_note, _(
            "relayhost sends all mail that is not delivered locally through Office 365. After a test "
            "message, the mail log must show a TLS connection to %(mx)s (on systemd-only systems: "
            "journalctl -u postfix).", mx=mx,
        )],
    )


def _sendmail(mx: str, chain_note: str, _: Translate) -> OnPremisesConfig:
    tls = "/etc/mail/tls"
    config = "\n".join([
        f"define(`SMART_HOST', `[{mx}]')dnl",
        f"define(`confCLIENT_CERT', `{tls}/{UNIX_CHAIN_FILE}')dnl",
        f"define(`confCLIENT_KEY', `{tls}/{UNIX_KEY_FILE}')dnl",
        "define(`confCACERT_PATH', `/etc/ssl/certs')dnl",
        "define(`confCACERT', `/etc/ssl/certs/ca-certificates.crt')dnl",
    ])
    checks = "\n".join([
        "cd /etc/mail && m4 sendmail.mc > sendmail.cf",
        "systemctl restart sendmail",
        "grep 'STARTTLS=client' /var/log/maillog | tail -n 5",
    ])
    return OnPremisesConfig(
        kind="sendmail", config=config, config_label="/etc/mail/sendmail.mc", config_language="m4",
        checks=checks,
        notes=[chain_note, _(
            "Older Sendmail releases load only the first certificate of confCLIENT_CERT: check that "
            "yours sends the intermediates (a message trace showing the relay refused with 4.4.317 "
            "means it does not)."
        ), _(
            "To refuse sending without TLS, add the line TLS_Srv:%(mx)s ENCR:128 to /etc/mail/access "
            "(needs FEATURE(`access_db')) and rebuild it with makemap.", mx=mx,
        )],
    )


def _exim(mx: str, chain_note: str, _: Translate) -> OnPremisesConfig:
    tls = "/etc/exim4/tls"
    config = "\n".join([
        "# " + _("In the routers section, before the dnslookup router:"),
        "office365_relay:",
        "  driver = manualroute",
        "  domains = ! +local_domains",
        "  transport = office365_smtp",
        f"  route_list = * {mx} byname",
        "  no_more",
        "",
        "# " + _("In the transports section:"),
        "office365_smtp:",
        "  driver = smtp",
        "  port = 25",
        "  hosts_require_tls = *",
        f"  tls_certificate = {tls}/{UNIX_CHAIN_FILE}",
        f"  tls_privatekey = {tls}/{UNIX_KEY_FILE}",
    ])
    checks = "\n".join([
        "exim -bV",
        "exim -bt someone@example.net",
        "grep ' X=TLS' /var/log/exim4/mainlog | tail -n 5",
    ])
    return OnPremisesConfig(
        kind="exim", config=config, config_label=_("Exim configuration (routers and transports)"),
        config_language="exim", checks=checks,
        notes=[chain_note, _(
            "exim -bt must name the router office365_relay for an external address. With Debian's "
            "split configuration, put the router and transport in their own files and run update-exim4.conf."
        )],
    )


def _other(kind: str, mx: str, _: Translate) -> OnPremisesConfig:
    return OnPremisesConfig(kind=kind, notes=[
        _(
            "Many appliances, printers and IIS SMTP cannot present a client certificate. They can only "
            "use an IP-based connector, which relays only when the envelope sender (MAIL FROM) is one of "
            "your accepted domains: it does not cover non-delivery reports, mail sent as other domains "
            "or forwarding to external addresses."
        ),
        _(
            "For those cases, relay the device's mail through a server that can present the certificate "
            "(Exchange Server, Postfix, Sendmail or Exim) and configure that server as this plan shows."
        ),
        _(
            "If the device's documentation describes a client certificate for outgoing SMTP, configure "
            "the certificate with its full chain and the MX endpoint %(mx)s on port 25 with STARTTLS.",
            mx=mx,
        ),
    ])
