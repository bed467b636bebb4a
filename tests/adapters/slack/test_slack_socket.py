"""The Slack app in Socket Mode: apps.connections.open, hello, envelopes and their acks, a reconnect."""

from __future__ import annotations

import pytest

from tests.adapters.slack.conftest import ADA, CHANNEL
from tests.adapters.slack.test_slack_http import shown
from tests.fakes.slack_server import BOT_USER, command_payload, event_body, mention

pytestmark = [pytest.mark.asyncio, pytest.mark.socket_mode]


async def test_socket_mode_envelopes_are_acked_and_answered_across_a_reconnect(slack, fake):
    """The app opens the websocket URL that apps.connections.open returns, acks each envelope by its id,
    answers it, reconnects when Slack asks to (a new URL), and handles a retried envelope once."""
    await fake.wait_for_connection()
    assert slack.http_url is None and len(fake.called("apps.connections.open")) == 1

    ack = await fake.send_envelope("slash_commands",
                                   command_payload(fake, "studybuddy", "", user=ADA, channel=CHANNEL))
    assert ack["envelope_id"].startswith("env-")
    help_reply = await fake.response_at(fake.last_response_url)
    assert help_reply["response_type"] == "ephemeral" and "/quiz schedule" in shown(help_reply)

    await fake.ask_to_reconnect()
    await fake.wait_for_connection(2)
    assert len(fake.called("apps.connections.open")) == 2

    text = f"<@{BOT_USER}> what is RAG?"
    ts = fake.add_message(CHANNEL, text, user=ADA)
    body = event_body(mention(CHANNEL, ADA, text, ts), "Ev0SOCKET")
    first = await fake.send_envelope("events_api", body)
    retried = await fake.send_envelope("events_api", body, retry_attempt=1)
    assert first["envelope_id"] != retried["envelope_id"]
    [answer] = await fake.wait_for("chat.postMessage")
    assert answer.args["thread_ts"] == ts and "[1]" in shown(answer)

    text2 = f"<@{BOT_USER}> what is self consistency?"
    ts2 = fake.add_message(CHANNEL, text2, user=ADA)
    await fake.send_envelope("events_api", event_body(mention(CHANNEL, ADA, text2, ts2), "Ev0SOCKET2"))
    posts = await fake.wait_for("chat.postMessage", 2)
    assert [p.args["thread_ts"] for p in posts] == [ts, ts2] and len(fake.called("chat.postMessage")) == 2
