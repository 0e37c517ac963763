"""HTML to PDF with WeasyPrint, never fetching anything from outside the app's static folder.

WeasyPrint itself is imported by the first PDF a worker renders (app/reports/pdf_engine.py), or by a worker of
the PDFs' gunicorn when it starts (warm_up): a worker of the pages' gunicorn, whose PDFs nginx sends to that
gunicorn, never loads it (27 MiB less).
"""
from __future__ import annotations

import gc
import hashlib
import os
import re
import unicodedata
from functools import lru_cache
from html import unescape
from importlib.metadata import version

from flask import current_app
from jinja2 import meta
from markupsafe import escape

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


# A worker's first PDF paid alone for what every later one reuses: WeasyPrint's import, the fonts found and
# loaded, the stylesheet parsed, the templates compiled: 0.64-0.77 s of CPU and 0.8-1.5 s of wall time, against
# 0.26-0.29 s for the next (bench/README.md). With two workers and 28 PDFs, two of make bench-stack's slowest.
# A worker that serves the PDFs (PDF_WARM_UP, gunicorn.conf.py) pays it at start instead, with a sample in each
# face and size the plan uses (DejaVu Sans and Sans Mono, regular and bold; the page numbers' DejaVu Serif).
PDF_TEMPLATES = ("reports/pdf.html", "audit/fix_pdf.html")
_SAMPLE = ('<!doctype html><html lang="en"><head><title>-</title></head><body><div class="running-header">-</div>'
           '<h1>-</h1><h2><strong class="tag">-</strong> -</h2><h3>-</h3><h4>-</h4>'
           '<p>- <strong>-</strong> <code>-</code> <strong><code>-</code></strong> <a href="#x">-</a></p>'
           '<dl class="summary-list"><div class="summary-row"><dt>-</dt><dd><code>-</code></dd></div></dl>'
           '<table class="facts-table"><caption>-</caption><tbody><tr><th scope="row">-</th><td>-</td></tr></tbody></table>'
           '<ul class="checks"><li><span class="tag">-</span> -</li></ul>'
           '<figure class="code-block"><figcaption class="code-label">-</figcaption>'
           '<pre><code><span class="code-line">-</span></code></pre></figure></body></html>')


def warm_up(app) -> None:
    """Load the engine, render the sample, and compile the PDFs' templates with those they include or import."""
    _engine().write_pdf(_SAMPLE, app.static_folder)
    environment, pending, compiled = app.jinja_env, list(PDF_TEMPLATES), set()
    while pending:
        name = pending.pop()
        if name is None or name in compiled:  # None: a name only known when rendering
            continue
        compiled.add(name)
        environment.get_template(name)
        source = environment.loader.get_source(environment, name)[0]
        pending.extend(meta.find_referenced_templates(environment.parse(source)))
    gc.collect()


def render_fingerprint() -> str:
    """What turns a page's HTML into a PDF besides the HTML: this module and pdf_engine (their options and
    markup changes), the stylesheet, WeasyPrint and pydyf. Part of a kept PDF's key (app/reports/pdf_store.py)."""
    return _fingerprint(current_app.static_folder)


@lru_cache(maxsize=4)
def _fingerprint(static_folder: str) -> str:
    digest = hashlib.sha256(f"{version('weasyprint')} {version('pydyf')}".encode())
    here = os.path.dirname(__file__)
    for path in (__file__, os.path.join(here, "pdf_engine.py"), os.path.join(static_folder, "css", "pdf.css")):
        with open(path, "rb") as source:
            digest.update(b"\0" + source.read())
    return digest.hexdigest()


# WeasyPrint lays out every inline box on its own: the plan's few hundred <span class="nobreak"> (each word
# of a command, each hyphenated word: app/web/templating.py) and its <wbr> were a quarter of a render
# (bench/README.md, change 21). On paper the same breaks come from characters in one run of text: U+2060
# WORD JOINER between the characters of a word that must not wrap, U+200B ZERO WIDTH SPACE where a line
# may wrap. Both are default-ignorable: drawn as nothing, and text copied from the PDF holds neither.
WORD_JOINER, ZERO_WIDTH_SPACE = "\u2060", "\u200b"
_NOBREAK_SPAN = re.compile(r'<span class="nobreak">([^<]*)</span>')  # escaped text only: no markup inside


def _unbroken(word: str) -> str:
    """The word with a joiner between each two characters (never before a combining mark: it stays on its letter)."""
    return "".join(char if index == 0 or unicodedata.combining(char) else WORD_JOINER + char
                   for index, char in enumerate(word))


def one_run_of_text(html: str) -> str:
    """The HTML with its unbreakable words and break opportunities as characters instead of elements."""
    html = _NOBREAK_SPAN.sub(lambda match: str(escape(_unbroken(unescape(match.group(1))))), html)
    return html.replace("<wbr>", ZERO_WIDTH_SPACE)


def render_pdf(html: str) -> bytes:
    engine = _engine()
    with rendering("pdf"):
        pdf = engine.write_pdf(one_run_of_text(html), current_app.static_folder)
    # WeasyPrint's layout tree is full of reference cycles: free it now, while it
    # is garbage, rather than let the worker's heap grow until the collector runs.
    gc.collect()
    return pdf
