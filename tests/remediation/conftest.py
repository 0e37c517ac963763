import os

import pytest


def pytest_addoption(parser):
    # Registered only when pytest starts with this directory in its arguments;
    # UPDATE_GOLDEN=1 works from anywhere.
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/remediation/golden/ from the current output (or set UPDATE_GOLDEN=1)")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden", default=False) or os.environ.get("UPDATE_GOLDEN") == "1"
