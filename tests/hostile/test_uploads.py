"""Oversized uploads are refused with 413 before being read; file names never reach the disk.

Run against gunicorn in its production configuration: the refusal must come
from the headers alone, as a real server sees them, and the upload's file name
must not end up as a file anywhere the app could write.
"""
from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest

from bench.client import WizardClient, csrf_token, wizard_answers
from bench.server import HOST, Gunicorn
from tests.certfactory import make_hierarchy, to_pem

TWO_MIB = 2 * 1024 * 1024
PATH_LIKE_NAMES = ["../../etc/passwd", "C:\\x.pfx", "..\\..\\windows\\x.pfx", "/tmp/wizard-upload.pem", "x\x00.pfx"]
_H = make_hierarchy()
PEM = to_pem(_H.leaf.cert, _H.intermediate.cert)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("uploads")
    scratch = folder / "tmp"
    scratch.mkdir()
    # The server's own temp folder: any file it wrote for an upload would land here.
    with Gunicorn(folder / "server", extra_env={"TMPDIR": str(scratch)}) as running:
        running.scratch = scratch
        yield running


def at_certificate_step(server) -> WizardClient:
    client = WizardClient(server.base_url)
    for path, fields in wizard_answers("Contoso Ltd", PEM.decode())[:8]:
        assert client.submit(path, fields).status == 302, path
    return client


def test_two_mib_uploads_are_refused_with_413(server):
    client = at_certificate_step(server)
    token = csrf_token(client.get("/wizard/certificate").text)
    big = b"A" * TWO_MIB
    wizard = client.post("/wizard/certificate", [("csrf_token", token)],
                         [("certificate_file", "big.pem", big, "application/octet-stream")])
    assert wizard.status == 413
    assert "too large" in wizard.text.lower()
    api = client.post("/api/v1/certificate-check", [("domains", "contoso.com")],
                      [("certificate", "big.pem", big, "application/octet-stream")])
    assert api.status == 413 and api.json()["error"]["code"] == "too_large"
    api_json = client.request("POST", "/api/v1/certificate-check",
                              json.dumps({"certificate_pem": "A" * TWO_MIB, "domains": ["contoso.com"]}).encode(),
                              {"Content-Type": "application/json"})
    assert api_json.status == 413


def answer_to_headers_only(server, path: str, headers: dict[str, str]) -> bytes:
    """Send the headers announcing 2 MiB and a first KiB of body, then wait: the body never comes."""
    with socket.create_connection((HOST, server.port), timeout=10) as sock:
        head = f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Length: {TWO_MIB}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        sock.sendall(head.encode() + b"-" * 1024)
        started, answer = time.monotonic(), b""
        while b"\r\n" not in answer:
            chunk = sock.recv(4096)  # raises socket.timeout if the server waits for the body
            if not chunk:
                break
            answer += chunk
        assert time.monotonic() - started < 10
        return answer


@pytest.mark.parametrize("path,content_type", [
    ("/wizard/certificate", "multipart/form-data; boundary=x"),
    ("/api/v1/certificate-check", "multipart/form-data; boundary=x"),
    ("/api/v1/certificate-check", "application/json"),
])
def test_the_refusal_comes_from_content_length_before_the_body_is_read(server, path, content_type):
    client = at_certificate_step(server)
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    status_line = answer_to_headers_only(server, path, {"Content-Type": content_type, "Cookie": cookie})
    assert status_line.startswith(b"HTTP/1.1 413"), status_line[:80]


def snapshot(*folders: Path) -> set[str]:
    return {str(p) for folder in folders for p in folder.rglob("*")}


def test_path_like_file_names_never_reach_the_filesystem(server):
    instance = Path(__file__).resolve().parents[2] / "instance"
    before = snapshot(server.scratch, instance, server.folder)
    for name in PATH_LIKE_NAMES:
        client = at_certificate_step(server)
        token = csrf_token(client.get("/wizard/certificate").text)
        saved = client.post("/wizard/certificate", [("csrf_token", token)],
                            [("certificate_file", name, PEM, "application/x-pem-file")])
        assert saved.status == 302 and saved.location.endswith("/wizard/connector-domain"), (name, saved.status)
        checked = client.post("/api/v1/certificate-check", [("domains", "contoso.com")],
                              [("certificate", name, PEM, "application/x-pem-file")])
        assert checked.status == 200, (name, checked.status)
    after = snapshot(server.scratch, instance, server.folder)
    new = {p for p in after - before if not p.endswith(("-wal", "-shm", "-journal", "gunicorn.log"))}
    assert new == set()
    assert not any(Path(p).name in {"passwd", "x.pfx", "wizard-upload.pem"} for p in after)
