"""gunicorn settings; each can be overridden on the command line or by GUNICORN_CMD_ARGS."""
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = 60
graceful_timeout = 20
accesslog = "-"
# gunicorn 27 opens a control socket in the home folder by default; we do not use it.
control_socket_disable = True
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
