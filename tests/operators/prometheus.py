"""Debian's Prometheus server scraping the app, on a free loopback port with its config and storage in a
temporary folder; always stopped. Like tests/hostile/front.py does for nginx."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess  # nosec B404
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from bench.server import HOST, free_port

PROMETHEUS = shutil.which("prometheus") or "/usr/bin/prometheus"
PROMTOOL = shutil.which("promtool") or "/usr/bin/promtool"


def need(binary: str) -> None:
    """Skip (fail under CI, which installs Debian's prometheus package) unless ``binary`` is installed."""
    if os.access(binary, os.X_OK):
        return
    reason = f"{binary} is not installed (apt-get install prometheus; make system-packages does)"
    if os.environ.get("CI"):
        pytest.fail(f"CI must run this test: {reason}")
    pytest.skip(reason)


class Prometheus:
    def __init__(self, folder: Path, target_port: int, *, bearer_token: str | None = None):
        self.folder = folder
        self.target_port = target_port
        self.bearer_token = bearer_token
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.log = folder / "prometheus.log"

    def config_text(self) -> str:
        authorization = f"\n    authorization:\n      credentials: {self.bearer_token}" if self.bearer_token else ""
        return f"""global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: wizard
    static_configs:
      - targets: ["{HOST}:{self.target_port}"]{authorization}
"""

    def start(self) -> "Prometheus":
        need(PROMETHEUS)
        self.folder.mkdir(parents=True, exist_ok=True)
        config = self.folder / "prometheus.yml"
        config.write_text(self.config_text())
        self.port = free_port()
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(  # nosec B603
                [PROMETHEUS, f"--config.file={config}", f"--storage.tsdb.path={self.folder / 'data'}",
                 f"--web.listen-address={HOST}:{self.port}"],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_ready()
        return self

    def _get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{self.port}{path}", timeout=5) as response:  # nosec B310
                return response.status, response.read()
        except OSError:
            return 0, b""

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"prometheus exited with {self.process.returncode}: {self.log.read_text()[-3000:]}")
            if self._get("/-/ready")[0] == 200:
                return
            time.sleep(0.2)
        raise RuntimeError(f"prometheus did not get ready: {self.log.read_text()[-3000:]}")

    def query(self, expression: str) -> list[dict]:
        """The instant vector of ``expression`` (Prometheus's HTTP API: GET /api/v1/query)."""
        status, body = self._get("/api/v1/query?" + urllib.parse.urlencode({"query": expression}))
        assert status == 200, (status, body[:500])
        answer = json.loads(body)
        assert answer["status"] == "success", answer
        return answer["data"]["result"]

    def wait_for_value(self, expression: str, expected: float, timeout: float = 60) -> float | None:
        """Poll until ``expression`` has the single value ``expected``; returns the last value seen."""
        deadline = time.monotonic() + timeout
        seen = None
        while time.monotonic() < deadline:
            result = self.query(expression)
            seen = float(result[0]["value"][1]) if result else None
            if seen == expected:
                return seen
            time.sleep(0.5)
        return seen

    def targets(self) -> list[dict]:
        return json.loads(self._get("/api/v1/targets")[1] or b"{}").get("data", {}).get("activeTargets", [])

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)

    def __enter__(self) -> "Prometheus":
        try:  # stopped also when it never got ready
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *_exc) -> None:
        self.stop()
