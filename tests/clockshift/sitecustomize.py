"""Sleep that works under the shifted-clock run of `make test` (Debian's libfaketime 0.9.10).

The run sets FAKETIME_DONT_FAKE_MONOTONIC=1 so that timeouts keep working; libfaketime 0.9.10 then
still turns clock_nanosleep on the monotonic clock, which time.sleep (and subprocess's waits) use,
into EINVAL. Sleep through select() instead, which it leaves alone. tests/conftest.py imports this
module and puts its folder on PYTHONPATH, so the servers the tests start (gunicorn, nginx's
upstreams) sleep the same way. Outside such a run nothing changes.
"""
from __future__ import annotations

import os
import select
import time

UNDER_FAKETIME = bool(os.environ.get("FAKETIME") and os.environ.get("FAKETIME_DONT_FAKE_MONOTONIC"))


def select_sleep(seconds: float) -> None:
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    select.select([], [], [], seconds)


if UNDER_FAKETIME:
    time.sleep = select_sleep
