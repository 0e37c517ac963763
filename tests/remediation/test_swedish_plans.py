"""Every message of every plan reaches a Swedish reader translated (tests/swedish.py), and
translating a plan never changes a command: cmdlets, parameters and values stay as they are."""
from __future__ import annotations

import re

import pytest

from app.remediation import render_powershell
from tests.remediation.cases import CASES, build_cases
from tests.swedish import swedish

SWEDISH_CASES = build_cases(swedish)


# Words for the admin inside a command line: a comment after the command, the text Read-Host shows.
TRAILING_COMMENT = re.compile(r"\s+# [^'\"]*$")
PROMPT = re.compile(r"-Prompt '[^']*'")


def commands(script: str) -> list[str]:
    """The lines an admin runs: no comments (PowerShell and shell #, sendmail dnl), not the line that stops the file;
    a comment at a line's end and Read-Host's prompt are words, translated like the comments."""
    return [PROMPT.sub("-Prompt '?'", TRAILING_COMMENT.sub("", line)) for line in script.splitlines()
            if line and not line.startswith(("#", "dnl ", "throw "))]


def test_the_password_prompt_and_the_log_comment_are_swedish():
    exchange = render_powershell(SWEDISH_CASES["exchange-se__certificate"], swedish)
    assert "-Prompt 'Lösenord för PFX-filen'" in exchange and "PFX password" not in exchange
    postfix = render_powershell(SWEDISH_CASES["postfix__certificate"], swedish)
    assert "| tail -n 5  # endast systemd-journalen" in postfix and "journal only" not in postfix


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_script_is_in_swedish_with_the_same_commands(name):
    script = render_powershell(SWEDISH_CASES[name], swedish)
    # Each part is headed by its step's title, as on the page ("Steg 1: ..."); hybrid: the certificate first.
    online = next(item for item in SWEDISH_CASES[name].checklist if item.id == "exchange_online_connector")
    assert f"# {online.title}" in script.splitlines() and online.title.startswith(("Steg 1:", "Steg 2:"))
    assert "# Källor" in script.splitlines()
    assert commands(script) == commands(render_powershell(CASES[name]))


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_checklist_is_in_swedish_with_the_same_code(name):
    english, translated = CASES[name], SWEDISH_CASES[name]
    assert [item.id for item in translated.checklist] == [item.id for item in english.checklist]
    assert [item.status for item in translated.checklist] == [item.status for item in english.checklist]
    for before, after in zip(english.checklist, translated.checklist):
        assert [commands(c.text) for c in after.code] == [commands(c.text) for c in before.code]
        assert after.title != before.title
