"""The terminal chat: what each typed line gets back."""

import io

import pytest
from rich.console import Console

from adapters.console.chat import ConsoleChat
from adapters.console.render import render
from bot.replies import Visibility
from bot.service import StudyBuddy


@pytest.fixture(scope="module")
def chat(knowledge_base):
    return ConsoleChat(StudyBuddy(knowledge_base))


@pytest.mark.asyncio
async def test_plain_text_is_a_question(chat, tmp_path):
    """Typing a question answers it with citations listed under the answer."""
    [reply] = await chat.handle("what is self consistency")
    out = io.StringIO()
    render(Console(file=out, width=100), reply, tmp_path)
    shown = out.getvalue()
    assert "[1]" in shown and "llm-foundations-week1.md" in shown and "Self-Consistency" in shown


@pytest.mark.asyncio
@pytest.mark.parametrize(("line", "expect"), [("/help", "/tokenize"), ("/frobnicate", "/help"), ("/ask", "/ask")])
async def test_commands_and_mistakes_get_short_private_replies(chat, line, expect):
    """Help, unknown commands and an empty /ask get a short private hint, never a traceback."""
    [reply] = await chat.handle(line)
    assert reply.visibility is Visibility.PRIVATE and expect in reply.text
