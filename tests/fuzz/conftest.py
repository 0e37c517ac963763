"""Bounded, reproducible fuzzing: the same examples on every run, no example database."""
from __future__ import annotations

from hypothesis import HealthCheck, settings

# derandomize: CI sees the same 200 examples each time, so a failure is never a
# fluke of one run; database=None keeps .hypothesis/ out of the tree.
FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
