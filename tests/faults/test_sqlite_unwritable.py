"""SQLite that cannot be written, under gunicorn (issue 26, item 4).

The database lives on a small tmpfs of its own. First the disk fills up, then the file is made
immutable (chattr +i) and another gunicorn opens it: both times /healthz answers 503 because it really writes (migration 0005's row), and a save
answers 503 "Your answer was not saved" with the answer kept on the page. When the space comes back, the
kept answer is submitted again and saved. Needs root (mount), as CI runs.
"""
from __future__ import annotations

import http.client
import os
import subprocess  # nosec B404
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.client import WizardClient, csrf_token, wizard_answers
from bench.integrity import stored_cases
from bench.server import HOST, LOAD_TEST_LIMITS, Gunicorn
from tests.faults.writers import PEM, record, resend_form
from tests.hostile.test_healthz_writes import immutable

pytestmark = pytest.mark.sqlite_pass


@contextmanager
def small_disk(size: str = "8m"):
    folder = Path(tempfile.mkdtemp(prefix="faults-disk-"))
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)],  # nosec
                          capture_output=True, text=True)
    if done.returncode:
        folder.rmdir()
        if os.environ.get("CI"):
            pytest.fail(f"CI must run this test: mount -t tmpfs failed: {done.stderr.strip()}")
        pytest.skip(f"a tmpfs of its own needs root: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)  # nosec
        folder.rmdir()


def fill(folder: Path) -> Path:
    """Write zeros until the file system is full."""
    filler = folder / "filler"
    with open(filler, "wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
                os.fsync(out.fileno())
        except OSError:
            pass
    return filler


def healthz(port: int) -> tuple[int, float]:
    started = time.monotonic()
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    connection.request("GET", "/healthz")
    status = connection.getresponse().status
    connection.close()
    return status, time.monotonic() - started


def refused_save(client: WizardClient, path: str, fields) -> tuple[int, str, float]:
    form = client.get(path)
    assert form.status == 200
    started = time.monotonic()
    response = client.post(path, [("csrf_token", csrf_token(form.text)), *fields])
    return response.status, response.text, time.monotonic() - started


def test_a_full_then_read_only_disk_says_503_and_not_saved(tmp_path):
    with small_disk() as disk, Gunicorn(tmp_path, database=disk / "cases.sqlite3", extra_env=LOAD_TEST_LIMITS) as server:
        client = WizardClient(server.base_url, timeout=15)
        steps = wizard_answers("Full Disk Ltd", PEM)
        for path, fields in steps[:8]:
            assert client.submit(path, fields).status == 302
        certificate_path, certificate_fields = steps[8]
        figures = {}

        filler = fill(disk)
        figures["full_healthz"] = healthz(server.port)
        status, body, seconds = refused_save(client, certificate_path, certificate_fields)
        figures["full_save"] = (status, seconds)
        assert figures["full_healthz"][0] == 503
        assert status == 503 and "Your answer was not saved" in body
        kept = resend_form(body)
        assert kept is not None and dict(kept[1])["certificate_text"].strip() == PEM.strip()

        filler.unlink()
        assert healthz(server.port)[0] == 200
        again = client.post(certificate_path, [("csrf_token", kept[0]), *kept[1]])
        assert again.status == 302, "the kept answer is saved once there is room"

        server.stop()  # its last connection checkpoints the WAL into the file and removes it
        database = disk / "cases.sqlite3"
        with immutable([database]):  # a file that cannot be written, as a restore with the wrong owner leaves it
            reader = Gunicorn(tmp_path / "read-only", database=database, extra_env=LOAD_TEST_LIMITS,
                              secret_key=server.secret_key)  # the same cookies open the same case
            reader.ready_path = "/favicon.ico"  # /healthz is meant to fail here
            with reader:  # __enter__ starts it (reader.start() here started a second, left running)
                figures["read_only_healthz"] = healthz(reader.port)
                status, body, seconds = refused_save(WizardClient(reader.base_url, cookies=client.cookies),
                                                     *steps[9])
                figures["read_only_save"] = (status, seconds)
        record("sqlite_unwritable", figures)
        assert figures["read_only_healthz"][0] == 503
        assert status == 503 and "Your answer was not saved" in body
        answers = stored_cases(disk / "cases.sqlite3")["Full Disk Ltd"]["answers"]
        assert "certificate" in answers and "connector-domain" not in answers
