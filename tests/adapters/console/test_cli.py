"""The studybuddy command as a new user runs it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT, SHIPPED_NOTES

STUDYBUDDY = Path(sys.executable).with_name("studybuddy")


def _run(args, tmp_path, **env):
    full = {**os.environ, "STUDYBUDDY_DATA_DIR": str(tmp_path / "data"), **env}
    return subprocess.run([str(STUDYBUDDY), *args], capture_output=True, text=True, env=full, cwd=tmp_path,
                          timeout=300)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("cli")


def test_ask_json_then_ingest_reports_nothing_to_do(data_dir):
    """`ask --json` prints the documented shape; a following `ingest --json` embeds nothing."""
    out = _run(["ask", "what is RAG", "--json"], data_dir)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["grounded"] and "[1]" in data["answer"] and data["sources"][0]["text"]
    again = _run(["ingest", "--json"], data_dir)
    assert json.loads(again.stdout) == {"added": 0, "updated": 0, "removed": 0,
                                        "unchanged": json.loads(again.stdout)["unchanged"], "embedded": 0}


@pytest.mark.parametrize("setup", ["missing", "empty"])
def test_missing_notes_is_one_line_and_exit_2(tmp_path, setup):
    """A missing or empty notes folder: one clear line on stderr and exit code 2."""
    notes = tmp_path / "notes"
    if setup == "empty":
        notes.mkdir()
    out = _run(["ask", "hi"], tmp_path, STUDYBUDDY_NOTES_DIR=str(notes))
    assert out.returncode == 2
    assert "notes" in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) <= 2


def test_shipped_notes_are_found_from_any_folder():
    """The default notes folder is the shipped one, wherever the command runs from."""
    from bot.config import Settings

    assert Settings().notes_dir.resolve() == SHIPPED_NOTES.resolve()
    assert ROOT.exists()
