"""Faults while serving: the index deleted or corrupted, a broken knowledge file,
and a digest post interrupted by SIGTERM."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.paths import Paths
from bot.search.index import live_index_dir
from bot.slack import payloads
from bot.slack.serve import wsgi_application
from tests.conftest import KNOWLEDGE, ROOT
from tests.slack.conftest import env_for, send, serve_wsgi


def ask(base: str, double, text: str, name: str) -> dict:
    """The reply to a slash command: in the ack, or (when slow) at the response_url."""
    status, body = send(base, payloads.slash_command(text, response_url=double.response_url(name)))
    assert status == 200
    if body:
        return json.loads(body)
    double.wait_for(lambda r: any(x.name == f"/response/{name}" for x in r), timeout=60)
    return double.calls(f"/response/{name}")[0].body


def test_the_index_deleted_while_serving_is_rebuilt(settings, double, data_dir):
    application = wsgi_application(settings)
    base, stop = serve_wsgi(application)
    try:
        assert "Findings" in json.dumps(ask(base, double, "out of hours", "a"))
        shutil.rmtree(live_index_dir(data_dir).resolve())
        # Still answering: open files outlive their directory entries...
        assert "adoption" in json.dumps(ask(base, double, "adoption support", "b")).lower()
        # ...and at the next check of the index (every 30 s; made now) it is rebuilt.
        application.services.indexes._checked = 0.0
        assert "care leavers" in json.dumps(ask(base, double, "care leavers", "c")).lower()
        assert live_index_dir(data_dir).resolve().is_dir()
    finally:
        stop()


def test_a_corrupted_index_is_rebuilt_and_serving_recovers(http_bot, double, data_dir):
    ask(http_bot, double, "out of hours", "x")
    for path in live_index_dir(data_dir).resolve().iterdir():
        if path.suffix in (".seg", ".toc") or path.name.startswith("_MAIN"):
            path.write_bytes(b"\0garbage\0" * 50)
    reply = ask(http_bot, double, "care leavers in education", "d")
    text = json.dumps(reply)
    assert "care leavers" in text.lower() or text.startswith('{"text": "Sorry')
    # Either way, the next question is answered from a sound index.
    assert "care leavers" in json.dumps(ask(http_bot, double, "care leavers", "e")).lower()


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target, ignore=shutil.ignore_patterns("drafts"))
    return target


def test_a_broken_knowledge_file_keeps_the_old_index_serving(
    double, data_dir, knowledge_dir, caplog
):
    settings = load_settings(
        env_for(double, data_dir, INSPECTION_BOT_KNOWLEDGE_DIR=str(knowledge_dir)), dotenv=False
    )
    application = wsgi_application(settings)
    base, stop = serve_wsgi(application)
    try:
        ask(base, double, "adoption", "f")
        report = knowledge_dir / "reports" / "poole-2010.yaml"
        report.write_text(report.read_text().replace("kind: strength", "kind: [broken", 1))
        # The index provider rechecks the knowledge's hash every 30 s; make it look now.
        application.services.indexes._checked = 0.0
        reply = ask(base, double, "out of hours service", "g")
        assert "out-of-hours" in json.dumps(reply["blocks"])
        assert "poole-2010.yaml:" in caplog.text and "serving the previous index" in caplog.text
    finally:
        stop()


def test_sigterm_during_a_digest_post_does_not_post_twice(double, data_dir):
    env = {**os.environ, **env_for(double, data_dir, DIGEST_CHANNEL="CDIGEST")}
    double.fail("chat.postMessage", delay=30)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "digest", "--post", "--week", "2026-W48"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    double.wait_for(lambda r: any(x.name == "chat.postMessage" for x in r), timeout=60)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=10)
    rerun = subprocess.run(
        [sys.executable, "-m", "bot", "digest", "--post", "--week", "2026-W48"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "may or may not have gone out" in rerun.stdout
    assert len(double.calls("chat.postMessage")) == 1


def test_paths_for_the_data_dir(data_dir):
    assert Paths.from_env({"INSPECTION_BOT_DATA_DIR": str(data_dir)}).data == data_dir
