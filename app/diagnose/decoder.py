"""Match pasted NDR or log text against the rules: tolerant of case, spacing and line breaks."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from app.remediation.sources import Source, cite
from app.translate import Translate, plain

from .rules import NEXT_STEPS, RULES, RULESET_VERSION, Rule

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

    def to_dict(self) -> dict:
        return {"code": self.code, "title": self.title, "raised_by": self.raised_by, "meaning": self.meaning,
                "fix": self.fix, "wizard_step": self.wizard_step,
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


def diagnose(text: str, _: Translate = plain) -> Diagnosis:
    """The rules that match ``text``, in the table's order, their messages translated with ``_``."""
    cleaned = normalize(text)
    matches = [Match(rule.code, _(rule.title), rule.raised_by, _(rule.meaning), _(rule.fix), rule.wizard_step,
                     cite(*rule.sources))
               for rule in RULES if _matches(rule, cleaned)]
    if matches:
        return Diagnosis(matches)
    codes = list(dict.fromkeys(_FOUND_CODES.findall(cleaned)))
    return Diagnosis([], [_(step) for step in NEXT_STEPS], codes)
