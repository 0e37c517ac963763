"""Each kind of misreading issue 22 names, shown on a sample of the field corpus (as found, or with the one
change a paste path makes to it, said in the test)."""
from __future__ import annotations

from datetime import datetime, timezone

from app.audit.engine import run_audit
from app.audit.model import CERTIFICATE
from app.audit.reading import read_configuration
from app.diagnose import read_headers
from app.diagnose.headers import ATTRIBUTED, SUBMITTED, UNKNOWN
from tests.field.corpus import SAMPLES

NOW = datetime(2026, 12, 7, tzinfo=timezone.utc)


def text(kind: str, name: str) -> str:
    return (SAMPLES / kind / f"{name}.txt").read_bytes().decode("utf-8")


def test_a_mailing_lists_return_path_is_not_the_envelope_sender_exchange_online_saw():
    reading = read_headers(text("headers", "relay-micron-edac"), None, ["micron.com"])
    assert reading.verdict == ATTRIBUTED and reading.envelope_sender == "micron.com"
    assert not reading.proven  # the list's bounce address is not an accepted domain: it proved nothing


def test_a_message_submitted_in_exchange_online_tests_no_connector():
    reading = read_headers(text("headers", "hosted-intel-edac"), None, ["intel.com"])
    assert reading.verdict == SUBMITTED and reading.tenant_id == "46c98d88-e344-4ed4-8496-4ed7712e255d"
    assert "tests none" in reading.message


def test_headers_that_never_passed_exchange_online_cannot_tell():
    assert read_headers(text("headers", "onprem-aculab-mimecast")).verdict == UNKNOWN


def test_a_fold_that_lost_its_space_is_read_on_and_said():
    original = text("headers", "relay-nvidia-edac")
    folded = next(line for line in original.split("\n") if line.startswith((" ", "\t")) and "=" in line)
    broken = original.replace(folded, folded.lstrip(), 1)   # a web form dropped the leading space
    reading = read_headers(broken)
    assert reading.verdict == ATTRIBUTED and reading.tenant_id == "43083d15-7273-40c1-b7db-39efd9ccc17a"
    assert len(reading.notices) == 1 and folded.strip()[:40] in reading.notices[0]


def test_export_clixml_is_read_and_its_certificates_checked():
    audit = run_audit(text("config", "clixml-cert-e19-3"), now=NOW)
    certificates = audit.configuration.of(CERTIFICATE)
    assert [c.text("Subject") for c in certificates] == [
        "CN=Microsoft Exchange Server Auth Certificate", "CN=Solo-E19A", "CN=WMSvc-WIN-K300A9DA9VA"]
    assert certificates[1].text("NotAfter").startswith("2024-12-03") and certificates[1].certificates
    assert "certificate_none_public" in {f.code for f in audit.findings}


def test_a_default_table_without_its_dash_line_is_read():
    config = read_configuration(text("config", "qa-1434788-certificates-table-no-dashes"))
    rows = config.of(CERTIFICATE)
    assert [r.text("Services") for r in rows] == ["I..WS..", "....S..", ".P.WS..", "......."]
    assert not config.notices


def test_an_indented_list_and_its_table_row_are_one_certificate_checked_on_its_own():
    audit = run_audit(text("config", "script-comment-certificate-indented"), now=NOW)
    [certificate] = audit.configuration.of(CERTIFICATE)
    assert certificate.text("Services") == "IMAP, POP, IIS, SMTP"   # the list's words win over the table's letters
    assert "certificate_expired" in {f.code for f in audit.findings}


def test_certificates_alone_are_checked():
    audit = run_audit(text("config", "qa-1166428-certificates-fl-ru"), now=NOW)
    assert audit.verdict == "blocked" and "certificate_none_public" in {f.code for f in audit.findings}


def test_a_comment_line_is_not_blamed_as_unreadable():
    config = read_configuration("# EX01, after the renewal\n" + text("config", "qa-1166428-certificates-fl-ru"))
    assert not config.notices and len(config.of(CERTIFICATE)) == 3


def test_a_connector_whose_type_was_not_pasted_is_not_blamed_as_an_onpremises_ip_connector():
    # The script's author left ConnectorType out of the list: it may be a partner's connector.
    audit = run_audit(text("config", "script-comment-inbound-table-and-list"), now=NOW)
    codes = {f.code for f in audit.findings}
    assert "connector_type_not_shown" in codes and "inbound_connector_by_ip_only" not in codes
    assert audit.verdict == "needs_attention" and audit.counts["inbound_connector"] == 1


def test_a_table_row_without_its_header_line_is_named_as_such():
    import pytest
    from app.audit.reading import AuditInputError
    with pytest.raises(AuditInputError) as refused:
        read_configuration(text("config", "qa-345004-receive-connector-row-without-header"))
    assert refused.value.code == "table_without_header" and refused.value.line == 1


def test_output_kept_as_a_script_comment_is_read():
    config = read_configuration(text("config", "script-comment-queue-table-exchange2007"))
    queues = config.of("queue")
    assert [q.text("Identity") for q in queues] == ["Parizien\\11221", "Parizien\\11225", "Parizien\\Submission"]
    assert queues[1].text("NextHopDomain") == "[200.0.0.1]"


def test_a_value_wrapped_over_doubled_line_breaks_is_read_whole():
    # Q&A doubled every line break, also inside the queue's wrapped LastError; its '[{' is still open.
    config = read_configuration(text("config", "qa-234456-queue-fl-squeezed-with-tracking-log"))
    (queue,) = config.of("queue")
    assert queue.text("LastError").endswith("{FQDN=MAILSERVER.DOMAIN.LOCAL};{IP=192.168.12.4}]")
    assert "Security status InvalidToken." in queue.text("LastError")
    assert [n.text for n in config.notices] == ["MESSAGE TRACKING LOGS", "redundancy"]


def test_a_certificate_list_cut_before_its_thumbprint_is_named_by_its_domain():
    # The blog's list stops at Status: no Subject, no Thumbprint; the finding said "The certificate - on EXCAS1".
    audit = run_audit(text("config", "blog-allford-certificate-fl-rootcatype-registry"), now=NOW)
    messages = {f.code: f.message for f in audit.findings}
    assert messages["certificate_expired"] == "The certificate owa.domain.com on EXCAS1 expired on 2018-12-02."
    assert "for owa.domain.com on EXCAS1" in messages["certificate_root_not_third_party"]
