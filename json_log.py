"""The formatter of gunicorn's JSON log lines (gunicorn.conf.py): python-json-logger's JsonFormatter, cheaper.

Every request writes one line (app/web/request_log.py), so the formatter runs on every request, and
JsonFormatter spent 7 us on that one line: a new JSON encoder for each line, the time as a datetime
that the encoder hands back to Python to format, each step through a method of its own. Here a record
of a plain message (a string without arguments, no exception, no stack) is written directly, with
the keys, their order and the text JsonFormatter gives it (tests/web/test_json_log.py compares
them); any other record, and any configuration this path does not cover, goes JsonFormatter's way.

A module of its own beside wsgi.py rather than in the app package: gunicorn's master sets up its
logging from this before it loads the app, and importing the package there would load all of it.
"""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

from pythonjsonlogger.json import JsonFormatter


class JsonLines(JsonFormatter):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.encoder = None
        if self.json_serializer is json.dumps and self.json_encoder is not None:
            self.encoder = self.json_encoder(ensure_ascii=self.json_ensure_ascii, indent=self.json_indent,
                                             default=self.json_default)  # what json.dumps makes for each line
        self.direct = (self.encoder is not None and not self.prefix and not self.defaults and not self.static_fields
                       and not self.rename_fields_keep_missing and "asctime" not in self._required_fields)
        self.fields = [(field, self._get_rename(field)) for field in self._required_fields]
        self.time_key = self._get_rename(self.timestamp if isinstance(self.timestamp, str) else "timestamp")

    def format(self, record: logging.LogRecord) -> str:
        if not (self.direct and type(record.msg) is str and not record.args and not record.exc_info
                and not record.exc_text and not record.stack_info):
            return super().format(record)
        record.message = record.msg  # what getMessage gives without arguments
        fields = record.__dict__
        line = {name: fields.get(field) for field, name in self.fields}
        skip, rename = self._skip_fields, self.rename_fields
        for key, value in fields.items():  # the extras, as python-json-logger's merge_record_extra
            if key not in skip and not (hasattr(key, "startswith") and key.startswith("_")):
                line[rename.get(key, key)] = value
        if self.timestamp:
            line[self.time_key] = datetime.fromtimestamp(record.created, tz=timezone.utc).isoformat()
        return self.encoder.encode(line)

    def jsonify_log_record(self, log_data) -> str:
        return self.encoder.encode(log_data) if self.encoder is not None else super().jsonify_log_record(log_data)
