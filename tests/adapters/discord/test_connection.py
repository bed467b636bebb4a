"""The connection to Discord, end to end: rate limits, gateway reconnects, and what the operator reads."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from bot.errors import ConfigError, operator_message
from tests.adapters.discord.support import bot_messages, running, text

pytestmark = pytest.mark.asyncio


async def test_a_rate_limited_answer_is_retried_after_retry_after_and_shown_once(bot, fake):
    """Discord answers the follow-up with 429 and retry_after; the answer still arrives, exactly once."""
    fake.rate_limit("POST", r"/webhooks/\d+/[^/]+", retry_after=0.05)
    interaction = await fake.slash(fake.ada, "ask", {"question": "what is RAG?"})
    [answer] = await fake.answered(interaction)
    assert "RAG" in text(answer)
    statuses = [c.status for c in fake.calls("POST", r"/webhooks/\d+/[^/]+")]
    assert statuses == [429, 200] and bot_messages(fake) == [answer]


async def test_a_gateway_reconnect_resumes_and_loses_no_event(bot, fake):
    """On op 7 the client reconnects and RESUMEs its session (no new IDENTIFY); a command sent
    while it was away is replayed and answered."""
    session = fake.session_id
    await fake.reconnect()
    interaction = await fake.slash(fake.bob, "ask", {"question": "what is the vanishing gradient problem?"})
    [answer] = await fake.answered(interaction)
    assert answer["embeds"][0]["fields"]
    assert len(fake.identifies) == 1 and [r["session_id"] for r in fake.resumes] == [session]


async def test_a_bad_token_is_one_line_naming_the_fix(app, fake):
    """A token Discord refuses stops the bot with one ConfigError line (exit code 2 from `run`),
    which says where to get a new token and never shows the token."""
    app.settings = app.settings.model_copy(update={"discord_token": SecretStr("not-the-token")})
    with pytest.raises(ConfigError) as caught:
        async with running(app, fake):
            pass
    message = operator_message(caught.value)
    assert message is not None and "\n" not in message
    assert "STUDYBUDDY_DISCORD_TOKEN" in message and "Reset Token" in message and "not-the-token" not in message
    assert [c.status for c in fake.calls("GET", r"/users/@me")] == [401] and not fake.identifies


async def test_each_shard_process_identifies_as_its_shard_and_only_shard_0_syncs_commands(app, fake):
    """Two processes of a two-shard bot: each identifies as its shard; only shard 0 replaces the command
    list, and shard 1 answers commands all the same."""
    sync = r"/applications/\d+/(guilds/\d+/)?commands"
    app.settings = app.settings.model_copy(update={"discord_shard_count": 2, "discord_shard_ids": [0]})
    async with running(app, fake):
        assert fake.identifies[-1]["shard"] == [0, 2] and len(fake.calls("PUT", sync)) == 1
    app.settings = app.settings.model_copy(update={"discord_shard_ids": [1]})
    async with running(app, fake):
        assert fake.identifies[-1]["shard"] == [1, 2]
        interaction = await fake.slash(fake.ada, "ask", {"question": "what is RAG?"})
        [answer] = await fake.answered(interaction)
        assert "RAG" in text(answer)
    assert len(fake.calls("PUT", sync)) == 1


async def test_shard_ids_outside_the_count_are_one_line(app, fake):
    """Shard ids the count does not allow stop the bot at start with one line naming the settings."""
    app.settings = app.settings.model_copy(update={"discord_shard_count": 2, "discord_shard_ids": [2]})
    with pytest.raises(ConfigError, match="STUDYBUDDY_DISCORD_SHARD_IDS"):
        async with running(app, fake):
            pass
