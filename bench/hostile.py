"""The worst request time of each hostile input of issue 14, against gunicorn as configured (and nginx).

    .venv/bin/python -m bench.hostile

Each input is sent a few times over loopback; the slowest answer counts.
Prints one line per input: status, worst seconds, what the answer was.
"""
from __future__ import annotations

import os
import time
from contextlib import ExitStack
from pathlib import Path

from bench.client import WizardClient
from bench.server import HOST, Gunicorn, temporary_folder
from tests.certfactory import make_hierarchy, make_leaf, to_der, to_pem
from tests.hostile.front import Nginx, open_slow_clients
from tests.hostile.pfx import MAX_INT32, genuine_pfx, hidden_costly_key, openssl_pfx, with_mac_iterations

TRIES = 3
CHECK = "/api/v1/certificate-check"


def server_cpu(server: Gunicorn) -> float:
    """CPU seconds spent by gunicorn's workers and the children they reaped (the .pfx openers)."""
    total = 0
    for pid in server.worker_pids():
        stat = Path(f"/proc/{pid}/stat").read_text()
        total += sum(int(field) for field in stat[stat.rindex(")") + 2:].split()[11:15])
    return total / os.sysconf("SC_CLK_TCK")


def worst(server: Gunicorn, send) -> tuple[int, float, float, str]:
    """(status, worst wall seconds, worst server CPU seconds, answer) of TRIES requests."""
    results = []
    for _ in range(TRIES):
        started, cpu = time.monotonic(), server_cpu(server)
        response = send()
        results.append((time.monotonic() - started, server_cpu(server) - cpu, response))
    seconds, _cpu, response = max(results, key=lambda result: result[0])
    body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
    answer = (body.get("error") or {}).get("code") or body.get("verdict") or ""
    return response.status, seconds, max(result[1] for result in results), answer


def upload(client: WizardClient, data: bytes, password: str = "", domains: str = "contoso.com"):
    fields = [("domains", domains)] + ([("password", password)] if password else [])
    return lambda: client.post(CHECK, fields, [("certificate", "x.pfx", data, "application/octet-stream")])


def healthz_under_slow_clients(port: int, slow: int, bodies: bool = True) -> float:
    """The slowest of 10 /healthz answers while ``slow`` clients hold connections open (timeout 70 s)."""
    with ExitStack() as stack:
        open_slow_clients(stack, port, slow, bodies=bodies)
        time.sleep(0.3)
        client = WizardClient(f"http://{HOST}:{port}", timeout=70)
        times = []
        for _ in range(10):
            started = time.monotonic()
            client.get("/healthz")
            times.append(time.monotonic() - started)
            if times[-1] > 5:
                break
        return max(times)


def main() -> None:
    h = make_hierarchy()
    with temporary_folder("hostile-") as name:
        folder = Path(name)
        inputs = {
            "PFX, MAC iterations 2^31-1": (with_mac_iterations(genuine_pfx(h.leaf, "s", 2048), MAX_INT32), ""),
            "PFX, openssl -iter 10000000": (openssl_pfx(folder, h.leaf, "secret", 10_000_000), "secret"),
            "PFX, openssl -iter 2000000 (the ceiling, accepted)": (openssl_pfx(folder, h.leaf, "secret", 2_000_000), "secret"),
            "PFX, key at 2^31-1 hidden in an encrypted part": (hidden_costly_key(h.leaf, "secret"), "secret"),
        }
        leaf = make_leaf(h.intermediate, "mail.contoso.com", sans=[f"h{i}.contoso.com" for i in range(40_000)])
        with Gunicorn(folder / "server") as server:
            client = WizardClient(server.base_url, timeout=120)
            inputs["990 KB of BEGIN lines"] = (b"-----BEGIN A-----\n" * (990 * 1024 // 18), "")
            inputs["certificate with 40,000 SANs (DER, 0.8 MB)"] = (to_der(leaf.cert), "")
            rows = [(label, worst(server, upload(client, *args))) for label, args in inputs.items()]
            many = {"certificate_pem": to_pem(h.leaf.cert).decode(), "domains": [f"x{i}.io" for i in range(80_000)]}
            rows.append(("80,000 domains", worst(server, lambda: client.post_json(CHECK, many))))
            for label, (status, seconds, cpu, answer) in rows:
                print(f"{label:55} {status} {seconds:7.3f} s wall {cpu:6.2f} s CPU  {answer}")
            proxy = Nginx(folder / "nginx", server.port).start()
            try:
                print(f"{'/healthz, 200 slow clients, through nginx':55}     {healthz_under_slow_clients(proxy.port, 200):7.3f} s")
            finally:
                proxy.stop()
            alone = healthz_under_slow_clients(server.port, 2, bodies=False)
            print(f"{'/healthz, 2 clients stopping in their headers, gunicorn alone':55}     {alone:7.3f} s")


if __name__ == "__main__":
    main()
