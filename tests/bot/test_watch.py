"""A running bot answers from notes added while it runs: the process that ingests picks up the
change, and a replica that only reads loads the index it wrote, both without a restart."""

from __future__ import annotations

import asyncio
import shutil

import pytest

from bot.app import Parts, build_app
from knowledge.index import make_client
from tests.support import SHIPPED_NOTES

pytestmark = pytest.mark.asyncio

QUESTION = "what does nucleus sampling keep?"


async def _grounded_within(app, seconds: float) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline:
        if (await app.buddy.ask(QUESTION)).data["grounded"]:
            return True
        await asyncio.sleep(0.2)
    return False


async def test_notes_added_while_running_are_answered_by_writer_and_replica(settings, real_embedder, tmp_path):
    notes = tmp_path / "notes"
    shutil.copytree(SHIPPED_NOTES, notes)
    client = make_client(tmp_path / "chroma")
    live = settings.model_copy(update={"notes_dir": notes, "watch_seconds": 0.3})
    light = dict(state=False, scheduler=False, warm=False, watch=True)
    async with build_app(live, embedder=real_embedder, chroma_client=client, parts=Parts(**light)) as writer, \
            build_app(live, embedder=real_embedder, chroma_client=client,
                      parts=Parts(ingest=False, wait_for_index=True, **light)) as replica:
        assert not (await writer.buddy.ask(QUESTION)).data["grounded"]
        (notes / "sampling.md").write_text(
            "# Sampling\n\n## Top-p\n\nNucleus sampling keeps the smallest set of tokens whose probabilities "
            "add up to p, and samples the next token from that set only.\n", encoding="utf-8")
        assert await _grounded_within(writer, 30)
        assert await _grounded_within(replica, 30)
        answer = await replica.buddy.ask(QUESTION)
        assert "sampling.md" in [s.path for s in answer.sources]
