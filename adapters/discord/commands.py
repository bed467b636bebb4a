"""The slash commands and message context menus: typed options straight to the core.

Each command states up front whether its answer is for everyone or only the person who
asked, acknowledges at once ("thinking…"), then calls the facade. Who may change a
channel's daily quiz is decided by the core from ``Actor.can_manage`` (Manage Channels).
Discord can set default member permissions only on a top-level command, not on a
subcommand such as ``/quiz schedule``, so those are checked at every use instead.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from adapters.discord.delivery import EDIT_INTERVAL, InteractionReplies
from adapters.discord.identity import actor_of, channel_of
from bot import commands as grammar
from bot.errors import UserInputError
from bot.replies import Period
from knowledge.tokenization.analysis import MAX_CHARS as TOKENIZE_MAX_CHARS
from knowledge.tokenization.analysis import decode_text_file

if TYPE_CHECKING:
    from adapters.discord.client import StudyBuddyBot

log = logging.getLogger(__name__)

TOKENIZE_MESSAGE_CHARS = 4000  # the explanation fills one embed description (4,096)
# Room for TOKENIZE_MAX_CHARS characters of most scripts in UTF-8 or UTF-16; the core checks the characters.
TOKENIZE_MAX_BYTES = 400 * 1024
OPTION_TEXT_MAX = 6000  # Discord's longest string option
DISCORD_HELP = (
    "\n\n**On Discord**\n"
    "- Mention me in a channel and I answer in a thread; ask follow-ups there without mentioning me. DMs work too.\n"
    "- Right-click a message → Apps → *Ask about this message* or *Tokenize this message*.\n"
    "- `/tokenize` also takes a `.txt` file; `/quiz schedule` and `/quiz unschedule` need Manage Channels."
)


def install(tree: app_commands.CommandTree, bot: StudyBuddyBot) -> None:
    """Add every command to ``tree`` (fresh objects per client: a tree owns its commands)."""
    buddy = bot.buddy

    def run(interaction, work, *, private: bool, name: str):
        return bot.answer_interaction(interaction, work, private=private, context=name)

    # Questions -----------------------------------------------------------------------------

    @tree.command(name="ask", description="Ask about the notes: an answer built from them, with its sources")
    @app_commands.describe(question="Your question, e.g. what is the vanishing gradient problem?",
                           private="Only you see the answer (default: everyone here)")
    async def ask(interaction: discord.Interaction, question: app_commands.Range[str, 1, OPTION_TEXT_MAX],
                  private: bool = False) -> None:
        async def work(out: InteractionReplies) -> None:
            await out.stream(buddy.ask_stream(question, actor=actor_of(interaction), channel=channel_of(interaction),
                                              min_interval=EDIT_INTERVAL), embed=True)

        await run(interaction, work, private=private, name="/ask")

    @tree.context_menu(name="Ask about this message")
    async def ask_message(interaction: discord.Interaction, message: discord.Message) -> None:
        async def work(out: InteractionReplies) -> None:
            await out.stream(buddy.ask_stream(_message_text(message), actor=actor_of(interaction),
                                              channel=channel_of(interaction), min_interval=EDIT_INTERVAL), embed=True)

        await run(interaction, work, private=False, name="Ask about this message")

    # Tokenizer -----------------------------------------------------------------------------

    @tree.command(name="tokenize", description="How GPT-4o, GPT-4, BERT and Mistral tokenizers cut your text")
    @app_commands.describe(text="The text to tokenize", file="Or a .txt file (up to 100,000 characters)",
                           ids="Show the token ids too", private="Only you see the result")
    async def tokenize(interaction: discord.Interaction, text: app_commands.Range[str, 1, OPTION_TEXT_MAX] | None = None,
                       file: discord.Attachment | None = None, ids: bool = False, private: bool = False) -> None:
        async def work(out: InteractionReplies) -> None:
            if file is not None:
                content = await _read_text_file(file)
            elif text:
                content = text
            else:
                raise UserInputError("Give me some `text`, or attach a `.txt` file with `file`.")
            reply = await buddy.tokenize(content, show_ids=ids, image=True, max_chars=TOKENIZE_MESSAGE_CHARS)
            await out.send(reply, embed=True)

        await run(interaction, work, private=private, name="/tokenize")

    @tree.context_menu(name="Tokenize this message")
    async def tokenize_message(interaction: discord.Interaction, message: discord.Message) -> None:
        async def work(out: InteractionReplies) -> None:
            reply = await buddy.tokenize(_message_text(message), image=True, max_chars=TOKENIZE_MESSAGE_CHARS)
            await out.send(reply, embed=True)

        await run(interaction, work, private=True, name="Tokenize this message")

    # Quizzes -------------------------------------------------------------------------------

    quiz = app_commands.Group(name="quiz", description="Quizzes from the notes in this channel")

    @quiz.command(name="now", description="Post a quiz here now; everyone answers with its buttons")
    async def quiz_now(interaction: discord.Interaction) -> None:
        async def work(out: InteractionReplies) -> None:
            reply = await buddy.quiz_now(channel_of(interaction))
            try:
                sent = await out.send(reply)
            except BaseException:
                await buddy.quiz_not_posted(reply.data["quiz_id"])  # unseen, it must not hold the channel
                raise
            await buddy.quiz_posted(reply.data["quiz_id"], str(sent[-1].id))

        await run(interaction, work, private=False, name="/quiz now")

    @quiz.command(name="schedule", description="A quiz here every day at a local time (Manage Channels)")
    @app_commands.describe(time="24-hour time, e.g. 09:00", timezone="Time zone, e.g. Europe/Paris (default: UTC "
                           "or the one set before)")
    async def quiz_schedule(interaction: discord.Interaction, time: app_commands.Range[str, 1, 5],
                            timezone: app_commands.Range[str, 1, 64] | None = None) -> None:
        actor = actor_of(interaction)

        async def work(out: InteractionReplies) -> None:
            reply = await buddy.schedule(channel_of(interaction), grammar.parse_time(time), timezone, actor=actor)
            await out.send(reply)

        await run(interaction, work, private=not actor.can_manage, name="/quiz schedule")

    @quiz_schedule.autocomplete("timezone")
    async def timezone_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        zones = buddy.timezones(current)
        if not current.strip():
            zones = ["UTC", *[z for z in zones if z != "UTC"]][:25]  # before typing: the neutral choice first
        return [app_commands.Choice(name=zone, value=zone) for zone in zones]

    @quiz.command(name="unschedule", description="Stop the daily quiz here (Manage Channels)")
    async def quiz_unschedule(interaction: discord.Interaction) -> None:
        actor = actor_of(interaction)

        async def work(out: InteractionReplies) -> None:
            await out.send(await buddy.unschedule(channel_of(interaction), actor=actor))

        await run(interaction, work, private=not actor.can_manage, name="/quiz unschedule")

    @quiz.command(name="status", description="The daily quiz here and the quiz that is open")
    async def quiz_status(interaction: discord.Interaction) -> None:
        async def work(out: InteractionReplies) -> None:
            await out.send(await buddy.status(channel_of(interaction)))

        await run(interaction, work, private=True, name="/quiz status")

    @quiz.command(name="close", description="Close the open quiz now and reveal the answer (Manage Channels)")
    async def quiz_close(interaction: discord.Interaction) -> None:
        actor = actor_of(interaction)

        async def work(out: InteractionReplies) -> None:
            reply = await buddy.quiz_close(channel_of(interaction), actor=actor)
            await out.send(reply)
            await bot.show_closed(str(interaction.channel_id), (reply.data or {}).get("message_id"))

        await run(interaction, work, private=not actor.can_manage, name="/quiz close")

    tree.add_command(quiz)

    # Scores and help -----------------------------------------------------------------------

    @tree.command(name="leaderboard", description="Points, answers and streaks in this channel")
    @app_commands.describe(period="This week (default) or all time")
    @app_commands.choices(period=[app_commands.Choice(name="This week", value=Period.WEEK.value),
                                  app_commands.Choice(name="All time", value=Period.ALL.value)])
    async def leaderboard(interaction: discord.Interaction, period: str = Period.WEEK.value) -> None:
        async def work(out: InteractionReplies) -> None:
            await out.send(await buddy.leaderboard(channel_of(interaction), Period(period)))

        await run(interaction, work, private=False, name="/leaderboard")

    @tree.command(name="review", description="Your spaced-repetition review of what you missed (only you see it)")
    async def review(interaction: discord.Interaction) -> None:
        async def work(out: InteractionReplies) -> None:
            await out.send(await buddy.review(actor_of(interaction)))

        await run(interaction, work, private=True, name="/review")

    @tree.command(name="stats", description="A chart of your quiz accuracy, or of this channel's")
    @app_commands.describe(scope="Yours (only you see it) or this channel's")
    @app_commands.choices(scope=[app_commands.Choice(name="Mine", value="me"),
                                 app_commands.Choice(name="This channel", value="channel")])
    async def stats(interaction: discord.Interaction, scope: str = "me") -> None:
        async def work(out: InteractionReplies) -> None:
            if scope == "channel":
                reply = await buddy.stats(channel=channel_of(interaction))
            else:
                reply = await buddy.stats(actor=actor_of(interaction))
            await out.send(reply)

        await run(interaction, work, private=scope != "channel", name="/stats")

    @tree.command(name="help", description="What Study Buddy can do")
    async def help_(interaction: discord.Interaction) -> None:
        async def work(out: InteractionReplies) -> None:
            reply = buddy.help()
            await out.send(dataclasses.replace(reply, text=reply.text + DISCORD_HELP))

        await run(interaction, work, private=True, name="/help")


def _message_text(message: discord.Message) -> str:
    """A message's text for the context menus: its content, else its embeds' text (a bot's answer)."""
    if message.content:
        return message.content
    return "\n\n".join(part for e in message.embeds for part in (e.title, e.description) if part)


async def _read_text_file(file: discord.Attachment) -> str:
    name = file.filename.lower()
    kind = (file.content_type or "").split(";")[0]
    if not (name.endswith(".txt") or kind == "text/plain"):
        raise UserInputError(f"`/tokenize` reads `.txt` files; `{discord.utils.escape_markdown(file.filename[:60])}` "
                             "is not one. Paste the text instead, or save it as .txt.")
    if file.size > TOKENIZE_MAX_BYTES:
        raise UserInputError(f"That file is {file.size / 1024:,.0f} KB; `/tokenize` reads .txt files up to "
                             f"{TOKENIZE_MAX_BYTES // 1024:,} KB ({TOKENIZE_MAX_CHARS:,} characters). "
                             "Attach a shorter part.")
    return decode_text_file(await file.read())
