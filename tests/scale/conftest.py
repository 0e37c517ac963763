"""Staff accounts and signed-in clients (tests/staff/conftest.py) and browser fixtures for the scale tests."""
from tests.browser_support import browser_type_launch_args, live_app, live_app_config, live_server  # noqa: F401
from tests.staff.conftest import admin, agent, contoso, users  # noqa: F401
