"""CI replays the same property-test examples every run; local runs draw new ones (issue 16)."""
from __future__ import annotations

import os
import subprocess
import sys

from hypothesis import settings

from tests.conftest import HYPOTHESIS_PROFILE
from tests.fuzz.conftest import FUZZ

CHOSEN = """
from hypothesis import settings
import tests.conftest
print(tests.conftest.HYPOTHESIS_PROFILE, settings.default.derandomize)
"""


def profile_chosen(**environment: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")} | environment
    return subprocess.run([sys.executable, "-c", CHOSEN], env=env, capture_output=True, text=True,
                          check=True, timeout=60).stdout.strip()


def test_the_ci_profile_is_derandomized_and_the_local_one_is_not():
    assert settings.get_profile("ci").derandomize
    assert not settings.get_profile("dev").derandomize


def test_hypothesis_profile_ci_selects_the_fixed_examples():
    assert profile_chosen(HYPOTHESIS_PROFILE="ci") == "ci True"


def test_ci_true_alone_selects_the_fixed_examples():
    assert profile_chosen(CI="true") == "ci True"


def test_a_local_run_draws_new_examples():
    assert profile_chosen() == "dev False"


def test_the_fuzz_tests_follow_the_loaded_profile():
    assert FUZZ.derandomize == settings.get_profile(HYPOTHESIS_PROFILE).derandomize
