"""The whole Swedish catalog speaks the glossary's Swedish: one term per concept, Microsoft's own labels.

app/translations/sv/glossary.json holds each concept's Swedish term, the wordings it rejects and the
Swedish Microsoft page the term was checked against. These tests read every message of the Swedish
catalog, so they hold for strings added later: after `make extract-messages` and translating, run
`.venv/bin/python -m pytest tests/i18n/test_glossary.py` and fix each message it names.
"""
from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "app" / "translations" / "sv" / "glossary.json"
SWEDISH = ROOT / "app" / "translations" / "sv" / "LC_MESSAGES" / "messages.po"
# Placeholders hold values (a connector's name, a domain), not our words.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@cache
def glossary() -> dict:
    return json.loads(GLOSSARY.read_text(encoding="utf-8"))


def compiled(pattern: str, case_sensitive: bool = False) -> re.Pattern:
    return re.compile(pattern, 0 if case_sensitive else re.IGNORECASE)


def messages(path: Path = SWEDISH) -> list[tuple[str, str]]:
    """(English, Swedish) for every translated form of every message, placeholders blanked."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    pairs = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for index, string in enumerate(strings):
            if string:
                english = ids[min(index, len(ids) - 1)]
                pairs.append((PLACEHOLDER.sub("X", english), PLACEHOLDER.sub("X", string)))
    return pairs


def rejected_uses(pairs: list[tuple[str, str]]) -> list[str]:
    """Each message that uses a wording the glossary rejects, with the reason."""
    found = []
    for term in glossary()["terms"]:
        for rule in term.get("rejected", []):
            pattern = compiled(rule["pattern"], rule.get("case_sensitive", False))
            limit = compiled(rule["at_most_as_often_as_english"]) if "at_most_as_often_as_english" in rule else None
            for english, swedish in pairs:
                uses = len(pattern.findall(swedish))
                allowed = len(limit.findall(english)) if limit else 0
                if uses > allowed:
                    found.append(f"{term['concept']}: {rule['why']}\n    {swedish}")
    return found


def missing_terms(pairs: list[tuple[str, str]]) -> list[str]:
    """Each message whose English names a concept but whose Swedish lacks the concept's term."""
    found = []
    for term in glossary()["terms"]:
        if "required" not in term:
            continue
        english_pattern, required = compiled(term["english"], True), compiled(term["required"])
        for english, swedish in pairs:
            if english_pattern.search(english) and not required.search(swedish):
                found.append(f"{term['concept']}: use {term['swedish']}\n    {english}\n    {swedish}")
    return found


def test_no_swedish_message_uses_a_rejected_wording():
    found = rejected_uses(messages())
    assert not found, f"{len(found)} Swedish messages break the glossary:\n" + "\n".join(found)


def test_each_concept_the_english_names_has_its_swedish_term():
    found = missing_terms(messages())
    assert not found, f"{len(found)} Swedish messages lack the glossary's term:\n" + "\n".join(found)


def test_every_term_names_the_microsoft_page_it_was_checked_against():
    sources = glossary()["sources"]
    for term in glossary()["terms"]:
        assert term["source"] in sources, term["concept"]
        assert term["swedish"], term["concept"]
        for rule in term.get("rejected", []):
            assert rule["why"], term["concept"]
            compiled(rule["pattern"], rule.get("case_sensitive", False))


def test_the_checks_catch_what_the_review_of_issue_30_found():
    """The glossary rejects the wordings a Swedish administrator flagged, so they cannot come back."""
    flagged = [
        ("Exchange Online relays for your server.", "Exchange Online vidarebefordrar åt din server."),
        ("Throttles mail.", "Exchange Online stryper e-post."),
        ("Run the Hybrid Configuration Wizard.", "Kör Guiden Hybridkonfiguration."),
        ("Choose it in the Hybrid Configuration Wizard.", "Välj det i guiden för hybridkonfiguration."),
        ("In the Exchange admin center.", "I Administrationscenter för Exchange."),
        ("Mail > Manage email apps", "E-post > Hantera e-postappar"),
        ("It will undo a change made by hand.", "Den gör om en ändring som gjorts manuellt."),
        ("An old smart host.", "En gammal smarta värd."),
        ("The connector expects X.", "Kopplingen förväntar X."),
        ("10,000 recipients", "10 000 mottagare"),
        ("from 1 March", "från 1 mars"),
    ]
    assert len(rejected_uses(flagged)) >= len(flagged)
    # Forwarding keeps its word, next to relay.
    assert not rejected_uses([("Relay forwarded mail.", "Skicka vidarebefordrad e-post via reläet.")])
