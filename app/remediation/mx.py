"""The tenant's MX endpoint: the smart host on-premises servers relay through.

The host name's key is assigned by the service, and new domains get the DNSSEC
form under mx.microsoft (MC1048624), so the admin pastes the value shown in the
admin center; :func:`guess_mx_endpoint` is only a guess to confirm, and no command
is ever built from it (:func:`choose_mx`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from app.certs.model import WARNING, Finding
from app.remediation.advice import MX_ENDPOINT_UNCONFIRMED
from app.remediation.rules import MX_PLACEHOLDER
from app.translate import Translate, plain

CLASSIC, DNSSEC, GCC_HIGH, CHINA = "classic", "dnssec", "gcc-high", "china"

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_KINDS = (
    (CLASSIC, re.compile(rf"{_LABEL}\.mail\.protection\.outlook\.com")),
    (DNSSEC, re.compile(rf"{_LABEL}\.{_LABEL}\.mx\.microsoft")),
    (GCC_HIGH, re.compile(rf"{_LABEL}\.mail\.protection\.office365\.us")),
    (CHINA, re.compile(rf"{_LABEL}\.mail\.protection\.partner\.outlook\.cn")),
)
# Client submission endpoints: they want SMTP AUTH, a connector never matches.
_SUBMISSION_HOSTS = frozenset({"smtp.office365.com", "smtp-mail.outlook.com", "smtp.office365.us"})
# Pre-2017 smart hosts: mail sent there is refused with 451 4.4.62 ATTR35.
_LEGACY_SUFFIXES = ("messaging.microsoft.com", "frontbridge.com")


@dataclass(frozen=True)
class MxCheck:
    host: str            # normalized: lower case, no brackets, port or trailing dot
    kind: str | None     # CLASSIC | DNSSEC | GCC_HIGH | CHINA; None when rejected
    message: str = ""    # what to do, when rejected

    @property
    def ok(self) -> bool:
        return self.kind is not None


def normalize_host(text: str) -> str:
    """The host from what an admin pastes: an MX record line, ``[host]:25``, ``host.``."""
    words = text.strip().lower().split()
    host = words[-1] if words else ""
    host = host.strip("[]")
    if re.fullmatch(r".+\]?:\d+", host):
        host = host.rsplit(":", 1)[0].strip("[]")
    return host.rstrip(".")


def check_mx_endpoint(text: str, *, _: Translate = plain) -> MxCheck:
    host = normalize_host(text)
    for kind, pattern in _KINDS:
        if pattern.fullmatch(host):
            return MxCheck(host, kind)
    example = "contoso-com.mail.protection.outlook.com"
    if not host:
        message = _("Enter the MX endpoint of your domain, like %(example)s.", example=example)
    elif host in _SUBMISSION_HOSTS:
        message = _(
            "%(host)s is for mail clients that sign in (SMTP AUTH); a server relaying through a "
            "connector is refused there with 550 5.7.57 Client was not authenticated. Enter the MX "
            "endpoint of your domain instead, like %(example)s.",
            host=host, example=example,
        )
    elif host.endswith(_LEGACY_SUFFIXES):
        message = _(
            "%(host)s is an old smart host that refuses relay with 451 4.4.62 (ATTR35). Enter the "
            "MX endpoint of your domain instead, like %(example)s.",
            host=host, example=example,
        )
    else:
        message = _(
            "Enter the MX endpoint shown for your domain in the Microsoft 365 admin center under "
            "Settings > Domains (the MX record's \"Points to address\"), like %(example)s.",
            example=example,
        )
    return MxCheck(host, None, message)


def guess_mx_endpoint(domain: str) -> str:
    """The usual form, dots to dashes: to show as a guess the admin confirms, never as fact."""
    name = domain.lower().rstrip(".")  # pragma: no mutate: lower case, so "XX.XX" strips alike
    return name.replace(".", "-") + ".mail.protection.outlook.com"


@dataclass(frozen=True)
class MxChoice:
    endpoint: str               # to show: the confirmed endpoint, or a guess shown as one
    confirmed: bool
    smart_host: str             # what the commands use: the confirmed endpoint, else MX_PLACEHOLDER
    warning: Finding | None     # why the commands hold the placeholder


def choose_mx(pasted: str, domain: str, *, _: Translate = plain) -> MxChoice:
    """The smart host for the commands: only an endpoint the admin gave and the check accepts.

    Without one, the commands hold MX_PLACEHOLDER, which never resolves, and the
    guess for ``domain`` appears only in the warning's words (advice.MX_ENDPOINT_UNCONFIRMED).
    """
    check = check_mx_endpoint(pasted, _=_) if pasted.strip() else None
    if check is not None and check.ok:
        return MxChoice(check.host, True, check.host, None)
    guess = guess_mx_endpoint(domain)
    message = MX_ENDPOINT_UNCONFIRMED.say(_, placeholder=MX_PLACEHOLDER, domain=domain, guess=guess)
    if check is not None:
        message = check.message + " " + message
    return MxChoice(guess, False, MX_PLACEHOLDER, Finding(MX_ENDPOINT_UNCONFIRMED.id, WARNING, message))
