"""Redis stopped and started under a running gunicorn (issue 26, item 2).

While Redis is away the pages keep working and the sign-in limit stays enforced: each worker counts in its
own memory (Flask-Limiter's in-memory fallback), so a visitor gets at most the limit times the workers, and
the log says so. When Redis is back, the counts go to Redis again. The figures go to tests/faults/results/.
"""
from __future__ import annotations

import signal
import time

import pytest
import redis

from bench.client import WizardClient
from bench.server import Gunicorn
from tests.faults.services import OwnRedis
from tests.faults.writers import record

WORKERS = 2
SIGN_IN_LIMIT = 5  # per minute and address (app/staff/auth.py)
RECOVERY_LIMIT = 45.0  # Flask-Limiter retries Redis after 1, 2, 4, ... 32 s


def wrong_password(client: WizardClient):
    started = time.monotonic()
    response = client.submit("/staff/sign-in", [("email", "nobody@helpdesk.example"), ("password", "wrong")])
    return response.status, time.monotonic() - started


@pytest.mark.postgres_pass
def test_sign_in_stays_limited_while_redis_is_away_and_counts_in_redis_again(tmp_path):
    with OwnRedis() as own_redis, Gunicorn(tmp_path, workers=WORKERS,
                                           extra_env={"RATELIMIT_STORAGE_URI": own_redis.url}) as server:
        counts = redis.Redis.from_url(own_redis.url)
        client = WizardClient(server.base_url, timeout=10)
        assert wrong_password(client)[0] == 200 and counts.keys("*"), "the counts are in Redis"

        own_redis.stop()
        away = [wrong_password(client) for _ in range(SIGN_IN_LIMIT * WORKERS + 2)]
        pages = [client.get(path).status for path in ("/", "/wizard/start", "/staff/sign-in", "/healthz")]
        log = server.log_path.read_text(errors="replace")

        own_redis.start()
        back = time.monotonic()
        counts = redis.Redis.from_url(own_redis.url)
        other = WizardClient(server.base_url, timeout=10)  # the same address: it shares the limit
        while not counts.keys("*") and time.monotonic() < back + RECOVERY_LIMIT:
            wrong_password(other)
            time.sleep(0.25)
        recovered = time.monotonic() - back
        record("redis_restart", {
            "workers": WORKERS, "statuses_while_away": [status for status, _ in away],
            "slowest_answer_while_away_seconds": round(max(seconds for _, seconds in away), 3),
            "counting_in_redis_again_after_seconds": round(recovered, 2),
        })

        assert pages == [200, 200, 200, 200]
        assert {status for status, _ in away} <= {200, 429}, away
        assert 429 in [status for status, _ in away], "the sign-in limit holds while Redis is away"
        assert max(seconds for _, seconds in away) < 2
        assert "Rate limit storage unreachable - falling back to in-memory storage" in log
        assert counts.keys("*"), f"no counts in Redis {RECOVERY_LIMIT} s after it came back"


@pytest.mark.postgres_pass
def test_a_redis_that_stops_answering_holds_no_page(tmp_path):
    """Paused (SIGSTOP), Redis accepts connections and never answers: REDIS_TIMEOUT lets the limited pages go on."""
    with OwnRedis() as own_redis, Gunicorn(tmp_path, workers=1,
                                           extra_env={"RATELIMIT_STORAGE_URI": own_redis.url}) as server:
        client = WizardClient(server.base_url, timeout=30)
        assert wrong_password(client)[0] == 200
        own_redis.process.send_signal(signal.SIGSTOP)
        try:
            paused = [wrong_password(client) for _ in range(3)]
        finally:
            own_redis.process.send_signal(signal.SIGCONT)
        record("redis_paused", {"answers": paused})
        assert {status for status, _ in paused} <= {200, 429}
        assert max(seconds for _, seconds in paused) < 2 * 2, "one form and one post, each under 2 s"
