"""Quiz commands for text surfaces with no buttons (the terminal chat): numbers stand in for clicks."""

from __future__ import annotations

import logging

from bot.errors import UserInputError
from bot.quiz import render
from bot.quiz.actions import review_action
from bot.quiz.service import QuizService
from bot.quiz.types import Actor, ChannelRef
from bot.replies import Reply

log = logging.getLogger(__name__)

HELP = (
    "**Quiz commands**\n"
    "- `/quiz now` — post a quiz here; answer with its number, e.g. `2`\n"
    "- `/quiz close` — close the open quiz and reveal the answer\n"
    "- `/quiz schedule 09:00 Europe/Paris`, `/quiz unschedule`, `/quiz status`\n"
    "- `/leaderboard [week|all]`\n"
    "- `/review` — your due review items; answer with `/review 2`\n"
    "- `/stats` (you) or `/stats channel`"
)


async def handle_console_command(service: QuizService, actor: Actor, channel: ChannelRef, line: str) -> list[Reply]:
    """Replies for a quiz command, or ``[]`` when ``line`` is not one (so the caller treats it
    as a question). A bare number answers the channel's open quiz."""
    words = line.strip().split()
    if not words:
        return []
    head, args = words[0].lower(), words[1:]
    try:
        if head.isdigit() and len(words) == 1:
            return [await service.answer_open(actor, channel, int(head))]
        if head == "/quiz":
            return [await _quiz(service, channel, args)]
        if head == "/leaderboard":
            return [await service.leaderboard(channel, args[0] if args else "week")]
        if head == "/review":
            return [await _review(service, actor, args)]
        if head == "/stats":
            if args and args[0].lower() == "channel":
                return [await service.stats(channel=channel)]
            return [await service.stats(actor=actor)]
    except UserInputError as err:
        return [render.private(str(err))]
    return []


async def _quiz(service: QuizService, channel: ChannelRef, args: list[str]) -> Reply:
    sub = args[0].lower() if args else "help"
    if sub == "now":
        return await service.post_quiz(channel)
    if sub == "schedule":
        return await service.schedule(channel, " ".join(args[1:]))
    if sub == "unschedule":
        return await service.unschedule(channel)
    if sub == "status":
        return await service.status(channel)
    if sub == "close":
        return await service.close_open(channel)
    return render.private(HELP)


async def _review(service: QuizService, actor: Actor, args: list[str]) -> Reply:
    if not args:
        return await service.review(actor)
    if not args[0].isdigit():
        raise UserInputError("Answer a review with its number, e.g. `/review 2`.")
    # Stateless: the card shown by `/review` is always the most overdue one.
    _count, cards = await service.reviews.due(actor.platform, actor.user_id, service.clock())
    if not cards:
        return await service.review(actor)
    card = cards[0]
    number = int(args[0])
    if not 1 <= number <= len(card.item.options):
        raise UserInputError(f"Pick a number from 1 to {len(card.item.options)}.")
    return await service.answer(actor, review_action(card.id, card.reviews, number - 1))
