"""`make bench`: every benchmark's JSON figures, each measured against its floor in the same run."""

from __future__ import annotations

import importlib
import json
import sys

SUITES = ["bench_ask", "bench_tokenize", "bench_quiz", "bench_llm", "bench_scale", "bench_ingest"]


def _targets(figures: dict):
    """Every boolean 'target…' figure, at any depth (a suite may report per backend)."""
    for key, value in figures.items():
        if isinstance(value, dict):
            yield from _targets(value)
        elif key.startswith("target") and isinstance(value, bool):
            yield value


def main() -> int:
    results, ok = {}, True
    for name in SUITES:
        try:
            mod = importlib.import_module(f"bench.{name}")
        except ImportError as exc:
            results[name] = {"skipped": str(exc)}
            continue
        results[name] = figures = mod.run()
        ok &= all(_targets(figures))
    results["all_targets_met"] = ok
    print(json.dumps(results, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
