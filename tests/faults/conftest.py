"""Fault tests share the Slack front-door fixtures."""

from tests.slack.conftest import built_data, data_dir, double, http_bot, settings  # noqa: F401
