"""Getting the relay's certificate from an ACME CA, for Postfix, Sendmail and Exim (issue 25, item 5).

A relay server is rarely reachable on port 80, so the plan names the DNS-01
challenge: the ACME client proves control of the name with a TXT record
(_acme-challenge.<name>) through the DNS provider's API. The two widely
packaged clients (certbot with a DNS plugin, acme.sh with its DNS API mode)
both run a command after each renewal: it installs the files where step 2 of
the plan expects them and reloads the MTA. Which CAs Exchange Online accepts:
those whose root is in Microsoft's Trusted Root Program (participants published
through the CCADB); Let's Encrypt's ISRG Root X1 is in it since July 2018.
"""
from __future__ import annotations

import shlex

from app.remediation.advice import Advice, sources_of
from app.remediation.model import CodeBlock
from app.remediation.onprem_mta import MTA_KINDS, TLS_DIRECTORIES, reload_lines
from app.remediation.rules import UNIX_CHAIN_FILE, UNIX_KEY_FILE
from app.remediation.sources import Source
from app.translate import N_, Translate

ACME_DNS_01 = Advice("acme_dns_01", N_(
    "Or get the certificate from an ACME CA such as Let's Encrypt, whose root has been in Microsoft's Trusted Root "
    "Program since July 2018. Use the DNS-01 challenge: the ACME client proves that you control %(name)s with a "
    "TXT record at _acme-challenge.%(name)s through your DNS provider's API, so the relay needs no open port 80. "
    "certbot (with the DNS plugin for your provider) and acme.sh (with its DNS API mode) are packaged by most "
    "distributions. ACME certificates last 90 days or less: let the client renew them and run the command below "
    "after each renewal, which installs the files where step 2 expects them and reloads %(server)s."
), ("acme-dns-01", "certbot-hooks", "acme-sh", "trusted-root-participants", "letsencrypt-root-programs-2018"))


def _after_install(kind: str) -> list[str]:
    """Once the key and chain files are in place: the modes step 2 uses, Postfix's combined file, a reload."""
    tls = TLS_DIRECTORIES[kind]
    key = f"{tls}/{UNIX_KEY_FILE}"
    steps = [f"chgrp Debian-exim {key} && chmod 640 {key}" if kind == "exim" else f"chmod 600 {key}"]
    if kind == "postfix":
        steps.append(f"(umask 077; cat {key} {tls}/{UNIX_CHAIN_FILE} > {tls}/relay-key-chain.pem)")
    return steps + [reload_lines(kind)[0].split("  #")[0]]


def deploy_command(kind: str) -> str:
    """certbot's deploy hook: copy the renewed key and chain ($RENEWED_LINEAGE) where step 2 expects them."""
    tls = TLS_DIRECTORIES[kind]
    copy = [f"install -m 600 \"$RENEWED_LINEAGE/privkey.pem\" {tls}/{UNIX_KEY_FILE}",
            f"install -m 644 \"$RENEWED_LINEAGE/fullchain.pem\" {tls}/{UNIX_CHAIN_FILE}"]
    return " && ".join(copy + _after_install(kind))


def acme_blocks(kind: str, name: str, _: Translate) -> list[CodeBlock]:
    """certbot's --deploy-hook and acme.sh's --install-cert for this MTA, for the requested name."""
    if kind not in MTA_KINDS:
        return []
    quoted = shlex.quote(name)
    tls = TLS_DIRECTORIES[kind]
    certbot_hook = shlex.quote(deploy_command(kind))
    acme_reload = shlex.quote(" && ".join(_after_install(kind)))
    text = "\n".join([
        "# certbot: " + _("replace dns-PROVIDER with your DNS provider's plugin and its credentials option"),
        f"certbot certonly --dns-PROVIDER -d {quoted} --deploy-hook {certbot_hook}",
        "# acme.sh: " + _("replace dns_PROVIDER with your DNS provider's API name"),
        f"acme.sh --issue --dns dns_PROVIDER -d {quoted}",
        f"acme.sh --install-cert -d {quoted} --key-file {tls}/{UNIX_KEY_FILE} "
        f"--fullchain-file {tls}/{UNIX_CHAIN_FILE} --reloadcmd {acme_reload}",
    ])
    return [CodeBlock(_("Or with an ACME client (DNS-01)"), "shell", text)]


def acme_details(kind: str, name: str, server: str, _: Translate) -> list[str]:
    return [ACME_DNS_01.say(_, name=name, server=server)] if kind in MTA_KINDS else []


def acme_sources(kind: str) -> list[Source]:
    return sources_of(ACME_DNS_01) if kind in MTA_KINDS else []
