"""gunicorn workers killed with SIGKILL in the middle of saves, on PostgreSQL (issue 26, item 3).

16 clients walk the wizard while a worker is killed, 6 times, each
once its replacement serves. Every save is either acknowledged (302) and
in the database afterwards, or answered with an error (the connection broken, or a 503): never a 500. No
case is half saved: each has its first answer, its organization matches it, and its domain rows match its
domains answer. The figures go to tests/faults/results/.
"""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bench.server import LOAD_TEST_LIMITS, Gunicorn, postgres_database
from tests.database import TEST_DATABASE_URL
from tests.faults.writers import lost_saves, record, start_writers, stop_writers

CLIENTS = 16
KILLS = 6
SERVING = 2.5  # seconds between a replacement's start and the next kill: it boots, then serves


def started_at(pid: int) -> int:
    """When the process started, in clock ticks since boot (/proc/<pid>/stat, field 22)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat[stat.rindex(")") + 2:].split()[19])


def half_saved(database_url: str) -> list[str]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT c.reference, c.organization, s.data FROM cases c "
                "LEFT JOIN case_steps s ON s.case_id = c.id AND s.step = 'start'")).all()
            problems = [f"{ref}: no first answer" for ref, _org, data in rows if data is None]
            problems += [f"{ref}: organization {org!r} but answered {data['organization']!r}"
                         for ref, org, data in rows if data is not None and data["organization"] != org]
            domains = connection.execute(text(
                "SELECT c.reference, s.data, (SELECT count(*) FROM case_domains d WHERE d.case_id = c.id) "
                "FROM cases c JOIN case_steps s ON s.case_id = c.id AND s.step = 'domains'")).all()
            problems += [f"{ref}: {count} domain rows for {data['domains']}"
                         for ref, data, count in domains if count != len(set(data["domains"]))]
            return problems
    finally:
        engine.dispose()


@pytest.mark.postgres_pass
def test_workers_killed_mid_save_leave_no_half_saved_case(tmp_path):
    with postgres_database(TEST_DATABASE_URL, "kill") as url, \
            Gunicorn(tmp_path, database_url=url, workers=2, extra_env=LOAD_TEST_LIMITS) as server:
        writers, stop = start_writers(CLIENTS, server.base_url)
        killed = []
        try:
            time.sleep(1.0)
            for _ in range(KILLS):
                deadline = time.monotonic() + 30
                while (set(killed) & set(server.worker_pids()) or len(server.worker_pids()) < 2) \
                        and time.monotonic() < deadline:
                    time.sleep(0.05)  # the master replaces the last one killed
                time.sleep(SERVING)  # and the replacement boots and serves
                victim = min(server.worker_pids(), key=started_at)  # the one serving, not one still booting
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)
            time.sleep(2.0)
        finally:
            stop_writers(writers, stop)
        answers = [answer for writer in writers for answer in writer.answers]
        posts = [a for a in answers if a.method == "POST"]
        figures = {
            "clients": CLIENTS, "workers_killed": len(killed), "saves_sent": len(posts),
            "acknowledged": sum(a.status == 302 for a in posts),
            "broken_connections": sum(a.status is None for a in posts),
            "answered_503": sum(a.status == 503 for a in posts),
            "slowest_answer_seconds": round(max(a.seconds for a in answers), 3),
            "answers_over_5_seconds": sum(a.seconds > 5 for a in answers),
        }
        record("worker_killed", figures)

        assert len(killed) == KILLS
        assert figures["broken_connections"] > 0, "some kills hit a request in flight"
        assert {a.status for a in answers} <= {200, 302, 503, None}, [a for a in answers if a.status == 500][:3]
        assert lost_saves(writers, url) == {}
        assert half_saved(url) == []
