"""Drive one endpoint with wrk; the figures come back as JSON from a Lua ``done`` hook."""
from __future__ import annotations

import json
import subprocess  # nosec B404
from dataclasses import dataclass
from pathlib import Path

MARKER = "BENCH_JSON "

_DONE = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%s{"requests": %d, "duration_us": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "status_errors": %d, "timeouts": %d, "p50_us": %d, "p99_us": %d, "mean_us": %.1f}\n',
    "__MARKER__", summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean))
end
"""


@dataclass(frozen=True)
class Target:
    """One request that wrk repeats: method, path, optional body file and headers."""

    method: str = "GET"
    path: str = "/"
    body_file: Path | None = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    mean_ms: float
    errors: int          # connect/read/write/timeout errors and non-2xx/3xx answers

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua string literal for our ASCII values


def write_script(target: Target, path: Path) -> Path:
    lines = [f"wrk.method = {_lua_string(target.method)}", f"wrk.path = {_lua_string(target.path)}"]
    for name, value in target.headers:
        lines.append(f"wrk.headers[{_lua_string(name)}] = {_lua_string(value)}")
    if target.body_file is not None:
        lines.append(f"local f = assert(io.open({_lua_string(str(target.body_file))}, 'rb'))")
        lines.append("wrk.body = f:read('*a')")
        lines.append("f:close()")
    lines.append(_DONE.replace("__MARKER__", MARKER))
    path.write_text("\n".join(lines))
    return path


def run_wrk(base_url: str, script: Path, *, threads: int = 2, connections: int = 16,
            seconds: int = 8) -> WrkResult:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
               "--latency", "-s", str(script), base_url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True)  # nosec B603
    line = next((l for l in done.stdout.splitlines() if l.startswith(MARKER)), None)
    if line is None:
        raise RuntimeError(f"wrk printed no figures:\n{done.stdout}\n{done.stderr}")
    figures = json.loads(line[len(MARKER):])
    return WrkResult(
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        mean_ms=figures["mean_us"] / 1000,
        errors=sum(figures[k] for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")),
    )
