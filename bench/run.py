"""`make bench`: the product's endpoints under wrk, each measured against bare Flask in the same run.

Two gunicorn servers run side by side with the same gunicorn.conf.py, workers,
threads and loopback bind: the product (wsgi:app, production configuration) and
bench/bare.py, a Flask app with no extensions and one route returning a short
string. For every row wrk drives bare Flask and then the endpoint, ROUNDS times in
turn; the ratio of each pair is taken and the median is reported with its spread,
so a machine whose speed drifts (other jobs on the cores) moves both sides of a
ratio alike. Every ratio is to bare Flask: the framework's own limit under this
server, not to one of our endpoints that already pays our per-request costs.

The certificate API is measured twice: with a pool of CHAIN_POOL different chains
(each request the next one, so no cache sees a chain again for hundreds of
requests) and with one chain sent again and again (warm caches). A third row, with
no target, is its floor: the same pool sent to bench/bare.py's POST /verify, where
bare Flask has cryptography's verifier check each chain and does nothing else.

Then the PDF: its median render time over PDF_SAMPLES sequential requests, and the
workers' resident memory while they render PDF_COUNT PDFs (it must stay flat).
Prints one table, checks the targets, writes every figure to bench/results.json.
"""
from __future__ import annotations

import json
import os
import re
import signal
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bench.client import WizardClient, walk_wizard, wizard_answers
from bench.server import LOAD_TEST_LIMITS, BareFlask, Gunicorn, rss_kib, scratch_database
from bench.wrk import Target, WrkResult, run_wrk, write_script

RESULTS = Path(__file__).with_name("results.json")
SECONDS = int(os.environ.get("BENCH_SECONDS", 4))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 16))
# A part of the table: BENCH_ROWS="wizard step;result page" measures those rows only (and the PDF).
ONLY_ROWS = [name.strip() for name in os.environ.get("BENCH_ROWS", "").split(";") if name.strip()]
PDF_SAMPLES = 20
# The PDF's figures are of rendering: the product keeps a rendered PDF (app/reports/pdf_store.py) and would
# answer every request but the first of the same case from the database.
RENDERING_EVERY_PDF = {**LOAD_TEST_LIMITS, "PDF_STORE_MIB": "0"}
PDF_COUNT = int(os.environ.get("BENCH_PDFS", 1000))
# More chains than app.certs.chain.issued_by's cache (1024 pairs) holds pairs of them:
# walked in a circle, every request misses it.
CHAIN_POOL = 600
DOMAINS = ["contoso.com", "fabrikam.com"]

# Requests per second as a share of bare Flask's; the PDF and memory are absolute.
RATIO_TARGETS = {"static file": 0.90, "start page": 0.70, "wizard step": 0.50, "result page": 0.50,
                 "certificate API, fresh chains": 0.35}
PDF_MEDIAN_MS = 400
WORKER_RSS_MIB = 120
# Flat: no worker grows by more than this between the first 10% of the PDFs and the last.
RSS_GROWTH_MIB = 10


@dataclass(frozen=True)
class Row:
    name: str
    target: Target
    on_bare: bool = False  # served by bare Flask (bench/bare.py), not by the product


@dataclass(frozen=True)
class Pair:
    bare: WrkResult
    endpoint: WrkResult

    @property
    def ratio(self) -> float:
        bare = self.bare.requests_per_second
        return self.endpoint.requests_per_second / bare if bare else 0.0


def chain_pems(count: int) -> list[str]:
    """``count`` different chains (leaf, intermediate, root) under the factory's root, which the server trusts."""
    from tests.certfactory import make_hierarchy, make_intermediate, make_leaf, to_pem

    root = make_hierarchy().root
    pems = []
    for number in range(count):
        intermediate = make_intermediate(root, f"Bench Issuing CA {number}")
        leaf = make_leaf(intermediate, f"mail{number}.contoso.com", sans=[f"mail{number}.contoso.com", "contoso.com"])
        pems.append(to_pem(leaf.cert, intermediate.cert, root.cert).decode())
    return pems


def check_body(pem: str) -> str:
    return json.dumps({"certificate_pem": pem, "domains": DOMAINS})


def prepare_case(server: Gunicorn, pem: str) -> tuple[WizardClient, str]:
    client = WizardClient(server.base_url)
    reference = walk_wizard(client, wizard_answers("Contoso Ltd", pem))
    return client, reference


def stylesheet_path(client: WizardClient) -> str:
    """The stylesheet's address as the start page names it (with its content hash, if any)."""
    match = re.search(r'<link rel="stylesheet" href="([^"]+)"', WizardClient(client.base_url).get("/").text)
    if match is None:
        raise RuntimeError("the start page links no stylesheet")
    return match.group(1)


def check_answers(base_url: str, path: str, bodies: list[str], verified) -> None:
    """Each body POSTed to ``path`` must be really analysed (``verified(answer)``), not answered with an error fast."""
    for body in bodies:
        response = WizardClient(base_url).request("POST", path, body.encode(), {"Content-Type": "application/json"})
        if response.status != 200 or not verified(response.json()):
            raise RuntimeError(f"{path} answered {response.status}: {response.text[:300]}")


def plan_rows(folder: Path, client: WizardClient, reference: str, pems: list[str]) -> list[Row]:
    cookie = (("Cookie", "; ".join(f"{k}={v}" for k, v in client.cookies.items())),)
    json_type = (("Content-Type", "application/json"),)
    pool, warm = folder / "chains.jsonl", folder / "chain.json"
    pool.write_text("\n".join(check_body(pem) for pem in pems) + "\n")
    warm.write_text(check_body(pems[0]))
    check_answers(client.base_url, "/api/v1/certificate-check", [check_body(pem) for pem in pems[:3]],
                  lambda answer: len(answer["chain"]) == 3 and answer.get("verdict"))
    rows = [
        Row("/healthz", Target("GET", "/healthz")),
        Row("static file", Target("GET", stylesheet_path(client))),
        Row("start page", Target("GET", "/")),
        Row("wizard step", Target("GET", "/wizard/domains", headers=cookie)),
        Row("result page", Target("GET", f"/cases/{reference}", headers=cookie)),
        Row("certificate API, fresh chains", Target("POST", "/api/v1/certificate-check", headers=json_type, bodies_file=pool)),
        Row("certificate API, one chain", Target("POST", "/api/v1/certificate-check", warm, json_type)),
        # No target: the floor of the row above, the verifier alone in bare Flask (bench/bare.py).
        Row("verifier alone, fresh chains", Target("POST", "/verify", headers=json_type, bodies_file=pool),
            on_bare=True),
    ]
    return [row for row in rows if not ONLY_ROWS or row.name in ONLY_ROWS]


def measure(folder: Path, row: Row, server: Gunicorn, bare: Gunicorn) -> list[Pair]:
    script = write_script(row.target, folder / "endpoint.lua")
    bare_script = write_script(Target("GET", "/"), folder / "bare.lua")
    pairs = []
    for round_number in range(ROUNDS):
        print(f"  {row.name}: round {round_number + 1} of {ROUNDS}", file=sys.stderr, flush=True)
        pairs.append(Pair(run_wrk(bare.base_url, bare_script, connections=CONNECTIONS, seconds=SECONDS),
                          run_wrk((bare if row.on_bare else server).base_url, script, connections=CONNECTIONS,
                                  seconds=SECONDS)))
    return pairs


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


def memory_over_pdfs(server: Gunicorn, client: WizardClient, path: str) -> dict[str, list[float]]:
    """Each worker's RSS (MiB) after every tenth of PDF_COUNT PDFs, rendered by two clients at once."""
    samples: dict[str, list[float]] = {str(pid): [] for pid in server.worker_pids()}

    def render(_number: int) -> None:
        response = WizardClient(client.base_url, cookies=dict(client.cookies)).get(path)
        if response.status != 200 or not response.body.startswith(b"%PDF"):
            raise RuntimeError(f"{path} answered {response.status}")

    tenth = max(1, PDF_COUNT // 10)
    with ThreadPoolExecutor(max_workers=server.workers) as pool:
        for done in range(0, PDF_COUNT, tenth):
            list(pool.map(render, range(done, min(done + tenth, PDF_COUNT))))
            for pid in samples:
                kib = rss_kib(int(pid))
                samples[pid].append(kib / 1024 if kib else float("nan"))
    return samples


def run(folder: Path) -> dict:
    load_before = os.getloadavg()
    pems = chain_pems(CHAIN_POOL)
    with scratch_database() as database_url, Gunicorn(folder / "product", database_url=database_url, extra_env=RENDERING_EVERY_PDF) as server, \
            BareFlask(folder / "bare") as bare:
        client, reference = prepare_case(server, pems[0])
        rows = plan_rows(folder, client, reference, pems)
        check_answers(bare.base_url, "/verify", [check_body(pem) for pem in pems[:3]],
                      lambda answer: answer == {"chain": 3})
        measured = [(row, measure(folder, row, server, bare)) for row in rows]
        pdf_path = f"/cases/{reference}/report.pdf"
        pdf_times = pdf_render_times(client, pdf_path)
        print(f"  {PDF_COUNT} PDFs for the memory check", file=sys.stderr, flush=True)
        memory = memory_over_pdfs(server, client, pdf_path)
    return summarize(measured, pdf_times, memory, load_before, os.getloadavg())


def row_figures(row: Row, pairs: list[Pair]) -> dict:
    ratios = sorted(pair.ratio for pair in pairs)
    middle = sorted(pairs, key=lambda pair: pair.ratio)[len(pairs) // 2]
    return {
        "endpoint": row.name,
        "request": f"{row.target.method} {row.target.path}" + (" (bench/bare.py)" if row.on_bare else ""),
        "requests_per_second": statistics.median(p.endpoint.requests_per_second for p in pairs),
        "bare_requests_per_second": statistics.median(p.bare.requests_per_second for p in pairs),
        "p50_ms": middle.endpoint.p50_ms, "p99_ms": middle.endpoint.p99_ms,
        "ratio": statistics.median(ratios), "ratio_min": ratios[0], "ratio_max": ratios[-1],
        "errors": sum(p.endpoint.errors for p in pairs) + sum(p.bare.errors for p in pairs),
        "rounds": [{"bare_rps": p.bare.requests_per_second, "rps": p.endpoint.requests_per_second,
                    "ratio": p.ratio} for p in pairs],
    }


def check(target: str, value: float | None, passed: bool) -> dict:
    return {"target": target, "value": value, "status": "N/A" if value is None else ("PASS" if passed else "MISS")}


def summarize(measured: list[tuple[Row, list[Pair]]], pdf_times: list[float], memory: dict[str, list[float]],
              load_before: tuple[float, ...], load_after: tuple[float, ...]) -> dict:
    endpoints = [row_figures(row, pairs) for row, pairs in measured]
    bare_runs = [p.bare for _row, pairs in measured for p in pairs]
    by_name = {e["endpoint"]: e for e in endpoints}
    checks = [check(f"{name} >= {minimum:.2f} of bare Flask", by_name[name]["ratio"], by_name[name]["ratio"] >= minimum)
              for name, minimum in RATIO_TARGETS.items() if name in by_name]
    pdf_median = statistics.median(pdf_times)
    checks.append(check(f"PDF median < {PDF_MEDIAN_MS} ms", pdf_median, pdf_median < PDF_MEDIAN_MS))
    peak = max(max(series) for series in memory.values())
    growth = max(series[-1] - series[0] for series in memory.values())
    checks.append(check(f"worker RSS < {WORKER_RSS_MIB} MiB", peak, peak < WORKER_RSS_MIB))
    checks.append(check(f"RSS growth over {PDF_COUNT} PDFs < {RSS_GROWTH_MIB} MiB", growth, growth < RSS_GROWTH_MIB))
    return {
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "settings": {"wrk_threads": 2, "connections": CONNECTIONS, "seconds": SECONDS, "rounds": ROUNDS,
                     "gunicorn_workers": 2, "cpus": os.cpu_count(), "baseline": "bench/bare.py GET /",
                     "chain_pool": CHAIN_POOL, "pdfs": PDF_COUNT},
        "load_average": {"before": load_before, "after": load_after},
        "bare_flask": {"requests_per_second": statistics.median(r.requests_per_second for r in bare_runs),
                       "p50_ms": statistics.median(r.p50_ms for r in bare_runs)},
        "endpoints": endpoints,
        "pdf_render_ms": {"samples": pdf_times, "median": pdf_median},
        "worker_rss_mib_per_tenth_of_pdfs": memory,
        "targets": checks,
    }


def print_report(results: dict) -> None:
    bare = results["bare_flask"]
    print(f"\n{'endpoint':<30} {'request':<36} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'ratio':>6}  spread")
    print(f"{'bare Flask (baseline)':<30} {'GET / (bench/bare.py)':<36} {bare['requests_per_second']:>7.0f} "
          f"{bare['p50_ms']:>7.1f} {'':>7} {1:>6.2f}")
    for e in results["endpoints"]:
        request = e["request"] if len(e["request"]) <= 36 else e["request"][:33] + "..."
        print(f"{e['endpoint']:<30} {request:<36} {e['requests_per_second']:>7.0f} {e['p50_ms']:>7.1f} "
              f"{e['p99_ms']:>7.1f} {e['ratio']:>6.2f}  {e['ratio_min']:.2f}-{e['ratio_max']:.2f}")
    memory = results["worker_rss_mib_per_tenth_of_pdfs"]
    pdfs = results["settings"]["pdfs"]
    print(f"\nPDF median over {len(results['pdf_render_ms']['samples'])} sequential requests: "
          f"{results['pdf_render_ms']['median']:.0f} ms")
    for pid, series in memory.items():
        print(f"worker {pid} RSS over {pdfs} PDFs (MiB, each tenth): " + " ".join(f"{mib:.0f}" for mib in series))
    before, after = results["load_average"]["before"], results["load_average"]["after"]
    print(f"load average (1, 5, 15 min): {before[0]:.2f} {before[1]:.2f} {before[2]:.2f} before, "
          f"{after[0]:.2f} {after[1]:.2f} {after[2]:.2f} after; {results['settings']['cpus']} CPUs\n")
    for item in results["targets"]:
        value = "-" if item["value"] is None else f"{item['value']:.2f}"
        print(f"{item['status']:<5} {item['target']:<45} measured {value}")


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
