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
    '"write_errors": %d, "status_errors": %d, "timeouts": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"mean_us": %.1f}\n',
    "__MARKER__", summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean))
end
"""


# A pool of bodies, one a line: each wrk thread walks it from its own starting point, so
# consecutive requests carry different bodies (and the server's caches see each one rarely).
_ROTATE = r"""
local threads = 0
setup = function(thread)
  thread:set("offset", threads)
  threads = threads + 1
end
init = function(args)
  bodies = {}
  for line in io.lines(__BODIES__) do bodies[#bodies + 1] = line end
  position = (offset or 0) * math.floor(#bodies / 2)
end
request = function()
  position = position % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[position])
end
"""


@dataclass(frozen=True)
class Target:
    """One request that wrk repeats: method, path, headers, and a body file or a pool of bodies.

    ``body_file`` is sent whole on every request; ``bodies_file`` holds one body a line,
    and each request takes the next.
    """

    method: str = "GET"
    path: str = "/"
    body_file: Path | None = None
    headers: tuple[tuple[str, str], ...] = ()
    bodies_file: Path | None = None


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    mean_ms: float
    errors: int          # connect/read/write/timeout errors and non-2xx/3xx answers
    p95_ms: float = 0.0

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
    if target.bodies_file is not None:
        lines.append(_ROTATE.replace("__BODIES__", _lua_string(str(target.bodies_file))))
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
        p95_ms=figures["p95_us"] / 1000,
        errors=sum(figures[k] for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")),
    )
