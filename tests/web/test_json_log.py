"""gunicorn's log formatter (json_log.py): the same line python-json-logger's JsonFormatter writes, for the
request log's record and for any other, under the configuration gunicorn.conf.py gives it."""
from __future__ import annotations

import ast
import json
import logging
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pythonjsonlogger.json import JsonFormatter

from json_log import JsonLines

REPO = Path(__file__).resolve().parents[2]


def gunicorn_formatter_options() -> dict:
    """The "json" formatter's options in gunicorn.conf.py (read, not imported: importing it sets up gunicorn)."""
    tree = ast.parse((REPO / "gunicorn.conf.py").read_text())
    config = next(ast.literal_eval(node.value) for node in tree.body if isinstance(node, ast.Assign)
                  and getattr(node.targets[0], "id", None) == "logconfig_dict")
    options = dict(config["formatters"]["json"])
    assert options.pop("()") == "json_log.JsonLines"
    return options


def record(msg, args=(), exc_info=None, stack_info=None, **extra) -> logging.LogRecord:
    made = logging.LogRecord("wizard.requests", logging.INFO, "x.py", 1, msg, args, exc_info, sinfo=stack_info)
    made.__dict__.update({"request_id": "0123456789abcdef0123456789abcdef", **extra})  # as makeRecord adds extras
    return made


def failure():
    try:
        raise ValueError("bad")
    except ValueError:
        return sys.exc_info()


RECORDS = {
    "the request line": lambda: record("request", method="GET", route="/cases/<reference>", status=200,
                                       duration_ms=12.3, path="/cases/KB-1?q=%C3%A5", client="127.0.0.1",
                                       referrer=None),
    "arguments": lambda: record("worker %s booted in %.1f s", ("12", 1.25)),
    "an exception": lambda: record("failed", exc_info=failure()),
    "a stack": lambda: record("here", stack_info="Stack (most recent call last):\n  line"),
    "a dict message": lambda: record({"event": "probe", "host": "mx.contoso.com"}),
    "text beyond ASCII and quotes": lambda: record('Åsa said "hej"\n\ttab', who="Örjan"),
    "values JSON has no type for": lambda: record("at", when=datetime(2026, 12, 7, tzinfo=timezone.utc),
                                                  what=ValueError("x"), raw=b"\x00", _private=1),
}


@pytest.mark.parametrize("kind", RECORDS)
@pytest.mark.parametrize("options", [gunicorn_formatter_options(), {}, {"timestamp": True, "prefix": "> "},
                                     {"fmt": "%(asctime)s %(message)s", "static_fields": {"app": "wizard"}}],
                         ids=["gunicorn.conf.py", "defaults", "timestamp and prefix", "asctime and static fields"])
def test_each_line_is_the_line_python_json_logger_writes(kind, options):
    made = RECORDS[kind]()
    ours, theirs = JsonLines(**options).format(made), JsonFormatter(**options).format(made)
    assert ours == theirs
    assert json.loads(ours.removeprefix("> "))["message"] is not None


def test_the_request_line_keeps_its_fields_in_order():
    line = json.loads(JsonLines(**gunicorn_formatter_options()).format(RECORDS["the request line"]()))
    assert list(line) == ["level", "logger", "message", "request_id", "method", "route", "status", "duration_ms",
                          "path", "client", "referrer", "time"]
    assert datetime.fromisoformat(line["time"]).tzinfo is not None
