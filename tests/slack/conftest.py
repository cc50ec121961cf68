"""Fixtures for the front-door tests: a Slack API double, a data directory with a
built index, and the bot's real HTTP front door on loopback."""

from __future__ import annotations

import shutil
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from bot.config import load_settings
from bot.paths import Paths
from bot.search.service import open_index
from bot.slack import payloads
from bot.slack.double import SlackDouble
from bot.slack.serve import wsgi_application
from tests.conftest import KNOWLEDGE, SEEDS

SECRET = "test-signing-secret"


@pytest.fixture(scope="session")
def built_data(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("built")
    open_index(Paths(knowledge=KNOWLEDGE, seeds=SEEDS, data=data)).close()
    return data


def copy_built_index(built: Path, data: Path) -> Path:
    """`data` made a data directory holding a copy of the index built in `built`."""
    data.mkdir(parents=True, exist_ok=True)
    shutil.copytree(built / "indexes", data / "indexes")
    (data / "index").symlink_to((built / "index").readlink())
    return data


@pytest.fixture
def data_dir(built_data: Path, tmp_path: Path) -> Path:
    """A data directory of the test's own, holding a copy of the built index."""
    return copy_built_index(built_data, tmp_path / "data")


@pytest.fixture
def double():
    with SlackDouble() as slack:
        yield slack


def env_for(double: SlackDouble, data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": double.api_url.rstrip("/"),  # the bot adds the slash
        "INSPECTION_BOT_DATA_DIR": str(data_dir),
        "INSPECTION_BOT_KNOWLEDGE_DIR": str(KNOWLEDGE),
        "INSPECTION_BOT_SEEDS_DIR": str(SEEDS),
        **extra,
    }


@pytest.fixture
def settings(double, data_dir):
    return load_settings(env_for(double, data_dir), dotenv=False)


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def serve_wsgi(application) -> tuple[str, callable]:
    server = make_server("127.0.0.1", 0, application, server_class=_Server, handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address
    return f"http://{host}:{port}", server.shutdown


@pytest.fixture
def http_bot(settings):
    """The bot's WSGI app (the one gunicorn serves) on a loopback port."""
    url, stop = serve_wsgi(wsgi_application(settings))
    yield url
    stop()


def post(url: str, body: str, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def send(
    base: str, body_and_type: tuple[str, str], *, secret: str = SECRET, **header_extra
) -> tuple[int, str]:
    body, content_type = body_and_type
    headers = payloads.signed_headers(body, secret, content_type=content_type)
    headers.update(header_extra)
    return post(f"{base}/slack/events", body, headers)


def wait_until(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError("timed out waiting")
