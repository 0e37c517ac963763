"""Static files: served by WhiteNoise before Flask sees the request, under names that carry their content's hash.

A page names each file with the first HASH_DIGITS hex digits of its content's
SHA-256 (css/app.css is /static/css/app.<hash>.css), so a browser may keep it
for good: a changed file gets a new address at the next start. The plain names
still answer, with a short lifetime. In production nginx serves the same names
from disk (deploy/nginx.conf strips the hash); under plain gunicorn (`make run`)
WhiteNoise does, from headers it builds once per file at start-up.

Static files carry the same security headers as pages (Flask-Talisman's, read
once from a response it has handled) and a cache lifetime instead of no-store.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from flask import Flask
from whitenoise import WhiteNoise

HASH_DIGITS = 12
HASHED_NAME = re.compile(rf"\.[0-9a-f]{{{HASH_DIGITS}}}\.[A-Za-z0-9]+$")
PLAIN_MAX_AGE = 3600  # a plain name may change its content: an hour at most
# Headers of a response that belong to it alone, not to the security policy static files share.
NOT_SECURITY = {"content-type", "content-length", "cache-control", "set-cookie", "vary"}


def hashed_name(relative: str, content: bytes) -> str:
    """css/app.css -> css/app.<first HASH_DIGITS hex digits of the SHA-256>.css"""
    stem, dot, extension = relative.rpartition(".")
    digest = hashlib.sha256(content).hexdigest()[:HASH_DIGITS]
    return f"{stem}.{digest}.{extension}" if dot else f"{relative}.{digest}"


def manifest(folder: str) -> dict[str, str]:
    """Every file under ``folder`` (a path relative to it, with /) -> its hashed name."""
    root = Path(folder)
    return {path.relative_to(root).as_posix(): hashed_name(path.relative_to(root).as_posix(), path.read_bytes())
            for path in sorted(root.rglob("*")) if path.is_file()}


def security_headers(app: Flask) -> list[tuple[str, str]]:
    """The security headers every response of ``app`` carries (CSP, frame options, ...), taken from one
    that went through its after-request hooks: the static files get exactly what the pages get."""
    base_url = "https://localhost" if app.config["HTTPS"] else "http://localhost"
    with app.test_request_context(f"{app.static_url_path}/", base_url=base_url):
        response = app.process_response(app.response_class())
    return [(name, value) for name, value in response.headers.items() if name.lower() not in NOT_SECURITY]


def serve_static(app: Flask) -> None:
    """Put WhiteNoise in front of ``app`` for its static folder; give templates static_url(filename)."""
    folder, prefix = app.static_folder, app.static_url_path
    names = manifest(folder)
    headers = security_headers(app)

    def add_security_headers(response_headers, _path: str, _url: str) -> None:
        for name, value in headers:
            response_headers[name] = value

    static = WhiteNoise(app.wsgi_app, root=folder, prefix=prefix, max_age=PLAIN_MAX_AGE, allow_all_origins=False,
                        immutable_file_test=lambda _path, url: bool(HASHED_NAME.search(url)),
                        add_headers_function=add_security_headers)
    for plain, hashed in names.items():
        static.add_file_to_dictionary(f"{prefix}/{hashed}", os.path.join(folder, plain))
    app.wsgi_app = static

    def static_url(filename: str) -> str:
        """The address of a static file, under its hashed name."""
        return f"{prefix}/{names[filename]}"

    app.add_template_global(static_url)
