"""Deployment figures: answers on a Chroma server against the embedded index, and three processes
sharing one Chroma server and one PostgreSQL against one process alone (the floor), same run.

Every figure goes through the app's own builder and facade (what a bot process does), with
the real model, a real `chroma run` and the machine's PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from knowledge.text import percentile

ROOT = Path(__file__).resolve().parent.parent
PER_PROCESS = 240  # questions each process answers in the throughput run
START_DELAY_S = 40  # time for every worker to start and load before they answer together


def _questions() -> list[str]:
    rows = [json.loads(line) for line in (ROOT / "knowledge/eval/dev.jsonl").read_text().splitlines() if line]
    return [r["q"] for r in rows]


async def _latencies(settings, questions: list[str]) -> list[float]:
    from bot.app import Parts, build_app

    async with build_app(settings, parts=Parts(scheduler=False)) as app:
        for q in questions[:5]:
            await app.buddy.ask(q)  # warm
        out = []
        for q in questions * 2:
            t = time.perf_counter()
            await app.buddy.ask(q)
            out.append((time.perf_counter() - t) * 1000)
        return out


def _worker(settings_env: dict, n: int, start_at: float) -> subprocess.Popen:
    code = (
        "import asyncio, json, sys, time\n"
        "from bench.bench_scale import _serve_questions\n"
        f"print(json.dumps(asyncio.run(_serve_questions({n}, {start_at!r}))))\n"
    )
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, **settings_env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


async def _serve_questions(n: int, start_at: float) -> dict:
    """In a worker process: start like a replica, wait for the common start (``time.time()``), then
    answer ``n`` questions as fast as they come. The processes all start answering together: one
    still loading while another answers would not be competing for the cores."""
    from bot.app import Parts, build_app
    from bot.config import Settings

    questions = _questions()
    async with build_app(Settings(), parts=Parts(scheduler=False, ingest=False, wait_for_index=True)) as app:
        await app.buddy.ask(questions[0])
        late = time.time() - start_at
        await asyncio.sleep(max(0.0, -late))
        start = time.time()
        # Eight at a time, like a busy channel: the facade batches them into shared model calls.
        sem = asyncio.Semaphore(8)

        async def one(q):
            async with sem:
                await app.buddy.ask(q)

        await asyncio.gather(*(one(questions[i % len(questions)]) for i in range(n)))
        return {"started": start, "seconds": time.time() - start, "questions": n, "late_s": round(max(0.0, late), 2)}


def _throughput(env: dict, processes: int) -> float:
    start_at = time.time() + START_DELAY_S
    procs = [_worker(env, PER_PROCESS, start_at) for _ in range(processes)]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=900)
        if p.returncode != 0:
            raise RuntimeError(err[-2000:])
        results.append(json.loads(out.strip().splitlines()[-1]))
    wall = max(r["started"] + r["seconds"] for r in results) - min(r["started"] for r in results)
    return sum(r["questions"] for r in results) / wall


def run() -> dict:
    from bot.logsetup import quiet_libraries

    quiet_libraries()
    from bot.config import Settings
    from bot.storage.testing import postgres_reachable, temporary_postgres
    from tests.support import chroma_server

    if not postgres_reachable():
        return {"skipped": "no PostgreSQL on 127.0.0.1:5432"}
    tmp = Path(tempfile.mkdtemp(prefix="sb-bench-scale-"))
    questions = _questions()
    embedded = Settings(_env_file=None, data_dir=tmp / "embedded", cache_dir=tmp / "cache")

    async def with_postgres():
        async with temporary_postgres() as pg_url:
            with chroma_server(tmp / "chroma") as chroma_url:
                server = embedded.model_copy(update={"data_dir": tmp / "server", "chroma_url": chroma_url,
                                                     "database_url": pg_url})
                local = await _latencies(embedded, questions)
                remote = await _latencies(server, questions)
                env = {"STUDYBUDDY_DATA_DIR": str(tmp / "workers"), "STUDYBUDDY_CACHE_DIR": str(tmp / "cache"),
                       "STUDYBUDDY_CHROMA_URL": chroma_url, "STUDYBUDDY_DATABASE_URL": pg_url,
                       "STUDYBUDDY_INGEST_AT_START": "false"}
                one = await asyncio.to_thread(_throughput, env, 1)
                three = await asyncio.to_thread(_throughput, env, 3)
                return local, remote, one, three

    local, remote, one, three = asyncio.run(with_postgres())
    return {
        "ask_embedded_ms_p50": round(statistics.median(local), 2),
        "ask_embedded_ms_p95": round(percentile(local, 95), 2),
        "ask_chroma_server_ms_p50": round(statistics.median(remote), 2),
        "ask_chroma_server_ms_p95": round(percentile(remote, 95), 2),
        "server_over_embedded_p50": round(statistics.median(remote) / statistics.median(local), 2),
        "throughput_one_process_qps": round(one, 1),
        "throughput_three_processes_qps": round(three, 1),
        "three_over_one": round(three / one, 2),
        "cpu_cores": os.cpu_count(),
        # Three processes on the machine's cores must at least hold one process's throughput:
        # sharing the server and the database costs no more than the cores they compete for.
        "target_three_processes_not_slower_than_one": three >= 0.9 * one,
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
