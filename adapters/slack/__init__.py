"""The study buddy in Slack: slash commands, mentions, DMs, Block Kit buttons, scheduled quizzes.

The only package that imports ``slack_bolt`` and ``slack_sdk``. ``serve(app)`` is the entry
point ``studybuddy run`` calls when ``STUDYBUDDY_SLACK_BOT_TOKEN`` is set.
"""

from adapters.slack.surface import SlackSurface, serve

__all__ = ["SlackSurface", "serve"]
