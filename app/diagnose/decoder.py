"""Match pasted NDR or log text against the rules: tolerant of case, spacing and line breaks."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from app.remediation.sources import Source, cite
from app.translate import Translate, plain

from .rules import EXCHANGE_ONLINE, FAILING_HOP, HOP_IN_TEXT, NEXT_STEPS, ON_PREMISES, RULES, RULESET_VERSION, \
    SUBJECT_MISMATCH, Rule

MAX_TEXT = 20000
_STATUS_CODE = re.compile(r"^\d\.\d{1,3}\.\d{1,3}$")
_FOUND_CODES = re.compile(r"(?<![\d.])[245]\.\d{1,3}\.\d{1,3}(?![\d])")
_SOFT_BREAK = re.compile(r"=\r?\n")  # quoted-printable line wraps
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Match:
    code: str
    title: str
    raised_by: str
    meaning: str
    fix: str
    wizard_step: str
    sources: list[Source] = field(default_factory=list)
    details: list[str] = field(default_factory=list)   # what the text itself says (names, the failing hop)

    def to_dict(self) -> dict:
        return {"code": self.code, "title": self.title, "raised_by": self.raised_by, "meaning": self.meaning,
                "fix": self.fix, "wizard_step": self.wizard_step, "details": self.details,
                "sources": [{"title": s.title, "url": s.url} for s in self.sources]}


@dataclass(frozen=True)
class Diagnosis:
    matches: list[Match]
    next_steps: list[str] = field(default_factory=list)  # what to collect when nothing matched
    codes_found: list[str] = field(default_factory=list)  # status codes in text that matched no rule
    ruleset_version: str = RULESET_VERSION

    @property
    def recognized(self) -> bool:
        return bool(self.matches)

    def to_dict(self) -> dict:
        return {"recognized": self.recognized, "matches": [m.to_dict() for m in self.matches],
                "next_steps": self.next_steps, "codes_found": self.codes_found,
                "ruleset_version": self.ruleset_version}


def normalize(text: str) -> str:
    """One line, lower case, single spaces: line breaks in a pasted NDR stop mattering."""
    text = unicodedata.normalize("NFKC", _SOFT_BREAK.sub("", text[:MAX_TEXT]))
    return _SPACE.sub(" ", text).casefold().strip()


@cache
def _term_pattern(term: str) -> re.Pattern:
    term = term.casefold()
    if _STATUS_CODE.match(term):
        # 5.7.64, also when wrapped as "5.7. 64"; never part of 15.7.640.
        body = r"\s?\.\s?".join(term.split("."))
        return re.compile(rf"(?<![\d.]){body}(?!\.?\d)")
    # A phrase: words may be split by a line wrap or joined by punctuation.
    words = [r"\s?".join(re.escape(ch) for ch in word) for word in term.split()]
    return re.compile(r"[\W_]*".join(words))


def _signature_matches(signature: tuple[str, ...], text: str) -> bool:
    for term in signature:
        wanted = not term.startswith("!")
        # pragma: no mutate start, the mutant strips "X" too; no term starts with one
        if bool(_term_pattern(term.lstrip("!")).search(text)) != wanted:
        # pragma: no mutate end
            return False
    return True


def _matches(rule: Rule, text: str) -> bool:
    return any(_signature_matches(signature, text) for signature in rule.signatures)


# Read out of the pasted text, each bounded so that a search stays linear in the text's length.
# 450 4.4.317 Cannot connect to remote server [Message=SubjectMismatch Expected Subject: *.contoso.com.
# Presented Subject: CN=ExchangeServer01. Thumbprint: D0AC...] [LastAttemptedServerName=mail.contoso.com]
_EXPECTED = re.compile(r"Expected Subject:\s{0,3}([^\s\]]{1,255})", re.IGNORECASE)
_PRESENTED = re.compile(r"Presented Subject:\s{0,3}([^\]\r\n]{1,300})", re.IGNORECASE)
_THUMBPRINT = re.compile(r"Thumbprint:\s{0,3}([0-9A-F]{8,40})", re.IGNORECASE)
_ATTEMPTED = re.compile(r"LastAttemptedServerName=([^\]\s]{1,255})", re.IGNORECASE)
# The hop: who wrote the report, and the endpoint it last tried.
_GENERATING = re.compile(r"(?:Generating server|Reporting-MTA):\s{0,3}(?:dns;\s{0,3})?([A-Za-z0-9.-]{1,255})",
                         re.IGNORECASE)
_SERVER_AT = re.compile(r"Server at ([A-Za-z0-9.-]{1,255})(?: \([0-9a-fA-F.:]{1,45}\))? returned", re.IGNORECASE)
_ENDPOINT = re.compile(r"last endpoint attempted was ([0-9a-fA-F.:\[\]]{3,60})", re.IGNORECASE)
# Exchange Online ends its SMTP replies with the answering server in brackets: "... AS(201806281)
# [PR2FRA01FT009.eop-fra01.prod.protection.outlook.com]". Which bracketed name is one is decided below.
_BRACKETED = re.compile(r"\[([A-Za-z0-9.-]{1,255})\]")
EXCHANGE_ONLINE_HOSTS = (".outlook.com", ".outlook.cn", ".office365.us")


def _first(pattern: re.Pattern, text: str) -> str | None:
    found = pattern.search(text)
    return found.group(1).strip().rstrip(".") if found else None


def _subject_mismatch(text: str, _: Translate) -> tuple[list[str], str | None]:
    expected = _first(_EXPECTED, text) or _first(_ATTEMPTED, text)
    presented = _first(_PRESENTED, text)
    details = []
    if expected:
        details.append(_("Expected name: %(name)s.", name=expected))
    if presented:
        presented = presented.split(". Thumbprint:")[0].split(". thumbprint:")[0]
        details.append(_("Presented certificate: %(name)s.", name=presented))
    thumbprint = _first(_THUMBPRINT, text)
    if presented and thumbprint:
        details.append(_("Thumbprint of the certificate presented: %(thumbprint)s.", thumbprint=thumbprint.upper()))
    return details, None


def _failing_hop(text: str, _: Translate) -> tuple[list[str], str | None]:
    server = _first(_GENERATING, text) or _first(_SERVER_AT, text)
    details, raised_by = [], None
    if server:
        online = server.lower().endswith(EXCHANGE_ONLINE_HOSTS)
        raised_by = EXCHANGE_ONLINE if online else ON_PREMISES
        details.append(_("The text was written by %(server)s, a server of Exchange Online.", server=server) if online
                       else _("The text was written by %(server)s, not a server of Exchange Online.", server=server))
    answered = next((name for name in _BRACKETED.findall(text) if name.lower().endswith(EXCHANGE_ONLINE_HOSTS)), None)
    if answered and answered != server:
        raised_by = raised_by or EXCHANGE_ONLINE
        details.append(_("The refusal came from %(server)s, a server of Exchange Online.", server=answered))
    endpoint = _first(_ENDPOINT, text)
    if endpoint:
        details.append(_("The last endpoint it tried: %(endpoint)s.", endpoint=endpoint))
    if not details:
        details.append(_("The text does not name the server that wrote it: look for the generating server in the "
                         "whole report."))
    return details, raised_by


EXTRACTORS = {SUBJECT_MISMATCH: _subject_mismatch, FAILING_HOP: _failing_hop}


def _match(rule: Rule, raw: str, _: Translate) -> Match:
    details, raised_by = [], None
    for name in rule.reads:
        found, by = EXTRACTORS[name](raw, _)
        details += found
        raised_by = raised_by or by
    meaning = _(rule.meaning)
    if rule.dated:
        meaning = _("%(text)s (as of %(date)s)", text=meaning, date=rule.dated.as_of.isoformat())
    return Match(rule.code, _(rule.title), raised_by or rule.raised_by, meaning, _(rule.fix),
                 rule.wizard_step, cite(*rule.sources), details)


def diagnose(text: str, _: Translate = plain) -> Diagnosis:
    """The rules that match ``text``, in the table's order, their messages translated with ``_``."""
    cleaned = normalize(text)
    raw = _SOFT_BREAK.sub("", text[:MAX_TEXT])
    matches = [_match(rule, raw, _) for rule in RULES if _matches(rule, cleaned)]
    if matches:
        return Diagnosis(matches)
    codes = list(dict.fromkeys(_FOUND_CODES.findall(cleaned)))
    return Diagnosis([], [_(step) for step in NEXT_STEPS], codes)
