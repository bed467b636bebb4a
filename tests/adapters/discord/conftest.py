"""Fixtures: a fake Discord on 127.0.0.1, and the real discord.py client running the whole app against it.

After every test that used the fake, two things Discord users rely on are checked on the
wire: no message was refused for breaking a limit (or for being empty), and every message the
bot created or edited carried ``allowed_mentions: {"parse": []}``.
"""

from __future__ import annotations

import pytest
import pytest_asyncio
from pydantic import SecretStr

from tests.adapters.discord.support import running
from tests.fakes.discord_server import FakeDiscord


@pytest_asyncio.fixture
async def fake():
    async with FakeDiscord() as server:
        yield server


@pytest.fixture(autouse=True)
def _wire_rules(request):
    server = request.getfixturevalue("fake") if "fake" in request.fixturenames else None
    yield
    if server is None:
        return
    assert not server.limit_errors, f"Discord would have refused: {server.limit_errors}"
    for call in server.requests:
        if call.creates_message() or call.edits_message():
            assert call.body.get("allowed_mentions") == {"parse": []}, (call.path, call.body.get("allowed_mentions"))


@pytest.fixture
def settings(settings, fake):
    """The operator's settings pointing at the fake: token and REST base; the gateway from GET /gateway/bot."""
    return settings.model_copy(update={"discord_token": SecretStr(fake.token), "discord_api_base": fake.api_base})


@pytest_asyncio.fixture
async def bot(app, fake):
    async with running(app, fake) as task:
        yield task
