"""`studybuddy serve` as a container runs it: health that tells the truth, metrics, and a replica that waits.

Plain processes stand in for the compose services: a real `chroma run` server, the serve
process, and the one-shot `studybuddy ingest` job.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.support import chroma_server, free_port

# (Every `studybuddy` process here shares one cache folder where the model is already exported.)
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("model_already_exported")]
STUDYBUDDY = Path(sys.executable).with_name("studybuddy")


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()
    except OSError as err:
        return 0, str(err)


def _wait_for(url: str, wanted, limit: float = 300) -> tuple[int, str]:
    deadline = time.monotonic() + limit
    seen = (0, "")
    while time.monotonic() < deadline:
        seen = _get(url)
        if wanted(*seen):
            return seen
        time.sleep(0.5)
    raise AssertionError(f"{url} never matched; last answer {seen}")


def test_replica_waits_for_the_ingest_job_then_is_healthy(tmp_path):
    """A replica that may not build the index answers 503 with the reason, then 200 once `ingest` ran;
    its /metrics are Prometheus text with the bot's own series."""
    port = free_port()
    with chroma_server(tmp_path / "chroma") as chroma_url:
        env = {**os.environ, "STUDYBUDDY_DATA_DIR": str(tmp_path / "data"), "STUDYBUDDY_CHROMA_URL": chroma_url,
               "STUDYBUDDY_HTTP_PORT": str(port), "STUDYBUDDY_INGEST_AT_START": "false"}
        replica = subprocess.Popen([str(STUDYBUDDY), "serve"], env=env, cwd=tmp_path,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            health = f"http://127.0.0.1:{port}/healthz"
            status, body = _wait_for(health, lambda s, b: s == 503 and "waiting for the index" in b)
            assert "studybuddy ingest" in body
            job = subprocess.run([str(STUDYBUDDY), "ingest", "--json"], env=env, cwd=tmp_path, capture_output=True,
                                 text=True, timeout=300)
            assert job.returncode == 0, job.stderr
            _wait_for(health, lambda s, b: s == 200 and b.strip() == "ok")
            status, metrics = _get(f"http://127.0.0.1:{port}/metrics")
            assert status == 200 and "# TYPE studybuddy_questions_total counter" in metrics
        finally:
            replica.terminate()
            out = replica.communicate(timeout=60)[0].decode()
        assert "Traceback" not in out, out[-3000:]
