"""What the clients of `make bench-stack` do: people's journeys through the wizard, the staff workspace
and the audit, each request timed and filed under the page it asked for.

A visitor starts a case, answers every step (GET the form, POST it), uploads a certificate made for
the run (a new intermediate and leaf under the trusted test root, as tests/certfactory.py makes them),
confirms the check page, opens the plan, reloads it, and every PDF_EVERY-th visitor downloads the PDF.
An agent signs in once, then lists the cases, searches them, opens one. Each client pauses
THINK seconds (a random share of it) between requests, as a person reading the page does. The audit
paste (30 per minute and address, and every client here comes from 127.0.0.1) is one of the agents'
steps at most once per AUDIT_EVERY seconds across all clients.
"""
from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench.client import Response, WizardClient, csrf_token, wizard_answers

AUDIT_PASTE = Path(__file__).resolve().parent.parent / "tests" / "audit" / "fixtures" / "exchange_online_hybrid.txt"


@dataclass
class Recorder:
    """Seconds per page, and the answers that were not what a browser expects (by page and status)."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, page: str, call, *expected: int) -> Response:
        started = time.perf_counter()
        response = call()
        seconds = time.perf_counter() - started
        with self.lock:
            self.times[page].append(seconds)
            if response.status not in (expected or (200,)):
                self.failures[page][response.status] += 1
        return response


@dataclass
class Journeys:
    base_url: str
    recorder: Recorder
    pems: list[str]
    deadline: float
    think: float = 1.0
    pdf_every: int = 4
    audit_every: float = 3.0
    agent_email: str = ""
    agent_password: str = ""
    _counter: int = 0
    _next_audit: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _pause(self, rng: random.Random) -> None:
        time.sleep(rng.uniform(0, 2 * self.think))

    def _take(self) -> tuple[int, str]:
        with self._lock:
            self._counter += 1
            return self._counter, self.pems[self._counter % len(self.pems)]

    def _audit_due(self) -> bool:
        with self._lock:
            now = time.monotonic()
            if now < self._next_audit:
                return False
            self._next_audit = now + self.audit_every
            return True

    def _form(self, client: WizardClient, page: str, path: str, fields, rng: random.Random,
              answer: int = 302) -> Response:
        """A form as a person fills it in: the page, a pause, the POST with the page's CSRF token
        (answered ``answer``: 302 to the next page, or 200 for a form that shows its result)."""
        shown = self.recorder.timed(f"{page} (GET)", lambda: client.get(path))
        self._pause(rng)
        token = csrf_token(shown.text)
        sent = [("csrf_token", token), *fields] if token else list(fields)
        return self.recorder.timed(f"{page} (POST)", lambda: client.post(path, sent), answer)

    def visitor(self, rng: random.Random) -> None:
        """A customer or agent walking the wizard to the plan, again and again until the deadline."""
        record = self.recorder.timed
        while time.monotonic() < self.deadline:
            number, pem = self._take()
            client = WizardClient(self.base_url)
            record("start page", lambda: client.get("/"))
            self._pause(rng)
            for path, fields in wizard_answers(f"Bench Customer {number}", pem):
                page = {"/wizard/start": "wizard start", "/wizard/certificate": "certificate upload"}.get(
                    path, "wizard step")
                self._form(client, page, path, fields, rng)
                self._pause(rng)
                if time.monotonic() >= self.deadline:
                    return
            done = self._form(client, "check page", "/wizard/check", [], rng)
            if "/cases/" not in done.location:
                continue
            result = "/cases/" + done.location.rsplit("/cases/", 1)[1]
            for _ in range(2):  # the plan, and a reload (printing, coming back to it)
                self._pause(rng)
                record("result page", lambda: client.get(result))
            if number % self.pdf_every == 0:
                self._pause(rng)
                record("PDF", lambda: client.get(result + "/report.pdf"))

    def agent(self, rng: random.Random) -> None:
        """A help-desk agent: signed in once, then the case list, a search, a case, now and then an audit."""
        record = self.recorder.timed
        client = WizardClient(self.base_url)
        self._form(client, "staff sign-in", "/staff/sign-in",
                   [("email", self.agent_email), ("password", self.agent_password)], rng)
        while time.monotonic() < self.deadline:
            listing = record("staff case list", lambda: client.get("/staff/cases"))
            self._pause(rng)
            record("staff search", lambda: client.get(f"/staff/cases?q=Bench+Customer+{rng.randint(1, 500)}"))
            self._pause(rng)
            opened = listing.text.split('href="/staff/cases/KB-', 1)
            if len(opened) == 2:
                reference = "KB-" + opened[1].split('"', 1)[0]
                record("staff case page", lambda: client.get(f"/staff/cases/{reference}"))
                self._pause(rng)
            if self._audit_due():
                self._form(client, "audit paste", "/audit", [("text", AUDIT_PASTE.read_text())], rng, 200)
                self._pause(rng)

    def run(self, clients: int, agents: int, seed: int = 26) -> None:
        threads = []
        for number in range(clients):
            rng = random.Random(seed + number)
            target = self.agent if number < agents else self.visitor

            def arrive(rng=rng, target=target) -> None:
                self._pause(rng)  # people arrive one by one, not all in the same millisecond
                target(rng)
            threads.append(threading.Thread(target=arrive, daemon=True))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
