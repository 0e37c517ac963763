"""PostgreSQL restarted while 16 clients save answers through gunicorn (issue 26, item 1).

During the outage every request is answered within 2 s: 503 with "Your answer was not saved" for a save,
never a hang and never a 500, and the page keeps what was typed, to submit again. Every acknowledged save is in the database afterwards, and the same gunicorn
serves again within 5 s of the database coming back. A JSON download answers in JSON. The figures go to tests/faults/results/.
"""
from __future__ import annotations

import time

import pytest

from bench.client import WizardClient, walk_wizard, wizard_answers
from bench.server import LOAD_TEST_LIMITS, Gunicorn
from tests.faults.services import OwnPostgres
from tests.faults.writers import PEM, lost_saves, record, resend_form, start_writers, stop_writers

CLIENTS = 16
WRITING = 2.0   # seconds of saves before the database stops, and after it is back
OUTAGE = 3.0
ANSWER_LIMIT = 2.0
RECOVERY_LIMIT = 5.0


@pytest.mark.postgres_pass
def test_saves_through_a_postgres_restart(tmp_path):
    with OwnPostgres() as postgres, Gunicorn(tmp_path, database_url=postgres.url, workers=2,
                                             extra_env=LOAD_TEST_LIMITS) as server:
        reader = WizardClient(server.base_url, timeout=10)
        reference = walk_wizard(reader, wizard_answers("JSON reader Ltd", PEM))
        writers, stop = start_writers(CLIENTS, server.base_url)
        try:
            time.sleep(WRITING)
            stopping = time.monotonic()
            postgres.stop()
            plan_json = reader.get(f"/cases/{reference}/plan.json")
            time.sleep(OUTAGE)
            postgres.start()
            back = time.monotonic()
            time.sleep(RECOVERY_LIMIT + WRITING)
        finally:
            stop_writers(writers, stop)
        gunicorn_pid = server.master_pid
        assert server.process.poll() is None and server.master_pid == gunicorn_pid

        answers = [answer for writer in writers for answer in writer.answers]
        during = [a for a in answers if stopping <= a.started < back]
        after = [a for a in answers if a.started >= back]
        refused_after = [a for a in after if a.status != 200 and a.status != 302]
        served_again = max((a.started + a.seconds for a in refused_after), default=back) - back
        figures = {
            "clients": CLIENTS, "outage_seconds": round(back - stopping, 2),
            "answers_during_outage": len(during),
            "statuses_during_outage": {str(s): sum(a.status == s for a in during) for s in {a.status for a in during}},
            "slowest_answer_during_outage_seconds": round(max(a.seconds for a in during), 3),
            "serving_again_after_seconds": round(served_again, 2),
            "first_save_after_seconds": round(min(a.started + a.seconds for a in after if a.status == 302) - back, 2),
            "acknowledged_saves": sum(len(steps) for writer in writers for steps in writer.acknowledged.values()),
        }
        record("postgres_restart", figures)

        assert len(during) > CLIENTS, "the clients kept asking during the outage"
        assert {a.status for a in during} <= {200, 302, 503}, [a for a in during if a.status not in (200, 302, 503)]
        assert sum(a.status == 503 for a in during) > CLIENTS
        slow = [a for a in during if a.seconds > ANSWER_LIMIT]
        assert not slow, slow[:5]
        refused_saves = [a for a in during if a.method == "POST" and a.status == 503]
        assert refused_saves and all("Your answer was not saved" in a.body for a in refused_saves)
        assert [kept for writer in writers for kept in writer.not_kept] == []
        assert all(resend_form(a.body) is not None for a in refused_saves), "the error page keeps what was typed"
        assert plan_json.status == 503 and plan_json.headers["content-type"] == "application/json"
        assert plan_json.json()["error"]["code"] == "database_unavailable"
        assert served_again < RECOVERY_LIMIT, refused_after[-5:]
        assert any(a.status == 302 for a in after if a.started > back + RECOVERY_LIMIT), "saves succeed again"
        assert lost_saves(writers, postgres.url) == {}
