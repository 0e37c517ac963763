"""Bounded fuzzing: 200 examples a test; derandomized in CI by the "ci" profile (tests/conftest.py)."""
from __future__ import annotations

from hypothesis import HealthCheck, settings

# Seeding and the example database come from the loaded profile: the same examples on every CI
# run, new ones on every local run.
FUZZ = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
