"""Tokenizer explainer benchmark: the explainer's own work against the libraries' in the same run.

Measured, at 2,000 and 100,000 characters:

- floor: tiktoken's own ``encode`` + ``decode_with_offsets`` for o200k (what any
  token view needs at least), and the four libraries' plain encode calls
  together (o200k, cl100k, WordPiece, SentencePiece: what running them side by
  side costs before any explanation);
- ``analyze``: the four tokenizers with offsets and pieces, and every finding;
- the whole reply: ``tokenize_reply`` for a chat message (trimmed to 1,900
  characters) and for a terminal (every token, ``max_message_chars=None``);
- the picture (first page) at 2,000 characters;
- the CLI's cold start: ``studybuddy tokenize "hello world"`` in a fresh process.

Targets: ``analyze`` of 100,000 characters within 6× the four libraries' own
encode calls (at 2,000 characters Python's fixed costs dominate, so the ratio
is reported, not judged); a chat reply of 2,000 characters within 50 ms; its
picture within 250 ms; the CLI cold start within 8 s. Loading the tokenizers
and fonts (once per process) is reported separately, and so is the machine's
load average: the absolute figures scale with it on a shared machine.

Run alone: ``.venv/bin/python -m bench.bench_tokenize``.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from knowledge.text import percentile

PROSE = (
    "Tokenization is the initial phase of interacting with LLMs. It involves breaking the input text into "
    "smaller pieces known as tokens. Tokens can range from single characters to entire words, and the size "
    "of these tokens can greatly influence the model's performance. Context size = how many tokens the model "
    "can see at once; GPT-3.5 has 4k tokens, GPT-4 Turbo has 128k, Claude has 200k.\n"
)
CODE = "def count_tokens(text: str) -> int:\n    return len(enc.encode(text))  # 2,048 tokens max\n"
WORLD = "Multilingual: 日本語のテキスト, مرحبا بالعالم, Привет мир 🙂👍 — emoji cost bytes.\n"
SAMPLE = PROSE * 3 + CODE + WORLD
SIZES = (2_000, 100_000)


def text_of(chars: int) -> str:
    return (SAMPLE * (chars // len(SAMPLE) + 1))[:chars]


def _times(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def _tiktoken_direct(names: tuple[str, ...]) -> dict:
    """tiktoken.get_encoding itself, fed from a cache dir seeded with the packaged rank files."""
    import tiktoken

    from knowledge.tokenization.openai_bpe import seed_tiktoken_cache

    cache = Path(tempfile.mkdtemp(prefix="tiktoken-cache-"))
    seed_tiktoken_cache(cache, names)
    old = os.environ.get("TIKTOKEN_CACHE_DIR")
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)
    try:
        return {name: tiktoken.get_encoding(name) for name in names}
    finally:
        if old is None:
            del os.environ["TIKTOKEN_CACHE_DIR"]
        else:
            os.environ["TIKTOKEN_CACHE_DIR"] = old


def _libraries_encode(registry, text: str) -> None:
    """The four libraries' plain encode calls, no offsets or pieces: the cost of running them at all."""
    registry.get("o200k_base").encoding.encode_ordinary(text)
    registry.get("cl100k_base").encoding.encode_ordinary(text)
    registry.get("bert_wordpiece")._tok.encode(text, add_special_tokens=False)
    sp = registry.get("mistral_sentencepiece")
    if sp is not None:
        sp._sp.encode(text)


def cli_cold_start(runs: int = 3) -> float | None:
    """Median seconds for ``studybuddy tokenize "hello world"`` in a new process (None without the command)."""
    exe = shutil.which("studybuddy") or str(Path(sys.executable).with_name("studybuddy"))
    if not Path(exe).exists():
        return None
    times = []
    with tempfile.TemporaryDirectory() as cwd:
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run([exe, "tokenize", "hello world"], cwd=cwd, capture_output=True, check=True)
            times.append(time.perf_counter() - t)
    return statistics.median(times)


def run() -> dict:
    from bot.tokenization.reply import pricing_table, tokenize_reply
    from knowledge.tokenization.analysis import analyze
    from knowledge.tokenization.image import render_png
    from knowledge.tokenization.registry import default_registry

    t0 = time.perf_counter()
    registry = default_registry()
    tokenizers = registry.available()
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    render_png(analyze("warm up 🙂 日本"))
    fonts_s = time.perf_counter() - t0
    pricing_table()
    enc = _tiktoken_direct(("o200k_base",))["o200k_base"]

    out: dict = {
        "load_average_1min": round(os.getloadavg()[0], 1),
        "tokenizers": [t.info.name for t in tokenizers],
        "load_s": round(load_s, 3),
        "fonts_load_s": round(fonts_s, 3),
    }
    ok = True
    for size in SIZES:
        text = text_of(size)
        reps = 40 if size <= 2_000 else 5
        analyze(text)
        tokenize_reply(text)
        # interleaved rounds, so load from neighbours on the shared machine hits every figure alike
        floor, libs, ana, chat, term = [], [], [], [], []
        for _ in range(reps):
            floor += _times(lambda text=text: enc.decode_with_offsets(enc.encode(text, disallowed_special=())), 1)
            libs += _times(lambda text=text: _libraries_encode(registry, text), 1)
            ana += _times(lambda text=text: analyze(text), 1)
            chat += _times(lambda text=text: tokenize_reply(text), 1)
            term += _times(lambda text=text: tokenize_reply(text, max_message_chars=None), 1)
        fig = {
            "tiktoken_encode_decode_with_offsets_ms": round(statistics.median(floor), 2),
            "four_libraries_encode_ms": round(statistics.median(libs), 2),
            "analyze_p50_ms": round(percentile(ana, 50), 2),
            "analyze_p95_ms": round(percentile(ana, 95), 2),
            "reply_chat_p50_ms": round(percentile(chat, 50), 2),
            "reply_terminal_p50_ms": round(percentile(term, 50), 2),
        }
        fig["analyze_vs_tiktoken"] = round(fig["analyze_p50_ms"] / fig["tiktoken_encode_decode_with_offsets_ms"], 1)
        fig["analyze_vs_four_libraries"] = round(fig["analyze_p50_ms"] / fig["four_libraries_encode_ms"], 2)
        if size > 2_000:
            fig["target_analyze_le_6x_four_libraries"] = fig["analyze_vs_four_libraries"] <= 6.0
        if size <= 2_000:
            fig["target_reply_chat_le_50ms"] = fig["reply_chat_p50_ms"] <= 50.0
            report = analyze(text, pricing=pricing_table())
            render_png(report)
            picture = _times(lambda report=report: render_png(report), 10)
            fig["picture_p50_ms"] = round(percentile(picture, 50), 2)
            fig["target_picture_le_250ms"] = fig["picture_p50_ms"] <= 250.0
        out[f"chars_{size}"] = fig
        ok &= all(v for k, v in fig.items() if k.startswith("target"))
    cold = cli_cold_start()
    out["cli_cold_start_s"] = None if cold is None else round(cold, 2)
    if cold is not None:
        out["target_cli_cold_start_le_8s"] = cold <= 8.0
    return out


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
