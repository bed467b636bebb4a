"""`studybuddy ask --json` and `studybuddy eval --mode llm` with a language model (the fake server) configured."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes.openai_server import FakeOpenAI, Request, Script

STUDYBUDDY = Path(sys.executable).with_name("studybuddy")
DEV = Path(__file__).resolve().parents[3] / "knowledge" / "eval" / "dev.jsonl"

# Every `studybuddy` process here shares one cache folder where the model is already exported.
pytestmark = pytest.mark.usefixtures("model_already_exported")


def _run(args, data_dir, server, timeout=600, llm_timeout=0.5):
    # (0.5 s lets the late replies of the eval test fail fast; a test that needs an answer allows more, as a cold
    # process's first call on a loaded machine can take longer than that.)
    env = {**os.environ, "STUDYBUDDY_DATA_DIR": str(data_dir), "STUDYBUDDY_LLM_BASE_URL": server.base_url,
           "STUDYBUDDY_LLM_MODEL": "fake-model", "STUDYBUDDY_LLM_TIMEOUT": str(llm_timeout)}
    return subprocess.run([str(STUDYBUDDY), *args], capture_output=True, text=True, env=env, timeout=timeout)


def cite_first(request: Request) -> Script:
    passage = json.loads(request.user.split("```json\n", 1)[1].split("\n```", 1)[0])["passages"][0]
    return Script(" ".join(passage["text"].split()[:10]) + " [1].")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("cli-llm")


@pytest.mark.slow
def test_ask_json_says_the_model_answered(data_dir):
    """With a model configured, `ask --json` reports mode "llm" and the passage it cited."""
    with FakeOpenAI() as server:
        server.respond = cite_first
        out = _run(["ask", "what is RAG", "--json"], data_dir, server, llm_timeout=10)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["mode"] == "llm" and data["llm"] == "answered" and data["answer"].endswith("[1].")
    assert len(data["sources"]) == 1 and data["sources"][0]["text"].startswith(data["answer"][:20])


@pytest.mark.slow
def test_eval_in_model_mode_scores_citations_and_fallbacks(data_dir):
    """Over the dev set, a model that cites, omits citations, invents a source or fails in four ways: every shown
    citation is valid and every failure fell back to the extractive answer."""
    behaviours = itertools.cycle([
        "cite", "cite", "uncited", "invented", "cite", Script(status=500), Script(status=429),
        Script("late", delay=2), Script("one two three four", malformed="cut"),
    ])
    planned: list = []

    def respond(request: Request) -> Script:
        planned.append(b := next(behaviours))
        if b == "cite":
            return cite_first(request)
        if b == "uncited":
            return Script("RAG is a way of answering from documents.")
        if b == "invented":
            return Script("RAG is a way of answering from documents [7].")
        return b

    with FakeOpenAI() as server:
        server.respond = respond
        out = _run(["eval", "--mode", "llm", "--questions", str(DEV), "--json"], data_dir, server)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["citations_valid"] == 1.0 and report["fallback_ok"] == 1.0
    outcomes = report["outcomes"]
    assert outcomes["answered"] == planned.count("cite")
    assert outcomes["rejected:uncited"] == planned.count("uncited")
    assert outcomes["rejected:unknown_source"] == planned.count("invented")
    assert outcomes["failed"] == report["model_failures"] == sum(isinstance(b, Script) for b in planned)
    assert "error" not in outcomes and report["questions"] == sum(outcomes.values())
