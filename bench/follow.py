"""`make bench`, part two: what 50 agents following cases live cost one gunicorn worker.

One sync worker in the production configuration serves AGENTS signed-in agents, each
polling its own case's live region (GET /staff/cases/<reference>/live) every
app.staff.follow.POLL_SECONDS with the ETag of what it shows, as static/js/follow.js
does, the polls spread evenly over the interval. Meanwhile a customer's save lands on
one case every CHANGE_EVERY seconds (written straight to the database, so the customer's
own requests do not count), so some polls answer 200 with a new fragment and the rest 304.

The figure is the worker's CPU time (user + system, from /proc/<pid>/stat) over
MEASURE_SECONDS of wall time after a warm-up: the share of one worker the following
costs. Target: at most FOLLOW_CPU_SHARE. Written to bench/follow-results.json.
"""
from __future__ import annotations

import itertools
import json
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.client import WizardClient
from bench.server import LOAD_TEST_LIMITS, BareFlask, Gunicorn, scratch_database

RESULTS = Path(__file__).with_name("follow-results.json")
AGENTS = int(os.environ.get("BENCH_FOLLOWERS", 50))
MEASURE_SECONDS = float(os.environ.get("BENCH_FOLLOW_SECONDS", 30))
WARM_UP_SECONDS = 4.0
CHANGE_EVERY = 2.0  # a customer somewhere saves a step this often
FOLLOW_CPU_SHARE = 0.05
PASSWORD = "bench-follow-password"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` (fields 14 and 15 of /proc/<pid>/stat)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def seed(database_url: str, count: int) -> list[tuple[str, str]]:
    """``count`` agents and one open case each, written through the app's models: (email, reference) pairs."""
    from app import create_app
    from app.extensions import db
    from app.staff.models import User
    from app.store import create_case, save_step

    app = create_app({"SECRET_KEY": "bench-seed", "SQLALCHEMY_DATABASE_URI": database_url})
    pairs = []
    with app.app_context():
        template = User(email="template@bench.example")
        template.set_password(PASSWORD)  # one scrypt hash for every account
        for number in range(count):
            email = f"agent{number}@bench.example"
            db.session.add(User(email=email, password_hash=template.password_hash, role="agent",
                                display_name=f"Agent {number}"))
            case = create_case(f"Customer {number}")
            save_step(case, "start", {"role": "admin", "organization": case.organization, "ticket": ""})
            pairs.append((email, case.reference))
        db.session.commit()
        db.engine.dispose()
    return pairs


def signed_in(base_url: str, email: str) -> WizardClient:
    client = WizardClient(base_url)
    response = client.submit("/staff/sign-in", [("email", email), ("password", PASSWORD)])
    if response.status != 302:
        raise RuntimeError(f"sign-in of {email} answered {response.status}")
    return client


class Follower:
    """One agent's page: polls its case with the ETag it last saw."""

    def __init__(self, client: WizardClient, reference: str):
        self.client, self.path, self.etag = client, f"/staff/cases/{reference}/live", ""

    def poll(self) -> tuple[int, float]:
        started = time.perf_counter()
        response = self.client.request("GET", self.path, headers={"If-None-Match": f'"{self.etag}"'} if self.etag else {})
        elapsed = (time.perf_counter() - started) * 1000
        if response.status == 200:
            self.etag = response.headers.get("etag", "").strip('"')
        return response.status, elapsed


def customer_saves(database_url: str, stop: threading.Event, references: list[str]) -> None:
    """A save on a random case every CHANGE_EVERY seconds, as the wizard's save_step marks it."""
    from sqlalchemy import create_engine, text

    from app.store import utcnow

    engine = create_engine(database_url)
    try:
        while not stop.wait(CHANGE_EVERY):
            with engine.begin() as connection:
                connection.execute(text("UPDATE cases SET updated_at = :now WHERE reference = :r"),
                                   {"now": utcnow(), "r": random.choice(references)})  # nosec B311 (not security)
    finally:
        engine.dispose()


def drive(followers: list[Follower], worker: int, interval: float) -> tuple[float, float, list[int], list[float]]:
    """Poll on schedule, each follower every ``interval`` seconds, the polls spread evenly over it; after
    the warm-up, measure the worker's CPU seconds over MEASURE_SECONDS: (cpu, wall, statuses, latencies)."""
    statuses: list[int] = []
    latencies: list[float] = []

    def record(future) -> None:
        status, elapsed = future.result()
        statuses.append(status)
        latencies.append(elapsed)

    started = time.monotonic()
    measure_from, cpu_before = started + WARM_UP_SECONDS, None
    with ThreadPoolExecutor(max_workers=8) as pool:
        for number in itertools.count():
            follower = followers[number % len(followers)]
            wait = started + number * interval / len(followers) - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            now = time.monotonic()
            if cpu_before is None and now >= measure_from:
                cpu_before, wall_before = cpu_seconds(worker), now
            elif cpu_before is not None and now >= wall_before + MEASURE_SECONDS:
                break
            future = pool.submit(follower.poll)
            if cpu_before is not None:
                future.add_done_callback(record)
    return cpu_seconds(worker) - cpu_before, time.monotonic() - wall_before, statuses, latencies


class BarePoller:
    """The same schedule against bare Flask's one route: the floor the server and framework set."""

    def __init__(self, client: WizardClient):
        self.client = client

    def poll(self) -> tuple[int, float]:
        started = time.perf_counter()
        status = self.client.get("/").status
        return status, (time.perf_counter() - started) * 1000


def bare_share(folder: Path, interval: float) -> float:
    with BareFlask(folder, workers=1) as bare:
        pollers = [BarePoller(WizardClient(bare.base_url)) for _ in range(AGENTS)]
        cpu, wall, _statuses, _latencies = drive(pollers, bare.worker_pids()[0], interval)
    return cpu / wall


def run(folder: Path) -> dict:
    from app.staff.follow import POLL_SECONDS

    with scratch_database() as database_url, Gunicorn(folder / "product", workers=1, database_url=database_url,
                                                       extra_env=LOAD_TEST_LIMITS) as server:
        pairs = seed(server.database_url, AGENTS)
        followers = [Follower(signed_in(server.base_url, email), reference) for email, reference in pairs]
        for follower in followers:  # each page starts from what it rendered
            follower.poll()
        stop = threading.Event()
        changer = threading.Thread(target=customer_saves, args=(server.database_url, stop, [r for _e, r in pairs]))
        changer.start()
        try:
            cpu, wall, statuses, latencies = drive(followers, server.worker_pids()[0], POLL_SECONDS)
        finally:
            stop.set()
            changer.join()
    floor = bare_share(folder / "bare", POLL_SECONDS)
    share = cpu / wall
    return {
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "settings": {"agents": AGENTS, "poll_seconds": POLL_SECONDS, "measure_seconds": MEASURE_SECONDS,
                     "change_every_seconds": CHANGE_EVERY, "gunicorn_workers": 1, "cpus": os.cpu_count(),
                     "database": re.sub(r"://.*@", "://***@", server.database_url.split("?")[0])},
        "polls": len(statuses), "not_modified": statuses.count(304), "changed": statuses.count(200),
        "errors": sum(1 for status in statuses if status not in (200, 304)),
        "p50_ms": statistics.median(latencies) if latencies else None,
        "worker_cpu_seconds": cpu, "wall_seconds": wall,
        "worker_cpu_share": share,
        "bare_flask_cpu_share": floor,
        "load_average": os.getloadavg(),
        "target": {"target": f"worker CPU share <= {FOLLOW_CPU_SHARE:.2f}", "value": share,
                   "status": "PASS" if share <= FOLLOW_CPU_SHARE else "MISS"},
    }


def print_report(results: dict) -> None:
    settings = results["settings"]
    print(f"\n{settings['agents']} agents following cases, a poll each every {settings['poll_seconds']} s, "
          f"one gunicorn worker, {results['wall_seconds']:.0f} s measured:")
    print(f"  polls {results['polls']}: {results['not_modified']} answered 304, {results['changed']} 200, "
          f"{results['errors']} errors; p50 {results['p50_ms']:.1f} ms")
    print(f"  worker CPU {results['worker_cpu_seconds']:.2f} s over {results['wall_seconds']:.1f} s of wall time: "
          f"{results['worker_cpu_share'] * 100:.1f}% of one worker")
    print(f"  bare Flask's one route on the same schedule: {results['bare_flask_cpu_share'] * 100:.1f}% of one worker")
    target = results["target"]
    print(f"{target['status']:<5} {target['target']:<45} measured {target['value']:.3f}")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="wizard-bench-follow-") as folder:
        results = run(Path(folder))
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print_report(results)
    return 0 if results["target"]["status"] == "PASS" and not results["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
