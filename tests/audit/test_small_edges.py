"""Small edges with a visible effect: squeezed table rows of exact sizes, the reader's refusal of a huge
paste, "None" as services, distinguished names spaced differently, an empty TlsAuthLevel, a manual step
in Swedish (issue 16)."""
from __future__ import annotations

import pytest

from app.audit import values
from app.audit.model import MANUAL, FixPlan, FixStep
from app.audit.reading import MAX_TEXT, AuditInputError, read_configuration
from app.audit.render import render_fix_powershell
from tests.audit.test_rules import paste
from tests.audit.test_table_rows import HEADER, PROMPT, rows
from tests.swedish import swedish


def test_a_squeezed_row_as_long_as_the_table_is_wide_and_one_with_a_word_per_column_are_split_on_spaces():
    exactly_wide = "Relay True " + "x" * 29
    assert len(exactly_wide) == HEADER.index("Tls")
    assert rows(HEADER + exactly_wide + "\n") == [("Relay", "True", "x" * 29)]
    assert rows(HEADER + "Relay True mail.contoso.com\n") == [("Relay", "True", "mail.contoso.com")]


def test_after_a_line_that_ends_a_table_the_paste_is_read_on():
    config = read_configuration(PROMPT + HEADER + "Relay Cert          False               mail.contoso.com\n"
                                                  "Relay True\nName    : Relay C\nEnabled : True\n")
    assert [o.text("Name") for o in config.objects] == ["Relay Cert", "Relay C"]


def test_a_paste_over_the_limit_is_refused_without_a_line():
    with pytest.raises(AuditInputError) as caught:
        read_configuration("x" * (MAX_TEXT + 1))
    assert (caught.value.code, caught.value.line, caught.value.text) == ("too_large", 0, "")


def test_services_none_means_no_service():
    assert values.services("None") == [] and values.services("{IIS, SMTP}") == ["IIS", "SMTP"]


def test_distinguished_names_compare_whatever_the_spacing_after_commas():
    assert values.same_name("CN=R13,O=Let's Encrypt , C=US", "cn=r13, o=let's encrypt, c=us")
    assert not values.same_name("CN=R13, O=Let's Encrypt", "CN=R13, O=Lets Encrypt")


def test_an_empty_tls_auth_level_is_shown_as_a_dash(audit):
    (finding,) = [f for f in audit(paste(server={"level": ""})).findings if f.code == "tls_auth_level_weak"]
    assert finding.message == "TlsAuthLevel is - on To Office 365 (certificate)."


def test_domain_validation_without_a_domain_shows_both_lines(audit):
    (finding,) = [f for f in audit(paste(server={"level": "DomainValidation"})).findings
                  if f.code == "tls_domain_missing"]
    assert [e.text.split(":")[0].strip() for e in finding.evidence] == ["TlsAuthLevel", "TlsDomain"]


def test_a_step_done_by_hand_is_headed_in_the_readers_language():
    plan = FixPlan([FixStep("queue_error", "Köfel", MANUAL, [], "Gör så här.")], "Exchange Server 2019")
    text = render_fix_powershell(plan, "KB-1", "2026-12-01", _=swedish)
    assert "By hand" not in text and "# Gör så här." in text


def test_a_row_whose_first_cell_is_empty_is_read():
    assert rows(HEADER + "Relay               True\n" + " " * 20 + "False\n") == [("Relay", "True", ""), ("", "False", "")]


def test_a_certificate_read_without_a_server_is_said_to_be_on_none(audit):
    from tests.audit.blocks import certificate_object
    from tests.audit.test_rules import H

    result = audit(paste(server={"certificates": certificate_object(H, server="", services="IIS")}))
    (finding,) = [f for f in result.findings if f.code == "certificate_not_smtp"]
    assert " on - is used by " in finding.message
