"""The fault tests' own yardstick (bench/integrity.py): which stored case an organization's acknowledged saves
are compared with."""
from __future__ import annotations

from app.extensions import db
from app.store import create_case, save_step
from bench.integrity import differences, stored_cases


def test_a_start_sent_again_leaves_a_second_case_and_the_fuller_one_is_compared(app, database_url):
    """A worker killed after committing a new case but before answering: the client sends the start again and
    goes on in a second case, and the first keeps its start alone (the PostgreSQL pass saw this once,
    2026-12-07). Whichever order the database returns them in, the case compared is the one holding the
    answers; a step missing from both is still reported."""
    with app.app_context():
        going_on = create_case("Fault writer 4 case 5")
        save_step(going_on, "start", {"role": "admin", "organization": "Fault writer 4 case 5", "ticket": ""})
        save_step(going_on, "domains", {"accepted_domains": "contoso.com", "domains": ["contoso.com"]})
        db.session.commit()
        left_behind = create_case("Fault writer 4 case 5")  # made later: a higher id, as a row read last
        save_step(left_behind, "start", {"role": "admin", "organization": "Fault writer 4 case 5", "ticket": ""})
        db.session.commit()
        reference = going_on.reference
    kept = stored_cases(database_url)["Fault writer 4 case 5"]
    assert kept["reference"] == reference and set(kept["answers"]) == {"start", "domains"}
    assert differences({"domains": {"domains": ["contoso.com"]}}, kept["answers"]) == []
    assert differences({"server": {"kind": "exchange-2019"}}, kept["answers"]) == ["step server missing"]
