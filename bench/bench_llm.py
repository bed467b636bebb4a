"""The language-model answer path against a fake OpenAI-compatible server whose own delays are known.

What the path adds on top of the model is what we own: retrieval, prompt building, the
citation check while streaming and at the end, the reply. The server waits ``FIRST_TOKEN_S``
before its first piece and ``PIECE_S`` between pieces (its own delay, reported); the floor of
each figure is the same scripted reply fetched in the same run by the bare client with the
same messages (the protocol and the server's delays, nothing of ours), interleaved with ours:

- time to first streamed token: the first partial reply of ``ask_stream`` vs the bare
  stream's first piece; whole streamed answer: the final reply vs the bare stream's end;
  whole JSON answer: ``ask`` vs the bare ``complete``;
- retrieval plus prompt building per question, timed on their own: the part of the
  overhead that grows with the notes.

Target: at p50 each overhead stays within twice the extractive answer's time through the same
facade (``ask`` with no model: retrieval, composition, the reply), measured in the same run —
the rule bench_ask applies to retrieval against its floor. The model path does that work and
then builds the prompt, checks the citations and renumbers them. ``python -m bench.bench_llm``
prints the JSON.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

from knowledge.text import percentile

ROOT = Path(__file__).resolve().parent.parent
FIRST_TOKEN_S = 0.2
PIECE_S = 0.01
ROUNDS = 3


def _questions() -> list[str]:
    rows = [json.loads(line) for line in (ROOT / "knowledge/eval/dev.jsonl").read_text().splitlines() if line]
    return [r["q"] for r in rows if r.get("passage")]


def _reply(request) -> object:
    from tests.fakes.openai_server import Script

    data = json.loads(request.user.split("```json\n", 1)[1].split("\n```", 1)[0])
    words = " ".join(" ".join(p["text"].split()[:12]) + f" [{p['n']}]." for p in data["passages"][:2]).split(" ")
    return Script(" ".join(words), delay=FIRST_TOKEN_S, piece_delay=PIECE_S)


async def _measure(app, questions: list[str]) -> dict:
    from bot.facade import StudyBuddy
    from bot.ports import utc_now
    from knowledge.generation import prompt
    from knowledge.generation.types import Completion
    from knowledge.levels import passages
    from knowledge.types import Level

    buddy, kb, model = app.buddy, app.knowledge, app.generator.model
    plain = StudyBuddy(kb, clock=utc_now)  # the same facade without a model
    ttft, streamed, whole, retrieval, building, extractive = [], [], [], [], [], []
    floor_ttft, floor_streamed, floor_whole = [], [], []
    for q in questions[:5]:  # warm: the model, the client's connection pool
        await buddy.ask(q)
    for _ in range(ROUNDS):
        for q in questions:
            t = time.perf_counter()
            answer = await asyncio.to_thread(kb.answer, q)
            retrieval.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            messages = prompt.answer_messages(q, passages(answer.hits))
            building.append((time.perf_counter() - t) * 1000)
            if not answer.grounded:
                continue  # the model is not asked
            t = time.perf_counter()
            await plain.ask(q)
            extractive.append((time.perf_counter() - t) * 1000)

            t = time.perf_counter()
            first = None
            async for piece in model.stream(messages, max_tokens=prompt.MAX_TOKENS[Level.NORMAL]):
                if first is None and not isinstance(piece, Completion):
                    first = time.perf_counter() - t
            floor_ttft.append(first * 1000)
            floor_streamed.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            await model.complete(messages, max_tokens=prompt.MAX_TOKENS[Level.NORMAL])
            floor_whole.append((time.perf_counter() - t) * 1000)

            t = time.perf_counter()
            replies = []
            async for reply in buddy.ask_stream(q, min_interval=0):
                replies.append((time.perf_counter() - t, reply))
            first, reply = replies[0][0], replies[-1][1]
            total = time.perf_counter() - t
            if reply.data.get("llm") != "answered":
                raise RuntimeError(f"the model path did not answer {q!r}: {reply.data.get('llm')}")
            ttft.append(first * 1000)
            streamed.append(total * 1000)

            t = time.perf_counter()
            await buddy.ask(q)
            whole.append((time.perf_counter() - t) * 1000)
    p50 = statistics.median
    over_ttft = p50(ttft) - p50(floor_ttft)
    over_stream = p50(streamed) - p50(floor_streamed)
    over_whole = p50(whole) - p50(floor_whole)
    allowed = 2 * p50(extractive)
    return {
        "answers": len(ttft),
        "server_first_token_ms": FIRST_TOKEN_S * 1000,
        "server_piece_ms": PIECE_S * 1000,
        "ttft_ms_p50": round(p50(ttft), 1),
        "ttft_ms_p95": round(percentile(ttft, 95), 1),
        "ttft_floor_ms_p50": round(p50(floor_ttft), 1),
        "ttft_overhead_ms_p50": round(over_ttft, 1),
        "streamed_answer_ms_p50": round(p50(streamed), 1),
        "streamed_floor_ms_p50": round(p50(floor_streamed), 1),
        "streamed_overhead_ms_p50": round(over_stream, 1),
        "json_answer_ms_p50": round(p50(whole), 1),
        "json_floor_ms_p50": round(p50(floor_whole), 1),
        "json_overhead_ms_p50": round(over_whole, 1),
        "retrieval_ms_p50": round(p50(retrieval), 2),
        "retrieval_ms_p95": round(percentile(retrieval, 95), 2),
        "prompt_build_ms_p50": round(p50(building), 3),
        "extractive_ask_ms_p50": round(p50(extractive), 2),
        "allowed_overhead_ms": round(allowed, 1),
        "target_ttft_overhead_le_2x_extractive": over_ttft <= allowed,
        "target_streamed_overhead_le_2x_extractive": over_stream <= allowed,
        "target_json_overhead_le_2x_extractive": over_whole <= allowed,
    }


def run() -> dict:
    from bot.logsetup import quiet_libraries

    quiet_libraries()
    from bot.app import Parts, build_app
    from bot.config import Settings
    from tests.fakes.openai_server import FakeOpenAI

    tmp = Path(tempfile.mkdtemp(prefix="sb-bench-llm-"))
    with FakeOpenAI() as server:
        server.respond = _reply
        settings = Settings(_env_file=None, data_dir=tmp, llm_base_url=server.base_url, llm_model="fake-model",
                            llm_timeout=30)

        async def go() -> dict:
            async with build_app(settings, parts=Parts(state=False, scheduler=False)) as app:
                return await _measure(app, _questions())

        return asyncio.run(go())


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
