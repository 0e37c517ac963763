"""The sources Microsoft publishes in Swedish: their Swedish titles and sv-se addresses (issue 30).

A Swedish plan's .ps1 "Källor" section and its JSON cite these instead of the English page. Only
pages whose Swedish title we saw on Microsoft's own Swedish pages are here; every other source keeps
its English title and address (cmdlet references, blog posts and message-center posts have no
Swedish version). Checked 2026-12-07:

- KB3169958: the Swedish KB page itself (support.microsoft.com/sv-se/kb/3169958, a machine
  translation by Microsoft), title as it gives it.
- set-up-connectors: the title Microsoft's Swedish documentation links the page by
  (MicrosoftDocs/microsoft-365-docs-pr.sv-SE, EOP mail-flow pages); the sv-se page itself was not opened.
"""
from __future__ import annotations

from dataclasses import replace

from app.remediation.model import Plan
from app.remediation.sources import LEARN, Source

LEARN_SV = LEARN + "sv-se/"

SWEDISH: dict[str, tuple[str, str]] = {
    "KB3169958": ("KB 3169958: Viktigt meddelande för Office 365 e-kunder som har konfigurerat kopplingar",
                  "https://support.microsoft.com/sv-se/kb/3169958"),
    "set-up-connectors": ("Konfigurera kopplingar för att dirigera e-post mellan Microsoft 365 och dina egna "
                          "e-postservrar",
                          LEARN_SV + "exchange/mail-flow-best-practices/use-connectors-to-configure-mail-flow/"
                          "set-up-connectors-to-route-mail"),
}
TRANSLATIONS = {"sv": SWEDISH}


def in_language(sources: list[Source], language: str) -> list[Source]:
    """The same sources, each with its title and address in ``language`` where Microsoft has one."""
    table = TRANSLATIONS.get(language, {})
    return [replace(s, title=table[s.id][0], url=table[s.id][1]) if s.id in table else s for s in sources]


def plan_in_language(plan: Plan, language: str) -> Plan:
    """The plan with every source it cites (its list, each step's, each side's) in ``language``."""
    if language not in TRANSLATIONS:
        return plan
    return replace(
        plan, sources=in_language(plan.sources, language),
        checklist=[replace(item, sources=in_language(item.sources, language)) for item in plan.checklist],
        exchange_online=replace(plan.exchange_online, sources=in_language(plan.exchange_online.sources, language)),
        on_premises=replace(plan.on_premises, sources=in_language(plan.on_premises.sources, language)))
