"""gunicorn in its production configuration on a free loopback port, always cleaned up.

APP_ENV=production with a generated SECRET_KEY, gunicorn.conf.py (which sets
``control_socket_disable``), a database brought to the migrations' head (a
temporary SQLite file, or a scratch database beside DATABASE_URL's when that names
a PostgreSQL server: see ``scratch_database``) and a trust store made from
tests/certfactory.py's root, so that the factory's chains verify.
"""
from __future__ import annotations

import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess  # nosec B404
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def write_factory_trust_store(folder: Path) -> str:
    from tests.certfactory import make_hierarchy, write_trust_store

    return write_trust_store(folder / "roots.pem", make_hierarchy().root.cert)


def init_database(database_url: str) -> None:
    """Create or upgrade the tables the way `make run` does (flask db upgrade), in a child process."""
    env = {**os.environ, "DATABASE_URL": database_url, "FLASK_APP": "wsgi:app",
           "SECRET_KEY": "init-db-only", "APP_ENV": "production"}
    done = subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], cwd=REPO, env=env,  # nosec B603
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"flask db upgrade failed:\n{done.stderr[-3000:]}")


@contextmanager
def scratch_database() -> Iterator[str | None]:
    """The database URL a bench run should use: None (a SQLite file in its folder) unless
    DATABASE_URL is set. A PostgreSQL DATABASE_URL gets a new database beside it for the
    run, dropped afterwards, so that runs never see each other's cases."""
    url = os.environ.get("DATABASE_URL")
    if not url or not url.startswith("postgresql"):
        yield url
        return
    with postgres_database(url, "bench") as scratch:
        yield scratch


@contextmanager
def postgres_database(base_url: str, label: str) -> Iterator[str]:
    """A new, empty PostgreSQL database beside ``base_url``'s (its role may create databases); dropped afterwards."""
    from sqlalchemy import create_engine, make_url, text

    base = make_url(base_url)
    name = f"{base.database}_{label}_{secrets.token_hex(4)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# A load test sends every request from one address: the per-address limits on new cases and PDFs
# (NEW_CASE_LIMIT, PDF_LIMIT) would refuse it after ten. Benchmarks, the soak and the crash tests raise them.
LOAD_TEST_LIMITS = {"NEW_CASE_LIMIT": "1000000 per minute", "PDF_LIMIT": "1000000 per minute"}


def nice_session(pid: int, nice: int) -> None:
    """Give the session led by ``pid`` the priority ``nice``, for the CPU it shares with other sessions.

    Linux's scheduler (autogroup, on by default on desktops and this machine) shares the CPU between
    sessions first, and `nice` orders only the processes inside a session: a gunicorn started in a session
    of its own under `nice -n 10` got as much CPU as the pages' gunicorn in another (two loops on one core:
    1.51 s against 1.51 s). The session's own nice value (/proc/<pid>/autogroup) is what puts it behind
    (2.68 s against 0.40 s). Without autogroup the file is absent and `nice -n` alone does it.
    """
    try:
        Path(f"/proc/{pid}/autogroup").write_text(str(nice))
    except FileNotFoundError:
        pass


class Gunicorn:
    """``with Gunicorn(folder) as server:`` serves wsgi:app until the block ends.

    ``folder`` holds the trust store, gunicorn's log and the SQLite database, unless
    ``database`` names an existing file to reuse (restart after a crash) or
    ``database_url`` another database (PostgreSQL).
    """

    wsgi_app = "wsgi:app"
    ready_path = "/healthz"

    def __init__(self, folder: Path | str, *, workers: int = 2, database: Path | None = None,
                 database_url: str | None = None, extra_env: dict[str, str] | None = None,
                 secret_key: str | None = None, startup_timeout: float = 30.0, nice: int = 0):
        self.folder = Path(folder)
        self.workers = workers
        self.database = Path(database) if database else self.folder / "cases.sqlite3"
        self._database_url = database_url
        self.extra_env = extra_env or {}
        self.secret_key = secret_key or secrets.token_hex(32)
        self.startup_timeout = startup_timeout
        self.nice = nice  # run under `nice -n`: a lower CPU priority than the other servers
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.log_path = self.folder / "gunicorn.log"

    @property
    def database_url(self) -> str:
        return self._database_url or f"sqlite:///{self.database}"

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> "Gunicorn":
        self.folder.mkdir(parents=True, exist_ok=True)
        roots = self.folder / "roots.pem"
        if not roots.exists():
            write_factory_trust_store(self.folder)
        init_database(self.database_url)  # a no-op when it is at the head revision already
        self.port = free_port()
        env = {
            **os.environ,
            "APP_ENV": "production",
            "SECRET_KEY": self.secret_key,
            "DATABASE_URL": self.database_url,
            "TRUSTED_ROOTS_FILE": str(roots),
            "BIND": f"{HOST}:{self.port}",
            "WEB_CONCURRENCY": str(self.workers),
            "PYTHONDONTWRITEBYTECODE": "1",
            **self.extra_env,
        }
        env.pop("GUNICORN_CMD_ARGS", None)
        log = open(self.log_path, "ab")  # noqa: SIM115  closed with the process
        self.process = subprocess.Popen(  # nosec B603
            [*(["nice", "-n", str(self.nice)] if self.nice else []),  # nice execs gunicorn: the same pid
             sys.executable, "-m", "gunicorn", "--config", str(REPO / "gunicorn.conf.py"), self.wsgi_app],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        if self.nice:
            nice_session(self.process.pid, self.nice)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            if healthz_ok(self.port, self.ready_path) and len(self.worker_pids()) == self.workers:
                return
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer within {self.startup_timeout} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    @property
    def master_pid(self) -> int:
        return self.process.pid

    def worker_pids(self) -> list[int]:
        """The master's live children: gunicorn's workers."""
        if self.process is None:
            return []
        return children_of(self.process.pid)

    def stop(self, timeout: float = 15.0) -> None:
        """Graceful stop (SIGTERM), then SIGKILL for whatever of ours is left."""
        if self.process is None:
            return
        leftovers = set(self.worker_pids())
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        for pid in leftovers:
            kill_if_alive(pid)

    def beside(self, folder: Path | str, *, workers: int = 1, nice: int = 0,
               extra_env: dict[str, str] | None = None) -> "Gunicorn":
        """Another gunicorn of the same app, database, secret key, trust store and environment (and
        ``extra_env``), as production runs the PDFs' pool beside the pages' (deploy/nginx.conf). Start this one first."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.folder / "roots.pem", folder / "roots.pem")
        return type(self)(folder, workers=workers, database=self.database, database_url=self._database_url,
                          extra_env={**self.extra_env, **(extra_env or {})}, secret_key=self.secret_key, startup_timeout=self.startup_timeout,
                          nice=nice)

    def __enter__(self) -> "Gunicorn":
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()


class BareFlask(Gunicorn):
    """bench/bare.py under the same gunicorn.conf.py, workers and environment: the baseline of `make bench`."""

    wsgi_app = "bench.bare:app"
    ready_path = "/"


def healthz_ok(port: int, path: str = "/healthz") -> bool:
    """Whether GET ``path`` on ``port`` answers 200 (False while nothing listens there yet)."""
    try:
        conn = http.client.HTTPConnection(HOST, port, timeout=2)
        conn.request("GET", path)
        status = conn.getresponse().status
        conn.close()
    except OSError:
        return False
    return status == 200


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces or parentheses: ppid follows the last ")".
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] != "Z" and int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def is_alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2:].split()[0] != "Z"


def kill_if_alive(pid: int) -> None:
    if is_alive(pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def rss_kib(pid: int) -> int | None:
    """VmRSS of ``pid`` in KiB, from /proc/<pid>/status."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def temporary_folder(prefix: str) -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix=prefix)
