"""A well-behaved language model that writes slowly, for the adapters' streaming tests.

It answers from the passages it is sent (the first words of passages 1 and 2, cited), in
``PIECES`` streamed pieces ``PIECE_DELAY`` seconds apart, so an answer takes a few seconds
and an adapter shows several versions of it. A follow-up rewrite is answered at once with
the new message unchanged.
"""

from __future__ import annotations

import json
import re

from tests.fakes.openai_server import Request, Script

PIECES = 12
PIECE_DELAY = 0.3  # 12 pieces: about 3.3 s per answer, so 2 or 3 partial edits at 1 s apart
SETTINGS = {"llm_model": "fake-model", "llm_timeout": 30.0}


def sent(request: Request) -> dict:
    return json.loads(re.search(r"```json\n(.*?)\n```", request.user, re.S).group(1))


def slowly_citing(request: Request) -> Script:
    data = sent(request)
    if "passages" not in data:
        return Script(data.get("new_message", ""))  # a follow-up rewrite: the question as it is
    picks = [p for p in data["passages"] if p["n"] in (1, 2)]
    text = " ".join(f"{' '.join(p['text'].split()[:10])} [{p['n']}]." for p in picks)
    return Script(text, pieces=cut(text, PIECES), piece_delay=PIECE_DELAY)


def cut(text: str, n: int) -> list[str]:
    """``text`` in ``n`` pieces of about equal length (the last takes the rest)."""
    size = max(1, len(text) // n)
    pieces = [text[i * size:(i + 1) * size] for i in range(n - 1)]
    return [p for p in [*pieces, text[(n - 1) * size:]] if p]
