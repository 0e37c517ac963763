"""`make bench-stack`: the production stack under people's journeys, beside bare Flask behind the same nginx.

The stack as deploy/services.sh starts it (run `make services` first): PostgreSQL (a database made for
the run beside BENCH_POSTGRES_URL's, dropped afterwards), Redis for the rate limits (BENCH_REDIS_URL, a
database number of its own, emptied first), gunicorn with the production configuration
(gunicorn.conf.py, APP_ENV=production, the load-test limits of bench.server so that one address is not
throttled for new cases and PDFs) for the pages, a second one of the same app for the PDFs (PDF_WORKERS
workers, deploy/nginx.conf's upstream wizard_pdf) and deploy/nginx.conf in front, on free loopback ports. The same
nginx also serves bench/bare.py under a second gunicorn of the same configuration, on a second port.

1. The floor, through nginx: wrk with CLIENTS connections for WRK_SECONDS on bare Flask, then on the
   product's cheapest page (the start page without a cookie).
2. The journeys (bench/journeys.py): CLIENTS clients for SECONDS, AGENTS of them signed-in agents, the
   others visitors walking the wizard to the plan and its PDF.

Prints p50/p95/p99 and requests per second of each page, checks the targets (p99 under 100 ms for
every page but the PDF, the PDF's under 1 s), writes every figure to bench/stack-results.json and
exits non-zero when one is missed. On a machine shared with other jobs the figures are noisy.
"""
from __future__ import annotations

import json
import os
import secrets
import subprocess  # nosec B404
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path

from bench.journeys import Journeys, Recorder
from bench.server import HOST, LOAD_TEST_LIMITS, REPO, BareFlask, Gunicorn, free_port, postgres_database
from bench.wrk import Target, run_wrk, write_script
from tests.hostile.front import Nginx

RESULTS = Path(__file__).with_name("stack-results.json")
CLIENTS = int(os.environ.get("BENCH_STACK_CLIENTS", 64))
AGENTS = int(os.environ.get("BENCH_STACK_AGENTS", 8))
SECONDS = int(os.environ.get("BENCH_STACK_SECONDS", 60))
WRK_SECONDS = int(os.environ.get("BENCH_STACK_WRK_SECONDS", 5))
THINK = float(os.environ.get("BENCH_STACK_THINK", 1.0))
PDF_EVERY = int(os.environ.get("BENCH_STACK_PDF_EVERY", 4))  # every n-th visitor downloads the PDF
WORKERS = int(os.environ.get("WEB_CONCURRENCY", 2))  # gunicorn.conf.py's default
# The PDFs' gunicorn (deploy/nginx.conf, upstream wizard_pdf) as deploy/compose.yaml runs it: 2 workers under
# `nice -n 10`. 0 workers: none, the pages' workers render the PDFs as before; 0 nice: the pages' priority.
PDF_WORKERS = int(os.environ.get("BENCH_STACK_PDF_WORKERS", 2))
PDF_NICE = int(os.environ.get("BENCH_STACK_PDF_NICE", 10))  # run the PDFs' gunicorn under `nice -n`
# As deploy/compose.yaml's pdf: each worker loads WeasyPrint at start (gunicorn.conf.py). BENCH_STACK_PDF_WARM_UP=0: not.
PDF_ENV = {"PDF_WARM_UP": os.environ.get("BENCH_STACK_PDF_WARM_UP", "1")}
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://wizard:wizard@127.0.0.1:5432/wizard")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
CHAINS = 200
PAGE_P99_MS, PDF_P99_MS = 100, 1000
# Slow on purpose, and once per agent: the password is checked with scrypt (app/staff/models.py).
NO_TARGET = {"staff sign-in (POST)"}


class FrontOfBoth(Nginx):
    """deploy/nginx.conf in front of the product, plus a second server on ``bare_port`` for bare Flask,
    proxied as the product is."""

    def __init__(self, folder: Path, upstream: int, bare_upstream: int, pdf_ports: tuple[int, ...] = ()):
        super().__init__(folder, upstream, pdf_ports=pdf_ports)
        self.bare_upstream = bare_upstream
        self.bare_port = free_port()

    def config_text(self) -> str:
        text = super().config_text().rstrip()
        assert text.endswith("}")
        bare = f"""
    upstream bare {{
        server {HOST}:{self.bare_upstream};
    }}
    server {{
        listen {HOST}:{self.bare_port};
        proxy_bind 127.0.0.2;
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Connection "";
        location / {{
            proxy_pass http://bare;
        }}
    }}
"""
        return text[:-1] + bare + "}\n"


def empty_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def create_agent(database_url: str) -> tuple[str, str]:
    """An agent's account made with `flask create-user`, as an administrator makes one."""
    email, password = "bench-agent@helpdesk.example", secrets.token_urlsafe(24)
    env = {**os.environ, "DATABASE_URL": database_url, "FLASK_APP": "wsgi:app", "SECRET_KEY": "create-user-only",
           "APP_ENV": "production"}
    subprocess.run([sys.executable, "-m", "flask", "create-user", email, "--role", "agent"], cwd=REPO,  # nosec B603
                   env=env, input=password + "\n", text=True, check=True, capture_output=True, timeout=120)
    return email, password


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def page_rows(recorder: Recorder, seconds: float) -> dict[str, dict]:
    rows = {}
    for page, times in sorted(recorder.times.items()):
        target = None if page in NO_TARGET else PDF_P99_MS if page == "PDF" else PAGE_P99_MS
        p99 = percentile(times, 0.99) * 1000
        rows[page] = {"requests": len(times), "per_second": len(times) / seconds,
                      "p50_ms": percentile(times, 0.50) * 1000, "p95_ms": percentile(times, 0.95) * 1000,
                      "p99_ms": p99, "target_p99_ms": target, "met": target is None or p99 < target,
                      "unexpected": dict(recorder.failures.get(page, {}))}
    return rows


def floor(port: int, folder: Path) -> dict:
    """wrk's figures for GET / through nginx on ``port``."""
    result = run_wrk(f"http://{HOST}:{port}", write_script(Target(path="/"), folder / f"floor-{port}.lua"),
                     threads=2, connections=CLIENTS, seconds=WRK_SECONDS)
    return {"per_second": result.requests_per_second, "p50_ms": result.p50_ms, "p95_ms": result.p95_ms,
            "p99_ms": result.p99_ms, "errors": result.errors}


def print_table(floors: dict, rows: dict, seconds: float) -> None:
    print(f"\n{CLIENTS} connections (wrk, {WRK_SECONDS} s each), then {CLIENTS} clients ({AGENTS} agents) for "
          f"{seconds:.0f} s with {THINK} s of thought on average between requests; {WORKERS} page workers, "
          f"{PDF_WORKERS or 'no'} PDF worker(s){f' (nice {PDF_NICE})' if PDF_NICE else ''}; load average "
          f"{os.getloadavg()[0]:.2f}\n")
    print("| Page | requests | req/s | p50 ms | p95 ms | p99 ms | p99 target | |")
    print("|---|---|---|---|---|---|---|---|")
    for name, row in floors.items():
        print(f"| {name} (wrk) | | {row['per_second']:.0f} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | "
              f"{row['p99_ms']:.1f} | | |")
    for page, row in rows.items():
        odd = ", ".join(f"{count}× {status}" for status, count in row["unexpected"].items())
        target = f"< {row['target_p99_ms']}" if row["target_p99_ms"] else "(scrypt)"
        verdict = ("PASS" if row["met"] else "MISS") if row["target_p99_ms"] else ""
        print(f"| {page} | {row['requests']} | {row['per_second']:.1f} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | "
              f"{row['p99_ms']:.1f} | {target} | {verdict}{' (' + odd + ')' if odd else ''} |")
    total = sum(row["requests"] for row in rows.values())
    print(f"\nJourneys: {total} requests, {total / seconds:.0f} req/s over all pages.")


def main() -> int:
    from bench.run import chain_pems

    pems = chain_pems(CHAINS)
    empty_redis(REDIS_URL)
    env = {**LOAD_TEST_LIMITS, "RATELIMIT_STORAGE_URI": REDIS_URL}
    with tempfile.TemporaryDirectory(prefix="wizard-stack-") as name, \
            postgres_database(POSTGRES_URL, "stack") as database_url:
        folder = Path(name)
        with ExitStack() as servers:
            app = servers.enter_context(Gunicorn(folder / "app", workers=WORKERS, database_url=database_url,
                                                 extra_env=env))
            pdf = servers.enter_context(app.beside(folder / "pdf", workers=PDF_WORKERS, nice=PDF_NICE,
                                                   extra_env=PDF_ENV)) if PDF_WORKERS else None
            bare = servers.enter_context(BareFlask(folder / "bare", workers=WORKERS))
            email, password = create_agent(database_url)
            proxy = FrontOfBoth(folder / "nginx", app.port, bare.port, (pdf.port,) if pdf else ()).start()
            try:
                floors = {"bare Flask": floor(proxy.bare_port, folder),
                          "start page, no cookie": floor(proxy.port, folder)}
                recorder = Recorder()
                started = time.monotonic()
                Journeys(f"http://{HOST}:{proxy.port}", recorder, pems, started + SECONDS, think=THINK, pdf_every=PDF_EVERY,
                         agent_email=email, agent_password=password).run(CLIENTS, AGENTS)
                seconds = time.monotonic() - started
            finally:
                proxy.stop()
    rows = page_rows(recorder, seconds)
    print_table(floors, rows, seconds)
    RESULTS.write_text(json.dumps({
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"), "clients": CLIENTS, "agents": AGENTS,
        "seconds": seconds, "think_seconds": THINK, "workers": WORKERS, "pdf_workers": PDF_WORKERS, "pdf_nice": PDF_NICE,
        "pdf_warm_up": PDF_ENV["PDF_WARM_UP"] == "1",
        "load_average": os.getloadavg(),
        "floors": floors, "pages": rows}, indent=2) + "\n")
    missed = [page for page, row in rows.items() if not row["met"] or row["unexpected"]]
    print("All targets met." if not missed else f"Missed or answered unexpectedly: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
