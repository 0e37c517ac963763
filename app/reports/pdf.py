"""HTML to PDF with WeasyPrint, never fetching anything from outside the app's static folder."""
from __future__ import annotations

import gc
import hashlib
import os
import re
import unicodedata
from functools import lru_cache
from html import unescape
from urllib.parse import unquote, urlsplit

import pydyf
from flask import current_app
from markupsafe import escape
from weasyprint import CSS, HTML, URLFetcher, __version__ as weasyprint_version
from weasyprint.text.fonts import FontConfiguration

from app.web.metrics import rendering

def pdf_limit() -> str:
    """PDFs per visitor's address (PDF_LIMIT): the largest case costs about 3.5 s of CPU to render."""
    return current_app.config["PDF_LIMIT"]


class StaticOnlyFetcher(URLFetcher):
    """Refuse every URL but data: and files under the static folder."""

    def __init__(self, root: str):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.root = os.path.realpath(root) + os.sep

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            path = os.path.realpath(unquote(urlsplit(url).path))
            if not path.startswith(self.root):
                raise ValueError(f"refusing to read {url!r} while rendering a report")
        return super().fetch(url, headers)


@lru_cache(maxsize=4)
def _stylesheet(static_folder: str) -> CSS:
    """Parsed once per process: the stylesheet is the same for every report."""
    return CSS(filename=os.path.join(static_folder, "css", "pdf.css"), url_fetcher=StaticOnlyFetcher(static_folder))


@lru_cache(maxsize=1)
def render_fingerprint() -> str:
    """What turns a page's HTML into a PDF besides the HTML: this module (its options and markup changes), the
    stylesheet, WeasyPrint and pydyf. Part of a kept PDF's key (app/reports/pdf_store.py)."""
    digest = hashlib.sha256(f"{weasyprint_version} {pydyf.__version__}".encode())
    for path in (__file__, os.path.join(current_app.static_folder, "css", "pdf.css")):
        with open(path, "rb") as source:
            digest.update(b"\0" + source.read())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _fonts() -> FontConfiguration:
    """One font configuration per process: a new one per PDF leaks Pango font maps."""
    return FontConfiguration()


# WeasyPrint lays out every inline box on its own: the plan's few hundred <span class="nobreak"> (each word
# of a command, each hyphenated word: app/web/templating.py) and its <wbr> were a quarter of a render
# (bench/README.md, change 14). On paper the same breaks come from characters in one run of text: U+2060
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
    static = current_app.static_folder
    with rendering("pdf"):
        document = HTML(string=one_run_of_text(html), base_url=static + os.sep, url_fetcher=StaticOnlyFetcher(static))
        # PDF/UA-1: a tagged PDF (headings, lists, tables, reading order) that screen readers can follow.
        pdf = document.write_pdf(stylesheets=[_stylesheet(static)], font_config=_fonts(), pdf_variant="pdf/ua-1")
    # WeasyPrint's layout tree is full of reference cycles: free it now, while it
    # is garbage, rather than let the worker's heap grow until the collector runs.
    del document
    gc.collect()
    return pdf
