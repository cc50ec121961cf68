"""`inspection-bot serve` over Socket Mode, against a local websocket server that
speaks Slack's envelope protocol and the Slack API double."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from urllib.parse import parse_qsl

import pytest
from slack_sdk.models.views import View

from bot.render.evidence import EVIDENCE_MODAL
from bot.slack import payloads
from bot.slack.listeners.shortcuts import FIND_EVIDENCE
from tests.conftest import ROOT
from tests.slack.conftest import env_for
from tests.slack.socket_server import SocketModeServer


@pytest.fixture
def socket_bot(double, data_dir):
    server = SocketModeServer()
    double.socket_url = server.url
    env = {**os.environ, **env_for(double, data_dir, SLACK_APP_TOKEN="xapp-test-token")}
    env.pop("SLACK_SIGNING_SECRET")  # Socket Mode does not need it
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert server.connected.wait(30), "the bot never connected"
        yield server
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0].decode()
        server.close()
        if process.returncode not in (0, -15):
            print(output)


def test_it_opens_a_connection_through_the_web_api(socket_bot, double):
    assert double.calls("apps.connections.open")


def test_a_slash_command_envelope_is_acked_and_answered(socket_bot, double):
    body, _ = payloads.slash_command(
        "what grade did adoption get", response_url=double.response_url("sm")
    )
    envelope = socket_bot.push(
        "slash_commands", dict(parse_qsl(body)), accepts_response_payload=True
    )
    assert socket_bot.wait_ack(envelope) == {"envelope_id": envelope}
    double.wait_for(lambda r: any(x.name == "/response/sm" for x in r))
    reply = double.calls("/response/sm")[0].body
    assert "Adoption performance: Good" in json.dumps(reply["blocks"])


def test_an_events_api_envelope_is_acked_and_the_mention_answered_in_thread(socket_bot, double):
    body, _ = payloads.event_callback(
        payloads.app_mention("<@UBOTDOUBLE> care leavers", ts="1700000001.000100"),
        event_id="EvSOCK1",
    )
    envelope = socket_bot.push("events_api", json.loads(body))
    assert socket_bot.wait_ack(envelope) == {"envelope_id": envelope}
    double.wait_for(lambda r: any(x.name == "chat.postMessage" for x in r))
    post = double.calls("chat.postMessage")[0].body
    assert post["thread_ts"] == "1700000001.000100"


def test_the_home_tab_and_the_agent_dm_over_socket_mode(socket_bot, double):
    """The Home tab is published; the Messages tab gets suggested prompts; a DM is
    answered in its thread with a loading status set and cleared."""
    body, _ = payloads.event_callback(
        payloads.app_home_opened(user="USOCKET1", tab="home"), event_id="EvSOCKHOME1"
    )
    envelope = socket_bot.push("events_api", json.loads(body))
    assert socket_bot.wait_ack(envelope) == {"envelope_id": envelope}
    double.wait_for(lambda r: any(x.name == "views.publish" for x in r))
    published = double.calls("views.publish")[0].body
    assert published["user_id"] == "USOCKET1"
    View(**published["view"]).validate_json()

    body, _ = payloads.event_callback(
        payloads.app_home_opened(user="USOCKET1", tab="messages", channel="DSOCKET1"),
        event_id="EvSOCKMSG1",
    )
    envelope = socket_bot.push("events_api", json.loads(body))
    assert socket_bot.wait_ack(envelope) == {"envelope_id": envelope}
    double.wait_for(lambda r: any(x.name == "assistant.threads.setSuggestedPrompts" for x in r))
    prompts = double.calls("assistant.threads.setSuggestedPrompts")[0].body
    assert prompts["channel_id"] == "DSOCKET1" and 3 <= len(prompts["prompts"]) <= 4

    body, _ = payloads.event_callback(
        payloads.direct_message("ratings", channel="DSOCKET1", ts="1700000500.000100"),
        event_id="EvSOCKDM1",
    )
    envelope = socket_bot.push("events_api", json.loads(body))
    assert socket_bot.wait_ack(envelope) == {"envelope_id": envelope}
    double.wait_for(lambda r: sum(x.name == "assistant.threads.setStatus" for x in r) == 2)
    post = double.calls("chat.postMessage")[0].body
    assert post["channel"] == "DSOCKET1" and post["thread_ts"] == "1700000500.000100"
    statuses = [c.body["status"] for c in double.calls("assistant.threads.setStatus")]
    assert statuses == ["Searching the reports…", ""]


def test_a_follow_up_and_the_evidence_shortcut_over_socket_mode(socket_bot, double):
    """A reply in a thread the bot was mentioned in is answered there, once; the
    message shortcut opens the evidence modal; neither pings."""
    root = "1700000700.000100"
    for event_id, event in (
        ("EvSOCKFU1", payloads.app_mention("<@UBOTDOUBLE> adoption", channel="CSOCK2", ts=root)),
        ("EvSOCKFU2", payloads.channel_message("and in 2010?", channel="CSOCK2", thread_ts=root)),
        ("EvSOCKFU2", payloads.channel_message("and in 2010?", channel="CSOCK2", thread_ts=root)),
        (
            "EvSOCKFU3",
            payloads.channel_message("<!channel> and 2017?", channel="CSOCK3", thread_ts=root),
        ),
    ):
        body, _ = payloads.event_callback(event, event_id=event_id)
        envelope = socket_bot.push("events_api", json.loads(body))
        assert socket_bot.wait_ack(envelope) == {"envelope_id": envelope}
    double.wait_for(lambda r: sum(x.name == "chat.postMessage" for x in r) >= 2)

    body, _ = payloads.message_shortcut(
        FIND_EVIDENCE, "<!channel> is the out of hours service any good?", channel="CSOCK2"
    )
    envelope = socket_bot.push("interactive", json.loads(dict(parse_qsl(body))["payload"]))
    assert socket_bot.wait_ack(envelope)["envelope_id"] == envelope
    double.wait_for(lambda r: any(x.name == "views.open" for x in r))
    view = double.calls("views.open")[0].body["view"]
    View(**view).validate_json()
    assert view["callback_id"] == EVIDENCE_MODAL and "<!channel>" not in json.dumps(view)

    time.sleep(1)  # the retried follow-up and the unmentioned thread stay unanswered
    posts = [c.body for c in double.calls("chat.postMessage")]
    assert [(p["channel"], p["thread_ts"]) for p in posts] == [("CSOCK2", root)] * 2
    assert "adoption" in posts[1]["text"] and "<!channel>" not in json.dumps(posts)
