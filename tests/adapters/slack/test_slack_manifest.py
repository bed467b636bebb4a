"""The one-paste app manifest declares everything the adapter listens to and calls."""

from __future__ import annotations

from pathlib import Path

import yaml

from adapters.slack.handlers import COMMANDS, TOKENIZE_SHORTCUT
from adapters.slack.surface import EVENTS_PATH

MANIFEST = Path(__file__).resolve().parents[3] / "adapters" / "slack" / "manifest.yaml"


def test_manifest_declares_every_command_shortcut_event_and_scope():
    """Every slash command and the message shortcut the adapter handles are in the manifest, with the events,
    the interactivity and the scopes their replies need; HTTP URLs point at the adapter's path."""
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    features, settings = manifest["features"], manifest["settings"]
    assert sorted(c["command"] for c in features["slash_commands"]) == sorted(f"/{c}" for c in COMMANDS)
    assert [s["callback_id"] for s in features["shortcuts"] if s["type"] == "message"] == [TOKENIZE_SHORTCUT]
    assert set(settings["event_subscriptions"]["bot_events"]) == {"app_mention", "message.im"}
    assert settings["interactivity"]["is_enabled"] and settings["socket_mode_enabled"]
    urls = [c["url"] for c in features["slash_commands"]] + [settings["interactivity"]["request_url"],
                                                             settings["event_subscriptions"]["request_url"]]
    assert all(url.endswith(EVENTS_PATH) for url in urls)
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    needed = {"commands", "app_mentions:read", "chat:write", "chat:write.public", "files:write", "users:read",
              "channels:history", "groups:history", "im:history", "im:write"}
    assert needed <= scopes
