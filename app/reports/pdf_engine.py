"""WeasyPrint's side of app/reports/pdf.py, imported by the first PDF a worker renders: the only module that
imports WeasyPrint, which with its Pango, HarfBuzz and font libraries is 27 MiB of a worker's memory."""
from __future__ import annotations

import os
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML, URLFetcher
from weasyprint.text.fonts import FontConfiguration


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
def _fonts() -> FontConfiguration:
    """One font configuration per process: a new one per PDF leaks Pango font maps."""
    return FontConfiguration()


def write_pdf(html: str, static: str) -> bytes:
    document = HTML(string=html, base_url=static + os.sep, url_fetcher=StaticOnlyFetcher(static))
    # PDF/UA-1: a tagged PDF (headings, lists, tables, reading order) that screen readers can follow.
    return document.write_pdf(stylesheets=[_stylesheet(static)], font_config=_fonts(), pdf_variant="pdf/ua-1")
