"""Starting the Slack app: a missing or refused token is one line naming the setting to fix."""

from __future__ import annotations

import socket
from types import SimpleNamespace

import pytest
from pydantic import SecretStr

from adapters.slack import serve
from bot.errors import ConfigError, DependencyError
from tests.fakes.slack_server import BOT_TOKEN

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize(("bot", "app_token", "secret", "expect"), [
    (BOT_TOKEN, None, None, "STUDYBUDDY_SLACK_SIGNING_SECRET for HTTP mode"),
    ("xoxp-a-user-token", None, "s3cret", "starts with xoxb-"),
    ("xoxb-revoked-or-mistyped", None, "s3cret", "Slack refused STUDYBUDDY_SLACK_BOT_TOKEN (invalid_auth)"),
    (BOT_TOKEN, "xapp-revoked-or-mistyped", None, "Slack refused STUDYBUDDY_SLACK_APP_TOKEN (invalid_auth)"),
    (BOT_TOKEN, "xoxb-pasted-in-the-wrong-place", None, "starts with xapp-"),
])
async def test_bad_tokens_stop_the_start_with_one_line(settings, fake, bot, app_token, secret, expect):
    """Each mistake an operator makes with the tokens is one line that names the setting; no token is echoed."""
    configured = settings.model_copy(update={
        "slack_bot_token": SecretStr(bot), "slack_app_token": SecretStr(app_token) if app_token else None,
        "slack_signing_secret": SecretStr(secret) if secret else None})
    with pytest.raises(ConfigError) as raised:
        await serve(SimpleNamespace(settings=configured, buddy=SimpleNamespace(shares_state=False), scheduler=None))
    message = str(raised.value)
    assert expect in message and "\n" not in message
    assert bot not in message and (app_token or "§") not in message and (secret or "§") not in message


async def test_unreachable_api_and_a_busy_port_are_one_line(settings, fake):
    """A Web API URL where nothing listens is a dependency error naming the URL; a port in use names the settings."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        dead_port = closed.getsockname()[1]
    nowhere = settings.model_copy(update={"slack_api_url": f"http://127.0.0.1:{dead_port}/api/"})
    with pytest.raises(DependencyError, match="STUDYBUDDY_SLACK_API_URL"):
        await serve(SimpleNamespace(settings=nowhere, buddy=SimpleNamespace(shares_state=False), scheduler=None))

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = settings.model_copy(update={"slack_port": busy.getsockname()[1]})
        with pytest.raises(ConfigError, match="STUDYBUDDY_SLACK_PORT"):
            await serve(SimpleNamespace(settings=taken, buddy=SimpleNamespace(shares_state=False), scheduler=None))

