"""Every rule the product applies, listed for a maintainer: its sources, the date Microsoft stated it (``as_of``,
for rules whose truth depends on the date) and the date it was last checked (``checked``).

``flask rules`` prints this list, oldest check first, so that what to re-check comes first; a rule with no
recorded check comes before all others. Pure Python: the CLI renders it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.audit.catalog import RULES as AUDIT_RULES
from app.diagnose.rules import RULES as DECODER_RULES
from app.remediation import advice
from app.remediation.devices import QUESTIONS, WAYS
from app.remediation.rules import EXCHANGE_LIFECYCLE, Dated

PLAN, DECODER, AUDIT, DEVICES, LIFECYCLE = "plan", "decoder", "audit", "devices", "lifecycle"


@dataclass(frozen=True)
class RuleEntry:
    kind: str                      # which rule set: PLAN, DECODER, AUDIT, DEVICES, LIFECYCLE
    id: str
    sources: tuple[str, ...]
    as_of: date | None = None      # the date of Microsoft's statement, for a rule that depends on the date
    checked: date | None = None    # the date it was last checked against Microsoft's page

    @property
    def dated(self) -> bool:
        return self.as_of is not None


def _entry(kind: str, rule_id: str, sources: tuple[str, ...], dated: Dated | None) -> RuleEntry:
    return RuleEntry(kind, rule_id, tuple(sources), dated.as_of if dated else None, dated.checked if dated else None)


def all_rules() -> list[RuleEntry]:
    entries = [_entry(PLAN, a.id, a.sources, a.dated) for a in vars(advice).values() if isinstance(a, advice.Advice)]
    entries += [_entry(DECODER, r.code, r.sources, r.dated) for r in DECODER_RULES]
    entries += [_entry(AUDIT, r.code, r.sources, r.dated) for r in AUDIT_RULES.values()]
    entries += [_entry(DEVICES, w.id, w.sources, w.dated) for w in WAYS]
    entries += [_entry(DEVICES, q.name, q.sources, q.dated) for q in QUESTIONS if q.dated]
    entries += [_entry(LIFECYCLE, kind, life.sources, life.dated) for kind, life in EXCHANGE_LIFECYCLE.items()]
    return entries


def oldest_check_first(entries: list[RuleEntry]) -> list[RuleEntry]:
    """What to re-check first: never checked, then the oldest check; within a date, by rule set and id."""
    return sorted(entries, key=lambda e: (e.checked or date.min, e.kind, e.id))
