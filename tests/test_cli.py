"""The command line, run the way a user runs it."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from bot.cli import main
from tests.conftest import ROOT


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("INSPECTION_BOT_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_search_json_stdin_one_object_per_nonblank_line(data_dir, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("is the MASH coping?\n\n   \nweather tomorrow\n"))
    assert main(["search", "--json", "--stdin"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["query"] == "is the MASH coping?" and first["answered"] is True
    assert first["intent"] == "finding" and len(first["hits"]) == 3
    assert second["answered"] is False and second["hits"] == [] and second["themes"]


def test_search_limit(data_dir, capsys):
    assert main(["search", "--json", "--limit", "5", "foster", "carers"]) == 0
    assert len(json.loads(capsys.readouterr().out)["hits"]) == 5


def test_search_text_output(data_dir, capsys):
    assert main(["search", "out of hours"]) == 0
    out = capsys.readouterr().out
    assert "? out of hours" in out and "000_de87dc580cd60475.txt" in out


def test_ask_prints_quote_and_source(data_dir, capsys):
    assert main(["ask", "what", "grade", "did", "adoption", "get"]) == 0
    out = capsys.readouterr().out
    assert "Adoption performance: Good" in out
    assert "graded judgement for adoption performance is that it is good" in out


def test_search_without_a_query_is_a_usage_error(data_dir, capsys):
    assert main(["search"]) == 2
    assert "Give a query" in capsys.readouterr().err


def test_the_installed_command_runs(data_dir):
    exe = ROOT / ".venv" / "bin" / "inspection-bot"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "bot"]
    result = subprocess.run(
        [*cmd, "search", "--json", "kids in care"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["answered"] is True
