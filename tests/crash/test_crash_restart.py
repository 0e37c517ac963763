"""Acknowledged answers survive gunicorn being killed, and concurrent saves lose nothing.

A user who saw the next page of the wizard (the 302 after a save) must find
that answer again after any crash: a worker killed with SIGKILL mid-request,
then the master and everything with it, then a restart on the same SQLite file.
"""
from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time

from cryptography.hazmat.primitives import hashes

from bench.client import WizardClient, wizard_answers
from bench.integrity import differences, expected_answers, stored_cases
from bench.server import LOAD_TEST_LIMITS, Gunicorn, is_alive, kill_if_alive
from tests.certfactory import make_hierarchy, to_pem

WRITERS = 6
PHASE_SECONDS = 2.5  # writing before the worker is killed, and again before the master is
CONCURRENT_ROUNDS = 8

HIERARCHY = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])
PEM = to_pem(HIERARCHY.leaf.cert, HIERARCHY.intermediate.cert).decode()


class Writer(threading.Thread):
    """Walks the wizard case after case, recording each save the server acknowledged."""

    def __init__(self, number: int, base_url: str, stop: threading.Event):
        super().__init__(daemon=True)
        self.number, self.base_url, self.stop = number, base_url, stop
        self.acknowledged: dict[str, list] = {}  # organization -> acknowledged (path, fields)
        self.refused: list[str] = []              # answers other than 302 while the server was up

    def run(self) -> None:
        for case_number in range(10_000):
            if self.stop.is_set():
                return
            organization = f"Crash writer {self.number} case {case_number}"
            client = WizardClient(self.base_url, timeout=10)
            for path, fields in wizard_answers(organization, PEM, ticket=f"T-{self.number}-{case_number}"):
                if self.stop.is_set():
                    return
                try:
                    response = client.submit(path, fields)
                except OSError:
                    break  # the worker or the server died under us: this save is not acknowledged
                if response.status != 302:
                    self.refused.append(f"{path} -> {response.status}")
                    break
                self.acknowledged.setdefault(organization, []).append((path, fields))


def test_acknowledged_answers_survive_kill_9_of_a_worker_then_of_the_master(tmp_path):
    server = Gunicorn(tmp_path, extra_env=LOAD_TEST_LIMITS).start()
    try:
        stop = threading.Event()
        writers = [Writer(n, server.base_url, stop) for n in range(WRITERS)]
        for writer in writers:
            writer.start()
        time.sleep(PHASE_SECONDS)
        victim = server.worker_pids()[0]
        os.kill(victim, signal.SIGKILL)
        time.sleep(PHASE_SECONDS)
        assert len(server.worker_pids()) == 2 and victim not in server.worker_pids(), "the master replaces the worker"
        workers = server.worker_pids()
        os.kill(server.master_pid, signal.SIGKILL)
        time.sleep(0.3)
        for pid in workers:  # orphans would finish their request and exit; the crash takes them too
            kill_if_alive(pid)
        server.process.wait(5)
        stop.set()
        for writer in writers:
            writer.join(15)
        assert not any(writer.is_alive() for writer in writers)
    finally:
        server.stop()
    # SIGKILL is delivered at once but a process in the middle of an fsync dies only
    # when the write returns: give the kernel a moment before calling it a survivor.
    deadline = time.monotonic() + 10
    while any(is_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(not is_alive(pid) for pid in workers)

    acknowledged = {org: steps for writer in writers for org, steps in writer.acknowledged.items()}
    assert sum(len(steps) for steps in acknowledged.values()) > 50, "the writers did write"
    assert [r for writer in writers for r in writer.refused] == []

    restarted = Gunicorn(tmp_path, database=server.database, extra_env=LOAD_TEST_LIMITS).start()
    try:
        kept = stored_cases(server.database)
        thumbprint = HIERARCHY.leaf.cert.fingerprint(hashes.SHA1()).hex().upper()  # nosec B303
        lost = {org: differences(expected_answers(steps, thumbprint), kept.get(org, {}).get("answers", {}))
                for org, steps in acknowledged.items()}
        assert {org: problems for org, problems in lost.items() if problems} == {}
        # The restarted server reads what survived: a case resumes where it stopped.
        # Prefer a case the crash interrupted; any acknowledged one will do.
        some = min(acknowledged, key=lambda org: (len(acknowledged[org]) == len(wizard_answers(org, PEM)), org))
        client = WizardClient(restarted.base_url)
        token = _secret_token(server.database, some)
        response = client.submit(f"/resume/{token}", {})  # the link asks first, then opens the case
        # A save in flight at the crash may have committed without its answer reaching
        # the client: at most one step more than acknowledged, and the case resumes after it.
        saved = set(kept[some]["answers"])
        assert 0 <= len(saved) - len(acknowledged[some]) <= 1
        remaining = [path for path, _fields in wizard_answers(some, PEM) if path.rsplit("/", 1)[1] not in saved]
        next_path = remaining[0] if remaining else "/wizard/check"
        assert response.status == 302 and response.location.endswith(next_path), (response.status, response.location)
        assert client.get(next_path).status == 200
    finally:
        restarted.stop()


def _secret_token(database, organization: str) -> str:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT secret_token FROM cases WHERE organization = ?", (organization,)).fetchone()[0]
    finally:
        connection.close()


STEP_VALUES = {
    "/wizard/scenarios": lambda i: [("scenarios", ["ndr", "forwarding", "applications"][i % 3])],
    "/wizard/domains": lambda i: [("accepted_domains", f"round{i}.contoso.com\nfabrikam.com")],
    "/wizard/connector": lambda i: [("kind", ["none", "ip", "certificate"][i % 3])],
    "/wizard/server": lambda i: [("kind", ["exchange-2019", "postfix", "exim"][i % 3])],
    "/wizard/server-details": lambda i: [("fqdn", f"mail{i}.contoso.com"),
                                         ("mx_endpoint", "contoso-com.mail.protection.outlook.com")],
}


def test_concurrent_saves_of_one_cases_different_steps_lose_nothing(tmp_path):
    with Gunicorn(tmp_path, extra_env=LOAD_TEST_LIMITS) as server:
        owner = WizardClient(server.base_url)
        assert owner.submit("/wizard/start", wizard_answers("Concurrent Ltd", PEM)[0][1]).status == 302
        last: dict[str, list] = {}
        failures: list[str] = []

        def save_repeatedly(path: str) -> None:
            tab = WizardClient(server.base_url, cookies=dict(owner.cookies))  # another tab, same case
            for i in range(CONCURRENT_ROUNDS):
                fields = STEP_VALUES[path](i)
                response = tab.submit(path, fields)
                if response.status != 302:
                    failures.append(f"{path} round {i}: {response.status}")
                    return
                last[path] = fields

        threads = [threading.Thread(target=save_repeatedly, args=(path,)) for path in STEP_VALUES]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert failures == []
        kept = stored_cases(server.database)["Concurrent Ltd"]["answers"]
        assert differences(expected_answers(list(last.items())), kept) == []
        assert set(kept) == {"start"} | {path.rsplit("/", 1)[1] for path in STEP_VALUES}
