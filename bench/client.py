"""A small HTTP client for the wizard: http.client, a cookie jar, the forms' CSRF tokens.

No third-party dependency, so that the load tools measure the server rather
than a client library. One connection per request: gunicorn's sync workers
close the connection after each response anyway.
"""
from __future__ import annotations

import http.client
import json
import secrets
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

Fields = list[tuple[str, str]]
Files = list[tuple[str, str, bytes, str]]  # (field, file name, content, content type)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def location(self) -> str:
        return self.headers.get("location", "")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


class _TokenFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.token: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name") == "csrf_token" and self.token is None:
            self.token = attributes.get("value")


def csrf_token(html: str) -> str | None:
    finder = _TokenFinder()
    finder.feed(html)
    return finder.token


def multipart(fields: Fields, files: Files) -> tuple[bytes, str]:
    boundary = "----wizard" + secrets.token_hex(12)
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                     + value.encode() + b"\r\n")
    for name, filename, content, content_type in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class WizardClient:
    """One browser: its cookies, talking to ``base_url`` (http://127.0.0.1:port)."""

    base_url: str
    timeout: float = 30.0
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Response:
        parts = urlsplit(self.base_url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)
        try:
            sent = dict(headers or {})
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn.request(method, path, body=body, headers=sent)
            raw = conn.getresponse()
            data = raw.read()
            received = {k.lower(): v for k, v in raw.getheaders()}
            for header in raw.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["expires"] and "1970" in morsel["expires"] or morsel["max-age"] == "0":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return Response(raw.status, received, data)
        finally:
            conn.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, fields: Fields, files: Files | None = None) -> Response:
        if files:
            body, content_type = multipart(fields, files)
        else:
            body, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        return self.request("POST", path, body, {"Content-Type": content_type})

    def post_json(self, path: str, payload) -> Response:
        return self.request("POST", path, json.dumps(payload).encode(), {"Content-Type": "application/json"})

    def submit(self, path: str, fields: Fields | dict, files: Files | None = None) -> Response:
        """GET the form page, then POST it with its CSRF token, as a browser does."""
        page = self.get(path)
        if page.status != 200:
            return page
        items = list(fields.items()) if isinstance(fields, dict) else list(fields)
        token = csrf_token(page.text)
        if token:
            items.insert(0, ("csrf_token", token))
        return self.post(path, items, files)


def wizard_answers(organization: str, certificate_pem: str, *, connector_name: str = "From on-prem",
                   ticket: str = "INC-42", domains: str = "contoso.com\nfabrikam.com") -> list[tuple[str, Fields]]:
    """The steps of a full walk, in order, as (path, fields)."""
    return [
        ("/wizard/start", [("role", "agent"), ("organization", organization), ("ticket", ticket)]),
        ("/wizard/scenarios", [("scenarios", "ndr"), ("scenarios", "forwarding")]),
        ("/wizard/domains", [("accepted_domains", domains)]),
        ("/wizard/connector", [("kind", "ip")]),
        ("/wizard/connector-name", [("name", connector_name)]),
        ("/wizard/server", [("kind", "exchange-2019")]),
        ("/wizard/exchange-setup", [("hybrid_wizard", "no"), ("egress", "mailbox")]),
        ("/wizard/server-details", [("fqdn", "mail.contoso.com"),
                                    ("mx_endpoint", "contoso-com.mail.protection.outlook.com")]),
        ("/wizard/certificate", [("certificate_text", certificate_pem)]),
        ("/wizard/connector-domain", [("connector_domain", "contoso.com")]),
    ]


class WalkFailed(AssertionError):
    pass


def walk_wizard(client: WizardClient, steps: list[tuple[str, Fields]]) -> str:
    """Answer every step, confirm the check page, and return the case reference."""
    for path, fields in steps:
        response = client.submit(path, fields)
        if response.status != 302:
            raise WalkFailed(f"{path} answered {response.status}")
    response = client.submit("/wizard/check", [])
    if response.status != 302 or "/cases/" not in response.location:
        raise WalkFailed(f"/wizard/check answered {response.status} {response.location}")
    return response.location.rsplit("/cases/", 1)[1]
