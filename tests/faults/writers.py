"""Clients that walk the wizard through a fault, recording every answer and each save the server acknowledged."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup
from cryptography.hazmat.primitives import hashes

from bench.client import WizardClient, wizard_answers
from bench.integrity import differences, expected_answers, stored_cases
from tests.certfactory import make_hierarchy, to_pem

HIERARCHY = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])
PEM = to_pem(HIERARCHY.leaf.cert, HIERARCHY.intermediate.cert).decode()
THUMBPRINT = HIERARCHY.leaf.cert.fingerprint(hashes.SHA1()).hex().upper()  # nosec B303
RESULTS = Path(__file__).resolve().parent / "results"


@dataclass
class Answer:
    method: str
    path: str
    started: float  # time.monotonic()
    seconds: float
    status: int | None  # None: the connection broke
    body: str = ""
    fields: tuple = ()


class Writer(threading.Thread):
    """Walks case after case; a step that is not acknowledged is sent again after a pause, as a person would."""

    def __init__(self, number: int, base_url: str, stop: threading.Event, *, pause: float = 0.2,
                 timeout: float = 10):
        super().__init__(daemon=True)
        self.number, self.base_url, self.stop, self.pause, self.timeout = number, base_url, stop, pause, timeout
        self.answers: list[Answer] = []
        self.acknowledged: dict[str, list] = {}  # organization -> acknowledged (path, fields)
        self.not_kept: list[tuple] = []  # refused saves whose error page lost what was typed

    def _send(self, client: WizardClient, method: str, path: str, fields=None):
        started = time.monotonic()
        try:
            response = client.get(path) if method == "GET" else client.post(path, fields)
        except OSError:
            self.answers.append(Answer(method, path, started, time.monotonic() - started, None))
            return None
        body = response.text if response.status >= 500 else ""
        self.answers.append(Answer(method, path, started, time.monotonic() - started, response.status, body,
                                   tuple(fields or ())))
        return response

    def _form_token(self, client: WizardClient, path: str) -> str | None:
        from bench.client import csrf_token

        form = self._send(client, "GET", path)
        return csrf_token(form.text) or "" if form is not None and form.status == 200 else None

    def run(self) -> None:
        """Each step's form is loaded once; a refused save is submitted again from the open page after a pause."""
        for case_number in range(10_000):
            organization = f"Fault writer {self.number} case {case_number}"
            client = WizardClient(self.base_url, timeout=self.timeout)
            for path, fields in wizard_answers(organization, PEM, ticket=f"F-{self.number}-{case_number}"):
                token = None
                while True:
                    token = token if token is not None else self._form_token(client, path)
                    response = None if token is None else self._send(client, "POST", path,
                                                                      [("csrf_token", token), *fields])
                    if response is not None and response.status == 302:
                        break
                    kept = resend_form(response.text) if response is not None and response.status == 503 else None
                    if kept is not None:  # the page kept the answer: submit it again from there
                        token = kept[0]
                        if list(kept[1]) != list(fields):
                            self.not_kept.append((path, fields, kept[1]))
                    if self.stop.is_set():
                        return
                    time.sleep(self.pause)
                self.acknowledged.setdefault(organization, []).append((path, fields))
                if self.stop.is_set():
                    return


def resend_form(html: str) -> tuple[str, list[tuple[str, str]]] | None:
    """(CSRF token, the other fields) of the error page's "Submit your answer again" form, or None."""
    form = BeautifulSoup(html, "html.parser").find("form", method="post")
    if form is None:
        return None
    fields = [(field["name"], field.get("value", "")) for field in form.find_all("input", type="hidden")]
    token = next((value for name, value in fields if name == "csrf_token"), "")
    return token, [(name, value) for name, value in fields if name != "csrf_token"]


def start_writers(count: int, base_url: str, timeout: float = 10) -> tuple[list[Writer], threading.Event]:
    stop = threading.Event()
    writers = [Writer(n, base_url, stop, timeout=timeout) for n in range(count)]
    for writer in writers:
        writer.start()
    return writers, stop


def stop_writers(writers: list[Writer], stop: threading.Event) -> None:
    stop.set()
    for writer in writers:
        writer.join(30)
    assert not any(writer.is_alive() for writer in writers), "a client still waits for an answer"


def lost_saves(writers: list[Writer], database_url: str) -> dict[str, list[str]]:
    """Acknowledged answers the database does not hold, per organization."""
    kept = stored_cases(database_url)
    acknowledged = {org: steps for writer in writers for org, steps in writer.acknowledged.items()}
    lost = {org: differences(expected_answers(steps, THUMBPRINT), kept.get(org, {}).get("answers", {}))
            for org, steps in acknowledged.items()}
    return {org: problems for org, problems in lost.items() if problems}


def record(name: str, figures: dict) -> None:
    """Print the timings a fault test measured and keep them in tests/faults/results/<name>.json."""
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(f"\n{name}: {json.dumps(figures)}")
