"""The PDFs have a gunicorn of their own behind nginx (deploy/nginx.conf, upstream wizard_pdf).

A PDF render holds a sync worker for half a second or more of CPU; with PDFs rendered by the pages' two
workers, every page behind one waited for it (bench/README.md, `make bench-stack`: every page's p99
550-730 ms). nginx now sends the downloads to a second gunicorn of the same app, and the pages' gunicorn
takes them only while that one does not answer.
"""
from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager

from bench.run import chain_pems
from bench.client import WizardClient, walk_wizard, wizard_answers
from bench.server import REPO, Gunicorn
from tests.hostile.front import Nginx
from tests.hostile.test_front_proxy import SECURITY_HEADERS
from tests.hostile.test_logs import log_after

PDF_ROUTES = ("/cases/<reference>/report.pdf", "/cases/<reference>/audit/<int:number>/fix.pdf",
              "/staff/cases/<reference>/send-link")


@contextmanager
def stack(folder) -> Iterator[tuple[Nginx, Gunicorn, Gunicorn, str]]:
    """nginx, the pages' gunicorn, the PDFs' gunicorn (one worker each, warmed up as deploy/compose.yaml's),
    and a walked case's result page."""
    with Gunicorn(folder / "pages", workers=1) as pages, \
            pages.beside(folder / "pdf", extra_env={"PDF_WARM_UP": "1"}) as pdfs:
        proxy = Nginx(folder / "nginx", pages.port, pdf_ports=(pdfs.port,)).start()
        try:
            client = WizardClient(f"http://127.0.0.1:{proxy.port}")
            reference = walk_wizard(client, wizard_answers("PDF Pool Ltd", chain_pems(1)[0]))
            proxy.client, proxy.result = client, f"/cases/{reference}"
            yield proxy, pages, pdfs
        finally:
            proxy.stop()


def served_by(server: Gunicorn, request_id: str, wait: float = 5) -> dict | None:
    """The app's log line of the request ``request_id`` in ``server``'s log, if that server answered it
    (written after the answer: waits for it up to ``wait`` seconds)."""
    deadline = time.monotonic() + wait
    while True:
        for line in server.log_path.read_text(errors="replace").splitlines():
            if request_id in line and '"wizard.requests"' in line:
                return json.loads(line)
        if time.monotonic() > deadline:
            return None
        time.sleep(0.1)


def test_every_pdf_route_of_the_app_goes_to_the_pdf_location(app):
    """A new PDF route must be added to deploy/nginx.conf too (else it renders in the pages' workers)."""
    rendering = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.endswith(".pdf")}
    assert rendering <= set(PDF_ROUTES), rendering - set(PDF_ROUTES)
    config = (REPO / "deploy" / "nginx.conf").read_text()
    location = re.search(r"location ~ (\S+) \{\s*proxy_pass http://wizard_pdf;", config)
    pattern = re.compile(location.group(1))
    for rule in PDF_ROUTES:
        assert pattern.match(rule.replace("<reference>", "KB-7F3K-92QD").replace("<int:number>", "3")), rule
    for page in ("/cases/KB-7F3K-92QD", "/cases/KB-7F3K-92QD/plan.json", "/staff/cases/KB-7F3K-92QD",
                 "/cases/KB-7F3K-92QD/report.pdf.json", "/cases/KB-7F3K-92QD/audit/3/fix.ps1"):
        assert not pattern.match(page), page


def test_a_pdf_is_rendered_by_the_pdf_pool_with_the_pages_headers_and_keeps_coming_without_the_pages(tmp_path):
    with stack(tmp_path) as (proxy, pages, pdfs):
        page = proxy.client.get(proxy.result)
        pdf = proxy.client.get(proxy.result + "/report.pdf")
        assert page.status == 200 and pdf.status == 200 and pdf.body.startswith(b"%PDF")
        assert pdf.headers["content-type"] == "application/pdf"
        for header in SECURITY_HEADERS:  # the same policy as the pages', through the same nginx
            assert pdf.headers.get(header.lower()) == page.headers.get(header.lower()), header
        request_id = pdf.headers["x-request-id"]
        assert re.fullmatch(r"[0-9a-f]{32}", request_id), request_id  # nginx's id, as for a page
        line = served_by(pdfs, request_id)
        assert line and line["route"] == "/cases/<reference>/report.pdf" and line["status"] == 200
        assert served_by(pages, page.headers["x-request-id"])  # and the page by the pages' gunicorn
        assert not served_by(pages, request_id, wait=0)
        assert request_id in log_after(proxy.access_log, 0, request_id)

        pages.stop()
        assert proxy.client.get(proxy.result).status == 502
        again = proxy.client.get(proxy.result + "/report.pdf")
        assert again.status == 200 and again.body.startswith(b"%PDF")


def has_weasyprint_loaded(pid: int) -> bool:
    """Whether the process has Pango, WeasyPrint's text layout library, mapped."""
    with open(f"/proc/{pid}/maps") as maps:
        return "libpango" in maps.read()


def test_the_pdf_workers_load_weasyprint_when_they_start_and_the_pages_workers_never(tmp_path):
    """PDF_WARM_UP (gunicorn.conf.py): a worker's first PDF no longer pays for loading WeasyPrint and its fonts."""
    with stack(tmp_path) as (proxy, pages, pdfs):
        assert pdfs.worker_pids() and all(has_weasyprint_loaded(pid) for pid in pdfs.worker_pids())
        assert proxy.client.get(proxy.result).status == 200
        assert not any(has_weasyprint_loaded(pid) for pid in pages.worker_pids())
        pdf = proxy.client.get(proxy.result + "/report.pdf")
        assert pdf.status == 200 and pdf.body.startswith(b"%PDF")


def test_while_the_pdf_pool_is_down_the_pages_gunicorn_renders_the_pdfs(tmp_path):
    """The documented fallback (`backup` in the upstream): a PDF slower than usual, never a 502."""
    with stack(tmp_path) as (proxy, pages, pdfs):
        pdfs.stop()
        pdf = proxy.client.get(proxy.result + "/report.pdf")
        assert pdf.status == 200 and pdf.body.startswith(b"%PDF")
        assert served_by(pages, pdf.headers["x-request-id"])
        assert proxy.client.get(proxy.result).status == 200
