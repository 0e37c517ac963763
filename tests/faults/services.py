"""A PostgreSQL and a Redis of the fault tests' own, on free loopback ports in temporary folders.

The fault tests stop, restart and break their servers: never the shared ones on 5432 and 6379.
PostgreSQL is Debian's (initdb and pg_ctl, run as the postgres user, as root runs the tests);
Redis is redis-server. Each stops, and its folder goes, when its ``with`` block ends, failed or not.
"""
from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess  # nosec B404
import tempfile
import time
from pathlib import Path

import pytest

from bench.server import HOST, free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PASSWORD = "faults"  # nosec B105  a throwaway cluster on loopback, gone after the test


def _needs(path: str, what: str) -> None:
    if not (Path(path).exists() or shutil.which(path)):
        if os.environ.get("CI"):
            pytest.fail(f"CI must run this test: {what} ({path}) is missing")
        pytest.skip(f"{what} ({path}) is missing")


class OwnPostgres:
    """``with OwnPostgres() as pg:`` a cluster of its own; ``pg.stop()`` / ``pg.start()`` fail and recover it."""

    def __init__(self):
        self.port = 0
        self.folder: Path | None = None

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres:{PASSWORD}@{HOST}:{self.port}/postgres"

    def _as_postgres(self, *command: str, timeout: float = 60) -> None:
        done = subprocess.run(["runuser", "-u", "postgres", "--", *command],  # nosec B603 B607
                              capture_output=True, text=True, timeout=timeout)
        if done.returncode:
            raise RuntimeError(f"{command[0]} failed: {done.stdout}{done.stderr}")

    def __enter__(self) -> "OwnPostgres":
        _needs(str(PG_BIN / "initdb"), "PostgreSQL 15")
        if os.geteuid() != 0:
            pytest.skip("starting a PostgreSQL of its own needs root (runuser -u postgres)")
        self.folder = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        postgres = pwd.getpwnam("postgres")
        os.chown(self.folder, postgres.pw_uid, postgres.pw_gid)
        password_file = self.folder / "password"
        password_file.write_text(PASSWORD)
        os.chown(password_file, postgres.pw_uid, postgres.pw_gid)
        try:
            self._as_postgres(str(PG_BIN / "initdb"), "-D", str(self.folder / "data"), "-U", "postgres",
                              "--auth=scram-sha-256", f"--pwfile={password_file}", "-E", "UTF8", "--no-sync")
            self.port = free_port()
            self.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses={HOST} -c fsync=on"
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.folder / "data"), "-l", str(self.folder / "log"),
                          "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.folder / "data"), "-m", mode, "-w", "stop")

    def __exit__(self, *_exc) -> None:
        if self.folder is None:
            return
        if (self.folder / "data" / "postmaster.pid").exists():
            try:
                self.stop("immediate")
            except (RuntimeError, subprocess.TimeoutExpired):
                pid = int((self.folder / "data" / "postmaster.pid").read_text().split()[0])
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.folder, ignore_errors=True)


class OwnRedis:
    """``with OwnRedis() as redis:`` a redis-server of its own, without persistence; stop() and start() it."""

    def __init__(self):
        self.port = 0
        self.folder: Path | None = None
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def __enter__(self) -> "OwnRedis":
        _needs("redis-server", "Redis")
        self.folder = Path(tempfile.mkdtemp(prefix="faults-redis-"))
        self.port = free_port()
        self.start()
        return self

    def start(self) -> None:
        import redis

        with open(self.folder / "log", "ab") as log:
            self.process = subprocess.Popen(  # nosec B603 B607
                ["redis-server", "--port", str(self.port), "--bind", HOST, "--save", "", "--appendonly", "no",
                 "--dir", str(self.folder)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis.Redis(host=HOST, port=self.port, socket_timeout=1).ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not answer")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def __exit__(self, *_exc) -> None:
        self.stop()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
