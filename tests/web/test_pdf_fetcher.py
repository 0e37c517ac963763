"""The PDF renderer reads nothing but its own static folder (issue 16).

Each test renders, through the real render_pdf and WeasyPrint, HTML that links a stylesheet
adding a visible marker to the page, and reads the PDF back with pdftotext: a marker in the
text means the stylesheet was fetched. The one inside the static folder shows that the
check can see a fetch; the others must stay out.
"""
from __future__ import annotations

import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest

from app.reports.pdf import render_pdf

REAL_STATIC = Path(__file__).resolve().parents[2] / "static"


def marker_css(word: str) -> str:
    return f'body::before {{ content: "{word}"; }}\n'


@pytest.fixture
def static(app, tmp_path) -> Path:
    """A static folder of the app's own stylesheet, with a marker stylesheet inside it."""
    folder = tmp_path / "static"
    shutil.copytree(REAL_STATIC / "css", folder / "css")
    (folder / "css" / "inside.css").write_text(marker_css("INSIDEMARK"))
    app.static_folder = str(folder)
    return folder


@pytest.fixture
def outside(tmp_path) -> Path:
    """A stylesheet beside the static folder, where a report must never read."""
    path = tmp_path / "outside.css"
    path.write_text(marker_css("OUTSIDEMARK"))
    return path


def pdf_text(app, tmp_path, href: str) -> str:
    html = f'<html><head><link rel="stylesheet" href="{href}"></head><body><p>Report</p></body></html>'
    with app.test_request_context():
        pdf = render_pdf(html)
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,  # nosec B603 B607
                          check=True, timeout=60).stdout


def test_a_stylesheet_inside_the_static_folder_is_read(app, tmp_path, static):
    assert "INSIDEMARK" in pdf_text(app, tmp_path, (static / "css" / "inside.css").as_uri())


def test_a_relative_link_resolves_inside_the_static_folder(app, tmp_path, static):
    assert "INSIDEMARK" in pdf_text(app, tmp_path, "css/inside.css")


def test_a_file_url_outside_the_static_folder_is_refused(app, tmp_path, static, outside):
    text = pdf_text(app, tmp_path, outside.as_uri())
    assert "Report" in text and "OUTSIDEMARK" not in text


def test_a_relative_link_climbing_out_of_the_static_folder_is_refused(app, tmp_path, static, outside):
    assert "OUTSIDEMARK" not in pdf_text(app, tmp_path, "../outside.css")


def test_an_encoded_climb_out_of_the_static_folder_is_refused(app, tmp_path, static, outside):
    href = "file://" + quote(str(static / "css")) + "/%2e%2e/%2e%2e/outside.css"
    assert "OUTSIDEMARK" not in pdf_text(app, tmp_path, href)


def test_a_symbolic_link_inside_the_static_folder_pointing_outside_is_refused(app, tmp_path, static, outside):
    (static / "css" / "link.css").symlink_to(outside)
    assert "OUTSIDEMARK" not in pdf_text(app, tmp_path, (static / "css" / "link.css").as_uri())


class _Server(ThreadingHTTPServer):
    """Counts connections, so that an https attempt (a TLS hello it cannot answer) counts too."""

    def __init__(self):
        self.connections = 0

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802  (http.server's name)
                body = marker_css("HTTPMARK").encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    def verify_request(self, request, client_address) -> bool:
        self.connections += 1
        return True


@pytest.fixture
def http_server():
    """A real web server on loopback that serves a marker stylesheet and counts connections."""
    server = _Server()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_web_url_is_never_fetched(app, tmp_path, static, http_server, scheme):
    href = f"{scheme}://127.0.0.1:{http_server.server_address[1]}/report.css"
    text = pdf_text(app, tmp_path, href)
    assert "Report" in text and "HTTPMARK" not in text
    assert http_server.connections == 0


def test_the_web_server_of_these_tests_does_answer(http_server):
    """Without this, "no connection reached it" could mean it never listened."""
    from urllib.request import urlopen

    with urlopen(f"http://127.0.0.1:{http_server.server_address[1]}/report.css", timeout=10) as response:  # nosec B310
        assert b"HTTPMARK" in response.read()
    assert http_server.connections == 1
