"""WeasyPrint's side of app/reports/pdf.py, imported by the first PDF a worker renders: the only module that
imports WeasyPrint, which with its Pango, HarfBuzz and font libraries is 27 MiB of a worker's memory."""
from __future__ import annotations

import os
import zlib
from functools import lru_cache
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

import pydyf
from weasyprint import CSS, HTML, URLFetcher
from weasyprint.text.fonts import FontConfiguration

# pydyf deflates every stream of the file (the pages' text, the font subsets: about 360 KB for the plan) at
# zlib's level 9, 20 ms of a 260 ms render; at level 6, zlib's default, 5 ms for a file 3% larger (59 -> 60 KB)
# that inflates to the same bytes (bench/README.md). pydyf has no option for it, so its module gets a zlib
# whose compressobj ignores the level asked for; compress (inline images, which the PDF has none of) is zlib's.
DEFLATE_LEVEL = 6


def _deflater(level: int = DEFLATE_LEVEL):
    return zlib.compressobj(DEFLATE_LEVEL)


pydyf.zlib = SimpleNamespace(compress=zlib.compress, compressobj=_deflater)


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
