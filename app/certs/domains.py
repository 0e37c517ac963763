"""Accepted domains typed or pasted by the admin, normalised for comparison.

Every domain is compared in its lower-case ASCII (IDNA A-label) form, the form
Exchange Online and certificates use on the wire.
"""
from __future__ import annotations

import functools
import ipaddress
import re
from dataclasses import dataclass, field
from typing import NamedTuple

import idna

from app.translate import N_, Translate, plain

EMPTY, WILDCARD, SPACE, SINGLE_LABEL, BAD_LABEL = "empty", "wildcard", "space", "single_label", "bad_label"

_MESSAGES = {
    EMPTY: N_("Enter a domain, like contoso.com."),
    WILDCARD: N_("Enter the domain without *, like contoso.com."),
    SPACE: N_("Enter one domain per line, without spaces, like contoso.com."),
    SINGLE_LABEL: N_("Enter the full domain with a dot, like contoso.com."),
    BAD_LABEL: N_("Enter a domain using letters, digits, hyphens and dots, like contoso.com."),
}


class DomainError(ValueError):
    """``text`` is not a usable domain name; ``code`` says why."""

    def __init__(self, code: str, text: str):
        super().__init__(f"{code}: {text!r}")  # pragma: no mutate: only a traceback shows it; callers read code
        self.code = code

    def message(self, _: Translate = plain) -> str:
        return _(_MESSAGES[self.code])


# The full stops IDNA reads as label separators (RFC 3490, 3.1), as Japanese and Chinese input types them.
_FULL_STOPS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})


@functools.lru_cache(maxsize=4096)  # IDNA encoding is slow; the same few domains recur in every check
def normalize_domain(text: str) -> str:
    """``text`` as a lower-case A-label domain without trailing dot, or DomainError."""
    domain = text.strip().lower().translate(_FULL_STOPS)
    domain = domain[:-1] if domain.endswith(".") else domain
    if not domain:
        raise DomainError(EMPTY, text)
    if "*" in domain:
        raise DomainError(WILDCARD, text)
    if any(ch.isspace() for ch in domain):
        raise DomainError(SPACE, text)
    if domain.endswith("."):  # only one root dot may be dropped: "contoso.com.." has an empty label
        raise DomainError(BAD_LABEL, text)
    try:
        ascii_domain = idna.encode(domain, uts46=True).decode("ascii")
    except (UnicodeError, ValueError):
        raise DomainError(BAD_LABEL, text) from None
    if "." not in ascii_domain:
        raise DomainError(SINGLE_LABEL, text)
    return ascii_domain


# Names no public CA can issue and Microsoft 365 cannot verify as a domain: they
# resolve only inside an organization. Sources: RFC 6761 (test, example, invalid,
# localhost), RFC 6762 (local), RFC 8375 (home.arpa), ICANN resolution
# 2024.07.29.06 (internal), ICANN's name-collision list of TLDs never to be
# delegated (corp, home, mail), and the suffixes Windows and home routers use by
# habit (lan, localdomain, intranet, private, priv).
INTERNAL_SUFFIXES = (
    "local", "localhost", "test", "example", "invalid", "home.arpa", "internal", "corp", "home", "mail",
    "lan", "localdomain", "intranet", "private", "priv",
)


@functools.lru_cache(maxsize=4096)  # pragma: no mutate: a size; ipaddress's refusal of a name costs two exceptions
def is_internal_name(name: str) -> bool:
    """Whether a certificate name (or ``*.`` name) can only be an internal one.

    True for IP addresses, single-label names (``exchange01``) and names under
    a suffix that is never public (``mail.contoso.local``, ``*.corp``).
    """
    text = name.strip().lower().rstrip(".")  # pragma: no mutate: lower case, so "XX.XX" strips alike
    text = text.removeprefix("*.")
    try:
        ipaddress.ip_address(text.strip("[]"))  # pragma: no mutate: lower case, so "XX[]XX" strips alike
        return True
    except ValueError:
        pass
    if "." not in text:
        return True
    return any(text == suffix or text.endswith("." + suffix) for suffix in INTERNAL_SUFFIXES)


def normalize_certificate_name(text: str) -> str | None:
    """A CN/SAN name for matching: a domain, or ``*.`` + domain; None if unusable.

    Names with an embedded or partial wildcard (``a.*.contoso.com``,
    ``mail*.contoso.com``) are unusable: a connector cannot name them.
    """
    wildcard = text.strip().startswith("*.")
    try:
        domain = normalize_domain(text.strip()[2:] if wildcard else text)
    except DomainError:
        return None
    return "*." + domain if wildcard else domain


# A name Microsoft 365 cannot add as a domain (LineProblem.reason, beside the DomainError codes).
INTERNAL = "internal"


class LineProblem(NamedTuple):
    number: int   # 1-based line number
    text: str     # the line, stripped
    reason: str   # a DomainError code or INTERNAL


@dataclass(frozen=True)
class ParsedDomains:
    domains: list[str]
    problems: list[LineProblem] = field(default_factory=list)
    # domain -> the text it was read from, when that was more than the domain in
    # another letter case (a URL, an address, a trailing dot, a Unicode name).
    sources: dict[str, str] = field(default_factory=dict)


# Get-AcceptedDomain table rows end in "<DomainName> <DomainType> <Default>";
# the Name column may hold spaces, so the domain is found by the type after it.
_DOMAIN_TYPES = {"authoritative", "internalrelay", "externalrelay"}
_TABLE_HEADER = re.compile(r"^Name\s+DomainName\s+DomainType\b", re.IGNORECASE)
_DASHES = re.compile(r"^[-\s]+$")
_PROMPT = re.compile(r"^(PS\b.*>\s*)?get-accepteddomain\b", re.IGNORECASE)
_LIST_LINE = re.compile(r"^([A-Za-z][\w-]*)\s*:\s*(.*)$")
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://([^/?#]*)", re.IGNORECASE)
_PORT = re.compile(r"^([^:]*):[^:]*$")  # host:port; an IPv6 address keeps its colons
_SEPARATORS = re.compile(r"[\s,;]+")
_QUOTES = "\"'<>“”‘’«»"


def _unwrap(token: str) -> str:
    """The host a URL, e-mail address or quoted name stands for; other text as it is."""
    token = token.strip(_QUOTES)
    url = _URL.match(token)
    if url:
        token = url.group(1).rpartition("@")[2]  # drop user:password@
        token = _PORT.sub(r"\1", token)
    return token.removeprefix("mailto:").rpartition("@")[2]


def _line_tokens(line: str) -> list[str]:
    """The texts a pasted line offers as domains; [] for lines to skip."""
    if _TABLE_HEADER.match(line) or _DASHES.match(line) or _PROMPT.match(line):
        return []
    list_line = _LIST_LINE.match(line)
    # PowerShell's "Property : value"; an address ("MAILTO:ann@contoso.com") is no property of Get-AcceptedDomain
    if list_line and list_line.group(1)[0].isupper() and not _URL.match(line) and "@" not in list_line.group(2):
        return [list_line.group(2)] if list_line.group(1).lower() == "domainname" else []
    tokens = line.split()
    for i, token in enumerate(tokens[1:], start=1):
        if token.lower() in _DOMAIN_TYPES:
            return [tokens[i - 1]]
    return [token for token in _SEPARATORS.split(line) if token]


def _read_token(token: str) -> str:
    """One token as an accepted domain, or DomainError (code INTERNAL for names Microsoft 365 cannot add)."""
    domain = normalize_domain(_unwrap(token))
    if is_internal_name(domain):
        raise DomainError(INTERNAL, token)
    return domain


def _read_line(line: str) -> tuple[list[tuple[str, str]], str | None]:
    """((domain, source text) pairs, None), or ([], why the line gives none)."""
    tokens = _line_tokens(line)
    read = []
    for token in tokens:
        try:
            read.append((_read_token(token), token))
        except DomainError as error:
            # One bad word among several is a sentence, not a list of domains.
            return [], error.code if len(tokens) == 1 else (INTERNAL if error.code == INTERNAL else SPACE)
    return read, None


def parse_accepted_domains(text: str) -> ParsedDomains:
    """Domains from one-per-line text or pasted Get-AcceptedDomain output (table or list).

    Every line is kept (normalised: a URL or e-mail address gives its domain, a
    trailing dot and letter case go) or refused with a reason; only the
    headings and other properties of Get-AcceptedDomain output are skipped.
    """
    domains: dict[str, None] = {}  # ordered, and a duplicate costs one lookup however long the list
    problems: list[LineProblem] = []
    sources: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        read, reason = _read_line(line)
        if reason is not None:
            problems.append(LineProblem(number, line, reason))
        for domain, source in read:
            if domain in domains:
                continue
            domains[domain] = None
            if source.lower() != domain:
                sources[domain] = source
    return ParsedDomains(list(domains), problems, sources)
