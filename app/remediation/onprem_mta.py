"""Step 3 of the KB on servers other than Exchange: present the certificate as a TLS client.

The configuration lines hold no user value except the smart host, which is a
checked MX endpoint or the placeholder of rules.MX_PLACEHOLDER; file paths are
placeholders named in rules. The install and reload lines are shared with the
renewal check (app/renewal): one generator for every shell command.
"""
from __future__ import annotations

from app.remediation import advice as A
from app.remediation.advice import Advice, sources_of
from app.remediation.model import OnPremisesConfig
from app.remediation.rules import (
    MX_PLACEHOLDER, UNIX_CERT_FILE, UNIX_CHAIN_FILE, UNIX_INTERMEDIATES_FILE, UNIX_KEY_FILE,
)
from app.translate import Translate, plain

MTA_KINDS = ("postfix", "sendmail", "exim")
TLS_DIRECTORIES = {"postfix": "/etc/postfix/tls", "sendmail": "/etc/mail/tls", "exim": "/etc/exim4/tls"}
# What a TLS connection to the smart host leaves in each mail log.
LOG_PATTERNS = {"postfix": "TLS connection established to", "sendmail": "STARTTLS=client", "exim": " X=TLS"}
DEBIAN, RHEL = "# Debian, Ubuntu", "# Red Hat Enterprise Linux"


def build_mta(kind: str, smart_host: str, _: Translate) -> OnPremisesConfig:
    chain_note = chain_files_note(_)
    if kind == "postfix":
        return _postfix(smart_host, chain_note, _)
    if kind == "sendmail":
        return _sendmail(smart_host, chain_note, _)
    if kind == "exim":
        return _exim(smart_host, chain_note, _)
    return _other(kind, smart_host, _)


def chain_files_note(_: Translate) -> str:
    return A.CHAIN_FILES.say(_, cert=UNIX_CERT_FILE, intermediates=UNIX_INTERMEDIATES_FILE, key=UNIX_KEY_FILE,
                             chain=UNIX_CHAIN_FILE)


def install_lines(kind: str) -> list[str]:
    """Put the certificate, its intermediates and the key where the configuration expects them."""
    tls = TLS_DIRECTORIES[kind]
    lines = [f"cat {UNIX_CERT_FILE} {UNIX_INTERMEDIATES_FILE} > {tls}/{UNIX_CHAIN_FILE}"]
    if kind == "exim":
        # Exim delivers as its own user: the key is readable by its group.
        return lines + [f"install -m 640 -g Debian-exim {UNIX_KEY_FILE} {tls}/{UNIX_KEY_FILE}  "
                        "# Debian, Ubuntu; the group is exim on Red Hat Enterprise Linux"]
    lines.append(f"install -m 600 {UNIX_KEY_FILE} {tls}/{UNIX_KEY_FILE}")
    if kind == "postfix":
        lines.append(f"(umask 077; cat {tls}/{UNIX_KEY_FILE} {tls}/{UNIX_CHAIN_FILE} > {tls}/relay-key-chain.pem)")
    return lines


def reload_lines(kind: str) -> list[str]:
    """Make the server read its configuration and files again."""
    if kind == "postfix":
        return ["postfix reload"]
    if kind == "sendmail":
        return ["systemctl restart sendmail"]
    return [f"systemctl restart exim4  {DEBIAN}", f"systemctl restart exim  {RHEL}"]


def log_lines(kind: str, _: Translate = plain) -> list[str]:
    """The last TLS connections in the mail log, for each way the common systems keep it."""
    pattern = f"grep '{LOG_PATTERNS[kind]}'"
    if kind == "exim":
        return [f"{pattern} /var/log/exim4/mainlog | tail -n 5  {DEBIAN}",
                f"{pattern} /var/log/exim/main.log | tail -n 5  {RHEL}"]
    unit = "'postfix*'" if kind == "postfix" else kind  # Debian names the Postfix unit postfix@-
    return [f"{pattern} /var/log/mail.log | tail -n 5  {DEBIAN}",
            f"{pattern} /var/log/maillog | tail -n 5  {RHEL}",
            f"journalctl -u {unit} | {pattern} | tail -n 5  # " + _("systemd journal only")]


def _config(kind: str, config: str, label: str, language: str, checks: list[str], notes: list[str],
            used: list[Advice], smart_host: str, _: Translate) -> OnPremisesConfig:
    if smart_host == MX_PLACEHOLDER:
        comment = "dnl " if language == "m4" else "# "
        config = comment + A.REPLACE_PLACEHOLDER.say(_, placeholder=smart_host) + "\n" + config
        used = used + [A.REPLACE_PLACEHOLDER]
    return OnPremisesConfig(kind=kind, config=config, config_label=label, config_language=language,
                            checks="\n".join(install_lines(kind) + checks + reload_lines(kind) + log_lines(kind, _)),
                            notes=notes, sources=sources_of(A.CHAIN_FILES, *used))


def _postfix(smart_host: str, chain_note: str, _: Translate) -> OnPremisesConfig:
    tls = TLS_DIRECTORIES["postfix"]
    config = "\n".join([
        f"relayhost = [{smart_host}]:25",
        "smtp_tls_security_level = encrypt",
        "# " + _("Postfix 3.4 or later: one file with the private key, then the certificate, then the intermediates."),
        f"smtp_tls_chain_files = {tls}/relay-key-chain.pem",
        "# " + _("Older Postfix: instead of smtp_tls_chain_files, remove the # from these two lines."),
        f"# smtp_tls_cert_file = {tls}/{UNIX_CHAIN_FILE}",
        f"# smtp_tls_key_file = {tls}/{UNIX_KEY_FILE}",
        "smtp_tls_loglevel = 1",
    ])
    checks = ["postfix check", "postconf -n | grep -E '^(relayhost|smtp_tls_)'"]
    notes = [chain_note, A.POSTFIX_RELAYHOST.say(_, mx=smart_host)]
    return _config("postfix", config, "/etc/postfix/main.cf", "ini", checks, notes, [A.POSTFIX_RELAYHOST],
                   smart_host, _)


def _sendmail(smart_host: str, chain_note: str, _: Translate) -> OnPremisesConfig:
    tls = TLS_DIRECTORIES["sendmail"]
    config = "\n".join([
        f"define(`SMART_HOST', `[{smart_host}]')dnl",
        f"define(`confCLIENT_CERT', `{tls}/{UNIX_CHAIN_FILE}')dnl",
        f"define(`confCLIENT_KEY', `{tls}/{UNIX_KEY_FILE}')dnl",
        "define(`confCACERT_PATH', `/etc/ssl/certs')dnl",
        "define(`confCACERT', `/etc/ssl/certs/ca-certificates.crt')dnl",
    ])
    used = [A.SENDMAIL_CHAIN, A.SENDMAIL_REQUIRE_TLS]
    notes = [chain_note, A.SENDMAIL_CHAIN.say(_), A.SENDMAIL_REQUIRE_TLS.say(_, mx=smart_host)]
    return _config("sendmail", config, "/etc/mail/sendmail.mc", "m4", ["cd /etc/mail && m4 sendmail.mc > sendmail.cf"],
                   notes, used, smart_host, _)


def _exim(smart_host: str, chain_note: str, _: Translate) -> OnPremisesConfig:
    tls = TLS_DIRECTORIES["exim"]
    config = "\n".join([
        "# " + _("In the routers section, before the dnslookup router:"),
        "office365_relay:",
        "  driver = manualroute",
        "  domains = ! +local_domains",
        "  transport = office365_smtp",
        f"  route_list = * {smart_host} byname",
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
    return _config("exim", config, _("Exim configuration (routers and transports)"), "exim",
                   ["exim -bV", "exim -bt someone@example.net"], [chain_note, A.EXIM_ROUTER.say(_)], [A.EXIM_ROUTER],
                   smart_host, _)


def _other(kind: str, smart_host: str, _: Translate) -> OnPremisesConfig:
    used = [A.DEVICE_CERTIFICATE, A.DEVICE_OTHER_WAYS]
    return OnPremisesConfig(kind=kind, notes=[A.DEVICE_CERTIFICATE.say(_, mx=smart_host), A.DEVICE_OTHER_WAYS.say(_)],
                            sources=sources_of(*used))
