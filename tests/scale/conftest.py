"""Staff accounts and signed-in clients (tests/staff/conftest.py) for the scale tests."""
from tests.staff.conftest import admin, agent, contoso, users  # noqa: F401
