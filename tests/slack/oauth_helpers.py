"""Helpers for the many-workspaces tests: OAuth settings against the Slack double, a
state database with the tables made, installs through the real HTTP endpoints, and
Slack's payloads as another workspace sends them."""

from __future__ import annotations

import http.client
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from bot.db.engine import engine_for
from bot.slack.double import SlackDouble
from bot.slack.payloads import TEAM
from tests.slack.conftest import env_for


def oauth_env(double: SlackDouble, data_dir: Path, **extra: str) -> dict[str, str]:
    """Many workspaces: client id and secret, a signing secret, no bot token."""
    env = env_for(
        double,
        data_dir,
        SLACK_CLIENT_ID=double.client_id,
        SLACK_CLIENT_SECRET=double.client_secret,
        **extra,
    )
    env.pop("SLACK_BOT_TOKEN")
    return env


def prepare_database(url: str) -> None:
    """The schema, as `inspection-bot db upgrade` makes it."""
    from bot.db.migrate import upgrade

    upgrade(engine_for(url))


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    """A GET that does not follow redirects: status, headers (lower-case), body."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return (
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            response.read().decode(errors="replace"),
        )
    finally:
        connection.close()


def install(base: str, double: SlackDouble, team_id: str, **grant) -> dict:
    """A workspace admin installs the app: /slack/install sends them to Slack's
    authorize page with a state (and a cookie), Slack sends them back to
    /slack/oauth_redirect with a code and that state. What each step answered."""
    status, headers, _ = get(f"{base}/slack/install")
    assert status == 302, (status, headers)
    location = headers["location"]
    query = parse_qs(urlsplit(location).query)
    cookie = headers["set-cookie"].split(";", 1)[0]
    code = double.install_code(team_id, **grant)
    redirect = urlencode({"code": code, "state": query["state"][0]})
    done, done_headers, page = get(f"{base}/slack/oauth_redirect?{redirect}", {"Cookie": cookie})
    return {
        "location": location,
        "query": query,
        "cookie": cookie,
        "code": code,
        "status": done,
        "headers": done_headers,
        "page": page,
    }


def for_team(body_and_type: tuple[str, str], team_id: str) -> tuple[str, str]:
    """A payload from bot/slack/payloads.py as workspace `team_id` sends it."""
    body, kind = body_and_type
    return body.replace(TEAM, team_id), kind
