"""Translation hooks for the Flask-free domain code.

Domain functions take a ``_`` argument with the signature of
``flask_babel.gettext`` (``_(msgid, **params) -> str``); the web layer passes
the real one, tests and the CLI may pass :func:`plain`. Module-level tables mark
their strings with :func:`N_` so that ``pybabel extract`` finds them, and
translate them when they are rendered.
"""
from typing import Protocol


class Translate(Protocol):
    def __call__(self, msgid: str, **params: object) -> str: ...


def plain(msgid: str, **params: object) -> str:
    """The untranslated message, formatted like flask_babel.gettext does."""
    return msgid % params if params else msgid


def N_(msgid: str) -> str:
    """Mark a string for extraction without translating it now."""
    return msgid
