"""The worst request time of issue 23's findings, through nginx and straight to gunicorn, on loopback only.

    .venv/bin/python -m bench.hostile23            # needs root: it binds port 25 on 127.0.0.23-35
                                                    # and adds one name to /etc/hosts for the run

Prints one line per finding and front: status(es), worst seconds, what it shows. The probe's
targets are loopback addresses: one that accepts and never sends a banner, and twelve that
drop SYNs (a listener whose accept queue is full), all behind one name in /etc/hosts.
"""
from __future__ import annotations

import json
import socket
import sys
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

from bench.client import WizardClient
from bench.server import HOST, Gunicorn, temporary_folder
from tests.hostile.front import Nginx

SILENT = "127.0.0.23"
DROPPING = [f"127.0.0.{n}" for n in range(24, 36)]
MANY_NAME = "drop23.example.com"
HOSTS = Path("/etc/hosts")
MARK = "# bench.hostile23"
SECTION = "####x" + " " * 39_990 + "y"


@contextmanager
def probe_targets():
    """A silent SMTP server on SILENT:25; SYN-dropping listeners on DROPPING:25; MANY_NAME naming them."""
    with ExitStack() as stack:
        silent = stack.enter_context(socket.create_server((SILENT, 25), backlog=16))
        held: list[socket.socket] = []

        def accept_forever():
            while True:
                try:
                    conn, _ = silent.accept()
                except OSError:
                    return
                held.append(conn)  # never a banner
        threading.Thread(target=accept_forever, daemon=True).start()
        for address in DROPPING:
            listener = stack.enter_context(socket.create_server((address, 25), backlog=0))
            for _ in range(3):  # fill the accept queue: later SYNs are dropped
                filler = stack.enter_context(socket.socket())
                filler.setblocking(False)
                try:
                    filler.connect((address, 25))
                except BlockingIOError:
                    pass
            del listener
        original = HOSTS.read_text()
        HOSTS.write_text(original + "".join(f"{a} {MANY_NAME} {MARK}\n" for a in DROPPING))
        try:
            time.sleep(0.3)
            yield
        finally:
            HOSTS.write_text("".join(line + "\n" for line in HOSTS.read_text().splitlines() if MARK not in line))
            for conn in held:
                conn.close()


def timed(send):
    started = time.monotonic()
    try:
        response = send()
        return response.status, time.monotonic() - started, response
    except OSError as error:
        return type(error).__name__, time.monotonic() - started, None


def together(sends, port: int, healthz_after: float = 1.0):
    """Run ``sends`` at once; /healthz asked ``healthz_after`` s later. ([(status, s)], healthz (status, s))."""
    results: list = [None] * len(sends)

    def run(i, send):
        results[i] = timed(send)
    threads = [threading.Thread(target=run, args=(i, s)) for i, s in enumerate(sends)]
    for t in threads:
        t.start()
    time.sleep(healthz_after)
    health = timed(lambda: WizardClient(f"http://{HOST}:{port}", timeout=90).get("/healthz"))
    for t in threads:
        t.join()
    return [(r[0], r[1]) for r in results], (health[0], health[1])


def code(response) -> str:
    try:
        body = response.json()
    except (ValueError, AttributeError):
        return ""
    error = body.get("error") if isinstance(body, dict) else None
    return (error or {}).get("code", "") if isinstance(error, dict) else ""


def finding_1(port: int) -> str:
    client = lambda: WizardClient(f"http://{HOST}:{port}", timeout=90)  # noqa: E731
    send = lambda: client().post_json("/api/v1/config-audit", {"text": SECTION})  # noqa: E731
    answers, health = together([send, send], port)
    return f"two section pastes at once: {answers}; /healthz {health[0]} in {health[1]:.2f} s"


def finding_2(port: int) -> str:
    client = lambda: WizardClient(f"http://{HOST}:{port}", timeout=90)  # noqa: E731
    many = timed(lambda: client().post_json("/api/v1/probe", {"host": MANY_NAME, "port": 25}))
    silent = lambda: client().post_json("/api/v1/probe", {"host": SILENT, "port": 25})  # noqa: E731
    answers, health = together([silent, silent], port)
    return (f"12 SYN-dropping addresses: {many[0]} {code(many[2])} in {many[1]:.2f} s; two silent servers at once: "
            f"{answers}; /healthz {health[0]} in {health[1]:.2f} s")


def finding_4(port: int) -> str:
    client = WizardClient(f"http://{HOST}:{port}", timeout=30)
    statuses = []
    for n in range(30):
        page = client.get("/staff/sign-in")
        from bench.client import csrf_token
        token = csrf_token(page.text) or ""
        response = client.request("POST", "/staff/sign-in",
                                  f"csrf_token={token}&email=x%40example.com&password=wrong{n}".encode(),
                                  {"Content-Type": "application/x-www-form-urlencoded",
                                   "X-Forwarded-For": f"198.51.100.{n + 1}"})
        statuses.append(response.status)
    return f"30 sign-ins, a new X-Forwarded-For each: {statuses.count(429)} answered 429"


def finding_7(port: int) -> str:
    client = WizardClient(f"http://{HOST}:{port}", timeout=30)
    answer = client.get("/language/sv?next=/%0d%0aSet-Cookie:%20x=1")
    return f"/language/sv?next=/%0d%0a...: {answer.status}"


def finding_11(port: int) -> str:
    statuses = []
    started = time.monotonic()
    for n in range(40):
        client = WizardClient(f"http://{HOST}:{port}", timeout=30)
        response = client.submit("/wizard/start", {"role": "agent", "organization": f"Org {n}", "ticket": ""})
        statuses.append(response.status)
    return f"40 new cases in {time.monotonic() - started:.2f} s: {statuses.count(302)} made, {statuses.count(429)} refused"


FINDINGS = {"1": finding_1, "2": finding_2, "4": finding_4, "7": finding_7, "11": finding_11}


def main(which: list[str]) -> None:
    with temporary_folder("hostile23-") as name, probe_targets():
        folder = Path(name)
        with Gunicorn(folder / "server", extra_env={"PROBE_ALLOW_PRIVATE": "1", "PROBE_EHLO_NAME": "wizard.example.com"}) as server:
            proxy = Nginx(folder / "nginx", server.port).start()
            try:
                for number in which or list(FINDINGS):
                    for front, port in (("nginx", proxy.port), ("gunicorn", server.port)):
                        print(f"finding {number:>2} {front:8} {FINDINGS[number](port)}", flush=True)
                        time.sleep(1)
            finally:
                proxy.stop()
        print(json.dumps({"gunicorn log tail": server.log_tail(5)})[:2000])


if __name__ == "__main__":
    main(sys.argv[1:])
