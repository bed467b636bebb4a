"""The terminal chat: what each typed line gets back, from questions to quizzes and follow-ups."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from adapters.console.chat import ConsoleChat
from adapters.console.render import render
from bot.app import Parts, build_app
from bot.replies import Visibility

pytestmark = pytest.mark.asyncio


@pytest.fixture
def chat(app, tmp_path):
    return ConsoleChat(app.buddy, Console(file=io.StringIO(), width=100), tmp_path / "images")


def _shown(reply, tmp_path) -> str:
    out = io.StringIO()
    render(Console(file=out, width=100), reply, tmp_path)
    return out.getvalue()


async def test_plain_text_is_a_question(chat, tmp_path):
    """Typing a question answers it with citations listed under the answer and the feedback commands."""
    [reply] = await chat.handle("what is self consistency")
    shown = _shown(reply, tmp_path)
    assert "[1]" in shown and "llm-foundations-week1.md" in shown and "Self-Consistency" in shown
    assert "/helpful · /unhelpful" in shown


@pytest.mark.parametrize(("line", "expect"), [("/help", "/tokenize"), ("/frobnicate", "/help"), ("/ask", "/ask"),
                                              ("/quiz schedule 9am", "HH:MM")])
async def test_commands_and_mistakes_get_short_private_replies(chat, line, expect):
    """Help, unknown commands, an empty /ask and a bad time get a short private hint, never a traceback."""
    [reply] = await chat.handle(line)
    assert reply.visibility is Visibility.PRIVATE and expect in reply.text


@pytest.mark.parametrize("line", ["²", "①", "٣"])
async def test_unicode_digits_do_not_crash(chat, line):
    """Characters Python calls digits but int() cannot read are taken as text, not numbers."""
    [reply] = await chat.handle(line)
    assert "error" not in (reply.data or {})


async def test_follow_up_uses_the_chat_history(chat):
    """"and its limitations?" after a question on transformers is answered about transformers."""
    await chat.handle("what is a transformer?")
    [reply] = await chat.handle("and what are its limitations?")
    assert "transformer" in reply.data["standalone_question"].lower()
    assert any("Limitations" in s.title for s in reply.sources)
    assert "I read this follow-up as" in reply.text


async def test_quiz_by_numbers_and_nothing_else_while_open(chat):
    """With a quiz open, a number answers it, other text gets a hint; after answering, text is a question again."""
    [quiz] = await chat.handle("/quiz now")
    n = len(quiz.buttons)
    [hint] = await chat.handle("what is RAG?")
    assert f"Answer with 1–{n}" in hint.text and "/ask" in hint.text
    [out_of_range] = await chat.handle(str(n + 1))
    assert f"1–{n}" in out_of_range.text
    [answered] = await chat.handle("1")
    assert "correct" in answered.data
    [question] = await chat.handle("what is RAG?")
    assert question.data["grounded"]
    [reveal] = await chat.handle("/quiz close")
    assert reveal.data["reveal"] and sum(reveal.data["counts"]) == 1


async def test_feedback_and_quiz_me_on_the_last_answer(chat):
    """/helpful stores a vote on the last answer; /quizme shows a card that numbers then answer."""
    [none] = await chat.handle("/helpful")
    assert "ask a question first" in none.text
    await chat.handle("what is RAG?")
    [thanks] = await chat.handle("/helpful")
    assert thanks.data["helpful"] is True
    [card] = await chat.handle("/quizme")
    assert card.title == "Quiz me" and card.buttons
    [result] = await chat.handle("1")
    assert "correct" in result.data


async def test_a_failing_component_answers_that_message_and_the_chat_goes_on(settings, real_embedder, chroma_client,
                                                                              knowledge_base, tmp_path):
    """A broken price table fails /tokenize with a short apology; the next question is answered."""
    bad = tmp_path / "prices.toml"
    bad.write_text("this is [not toml")
    broken = settings.model_copy(update={"pricing_file": bad})
    async with build_app(broken, embedder=real_embedder, chroma_client=chroma_client,
                         parts=Parts(scheduler=False, warm=False)) as running:
        chat = ConsoleChat(running.buddy, Console(file=io.StringIO()), tmp_path)
        [failed] = await chat.handle("/tokenize hello")
        assert failed.visibility is Visibility.PRIVATE and "reference" in failed.text
        [answer] = await chat.handle("what is RAG?")
        assert answer.data["grounded"]


async def test_scheduled_posts_are_shown_and_answerable(chat, app, clock):
    """A daily quiz posted by the scheduler appears in the chat and a number answers it."""
    from datetime import time, timedelta

    from adapters.console.chat import CHANNEL

    await app.buddy.schedule(CHANNEL, time(9, 0), "UTC", actor=chat.actor)
    await app.attach("console", chat)
    clock.set(clock() + timedelta(hours=3, seconds=1))
    [quiz_id] = await app.scheduler.run_due()
    assert chat.card is not None and chat.card.data["quiz_id"] == quiz_id
    [answered] = await chat.handle("2")
    assert "correct" in answered.data


async def test_simpler_deeper_and_example_re_answer_the_last_question(chat):
    """/simpler, /deeper and /example re-answer the last question from its passages, each citing the notes."""
    await chat.handle("what is RAG?")
    for word in ("/simpler", "/deeper", "/example"):
        [reply] = await chat.handle(word)
        assert reply.text and "ask a question first" not in reply.text, word
