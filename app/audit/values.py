"""Values as Format-List and Format-Table print them: booleans, {a, b} lists, dates, builds, names."""
from __future__ import annotations

import re
from datetime import datetime, timezone

ELLIPSES = ("...", "\u2026")
_TRUE, _FALSE = {"true", "$true", "yes"}, {"false", "$false", "no"}


_SERVICE_FLAGS = re.compile(r"[A-Z.]{6,7}")   # Get-ExchangeCertificate's table: "....S.." (2016: "IP.WS."), not a cut value


def is_cut(value: str) -> bool:
    text = value.rstrip().rstrip("}").rstrip()
    return text.endswith(ELLIPSES) and not _SERVICE_FLAGS.fullmatch(text.strip())


def strip_cut(value: str) -> str:
    if not is_cut(value):
        return value
    text = value.rstrip()
    closing = text.endswith("}")
    text = text.rstrip("}").rstrip()
    for mark in ELLIPSES:
        text = text.removesuffix(mark)
    return text + ("}" if closing else "")


def boolean(value: str | None) -> bool | None:
    text = (value or "").strip().lower()
    return True if text in _TRUE else False if text in _FALSE else None


def items(value: str | None) -> list[str]:
    """``{a, b}``, ``a, b`` or one value, as a list. ``{a, b...}`` (the enumeration limit) lists whole
    items and then says more follow: the items shown are kept, the field is marked cut."""
    text = strip_cut((value or "").strip())
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    return [p.strip() for p in text.split(",") if p.strip()]


def address_space(entry: str) -> str:
    """``SMTP:*;1`` -> ``*``; ``smtp:contoso.mail.onmicrosoft.com;1`` -> the domain."""
    text = entry.strip()
    if ":" in text and text.split(":", 1)[0].lower() in {"smtp", "x400", "x500"}:
        text = text.split(":", 1)[1]
    return text.split(";", 1)[0].strip().lower()


def thumbprint(value: str | None) -> str:
    return re.sub(r"[^0-9A-Fa-f]", "", value or "").upper()


# Get-ExchangeCertificate's table prints Services as letters: IMAP, POP, UM, IIS (W), SMTP.
_SERVICE_LETTERS = {"I": "IMAP", "P": "POP", "U": "UM", "W": "IIS", "S": "SMTP", "F": "Federation", "C": "UMCallRouter"}


def services(value: str | None) -> list[str]:
    text = (value or "").strip()
    if _SERVICE_FLAGS.fullmatch(text):
        return [_SERVICE_LETTERS[ch] for ch in text if ch in _SERVICE_LETTERS]
    return [s for s in items(text) if s.lower() != "none"]


_BUILD = re.compile(r"Version\s+(\d+)\.(\d+)\s*\(Build\s+(\d+)(?:\.(\d+))?", re.IGNORECASE)
_DOTTED = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:\.(\d+))?$")


def build(value: str | None) -> tuple[int, int, int, int] | None:
    """``Version 15.1 (Build 2507.39)`` or ``15.1.2507.39`` -> (15, 1, 2507, 39)."""
    text = (value or "").strip()
    match = _BUILD.search(text) or _DOTTED.match(text)
    if not match:
        return None
    return tuple(int(g or 0) for g in match.groups())  # type: ignore[return-value]


def tls_certificate_name(value: str | None) -> tuple[str, str] | None:
    """``<I>issuer<S>subject`` -> (issuer, subject); None if the value lacks the tags."""
    text = (value or "").strip()
    match = re.fullmatch(r"<I>(.*)<S>(.*)", text, re.IGNORECASE | re.DOTALL)
    return (match.group(1).strip(), match.group(2).strip()) if match else None


def same_name(a: str, b: str) -> bool:
    """Distinguished names as Exchange compares them: case-insensitive, spacing after commas ignored."""
    def norm(text: str) -> str:
        # Split, not re.sub(r"\s*,\s*"): that pattern tries every space as a start (quadratic in a run of them).
        return ", ".join(part.strip() for part in text.strip().split(",")).casefold()
    return norm(a) == norm(b)


def common_name(subject: str) -> str | None:
    match = re.search(r"(?:^|,\s*)CN=([^,]+)", subject or "", re.IGNORECASE)
    return match.group(1).strip() if match else None


_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?")
_LOCAL = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?:\s+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*([AaPp][Mm])?)?")


def dates(value: str | None) -> list[datetime]:
    """Every plausible reading of a pasted date (UTC, naive offsets ignored): one, two or none.

    Windows prints dates in the server's locale: 12/02/2018 is 2 December in the US and
    12 February in Australia. Rules act only on what all readings agree on.
    """
    text = (value or "").strip()
    iso = _ISO.match(text)
    if iso:
        y, mo, d, h, mi, s = (int(g or 0) for g in iso.groups())
        return _valid([(y, mo, d, h, mi, s)])
    local = _LOCAL.match(text)
    if not local:
        return []
    a, sep, b, y = int(local.group(1)), local.group(2), int(local.group(3)), int(local.group(4))
    h, mi, s = int(local.group(5) or 0), int(local.group(6) or 0), int(local.group(7) or 0)
    meridiem = (local.group(8) or "").lower()
    if meridiem == "pm" and h < 12:
        h += 12
    if meridiem == "am" and h == 12:
        h = 0
    if sep == ".":
        return _valid([(y, b, a, h, mi, s)])
    readings = [(y, a, b, h, mi, s), (y, b, a, h, mi, s)]
    return _valid(list(dict.fromkeys(readings)))


def _valid(parts: list[tuple[int, ...]]) -> list[datetime]:
    found = []
    for y, mo, d, h, mi, s in parts:
        try:
            found.append(datetime(y, mo, d, h, mi, s, tzinfo=timezone.utc))
        except ValueError:
            continue
    return found


def bracket_balance(text: str) -> int:
    """How many '[' and '{' the text opens and leaves open (negative: it closes earlier ones)."""
    return text.count("[") + text.count("{") - text.count("]") - text.count("}")
