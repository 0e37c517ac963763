"""HTML to PDF with WeasyPrint, never fetching anything from outside the app's static folder.

WeasyPrint itself is imported by the first PDF a worker renders (app/reports/pdf_engine.py): a worker of
the pages' gunicorn, whose PDFs nginx sends to a gunicorn of their own, never loads it (27 MiB less).
"""
from __future__ import annotations

import gc
from functools import lru_cache

from flask import current_app

from app.web.metrics import rendering

def pdf_limit() -> str:
    """PDFs per visitor's address (PDF_LIMIT): the largest case costs about 3.5 s of CPU to render."""
    return current_app.config["PDF_LIMIT"]


@lru_cache(maxsize=1)
def _engine():
    """pdf_engine, imported once per process; what the import loaded is then moved out of the collector's
    reach, as gunicorn.conf.py's post_worker_init does for what a worker loads at start, so that the
    gc.collect() after each report walks only that report's objects (30 ms a report otherwise)."""
    from . import pdf_engine

    gc.collect()
    gc.freeze()
    return pdf_engine


def render_pdf(html: str) -> bytes:
    engine = _engine()
    with rendering("pdf"):
        pdf = engine.write_pdf(html, current_app.static_folder)
    # WeasyPrint's layout tree is full of reference cycles: free it now, while it
    # is garbage, rather than let the worker's heap grow until the collector runs.
    gc.collect()
    return pdf
