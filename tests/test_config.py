"""Settings: read once from the environment, checked, frozen; errors name the setting."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.config import DEFAULT_API_URL, Settings, SettingsError, load_settings, normalise_api_url
from tests.conftest import ROOT


def test_defaults():
    settings = load_settings({}, dotenv=False)
    assert settings.slack_bot_token is None
    assert settings.slack_signing_secret is None
    assert settings.slack_app_token is None
    assert settings.slack_api_url == DEFAULT_API_URL == "https://slack.com/api/"
    assert settings.query_log is True
    assert settings.port == 3000
    assert settings.workers == 2
    assert settings.log_level == "INFO"
    assert settings.digest_channel is None
    assert settings.curator_channel is None
    assert settings.digest_schedule == "mon 09:00"
    assert settings.digest_timezone == "Europe/London"
    assert settings.followup_limit == 10
    assert settings.has_slack_tokens is False
    assert settings.paths.knowledge == ROOT / "knowledge"
    assert settings.paths.seeds == ROOT / "seeds"
    assert settings.paths.data == ROOT / ".data"


def test_values_from_the_environment():
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": " xoxb-1 ",
            "SLACK_APP_TOKEN": "xapp-1",
            "PORT": "8080",
            "WEB_CONCURRENCY": "4",
            "LOG_LEVEL": "debug",
            "DIGEST_CHANNEL": "C1",
            "CURATOR_CHANNEL": "C2",
            "DIGEST_SCHEDULE": " Fri 16:30 ",
            "DIGEST_TIMEZONE": "UTC",
        },
        dotenv=False,
    )
    assert settings.slack_bot_token == "xoxb-1"
    assert settings.slack_app_token == "xapp-1"
    assert settings.has_slack_tokens is True
    assert (settings.port, settings.workers, settings.log_level) == (8080, 4, "DEBUG")
    assert (settings.digest_channel, settings.curator_channel) == ("C1", "C2")
    assert (settings.digest_schedule, settings.digest_timezone) == ("fri 16:30", "UTC")


def test_blank_tokens_are_unset():
    settings = load_settings({"SLACK_BOT_TOKEN": "   ", "SLACK_APP_TOKEN": ""}, dotenv=False)
    assert settings.slack_bot_token is None and settings.slack_app_token is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:9/api", "http://127.0.0.1:9/api/"),
        ("http://127.0.0.1:9/api/", "http://127.0.0.1:9/api/"),
        ("  https://slack.com/api  ", "https://slack.com/api/"),
        ("http://localhost:3001", "http://localhost:3001/"),
    ],
)
def test_normalise_api_url(url, expected):
    assert normalise_api_url(url) == expected


def test_the_api_url_setting_gets_a_trailing_slash():
    settings = load_settings({"SLACK_API_URL": "http://127.0.0.1:9/api"}, dotenv=False)
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"


@pytest.mark.parametrize("url", ["not a url", "127.0.0.1:9/api", "ftp://host/api", "http://"])
def test_a_garbage_api_url_is_an_error_naming_the_setting(url):
    with pytest.raises(SettingsError, match="SLACK_API_URL"):
        normalise_api_url(url)
    with pytest.raises(SettingsError, match="SLACK_API_URL"):
        load_settings({"SLACK_API_URL": url}, dotenv=False)


def test_require_names_the_one_missing_setting():
    settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-1"}, dotenv=False)
    with pytest.raises(SettingsError) as error:
        settings.require("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
    assert str(error.value) == (
        "SLACK_APP_TOKEN is not set; this mode needs it. Set SLACK_APP_TOKEN in the "
        "environment or in .env (see .env.example)."
    )
    assert (ROOT / ".env.example").is_file()


def test_require_names_every_missing_setting():
    settings = load_settings({}, dotenv=False)
    with pytest.raises(SettingsError) as error:
        settings.require("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
    assert str(error.value) == (
        "SLACK_BOT_TOKEN, SLACK_APP_TOKEN are not set; this mode needs them. Set "
        "SLACK_BOT_TOKEN, SLACK_APP_TOKEN in the environment or in .env (see .env.example)."
    )


def test_require_passes_when_everything_is_set():
    settings = load_settings(
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}, dotenv=False
    )
    assert settings.require("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("off", False), ("OFF", False), ("no", False), ("0", False), ("false", False),
     ("on", True), ("yes", True), ("1", True), (" True ", True), ("", True)],
)  # fmt: skip
def test_query_log_flag(raw, expected):
    assert load_settings({"QUERY_LOG": raw}, dotenv=False).query_log is expected


def test_an_unclear_query_log_flag_is_an_error_naming_it():
    with pytest.raises(SettingsError) as error:
        load_settings({"QUERY_LOG": "maybe"}, dotenv=False)
    assert str(error.value) == "QUERY_LOG must be on or off (got 'maybe')"


@pytest.mark.parametrize("name", ["PORT", "WEB_CONCURRENCY", "FOLLOWUP_LIMIT"])
@pytest.mark.parametrize("raw", ["abc", "-1", "3.5"])
def test_numbers_must_be_whole(name, raw):
    with pytest.raises(SettingsError) as error:
        load_settings({name: raw}, dotenv=False)
    assert str(error.value) == f"{name} must be a whole number (got {raw!r})"


@pytest.mark.parametrize(("digest", "curator"), [("C1", "C1"), ("C1", " C1 ")])
def test_the_curator_channel_must_not_be_the_digest_channel(digest, curator):
    with pytest.raises(
        SettingsError, match="CURATOR_CHANNEL must not be the same as DIGEST_CHANNEL"
    ):
        load_settings({"DIGEST_CHANNEL": digest, "CURATOR_CHANNEL": curator}, dotenv=False)


def test_settings_are_frozen():
    settings = load_settings({}, dotenv=False)
    assert isinstance(settings, Settings)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.query_log = False  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.paths.data = Path("/elsewhere")  # type: ignore[misc]


def test_data_dir_from_the_environment(tmp_path):
    env = {
        "INSPECTION_BOT_DATA_DIR": str(tmp_path / "data"),
        "INSPECTION_BOT_KNOWLEDGE_DIR": str(tmp_path / "k"),
        "INSPECTION_BOT_SEEDS_DIR": str(tmp_path / "s"),
    }
    paths = load_settings(env, dotenv=False).paths
    assert paths.data == tmp_path / "data"
    assert paths.knowledge == tmp_path / "k"
    assert paths.seeds == tmp_path / "s"


def test_an_explicit_env_ignores_the_process_environment(monkeypatch):
    monkeypatch.setenv("QUERY_LOG", "maybe")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-from-process")
    settings = load_settings({}, dotenv=False)
    assert settings.query_log is True and settings.slack_bot_token is None


@pytest.mark.parametrize("raw", ["Mars/Olympus", "../../etc/passwd", "Europe/"])
def test_an_unknown_digest_timezone_is_an_error_naming_it(raw):
    with pytest.raises(SettingsError, match="DIGEST_TIMEZONE must be an IANA time zone"):
        load_settings({"DIGEST_TIMEZONE": raw}, dotenv=False)


def test_the_digest_command_refuses_an_unknown_timezone_without_a_traceback(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "bot", "digest", "--dry-run"],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DIGEST_TIMEZONE": "Nowhere/Atlantis",
            "INSPECTION_BOT_DATA_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "DIGEST_TIMEZONE must be an IANA time zone" in result.stderr
    assert "Traceback" not in result.stderr


def test_curator_users_are_a_comma_separated_list_of_user_ids():
    assert load_settings({}, dotenv=False).curator_users == frozenset()
    settings = load_settings({"CURATOR_USERS": " U012AB3CD, W0ABCDEF ,, "}, dotenv=False)
    assert settings.curator_users == frozenset({"U012AB3CD", "W0ABCDEF"})


@pytest.mark.parametrize("raw", ["alice", "U012AB3CD,<!channel>", "C0123456", "u012ab3cd"])
def test_a_curator_that_is_not_a_user_id_is_an_error_naming_the_setting(raw):
    with pytest.raises(SettingsError, match="CURATOR_USERS must be Slack user ids"):
        load_settings({"CURATOR_USERS": raw}, dotenv=False)


def test_the_follow_up_limit_is_read_once():
    assert load_settings({"FOLLOWUP_LIMIT": "3"}, dotenv=False).followup_limit == 3
    assert load_settings({"FOLLOWUP_LIMIT": "0"}, dotenv=False).followup_limit == 0
