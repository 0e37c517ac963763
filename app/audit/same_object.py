"""The same object pasted twice (a table and a list of it, or two runs of a cmdlet) counts once."""
from __future__ import annotations

from app.audit import values
from app.audit.model import PastedObject


def identity(obj: PastedObject) -> tuple:
    label = (obj.text("Thumbprint") and values.thumbprint(obj.get("Thumbprint"))) or obj.label.lower()
    return obj.kind, label, (obj.text("Server") or obj.text("PSComputerName")).lower()


def merge_duplicates(objects: list[PastedObject]) -> list[PastedObject]:
    """The same object pasted twice (a table and a list, or two runs) counts once: a list's fields win over
    a table row's (a list shows whole values and services by name), else the later copy's do."""
    kept: dict[tuple, PastedObject] = {}
    result = []
    for obj in objects:
        key = identity(obj)
        if obj.kind is None or not key[1]:
            result.append(obj)
            continue
        first = kept.get(key)
        if first is None:
            kept[key] = obj
            result.append(obj)
            continue
        wins = first.table or not obj.table
        for name, found in obj.fields.items():
            if name not in first.fields or (wins and not found.truncated):
                first.fields[name] = found
        first.table = first.table and obj.table
        first.certificates.extend(c for c in obj.certificates if c not in first.certificates)
    return result
