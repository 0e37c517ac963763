"""What the servers report: their Exchange build, their queues' last errors, their send protocol log."""
from __future__ import annotations

import re

from app.audit import derive, values
from app.audit.derive import Context, Hit
from app.audit.model import QUEUE, Evidence, PastedObject
from app.certs.model import ERROR, WARNING
from app.diagnose import diagnose
from app.translate import Translate

# (major, minor, first build, last build) -> (name, end of support, severity). Exchange Team blog and
# Microsoft lifecycle pages; 15.2 builds from 2562 on are Exchange Server SE (RTM 15.2.2562.17).
SUPPORT = (
    ((14, None, 0, 99999), "Exchange Server 2010", "2020-10-13", ERROR),
    ((15, 0, 0, 99999), "Exchange Server 2013", "2023-04-11", ERROR),
    ((15, 1, 0, 99999), "Exchange Server 2016", "2025-10-14", WARNING),
    ((15, 2, 0, 2561), "Exchange Server 2019", "2025-10-14", WARNING),
)
_THUMBPRINT = re.compile(r"\b[0-9A-F]{40}\b", re.IGNORECASE)


def servers(ctx: Context) -> list[Hit]:
    hits = []
    for server in derive.servers(ctx.config):
        version = values.build(server.get("AdminDisplayVersion"))
        out = _out_of_support(version) if version else None
        if out:
            name, date, severity = out
            hits.append(Hit("exchange_out_of_support", server.evidence("AdminDisplayVersion"),
                            {"server": server.name, "version": name, "date": date,
                             "build": ".".join(str(p) for p in version)}, {"server": server.name}, severity))
    return hits


def _out_of_support(version: tuple[int, int, int, int]):
    major, minor, build = version[0], version[1], version[2]
    for (v_major, v_minor, first, last), name, date, severity in SUPPORT:
        if major == v_major and (v_minor is None or minor == v_minor) and first <= build <= last:
            return name, date, severity
    return None


def queues(ctx: Context, _: Translate) -> list[Hit]:
    hits = []
    for queue in ctx.config.of(QUEUE):
        error = queue.text("LastError")
        if not error:
            continue
        result = diagnose(error, _)
        match = result.matches[0] if result.matches else None
        hits.append(Hit("queue_error", queue.evidence("LastError"),
                        {"queue": queue.label, "count": queue.text("MessageCount") or "?", "error": error,
                         "fix": (match.title + ". " + match.fix) if match else
                         _("We do not recognise this error: check the queue with Get-Queue and the send protocol "
                           "log.")},
                        {}, ERROR if match else WARNING))
    return hits


def logs(ctx: Context, expected: list[PastedObject]) -> list[Hit]:
    hits = []
    failed = next((e for e in ctx.config.log_lines if "tls negotiation failed" in e.text.lower()), None)
    if failed:
        hits.append(Hit("log_tls_failed", [failed], {"line": failed.text}))
    wanted = {values.thumbprint(c.get("Thumbprint")) for c in expected} - {""}
    sent = sent_thumbprints(ctx.config.log_lines)
    if wanted and sent and sent[-1][1] not in wanted:
        line, thumbprint = sent[-1]
        hits.append(Hit("log_other_certificate", [line], {"sent": thumbprint, "expected": ", ".join(sorted(wanted))}))
    return hits


def sent_thumbprints(lines: list[Evidence]) -> list[tuple[Evidence, str]]:
    """Thumbprints of the certificates the server sent, in log order.

    Verbose send logs print "Sending certificate" and then, on their own lines, "Certificate subject",
    "Certificate thumbprint" and so on; newer builds print it all on the "Sending certificate" line.
    The peer's certificate follows "Remote certificate" in the same shape and is skipped.
    """
    found, sending = [], False
    for line in lines:
        text = line.text.lower()
        tokens = _THUMBPRINT.findall(line.text)
        # Subject, issuer, serial number, thumbprint: a 40-digit serial number comes first.
        thumbprint = (tokens[1] if len(tokens) > 1 else tokens[0]).upper() if tokens else None
        if "sending certificate" in text:
            sending = thumbprint is None
            if thumbprint:
                found.append((line, thumbprint))
        elif "remote certificate" in text:
            sending = False
        elif sending and "certificate thumbprint" in text and thumbprint:
            found.append((line, thumbprint))
            sending = False
    return found
