"""gunicorn settings; each can be overridden on the command line or by GUNICORN_CMD_ARGS.

In production gunicorn's sync workers sit behind nginx (deploy/nginx.conf),
which buffers whole requests and responses so that slow clients never hold a
worker. `make run` serves with gunicorn alone, for local use.
"""
import os
import shutil
import tempfile

from gunicorn.glogging import Logger
from gunicorn.http import wsgi as _wsgi

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = 60
graceful_timeout = 20
# gunicorn 27 opens a control socket in the home folder by default; we do not use it.
control_socket_disable = True
# Only nginx, on this host, may set X-Forwarded-Proto (and X-Forwarded-For, which wsgi.py honours):
# it connects from 127.0.0.2 (deploy/nginx.conf, proxy_bind), any other local program from 127.0.0.1.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.2")

# Logs: one JSON object per line on stderr, gunicorn's own lines and the app's alike (python-json-logger's
# JsonFormatter, its lines written more cheaply by json_log.py: the same text).
# The app writes the access line itself (app/web/request_log.py: request id, route, status, duration and
# the path with secret links redacted), so gunicorn's access log stays off: no second line per request,
# none with a token in it.
accesslog = None
logconfig_dict = {
    "root": {"level": "INFO", "handlers": ["json"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True, "qualname": "gunicorn.error"},
        "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False, "qualname": "gunicorn.access"},
    },
    "handlers": {"json": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "formatters": {"json": {"()": "json_log.JsonLines", "fmt": "%(levelname)s %(name)s %(message)s",
                            "rename_fields": {"levelname": "level", "name": "logger"}, "timestamp": "time"}},
}


class NoAccessLog(Logger):
    """gunicorn's logger less its access line (a logging configuration alone would turn it on)."""

    def access(self, resp, req, environ, request_time):
        return None


logger_class = NoAccessLog

# Metrics (app/web/metrics.py): prometheus_client's multiprocess mode, each worker writing its values to files
# in PROMETHEUS_MULTIPROC_DIR, any worker's GET /metrics adding up all of them. Set here, before a worker
# imports prometheus_client (it chooses the mode on import). Without the variable, a new folder per start.
# (A reload, SIGHUP, reads this file again and finds the variable set: the folder stays the same.)
TEMPORARY_METRICS = os.path.join(tempfile.gettempdir(), "wizard-metrics-")
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix=os.path.basename(TEMPORARY_METRICS))


def on_starting(server):
    """Counts start at zero with each start of gunicorn: the last run's files go (only prometheus_client's)."""
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        if name.endswith(".db"):
            os.remove(os.path.join(folder, name))


def child_exit(server, worker):
    """A dead worker's gauges go; its counters stay in the sums (prometheus_client's multiprocess mode)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    """The folder made above goes with gunicorn; one the environment named stays."""
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    if folder.startswith(TEMPORARY_METRICS):
        shutil.rmtree(folder, ignore_errors=True)


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
    165,000 objects of the loaded code (bench/README.md: the PDF's median 459 -> 397 ms).

    A worker of the PDFs' gunicorn (PDF_WARM_UP=1: deploy/compose.yaml's pdf, bench/stack.py) first loads
    WeasyPrint and renders a sample, so that its first PDF costs what the others do (app/reports/pdf.py);
    the pages' workers never load WeasyPrint."""
    import gc

    if os.environ.get("PDF_WARM_UP") == "1":
        from app.reports.pdf import warm_up

        warm_up(worker.wsgi)
    gc.freeze()
