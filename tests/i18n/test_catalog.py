"""Every string the code can show has a Swedish translation that keeps its placeholders."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
SWEDISH = ROOT / "app" / "translations" / "sv" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


def extracted_messages(tmp_path) -> set[str]:
    """Extract afresh from the code, so a string added without a translation is caught."""
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg", "-k", "_l",
                    "-k", "N_", "--no-location", "-o", str(pot), "."], cwd=ROOT, check=True)
    with pot.open("rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


def forms(value) -> tuple[str, ...]:
    """A message's id or string as a tuple: plural messages have one entry per form."""
    return value if isinstance(value, tuple) else (value,)


def swedish_catalog():
    with SWEDISH.open("rb") as handle:
        return read_po(handle)


def test_every_extracted_string_has_a_swedish_translation(tmp_path):
    catalog = swedish_catalog()
    missing = sorted((msgid for msgid in extracted_messages(tmp_path)
                     if not catalog.get(msgid) or not all(forms(catalog.get(msgid).string))
                     or catalog.get(msgid).fuzzy), key=str)
    assert not missing, f"{len(missing)} strings lack a Swedish translation, e.g. {missing[:5]}"


def test_translations_keep_their_placeholders():
    broken = [message.id for message in swedish_catalog()
              if message.id and any(forms(message.string))
              and any(sorted(PLACEHOLDER.findall(forms(message.id)[min(index, len(forms(message.id)) - 1)]))
                      != sorted(PLACEHOLDER.findall(string)) for index, string in enumerate(forms(message.string)))]
    assert not broken, f"placeholders differ in: {broken[:5]}"
