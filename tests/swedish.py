"""A strict Swedish ``_`` for the domain code: a message without a Swedish translation fails the test.

The domain functions take the translate function as an argument. Passing this one shows that
every message they produce on a path reaches a Swedish reader translated, with its placeholders
filled: a misspelt message id (which the catalog does not know) would show English to a Swedish
admin in the middle of a Swedish page.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

CATALOG = Path(__file__).resolve().parents[1] / "app" / "translations" / "sv" / "LC_MESSAGES" / "messages.po"


@cache
def _catalog():
    with CATALOG.open("rb") as handle:
        return read_po(handle)


def swedish(msgid: str, **params: object) -> str:
    message = _catalog().get(msgid)
    assert message is not None and message.string and not message.fuzzy, f"no Swedish translation: {msgid!r}"
    return message.string % params if params else message.string
