"""Queues and the send protocol log: what the audit says about a queue's error, and which certificate the log
shows the server sending (issue 16)."""
from __future__ import annotations

from app.audit.checks.operations import sent_thumbprints
from app.audit.model import Evidence
from tests.audit.blocks import format_list
from tests.audit.test_rules import CASES, paste

SENT, SERIAL, REMOTE = "A" * 40, "B" * 40, "C" * 40


def queue_findings(audit, *queues: dict):
    text = paste(server={"queue": queues[0]})
    if len(queues) > 1:
        marker = "#### Get-Queue -Server EX01\r\n"
        text = text.replace(marker, marker + format_list(*queues[1:]).replace("\n", "\r\n"))
    return [f for f in audit(text).findings if f.code == "queue_error"]


def test_a_known_queue_error_is_an_error_with_the_decoders_advice(audit):
    broken = next(c[1] for c in CASES if c[0] == "queue_error")
    (finding,) = [f for f in audit(broken).findings if f.code == "queue_error"]
    assert finding.severity == "error" and finding.message.startswith("The queue EX01\\7 (23 messages) says: 451 4.4.62")
    assert ". " in finding.fix and not finding.fix.startswith("We do not recognise")


def test_an_unknown_queue_error_says_where_to_look(audit):
    (finding,) = queue_findings(audit, {"Identity": "EX01\\7", "LastError": "421 4.2.1 Unable to connect"})
    assert (finding.severity, finding.message, finding.fix) == (
        "warning", "The queue EX01\\7 (? messages) says: 421 4.2.1 Unable to connect",
        "We do not recognise this error: check the queue with Get-Queue and the send protocol log.")


def test_only_queues_with_an_error_are_reported(audit):
    findings = queue_findings(audit, {"Identity": "EX01\\Submission", "MessageCount": "0"},
                              {"Identity": "EX01\\7", "MessageCount": "3", "LastError": "421 4.2.1 Unable to connect"})
    assert [f.message for f in findings] == ["The queue EX01\\7 (3 messages) says: 421 4.2.1 Unable to connect"]


def lines(*texts: str) -> list[Evidence]:
    return [Evidence(number, text) for number, text in enumerate(texts, start=1)]


def test_the_certificate_sent_is_read_from_either_log_format_and_never_the_remote_one():
    log = lines(f"...,Sending certificate CN=mail {SERIAL} {SENT}",           # newer builds: one line
                "...,Sending certificate", "...,CN=mail,Certificate subject", f"...,{SENT},Certificate thumbprint",
                "...,Sending certificate", "...,Remote certificate", f"...,{REMOTE},Certificate thumbprint",
                f"...,{REMOTE},Certificate thumbprint",                   # with nothing being sent
                f"...,Sending certificate {SENT.lower()}")               # one token: it is the thumbprint
    assert [(line.line, thumbprint) for line, thumbprint in sent_thumbprints(log)] == [(1, SENT), (4, SENT), (9, SENT)]


def test_only_the_first_thumbprint_after_sending_counts():
    log = lines("...,Sending certificate", f"...,{SENT},Certificate thumbprint", f"...,{REMOTE},Certificate thumbprint")
    assert [thumbprint for _line, thumbprint in sent_thumbprints(log)] == [SENT]
