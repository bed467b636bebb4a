"""Tokenizer explainer benchmark: explanation latency, picture time, raw throughput against tiktoken.

Targets (issue 3): explaining 2,000 characters with all tokenizers, p50 ≤ 5 ms
without the picture; the picture ≤ 100 ms; raw throughput on 1 MB ≥ 0.8× calling
tiktoken directly, measured in the same run. Loading the tokenizers and fonts
(once per process) is done before timing and reported separately.

Run alone: ``.venv/bin/python -m bench.bench_tokenize``.
"""

from __future__ import annotations

import json
import statistics
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


def text_of(chars: int) -> str:
    return (SAMPLE * (chars // len(SAMPLE) + 1))[:chars]


def text_of_bytes(n: int) -> str:
    """About ``n`` bytes of UTF-8, cut on a character boundary."""
    reps = n // len(SAMPLE.encode("utf-8")) + 1
    return (SAMPLE * reps).encode("utf-8")[:n].decode("utf-8", "ignore")


def _times(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def _tiktoken_direct(names: tuple[str, ...]) -> dict:
    """tiktoken.get_encoding itself, fed from a cache dir seeded with the packaged rank files."""
    import os

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

    text = text_of(2000)
    for _ in range(20):
        tokenize_reply(text)
    explain = _times(lambda: tokenize_reply(text), 300)
    report = analyze(text, pricing=pricing_table())
    for _ in range(3):
        render_png(report)
    picture = _times(lambda: render_png(report), 30)

    big = text_of_bytes(1_000_000)
    names = ("o200k_base", "cl100k_base")
    direct = _tiktoken_direct(names)
    ours = {name: registry.get(name) for name in names}
    mb = len(big.encode("utf-8")) / 1e6
    through: dict[str, dict[str, float]] = {}
    for name in names:
        enc = direct[name]
        assert ours[name].encode(big) == enc.encode(big, disallowed_special=())  # same tokens, same work
        ours_ms, direct_ms = [], []
        for _ in range(5):  # interleaved, so load from neighbours hits both alike
            direct_ms += _times(lambda enc=enc: enc.encode(big, disallowed_special=()), 1)
            ours_ms += _times(lambda tok=ours[name]: tok.encode(big), 1)
        o, d = statistics.median(ours_ms), statistics.median(direct_ms)
        through[name] = {
            "ours_mb_s": round(mb / (o / 1000), 2),
            "tiktoken_mb_s": round(mb / (d / 1000), 2),
            "ratio": round(d / o, 3),
        }
    # Informative: the full per-token analysis (texts, offsets, explanation) of 100,000 characters.
    long_text = text_of(100_000)
    analyze_100k = statistics.median(_times(lambda: analyze(long_text), 3))

    p50 = percentile(explain, 50)
    pic50 = percentile(picture, 50)
    ratio = min(v["ratio"] for v in through.values())
    return {
        "tokenizers": [t.info.name for t in tokenizers],
        "load_s": round(load_s, 3),
        "fonts_load_s": round(fonts_s, 3),
        "explain_2000_chars_p50_ms": round(p50, 3),
        "explain_2000_chars_p95_ms": round(percentile(explain, 95), 3),
        "picture_2000_chars_p50_ms": round(pic50, 2),
        "picture_2000_chars_p95_ms": round(percentile(picture, 95), 2),
        "throughput_1mb": through,
        "throughput_ratio_min": ratio,
        "analyze_100k_chars_ms": round(analyze_100k, 1),
        "target_explain_p50_le_5ms": p50 <= 5.0,
        "target_picture_le_100ms": pic50 <= 100.0,
        "target_throughput_ratio_ge_0_8": ratio >= 0.8,
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
