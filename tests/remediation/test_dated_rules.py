"""Issue 21 item 9: dated facts with their dates (facts section 11, "Dates"): DigiCert Global Root G2 by
22 March 2026, the SMTP AUTH Basic authentication timeline of 27 January 2026; every rule whose truth depends
on a date carries as_of and checked, shown as "as of"; `flask rules` lists them, oldest check first."""
from __future__ import annotations

from datetime import date

import pytest

from app import create_app
from app.audit.catalog import RULESET_VERSION as AUDIT_VERSION
from app.diagnose import diagnose
from app.diagnose.rules import RULESET_VERSION as DECODER_VERSION
from app.remediation import devices as d
from app.remediation.registry import all_rules, oldest_check_first
from app.remediation.rules import RULESET_VERSION
from app.translate import plain
from tests.remediation.cases import CASES
from tests.remediation.test_golden_facts import EXCHANGE, block
from tests.swedish import swedish


@pytest.mark.parametrize("name", EXCHANGE)
def test_digicert_g2_is_a_requirement_with_its_date(name):
    text = block(CASES[name], "each server")
    assert "30 April 2026" not in text
    assert "DigiCert Global Root G2: this server must trust it and its subordinate CAs, a requirement since " \
           "22 March 2026" in text and "(as of 2026-03-16)" in text


def test_the_smtp_auth_timeline_is_the_one_of_january_2026():
    way = d.WAY_BY_ID[d.SMTP_AUTH]
    status = d.dated_text(way.status, way.dated, plain)
    assert "1 March to 30 April 2026" not in status and status.endswith("Use OAuth. (as of 2026-01-27)")
    assert "end of December 2026" in status and "second half of 2027" in status
    hint = d.dated_text(d.BY_NAME["oauth"].hint, d.BY_NAME["oauth"].dated, plain)
    assert "March to April" not in hint and hint.endswith("(as of 2026-01-27)")
    assert d.dated_text(way.status, way.dated, swedish) != status


def test_the_devices_page_shows_as_of_beside_the_dated_status(client):
    text = client.get("/devices/result?recipients=external&oauth=yes").get_data(as_text=True)
    assert "end of December 2026" in text and "(as of 2026-01-27)" in text


def test_every_dated_rule_has_both_dates_and_says_as_of():
    dated = [e for e in all_rules() if e.dated]
    assert {e.kind for e in dated} == {"plan", "decoder", "audit", "devices", "lifecycle"}
    assert all(e.checked and e.as_of <= e.checked and e.sources for e in dated)
    assert "(as of 2023-12-12)" in diagnose("550 5.7.230 Connecting Exchange server version is out-of-date")\
        .matches[0].meaning


def test_flask_rules_lists_every_rule_oldest_check_first(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/r.db"})
    result = app.test_cli_runner().invoke(args=["rules"])
    lines = result.output.splitlines()
    assert lines[0].startswith(f"Ruleset {RULESET_VERSION}: {len(all_rules())} rule(s)")
    rows = [line.split("\t") for line in lines[2:]]
    assert len(rows) == len(all_rules())
    checked = [date.fromisoformat(r[0]) if r[0] != "-" else date.min for r in rows]
    assert checked == sorted(checked)
    assert ["2026-12-06", "2026-03-16", "plan", "digicert_g2", "MC1224565, blog-digicert-g2-2026"] in rows
    dated = app.test_cli_runner().invoke(args=["rules", "--dated"]).output.splitlines()[2:]
    assert len(dated) == len([e for e in all_rules() if e.dated]) and all("\t-\t" not in r for r in dated)
    assert [e.id for e in oldest_check_first(all_rules())][:1] != ["digicert_g2"]


def test_the_ruleset_version_changed_with_this_work():
    assert RULESET_VERSION == DECODER_VERSION == AUDIT_VERSION == "2026.12.3"


def test_the_out_of_support_warning_follows_the_plan_day():
    """Issue 29: support status is read on the plan's day, not frozen: before Exchange 2019's end of support
    (2025-10-14) no warning, from that day on one."""
    from datetime import date

    from app.remediation import build_plan
    from tests.remediation import factories as f

    def warned(day: date) -> bool:
        plan = build_plan(f.answers(server_kind="exchange-2019"), f.report(), today=day)
        return "exchange_out_of_support" in {w.code for w in plan.warnings}

    assert not warned(date(2025, 10, 13))
    assert warned(date(2025, 10, 14)) and warned(date(2027, 1, 1))
