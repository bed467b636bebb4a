"""`make bench`: every benchmark's JSON figures, each measured against its floor in the same run."""

from __future__ import annotations

import importlib
import json
import sys

SUITES = ["bench_ask", "bench_tokenize", "bench_quiz"]


def main() -> int:
    results, ok = {}, True
    for name in SUITES:
        try:
            mod = importlib.import_module(f"bench.{name}")
        except ImportError as exc:
            results[name] = {"skipped": str(exc)}
            continue
        results[name] = figures = mod.run()
        ok &= all(v for k, v in figures.items() if k.startswith("target") and isinstance(v, bool))
    results["all_targets_met"] = ok
    print(json.dumps(results, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
