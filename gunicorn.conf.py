"""gunicorn settings; each can be overridden on the command line or by GUNICORN_CMD_ARGS.

In production gunicorn's sync workers sit behind nginx (deploy/nginx.conf),
which buffers whole requests and responses so that slow clients never hold a
worker. `make run` serves with gunicorn alone, for local use.
"""
import os
import re
from urllib.parse import unquote

from gunicorn.glogging import Logger
from gunicorn.http import wsgi as _wsgi

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = 60
graceful_timeout = 20
accesslog = "-"
# gunicorn 27 opens a control socket in the home folder by default; we do not use it.
control_socket_disable = True
# Only nginx, on this host, may set X-Forwarded-Proto (and X-Forwarded-For, which wsgi.py honours):
# it connects from 127.0.0.2 (deploy/nginx.conf, proxy_bind), any other local program from 127.0.0.1.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.2")

# Secret links carry their token in the path: a case's resume link, a read-only
# report link, a calendar feed. Anyone who reads the log must not be able to open them.
SECRET_IN_URL = re.compile(r"(/resume/|/cases/[^/\s\"?]+/view/|/calendar/)[^/\s\"?]+|([?&](?:token|secret|key)=)[^&\s\"]+",
                           re.IGNORECASE)


def redact(text: str) -> str:
    """``text`` with each secret replaced; looked for after percent-decoding too (up to three times), since
    the app decodes /resume%2F<token> into the same link. A line with a secret is then logged decoded."""
    found = SECRET_IN_URL.sub(lambda m: (m.group(1) or m.group(2)) + "<redacted>", text)
    decoded = text
    for _ in range(3):
        if "%" not in decoded:
            break
        decoded = unquote(decoded)
        redacted = SECRET_IN_URL.sub(lambda m: (m.group(1) or m.group(2)) + "<redacted>", decoded)
        if redacted != decoded:
            return redacted
    return found


class RedactingLogger(Logger):
    """gunicorn's access log with the secret part of every URL (path, query, referrer) replaced."""

    def atoms(self, resp, req, environ, request_time):
        return {key: redact(value) if isinstance(value, str) else value
                for key, value in super().atoms(resp, req, environ, request_time).items()}


logger_class = RedactingLogger


def _without_server_header(default_headers):
    """gunicorn's own headers less "Server: gunicorn": which server and version runs here is nobody's business
    (nginx in front says only "nginx", server_tokens off)."""
    def headers(self):
        return [line for line in default_headers(self) if not line.startswith("Server:")]
    return headers


_wsgi.Response.default_headers = _without_server_header(_wsgi.Response.default_headers)


def post_worker_init(worker):
    """Move everything the worker loaded (Flask, WeasyPrint, the catalogs, the app) out of the
    collector's reach: a report's gc.collect() then walks only what the request made, not the
    165,000 objects of the loaded code (bench/README.md: the PDF's median 459 -> 397 ms)."""
    import gc

    gc.freeze()
