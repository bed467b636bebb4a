"""The real slack-bolt app, started through the adapter, against the fake Slack in tests/fakes."""

from __future__ import annotations

import pytest
import pytest_asyncio
from pydantic import SecretStr

from tests.fakes.slack_server import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, FakeSlack

CHANNEL = "C0STUDY"
ADA, BOB, CY, ADMIN = "U0ADA", "U0BOB", "U0CY", "U0ADMIN"


def pytest_configure(config):
    config.addinivalue_line("markers", "socket_mode: run the Slack app in Socket Mode (else HTTP mode)")


@pytest_asyncio.fixture
async def fake():
    slack = await FakeSlack().start()
    slack.add_user(ADA, "Ada")
    slack.add_user(BOB, "Bob")
    slack.add_user(CY, "Cy")
    slack.add_user(ADMIN, "Grace", admin=True)
    slack.add_channel(CHANNEL)
    yield slack
    await slack.stop()


@pytest.fixture
def settings(settings, fake, request):
    """The operator's Slack settings, pointed at the fake: HTTP mode on a free port, or Socket Mode."""
    socket = request.node.get_closest_marker("socket_mode") is not None
    return settings.model_copy(update={
        "slack_bot_token": SecretStr(BOT_TOKEN),
        "slack_app_token": SecretStr(APP_TOKEN) if socket else None,
        "slack_signing_secret": None if socket else SecretStr(SIGNING_SECRET),
        "slack_api_url": fake.api_url,
        "slack_host": "127.0.0.1",
        "slack_port": 0,
        "slack_admin_users": [CY],  # Cy is no workspace admin, but the operator lets her run the quiz
    })


@pytest_asyncio.fixture
async def slack(app, fake):
    """The Slack adapter running over the whole app (real model, SQLite), connected to the fake."""
    from adapters.slack import SlackSurface

    surface = SlackSurface(app)
    await surface.start()
    fake.app_url = surface.http_url
    yield surface
    await surface.stop()
