"""What each endpoint costs in Python, next to bare Flask: CPU microseconds per request, and a profile.

    .venv/bin/python -m bench.profile                  # every endpoint
    .venv/bin/python -m bench.profile "start page"     # and a pyinstrument profile of that one

No server and no network: wsgi.py's application (production configuration, a
temporary SQLite file) is called directly, so the figures hold what Flask, the
extensions and our code spend, without gunicorn's share (that is in `make bench`).
CPU time of this process, not wall time, so other jobs on the machine barely move
it; each figure is the least of BATCHES batches. The certificate API walks a pool of CHAINS different chains, as `make bench` does.
"""
from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from werkzeug.datastructures import MultiDict
from werkzeug.test import Client, EnvironBuilder

REQUESTS = int(os.environ.get("PROFILE_REQUESTS", 2000))
CHAINS = 600
BATCHES = 5


def production_app(folder: Path, pem_root) -> Callable:
    """wsgi:app as gunicorn loads it, on a fresh database in ``folder``."""
    from tests.certfactory import write_trust_store

    os.environ.update(APP_ENV="production", SECRET_KEY="profile-" + "x" * 32,
                      DATABASE_URL=f"sqlite:///{folder / 'cases.sqlite3'}",
                      TRUSTED_ROOTS_FILE=write_trust_store(folder / "roots.pem", pem_root))
    import wsgi
    from app.extensions import db

    with wsgi.app.app_context():
        db.create_all()
    return wsgi.app


def bare_flask() -> Callable:
    from bench.bare import app

    return app


def walk_case(app) -> tuple[str, str]:
    """(cookie header, case reference) of a case walked to its result page."""
    from bench.client import csrf_token, wizard_answers
    from bench.run import chain_pems

    client = Client(app)
    for path, fields in wizard_answers("Contoso Ltd", chain_pems(1)[0]) + [("/wizard/check", [])]:
        token = csrf_token(client.get(path).get_data(as_text=True))
        response = client.post(path, data=MultiDict([("csrf_token", token), *fields]))
        assert response.status_code == 302, (path, response.status_code)
    reference = response.headers["Location"].rsplit("/cases/", 1)[1]
    cookie = "; ".join(f"{c.key}={c.value}" for c in client._cookies.values())
    return cookie, reference


def environ(path: str, method: str = "GET", cookie: str = "", body: bytes | None = None) -> dict:
    headers = {"Cookie": cookie} if cookie else {}
    kind = "application/json" if body is not None else None
    built = EnvironBuilder(path=path, method=method, headers=headers, data=body, content_type=kind).get_environ()
    built["REMOTE_ADDR"] = "127.0.0.1"  # wrk's address in `make bench`
    return built


def call(app, env: dict) -> bytes:
    status = []
    body = b"".join(app(env, lambda s, h, e=None: status.append(s)))
    if not status[0].startswith("200"):
        raise RuntimeError(f"{env['PATH_INFO']} answered {status[0]}: {body[:200]!r}")
    return body


def requests_of(app, path: str, method: str = "GET", cookie: str = "", bodies: list[bytes] | None = None):
    """A function making the next request's environ; bodies rotate, each environ gets a fresh stream."""
    base = environ(path, method, cookie, bodies[0] if bodies else None)
    count = [0]

    def next_environ() -> dict:
        env = dict(base)
        if bodies:
            body = bodies[count[0] % len(bodies)]
            count[0] += 1
            env["wsgi.input"], env["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
        return env
    return app, next_environ


def endpoints(app, cookie: str, reference: str, stylesheet: str, chains: list[bytes]) -> dict:
    return {
        "bare Flask": requests_of(bare_flask(), "/"),
        "/healthz": requests_of(app, "/healthz"),
        "static file": requests_of(app, stylesheet),
        "start page": requests_of(app, "/"),
        "wizard step": requests_of(app, "/wizard/domains", cookie=cookie),
        "result page": requests_of(app, f"/cases/{reference}", cookie=cookie),
        "certificate API, fresh chains": requests_of(app, "/api/v1/certificate-check", "POST", bodies=chains),
        "certificate API, one chain": requests_of(app, "/api/v1/certificate-check", "POST", bodies=chains[:1]),
        "verifier alone, fresh chains": requests_of(bare_flask(), "/verify", "POST", bodies=chains),
    }


def cpu_per_request(app, next_environ, count: int) -> float:
    """Microseconds of this process's CPU per request over ``count`` requests."""
    started = time.process_time()
    for _ in range(count):
        call(app, next_environ())
    return (time.process_time() - started) / count * 1e6


def least_cpu_per_request(plan: dict, count: int) -> dict[str, float]:
    """Each endpoint's least CPU per request over BATCHES batches, the endpoints taking turns:
    other jobs on the cores only ever add to a batch's time (caches, shared cores)."""
    for wsgi_app, next_environ in plan.values():
        cpu_per_request(wsgi_app, next_environ, 50)  # warm-up
    batches = {name: [] for name in plan}
    for _ in range(BATCHES):
        for name, (wsgi_app, next_environ) in plan.items():
            batches[name].append(cpu_per_request(wsgi_app, next_environ, max(1, count // BATCHES)))
    return {name: min(times) for name, times in batches.items()}


def main(profiled: list[str]) -> None:
    from bench.run import check_body, chain_pems
    from tests.certfactory import make_hierarchy

    pems = chain_pems(CHAINS)
    with tempfile.TemporaryDirectory(prefix="wizard-profile-") as folder:
        app = production_app(Path(folder), make_hierarchy().root.cert)
        cookie, reference = walk_case(app)
        page = call(app, environ("/")).decode()
        stylesheet = page.split('<link rel="stylesheet" href="', 1)[1].split('"', 1)[0]
        plan = endpoints(app, cookie, reference, stylesheet, [check_body(pem).encode() for pem in pems])
        costs = least_cpu_per_request(plan, REQUESTS)
        bare = costs["bare Flask"]
        print(f"{'endpoint':<32} {'CPU us/request':>15} {'bare/endpoint':>14}")
        for name, cost in costs.items():
            print(f"{name:<32} {cost:>15.0f} {bare / cost:>14.2f}")
        for name in profiled:
            from pyinstrument import Profiler

            wsgi_app, next_environ = plan[name]
            profiler = Profiler(interval=0.0002)
            with profiler:
                for _ in range(REQUESTS):
                    call(wsgi_app, next_environ())
            print(profiler.output_text(unicode=False, color=False, show_all=True))


if __name__ == "__main__":
    main(sys.argv[1:])
