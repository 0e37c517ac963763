"""`make bench`: each endpoint under wrk against gunicorn in production configuration.

Prints one table (requests/s, p50, p99, ratio to the baseline), the workers'
resident memory after the load and the PDF's median render time, checks the
targets, and writes every figure to bench/results.json.

Baseline: GET /healthz. It is the cheapest route that goes through the whole
stack every page uses (gunicorn, Flask, the security headers, a pooled SQLite
connection and one query), with no template, no session and no analysis. So a
ratio says what an endpoint's own work costs on top of what any request of
this app pays; a static file would leave out the database round trip that
every wizard page also makes. The app gets no benchmark-only route. The
stylesheet is measured too, as information.
"""
from __future__ import annotations

import json
import os
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.client import WizardClient, walk_wizard, wizard_answers
from bench.server import Gunicorn, rss_kib, scratch_database
from bench.wrk import Target, WrkResult, run_wrk, write_script

RESULTS = Path(__file__).with_name("results.json")
SECONDS = int(os.environ.get("BENCH_SECONDS", 8))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 16))
PDF_SAMPLES = 20

# Requests per second as a share of the baseline's; PDF and memory are absolute.
RATIO_TARGETS = {"wizard step": 0.7, "certificate API": 0.35, "result page": 0.5}
PDF_MEDIAN_MS = 400
WORKER_RSS_MIB = 120


@dataclass(frozen=True)
class Row:
    name: str
    request: str
    result: WrkResult | None
    note: str = ""


def chain_pem() -> tuple[str, str]:
    """(leaf + intermediate, leaf + intermediate + root) PEM from the test factory."""
    from tests.certfactory import make_hierarchy, to_pem

    h = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])
    return (to_pem(h.leaf.cert, h.intermediate.cert).decode(),
            to_pem(h.leaf.cert, h.intermediate.cert, h.root.cert).decode())


def prepare_case(server: Gunicorn) -> tuple[WizardClient, str]:
    client = WizardClient(server.base_url)
    reference = walk_wizard(client, wizard_answers("Contoso Ltd", chain_pem()[0]))
    return client, reference


def availability(client: WizardClient, path: str) -> str:
    """"" when ``path`` answers 200, else why the row is skipped."""
    status = client.get(path).status
    if status == 200:
        return ""
    return "not available (404)" if status == 404 else f"not available (answers {status})"


def targets(folder: Path, client: WizardClient, reference: str) -> list[tuple[str, Target, str]]:
    cookie = (("Cookie", "; ".join(f"{k}={v}" for k, v in client.cookies.items())),)
    body = folder / "certificate-check.json"
    body.write_text(json.dumps({"certificate_pem": chain_pem()[1], "domains": ["contoso.com", "fabrikam.com"]}))
    case = f"/cases/{reference}"
    return [
        ("baseline /healthz", Target("GET", "/healthz"), ""),
        ("static stylesheet", Target("GET", "/static/css/app.css"), ""),
        ("start page", Target("GET", "/"), ""),
        ("wizard step", Target("GET", "/wizard/domains", headers=cookie), ""),
        ("certificate API", Target("POST", "/api/v1/certificate-check", body,
                                   (("Content-Type", "application/json"),)), ""),
        ("result page", Target("GET", case, headers=cookie), availability(client, case)),
        ("PDF", Target("GET", case + "/report.pdf", headers=cookie), availability(client, case + "/report.pdf")),
    ]


def check_api_answer(client: WizardClient, body: Path) -> None:
    """The API must really analyse the chain, not answer an error fast."""
    response = client.request("POST", "/api/v1/certificate-check", body.read_bytes(),
                              {"Content-Type": "application/json"})
    if response.status != 200 or len(response.json()["chain"]) != 3:
        raise RuntimeError(f"certificate API answered {response.status}: {response.text[:300]}")


def pdf_render_times(client: WizardClient, path: str) -> list[float]:
    times = []
    for _ in range(PDF_SAMPLES):
        started = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200 or not response.body.startswith(b"%PDF"):
            raise RuntimeError(f"{path} answered {response.status}")
        times.append(elapsed)
    return times


def run(folder: Path) -> dict:
    with scratch_database() as database_url, Gunicorn(folder, database_url=database_url) as server:
        client, reference = prepare_case(server)
        plan = targets(folder, client, reference)
        check_api_answer(client, folder / "certificate-check.json")
        rows = []
        for name, target, skipped in plan:
            if skipped:
                rows.append(Row(name, f"{target.method} {target.path}", None, skipped))
                continue
            script = write_script(target, folder / f"{len(rows)}.lua")
            print(f"  {name}: wrk -t2 -c{CONNECTIONS} -d{SECONDS}s ...", file=sys.stderr, flush=True)
            rows.append(Row(name, f"{target.method} {target.path}",
                            run_wrk(server.base_url, script, connections=CONNECTIONS, seconds=SECONDS)))
        workers = {pid: rss_kib(pid) for pid in server.worker_pids()}
        pdf_path = f"/cases/{reference}/report.pdf"
        pdf_times = pdf_render_times(client, pdf_path) if not availability(client, pdf_path) else []
    return summarize(rows, workers, pdf_times)


def summarize(rows: list[Row], workers: dict[int, int | None], pdf_times: list[float]) -> dict:
    baseline = rows[0].result.requests_per_second
    endpoints = []
    for row in rows:
        entry = {"endpoint": row.name, "request": row.request, "available": row.result is not None, "note": row.note}
        if row.result is not None:
            entry.update(asdict(row.result), requests_per_second=row.result.requests_per_second,
                         ratio=row.result.requests_per_second / baseline if baseline else None)
        endpoints.append(entry)
    by_name = {e["endpoint"]: e for e in endpoints}
    checks = []
    for name, minimum in RATIO_TARGETS.items():
        ratio = by_name[name].get("ratio")
        checks.append({"target": f"{name} ratio >= {minimum}", "value": ratio,
                       "status": "N/A" if ratio is None else ("PASS" if ratio >= minimum else "MISS")})
    pdf_median = statistics.median(pdf_times) if pdf_times else None
    checks.append({"target": f"PDF median < {PDF_MEDIAN_MS} ms", "value": pdf_median,
                   "status": "N/A" if pdf_median is None else ("PASS" if pdf_median < PDF_MEDIAN_MS else "MISS")})
    rss = [kib for kib in workers.values() if kib is not None]
    worst = max(rss) / 1024 if rss else None
    checks.append({"target": f"worker RSS < {WORKER_RSS_MIB} MiB", "value": worst,
                   "status": "N/A" if worst is None else ("PASS" if worst < WORKER_RSS_MIB else "MISS")})
    return {
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "settings": {"wrk_threads": 2, "connections": CONNECTIONS, "seconds": SECONDS, "gunicorn_workers": 2,
                     "cpus": os.cpu_count(), "baseline": rows[0].request},
        "endpoints": endpoints,
        "worker_rss_mib": {str(pid): (kib / 1024 if kib else None) for pid, kib in workers.items()},
        "pdf_render_ms": {"samples": pdf_times, "median": pdf_median},
        "targets": checks,
    }


def print_report(results: dict) -> None:
    print(f"\n{'endpoint':<20} {'request':<42} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6} {'errors':>6}")
    for e in results["endpoints"]:
        request = e["request"] if len(e["request"]) <= 42 else e["request"][:39] + "..."
        if not e["available"]:
            print(f"{e['endpoint']:<20} {request:<42} {e['note']}")
            continue
        print(f"{e['endpoint']:<20} {request:<42} {e['requests_per_second']:>8.1f} {e['p50_ms']:>8.1f} "
              f"{e['p99_ms']:>8.1f} {e['ratio']:>6.2f} {e['errors']:>6}")
    rss = ", ".join(f"{pid}: {mib:.1f} MiB" for pid, mib in results["worker_rss_mib"].items() if mib)
    print(f"\nworker RSS after the load: {rss}")
    if results["pdf_render_ms"]["median"] is not None:
        print(f"PDF median over {len(results['pdf_render_ms']['samples'])} sequential requests: "
              f"{results['pdf_render_ms']['median']:.0f} ms")
    print()
    for check in results["targets"]:
        value = "-" if check["value"] is None else f"{check['value']:.2f}"
        print(f"{check['status']:<5} {check['target']:<32} measured {value}")


def _stop_on_sigterm(_signum, _frame):
    raise KeyboardInterrupt  # unwinds through the with-blocks, which stop gunicorn


def main() -> int:
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    with tempfile.TemporaryDirectory(prefix="wizard-bench-") as folder:
        results = run(Path(folder))
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print_report(results)
    print(f"\nfigures written to {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")
    failing = [c for c in results["targets"] if c["status"] == "MISS"]
    errors = [e for e in results["endpoints"] if e.get("errors")]
    if errors:
        print("\nrequests failed on: " + ", ".join(e["endpoint"] for e in errors))
    return 1 if failing or errors else 0


if __name__ == "__main__":
    sys.exit(main())
