"""How long the answers of an eval run are: over answered questions, the mean number of quoted
sentences of the lead passage ([1]) and of the whole answer, and the mean characters.

    studybuddy eval --questions knowledge/eval/dev.jsonl ... --json -v > run.json
    python -m bench.answer_length before.json after.json
"""

import json
import re
import sys

CITE = re.compile(r"\[(\d+)\]")


def lengths(path: str) -> dict[str, dict[str, float]]:
    with open(path) as f:
        run = json.load(f)
    if "rows" in run:  # one question file
        run = {path: run}
    out = {}
    for name, result in run.items():
        rows = [r for r in result["rows"] if r["grounded"]]
        n = len(rows) or 1
        cites = [CITE.findall(r["answer"]) for r in rows]
        out[name] = {"key_quoted": result["key_quoted"], "cited": result["right_passage_cited"],
                     "answered": len(rows), "lead": sum(c.count("1") for c in cites) / n,
                     "sentences": sum(len(c) for c in cites) / n, "chars": sum(len(r["answer"]) for r in rows) / n}
    return out


if __name__ == "__main__":
    for path in sys.argv[1:]:
        print(path)
        for name, s in lengths(path).items():
            print(f"  {name:5} key quoted {s['key_quoted']:.3f}  cited {s['cited']:.3f}  answered {s['answered']:3}  "
                  f"lead sentences {s['lead']:.2f}  sentences {s['sentences']:.2f}  chars {s['chars']:.0f}")
