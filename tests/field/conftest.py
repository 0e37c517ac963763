from tests.browser_support import browser_type_launch_args, live_app, live_app_config, live_server  # noqa: F401
