"""The digest tests share the Slack front-door fixtures."""

from tests.slack.conftest import built_data, data_dir, double  # noqa: F401
