"""`inspection-bot serve --http` under gunicorn, the console, and the manifest."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
import yaml

from bot.slack import payloads
from bot.slack.listeners.commands import COMMAND
from bot.slack.listeners.events import EVENTS
from bot.slack.listeners.shortcuts import FIND_EVIDENCE
from bot.slack.listeners.workspace import EVENTS as WORKSPACE_EVENTS
from tests.conftest import ROOT
from tests.slack.conftest import env_for, send


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def gunicorn_bot(double, data_dir):
    port = free_port()
    env = {**os.environ, **env_for(double, data_dir)}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--http", "--port", str(port), "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail(process.communicate()[0].decode())
    yield base
    process.terminate()
    process.communicate(timeout=20)


def test_gunicorn_serves_signed_commands(gunicorn_bot, double):
    status, body = send(
        gunicorn_bot, payloads.slash_command("out of hours", response_url=double.response_url("g"))
    )
    assert status == 200 and body == ""
    double.wait_for(lambda r: any(x.name == "/response/g" for x in r))
    assert "out-of-hours" in json.dumps(double.calls("/response/g")[0].body["blocks"])


def test_gunicorn_workers_answer_one_event_once(gunicorn_bot, double):
    event = payloads.event_callback(
        payloads.app_mention("<@UBOTDOUBLE> adoption"), event_id="EvGUNI1"
    )
    threads = [threading.Thread(target=send, args=(gunicorn_bot, event)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    double.wait_for(lambda r: any(x.name == "chat.postMessage" for x in r))
    time.sleep(1.0)
    assert len(double.calls("chat.postMessage")) == 1


def test_serve_without_a_token_names_the_missing_setting(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--http"],
        cwd=tmp_path,
        env={**env, "INSPECTION_BOT_DATA_DIR": str(tmp_path / "data")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET are not set" in result.stderr


def test_with_no_tokens_the_bot_runs_the_console_from_a_script(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env={**env, "INSPECTION_BOT_DATA_DIR": str(tmp_path / "data")},
        # After a mention a plain line is a follow-up in its thread; `/inspection` ends
        # the thread, so the plain line after it is a direct message again.
        input="@inspection-bot is the MASH coping?\n/inspection foster carers\n"
        "what grade did adoption get\n3\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "you>" not in out  # no prompts when stdin is not a terminal
    assert "(only you can see this)" in out and "(in the thread)" in out
    assert "Adoption performance: Good" in out
    assert "[1] Full passage" in out
    # "3" pressed the third button of the last answer: the thumbs down, which asks why.
    assert "[3] 👎 Not helpful" in out
    assert "What was wrong with the answer?" in out.split("Adoption performance: Good")[-1]


def test_the_manifest_matches_the_registered_listeners():
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    commands = [c["command"] for c in manifest["features"]["slash_commands"]]
    assert commands == [COMMAND]
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert {e.split(".")[0] for e in events} == set(EVENTS) | set(WORKSPACE_EVENTS)
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "commands",
        "chat:write",
        "assistant:write",  # the Messages tab's suggested prompts
        "channels:history",  # the digest reads its channel back before re-posting
        "groups:history",
        "app_mentions:read",
        "im:history",
        "im:read",
        "im:write",
        "users:read",  # the settings modal: only workspace admins and owners save it
    }
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert "app_home_opened" in events
    # Follow-ups in the channel threads the bot was mentioned in.
    assert {"message.im", "message.channels", "message.groups"} <= set(events)
    # The message shortcut "Find inspection evidence".
    (shortcut,) = manifest["features"]["shortcuts"]
    assert (shortcut["type"], shortcut["callback_id"]) == ("message", FIND_EVIDENCE)
    assert shortcut["name"] == "Find inspection evidence" and len(shortcut["description"]) <= 80
    # The agent messaging experience, not the old assistant one.
    assert "assistant_view" not in manifest["features"]
    assert "Ofsted" in manifest["features"]["agent_view"]["agent_description"]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
