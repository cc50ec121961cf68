"""A store failure never silences the bot: with the state database (the query log,
the event ledger, the threads) corrupt, on a full disk, on a read-only filesystem or
deleted while serving, the bot under gunicorn still answers commands and direct
messages, and /healthz says which stores are degraded (503 only when it cannot
answer at all). These are the embedded default's faults: SQLite in the data
directory (a PostgreSQL that is down is tested in tests/db).

The faults are real: a corrupt file, a tmpfs filled to the last byte, a tmpfs
remounted read-only, a data directory removed."""

from __future__ import annotations

import contextlib
import errno
import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from bot.slack import payloads
from tests.security.front_door import running_bot
from tests.slack.conftest import built_data, copy_built_index, double, env_for, send  # noqa: F401


@contextlib.contextmanager
def _tmpfs(where: Path, size: str):
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _health(bot) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"{bot.base}/healthz", timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _answers_a_command_and_a_dm(bot, slack, tag: str) -> None:
    reply_to = slack.response_url(tag)
    assert send(bot.base, payloads.slash_command("adoption", response_url=reply_to))[0] == 200
    event = payloads.direct_message("what grade did adoption get", channel=f"D{tag.upper()}")
    assert send(bot.base, payloads.event_callback(event, event_id=f"Ev{tag}"))[0] == 200
    slack.wait_for(lambda r: any(x.name == f"/response/{tag}" for x in r), timeout=30)
    slack.wait_for(
        lambda r: any(
            x.name == "chat.postMessage" and x.body.get("channel") == f"D{tag.upper()}" for x in r
        ),
        timeout=30,
    )
    reply = slack.calls(f"/response/{tag}")[0].body
    assert "Adoption" in json.dumps(reply) and "something went wrong" not in json.dumps(reply)


def test_corrupt_stores_at_start_are_named_and_the_bot_still_answers(built_data, double, tmp_path):  # noqa: F811
    data = tmp_path / "data"
    copy_built_index(built_data, data)
    (data / "state.db").write_bytes(b"this is not a database, it was damaged" * 200)
    with running_bot(env_for(double, data), tmp_path / "bot.log", workers=1) as bot:
        _answers_a_command_and_a_dm(bot, double, "corrupt")
        status, body = _health(bot)
        assert status == 200
        assert body["degraded"] == ["event_ledger", "query_log", "threads"]
        named = [
            line
            for line in bot.log_lines()
            if str(data / "state.db") in line and "INSPECTION_BOT_DATA_DIR" in line
        ]
        assert named, "\n".join(bot.log_lines())


def test_a_full_disk_never_stops_an_answer(built_data, double, tmp_path):  # noqa: F811
    with _tmpfs(tmp_path / "small", "64m") as mount:
        data = mount / "data"
        copy_built_index(built_data, data)
        with running_bot(env_for(double, data), tmp_path / "bot.log", workers=1) as bot:
            _answers_a_command_and_a_dm(bot, double, "before")
            with contextlib.suppress(OSError), open(mount / "filler", "wb") as filler:
                while True:  # bounded by the filesystem's 64 MB
                    filler.write(b"\0" * 1_048_576)
                    filler.flush()
            _answers_a_command_and_a_dm(bot, double, "full")
            assert _health(bot)[0] == 200


def test_a_read_only_data_directory_never_stops_an_answer(built_data, double, tmp_path):  # noqa: F811
    with _tmpfs(tmp_path / "ro", "64m") as mount:
        data = mount / "data"
        copy_built_index(built_data, data)
        with running_bot(env_for(double, data), tmp_path / "bot.log", workers=1) as bot:
            subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
            _answers_a_command_and_a_dm(bot, double, "readonly")
            status, body = _health(bot)
            assert status == 200 and "query_log" in body["degraded"], body


def _delete_while_in_use(path):
    """Delete a directory the running bot is writing to: SQLite may remove its own
    journal (or write a new one) between rmtree listing a file and unlinking it, so a
    file that is already gone is skipped and a directory refilled meanwhile is tried
    again."""
    for _ in range(50):
        try:
            shutil.rmtree(path)
        except FileNotFoundError:
            pass
        except OSError as error:
            if error.errno != errno.ENOTEMPTY:
                raise
        if not path.exists():
            return
        time.sleep(0.05)
    raise AssertionError(f"{path} could not be deleted")


def test_a_data_directory_deleted_while_serving_never_stops_an_answer(built_data, double, tmp_path):  # noqa: F811
    data = tmp_path / "data"
    copy_built_index(built_data, data)
    with running_bot(env_for(double, data), tmp_path / "bot.log", workers=1) as bot:
        _answers_a_command_and_a_dm(bot, double, "warm")
        _delete_while_in_use(data)
        _answers_a_command_and_a_dm(bot, double, "deleted")
        assert _health(bot)[0] == 200
