"""`make soak`: 64 clients for 30 seconds against gunicorn (2 workers), then an integrity check.

Each client loops until the deadline, choosing by weight: a full wizard walk
(certificate uploaded as a file) ending on the result page, a JSON or
multipart call to the certificate API, or downloads of one of its completed
cases (result page, plan.json, remediation.ps1, report.pdf). Passing means no
5xx and no broken connection, and every case completed during the run reads
back from the database exactly as the client sent it.
"""
from __future__ import annotations

import json
import os
import random
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

from cryptography.hazmat.primitives import hashes

from bench.client import WizardClient, wizard_answers
from bench.integrity import differences, expected_answers, stored_cases
from bench.server import LOAD_TEST_LIMITS, Gunicorn, scratch_database

CLIENTS = int(os.environ.get("SOAK_CLIENTS", 64))
SECONDS = float(os.environ.get("SOAK_SECONDS", 30))
REQUEST_TIMEOUT = 60.0
DOWNLOADS = ("", "/plan.json", "/remediation.ps1", "/report.pdf")
WEIGHTS = {"wizard": 5, "api": 3, "downloads": 2}


class Certificates:
    def __init__(self):
        from tests.certfactory import make_hierarchy, to_pem, to_pkcs12

        h = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])
        self.pem = to_pem(h.leaf.cert, h.intermediate.cert)
        self.full_chain = to_pem(h.leaf.cert, h.intermediate.cert, h.root.cert).decode()
        self.pfx = to_pkcs12(h.leaf, h.intermediate.cert, password="soak")
        self.thumbprint = h.leaf.cert.fingerprint(hashes.SHA1()).hex().upper()  # nosec B303


class Recorder:
    """Thread-safe tallies: per request kind, its latencies and statuses."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, Counter] = defaultdict(Counter)
        self.failures: list[str] = []
        self.completed: dict[str, dict] = {}  # organization -> expected answers

    def note(self, kind: str, seconds: float, status: int | str) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[kind][status] += 1
            if not isinstance(status, int) or status >= 500:
                self.failures.append(f"{kind}: {status}")


def timed(recorder: Recorder, kind: str, call, expected: tuple[int, ...]):
    started = time.perf_counter()
    try:
        response = call()
    except OSError as error:
        recorder.note(kind, time.perf_counter() - started, type(error).__name__)
        return None
    recorder.note(kind, time.perf_counter() - started, response.status)
    if response.status not in expected and response.status < 500:
        with recorder.lock:
            recorder.failures.append(f"{kind}: unexpected {response.status}")
    return response


def walk(client: WizardClient, recorder: Recorder, certs: Certificates, name: str,
         deadline: float) -> str | None:
    organization = f"Soak {name}"
    steps = wizard_answers(organization, "", connector_name=f"Connector {name}", ticket=name)
    for path, fields in steps:
        if time.monotonic() >= deadline:
            return None  # an unfinished case is not checked: only completed ones are
        if path == "/wizard/certificate":
            fields = [("password", "soak")]
            files = [("certificate_file", "server.pfx", certs.pfx, "application/x-pkcs12")]
        else:
            files = None
        response = timed(recorder, "wizard step", lambda: client.submit(path, fields, files), (302,))
        if response is None or response.status != 302:
            return None
    response = timed(recorder, "wizard step", lambda: client.submit("/wizard/check", []), (302,))
    if response is None or "/cases/" not in response.location:
        return None
    reference = response.location.rsplit("/cases/", 1)[1]
    answers = expected_answers([(p, f) for p, f in steps if p != "/wizard/certificate"])
    answers["certificate"] = {"source": "file", "thumbprint": certs.thumbprint}
    with recorder.lock:
        recorder.completed[organization] = {"reference": reference, "answers": answers}
    timed(recorder, "result page", lambda: client.get(f"/cases/{reference}"), (200,))
    return reference


def api_call(client: WizardClient, recorder: Recorder, certs: Certificates, rng: random.Random) -> None:
    if rng.random() < 0.5:
        call = lambda: client.post_json("/api/v1/certificate-check",  # noqa: E731
                                        {"certificate_pem": certs.full_chain, "domains": ["contoso.com"]})
    else:
        call = lambda: client.post("/api/v1/certificate-check",  # noqa: E731
                                   [("password", "soak"), ("domains", "contoso.com")],
                                   [("certificate", "server.pfx", certs.pfx, "application/x-pkcs12")])
    response = timed(recorder, "certificate API", call, (200,))
    if response is not None and response.status == 200 and response.json().get("verdict") is None:
        with recorder.lock:
            recorder.failures.append("certificate API: no verdict")


def download(client: WizardClient, recorder: Recorder, reference: str, rng: random.Random) -> None:
    suffix = rng.choice(DOWNLOADS)
    kind = "result page" if not suffix else suffix.lstrip("/")
    timed(recorder, kind, lambda: client.get(f"/cases/{reference}{suffix}"), (200,))


def client_loop(number: int, base_url: str, deadline: float, recorder: Recorder, certs: Certificates) -> None:
    rng = random.Random(number)  # reproducible mix per client
    client = WizardClient(base_url, timeout=REQUEST_TIMEOUT)
    reference = None
    for round_number in range(100_000):
        if time.monotonic() >= deadline:
            return
        action = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        if action == "wizard" or (action == "downloads" and reference is None):
            client = WizardClient(base_url, timeout=REQUEST_TIMEOUT)  # a new visitor, a new case
            reference = walk(client, recorder, certs, f"{number}-{round_number}", deadline) or reference
        elif action == "api":
            api_call(client, recorder, certs, rng)
        else:
            download(client, recorder, reference, rng)


def run(folder: Path) -> dict:
    certs = Certificates()
    recorder = Recorder()
    with scratch_database() as database_url, Gunicorn(folder, database_url=database_url, extra_env=LOAD_TEST_LIMITS) as server:
        deadline = time.monotonic() + SECONDS
        threads = [threading.Thread(target=client_loop, args=(n, server.base_url, deadline, recorder, certs),
                                    daemon=True) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(max(0.0, deadline + REQUEST_TIMEOUT + 5 - time.monotonic()))
        stuck = sum(thread.is_alive() for thread in threads)
        elapsed = time.monotonic() - deadline + SECONDS
        kept = stored_cases(database_url or server.database)
        log_errors = [line for line in server.log_tail(100_000).splitlines() if "Traceback" in line or "[ERROR]" in line]
    with recorder.lock:
        integrity = {}
        for organization, case in recorder.completed.items():
            stored = kept.get(organization)
            if stored is None:
                integrity[organization] = ["case missing"]
                continue
            problems = differences(case["answers"], stored["answers"])
            if stored["reference"] != case["reference"] or not stored["completed"]:
                problems.append("reference or completion lost")
            if "BEGIN CERTIFICATE" not in (stored["certificate_pem"] or "") or "PRIVATE KEY" in stored["certificate_pem"]:
                problems.append("certificate not kept as public PEM")
            if problems:
                integrity[organization] = problems
        return {
            "clients": CLIENTS, "seconds": round(elapsed, 1), "stuck_clients": stuck,
            "requests": {kind: {"count": len(times), "p50_ms": statistics.median(times) * 1000,
                                "p99_ms": sorted(times)[int(len(times) * 0.99) - 1 if len(times) > 1 else 0] * 1000,
                                "max_ms": max(times) * 1000, "statuses": dict(recorder.statuses[kind])}
                         for kind, times in sorted(recorder.latencies.items())},
            "failures": recorder.failures[:50], "failure_count": len(recorder.failures),
            "completed_cases": len(recorder.completed), "integrity_problems": integrity,
            "server_errors_logged": log_errors[:20],
        }


def print_report(result: dict) -> bool:
    print(f"\n{result['clients']} clients for {result['seconds']} s against gunicorn (2 workers)\n")
    print(f"{'request':<18} {'count':>7} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}  statuses")
    for kind, row in result["requests"].items():
        statuses = ", ".join(f"{status}: {n}" for status, n in sorted(row["statuses"].items(), key=str))
        print(f"{kind:<18} {row['count']:>7} {row['p50_ms']:>8.0f} {row['p99_ms']:>8.0f} {row['max_ms']:>8.0f}  {statuses}")
    five_hundreds = sum(n for row in result["requests"].values() for s, n in row["statuses"].items()
                        if not isinstance(s, int) or s >= 500)
    print(f"\ncompleted cases: {result['completed_cases']}, all read back intact: "
          f"{'yes' if not result['integrity_problems'] else 'NO'}")
    ok = (five_hundreds == 0 and result["failure_count"] == 0 and not result["integrity_problems"]
          and result["stuck_clients"] == 0 and result["completed_cases"] > 0)
    for problem in result["failures"][:10]:
        print("  failure:", problem)
    for organization, problems in list(result["integrity_problems"].items())[:10]:
        print(f"  {organization}: {'; '.join(problems)}")
    for line in result["server_errors_logged"][:5]:
        print("  server log:", line)
    print(f"\n{'PASS' if ok else 'FAIL'}: {five_hundreds} 5xx or broken connections, "
          f"{result['failure_count']} failed requests, {len(result['integrity_problems'])} damaged cases")
    return ok


def _stop_on_sigterm(_signum, _frame):
    raise KeyboardInterrupt


def main() -> int:
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    with tempfile.TemporaryDirectory(prefix="wizard-soak-") as folder:
        result = run(Path(folder))
    ok = print_report(result)
    # Kept beside the benchmark's figures, in the same gitignored file.
    results_file = Path(__file__).with_name("results.json")
    try:
        everything = json.loads(results_file.read_text())
    except (OSError, ValueError):
        everything = {}
    everything["soak"] = result
    results_file.write_text(json.dumps(everything, indent=2, default=str) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
