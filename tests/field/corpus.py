"""The field corpus: samples found in public sources, each with where it came from and the answer expected of it.

samples/<reader>/<name>.txt is the text as found, <name>.src names where (an address, or a repository, path and
commit), <name>.expect.json the answer written by hand before the tool's answer was seen. known_misses.json lists
the samples still answered wrong, each with the reason. Each sample is scored twice: read as meant (the reader
took from it what a person would) and verdict right (the answer an agent acts on).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from app.audit.reading import AuditInputError
from app.audit.engine import run_audit
from app.diagnose import HeaderInputError, diagnose, normalize, read_headers

HERE = Path(__file__).parent
SAMPLES = HERE / "samples"
READERS = ("config", "headers", "ndr")
_CODES = re.compile(r"(?<![\d.])[245]\.\d{1,3}\.\d{1,3}(?![\d])")


@dataclass(frozen=True)
class Sample:
    reader: str
    name: str
    text: str
    expect: dict

    @property
    def id(self) -> str:
        return f"{self.reader}/{self.name}"


@dataclass
class Score:
    read: bool
    verdict: bool
    said: dict = field(default_factory=dict)     # what the tool answered, for the miss list

    @property
    def right(self) -> bool:
        return self.read and self.verdict


def samples() -> list[Sample]:
    found = []
    for reader in READERS:
        for path in sorted((SAMPLES / reader).glob("*.txt")):
            expect = json.loads(path.with_suffix(".expect.json").read_text(encoding="utf-8"))
            source = path.with_suffix(".src")
            assert source.is_file(), f"{path.name}: no .src"
            # Where it came from, as an address someone can open (a page, or a repository's file at its commit).
            assert re.search(r"https?://\S+", source.read_text(encoding="utf-8")), f"{source.name}: names no address"
            found.append(Sample(reader, path.stem, path.read_bytes().decode("utf-8", "replace"), expect))
    return found


def known_misses() -> dict[str, str]:
    return json.loads((HERE / "known_misses.json").read_text(encoding="utf-8"))


def score(sample: Sample) -> Score:
    return {"config": _config, "headers": _headers, "ndr": _ndr}[sample.reader](sample.text, sample.expect)


def _config(text: str, expect: dict) -> Score:
    now = datetime.fromisoformat(expect.get("now", "2026-12-07")).replace(tzinfo=timezone.utc)
    try:
        audit = run_audit(text, expect.get("accepted_domains") or [], now=now)
    except AuditInputError as error:
        refused = expect.get("refused")
        return Score(refused == error.code, refused == error.code, {"refused": error.code, "line": error.line})
    counts = {k: v for k, v in audit.counts.items() if k != "log_lines"}
    codes = {f.code for f in audit.findings}
    read = "refused" not in expect and counts == expect.get("kinds", counts) and \
        len(audit.configuration.log_lines) >= expect.get("log_lines", 0) and \
        all(any(text in o.text(name) for o in audit.configuration.of(kind)) for kind, name, text in expect.get("values", []))
    verdict = (audit.verdict == expect.get("verdict", audit.verdict)
               and set(expect.get("must_find", [])) <= codes and not set(expect.get("must_not_find", [])) & codes)
    return Score(read, verdict, {"kinds": counts, "verdict": audit.verdict, "findings": sorted(codes),
                                 "notices": [(n.line, n.reason) for n in audit.configuration.notices][:5]})


def _headers(text: str, expect: dict) -> Score:
    try:
        reading = read_headers(text, expect.get("tenant"), expect.get("accepted_domains") or [])
    except HeaderInputError:
        return Score(False, False, {"refused": True})
    sender = reading.envelope_sender
    domain = sender.rsplit("@", 1)[-1].lower() if sender else sender
    read = all((
        "tenant_id" not in expect or reading.tenant_id == expect["tenant_id"],
        "sender_domain" not in expect or domain == expect["sender_domain"],
        "tls" not in expect or reading.tls == expect["tls"],
    ))
    verdict = all((
        reading.verdict == expect["verdict"],
        "via" not in expect or reading.via == expect["via"],
        reading.proven == expect.get("proven", False),
    ))
    return Score(read, verdict, {"verdict": reading.verdict, "via": reading.via, "tenant_id": reading.tenant_id,
                                 "envelope_sender": sender, "tls": reading.tls, "proven": reading.proven})


def _ndr(text: str, expect: dict) -> Score:
    result = diagnose(text)
    matched = {m.code for m in result.matches}
    seen = set(_CODES.findall(normalize(text)))
    read = set(expect.get("codes", [])) <= seen
    verdict = all((
        "matches" not in expect or matched == set(expect["matches"]),
        set(expect.get("must_match", [])) <= matched,
        not set(expect.get("must_not_match", [])) & matched,
        # a rule another branch is adding (its exact code not known here): some matched code names this status
        all(any(status in code for code in matched) for status in expect.get("must_match_code_with", [])),
    ))
    return Score(read, verdict, {"matches": sorted(matched), "codes_seen": sorted(seen)[:8]})
