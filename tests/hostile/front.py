"""deploy/nginx.conf run by Debian's nginx in front of a gunicorn from bench.server, on free loopback ports.

The shipped file is used as it is, but for its addresses: the port nginx
listens on, the ports of the pages' gunicorn behind it and of the PDFs' gunicorn
(without one, the PDFs go to the pages' gunicorn). The -p prefix is a temporary
folder holding a link to the repository's static/ (nginx serves it from there)
and nginx's buffers and pid file.
"""
from __future__ import annotations

import grp
import os
import pwd
import shutil
import signal
import socket
import subprocess  # nosec B404
import time
from contextlib import ExitStack
from pathlib import Path

from bench.server import HOST, REPO, free_port, healthz_ok

CONFIG = REPO / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"  # Debian puts it in sbin, outside some PATHs


class Nginx:
    def __init__(self, folder: Path, *upstream_ports: int, pdf_ports: tuple[int, ...] = ()):
        self.folder = folder
        self.upstream_ports = upstream_ports
        self.pdf_ports = pdf_ports
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.access_log = folder / "access.log"
        self.error_log = folder / "error.log"

    def config_text(self) -> str:
        text = CONFIG.read_text()
        servers = " ".join(f"server {HOST}:{port};" for port in self.upstream_ports)
        backups = " ".join(f"server {HOST}:{port} backup;" for port in self.upstream_ports)
        pdf_servers = " ".join(f"server {HOST}:{port};" for port in self.pdf_ports)
        for shipped, here in (("listen 8080;", f"listen {HOST}:{self.port};"),
                              ("server 127.0.0.1:8001;\n        server 127.0.0.1:8000 backup;",
                               f"{pdf_servers} {backups}" if self.pdf_ports else servers),
                              ("server 127.0.0.1:8000;", servers)):
            assert shipped in text, shipped
            text = text.replace(shipped, here)
        return text

    def start(self) -> "Nginx":
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "static").symlink_to(REPO / "static")
        self.port = free_port()
        config = self.folder / "nginx.conf"
        config.write_text(self.config_text())
        # As root, nginx's workers would become "nobody", who cannot enter pytest's private temp folders.
        user = f"user {pwd.getpwuid(os.geteuid()).pw_name} {grp.getgrgid(os.getegid()).gr_name}; " if os.geteuid() == 0 else ""
        with open(self.access_log, "ab") as out, open(self.error_log, "ab") as err:
            self.process = subprocess.Popen(  # nosec B603
                [NGINX, "-p", f"{self.folder}/", "-c", str(config), "-g", f"daemon off; {user}"],
                stdout=out, stderr=err, start_new_session=True)
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.process.returncode}: {self.error_log.read_text()}")
            if healthz_ok(self.port):
                return
            time.sleep(0.1)
        raise RuntimeError(f"nginx did not answer: {self.error_log.read_text()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: workers finish, then exit
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)


def open_slow_clients(stack: ExitStack, port: int, count: int, *, bodies: bool = True) -> None:
    """Clients that never finish: half (all unless ``bodies``) stop within their headers,
    half send the headers and one byte of a 1,000-byte body."""
    for number in range(count):
        sock = stack.enter_context(socket.create_connection((HOST, port), timeout=5))
        if number % 2 or not bodies:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        else:
            sock.sendall(b"POST /api/v1/diagnose HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 1000\r\n\r\n{")
