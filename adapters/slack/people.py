"""Who clicked or typed: a Slack user as the core's ``Actor``, with their name and their rights.

``users.info`` gives the display name (for leaderboards) and whether the user is a workspace
admin or owner (who may schedule quizzes, with the users listed in
``STUDYBUDDY_SLACK_ADMIN_USERS``). Answers are cached for a few minutes: a quiz clicked by
thirty people should not cost thirty calls each time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.outbox import slack_error
from bot.replies import Actor

log = logging.getLogger(__name__)

CACHE_SECONDS = 600
MAX_PEOPLE = 10_000


@dataclass(frozen=True, slots=True)
class _Person:
    name: str
    admin: bool
    fetched: float


class People:
    def __init__(self, client: AsyncWebClient, admin_users: set[str] | frozenset[str] = frozenset(),
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.admin_users = frozenset(admin_users)
        self._clock = clock
        self._cache: dict[str, _Person] = {}

    async def actor(self, user_id: str, fallback_name: str | None = None) -> Actor:
        person = await self._person(user_id, fallback_name)
        return Actor("slack", user_id, person.name, can_manage=person.admin or user_id in self.admin_users)

    async def _person(self, user_id: str, fallback_name: str | None) -> _Person:
        now = self._clock()
        cached = self._cache.get(user_id)
        if cached is not None and now - cached.fetched < CACHE_SECONDS:
            return cached
        try:
            user = (await self.client.users_info(user=user_id))["user"]
        except SlackApiError as exc:
            # Without users:read (or for a user from another workspace) the person is still
            # served, under the name Slack sent with the event and without admin rights.
            log.warning("users.info failed for a user (%s): names and admin rights fall back",
                        slack_error(exc))
            return _Person(fallback_name or user_id, False, now)
        profile = user.get("profile") or {}
        name = (profile.get("display_name") or profile.get("real_name") or user.get("real_name")
                or user.get("name") or fallback_name or user_id)
        admin = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        if len(self._cache) >= MAX_PEOPLE:
            self._cache.clear()
        person = self._cache[user_id] = _Person(name, admin, now)
        return person
