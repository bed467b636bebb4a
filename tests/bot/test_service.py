"""The core's ask(): replies a user sees for good and bad input."""

import pytest

from bot.errors import UserInputError
from bot.service import StudyBuddy


@pytest.fixture(scope="module")
def service(knowledge_base):
    return StudyBuddy(knowledge_base, max_question_chars=2000)


@pytest.mark.asyncio
@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
async def test_empty_question_gets_usage_hint(service, blank):
    """An empty question is a usage hint, not an error trace."""
    with pytest.raises(UserInputError, match="/ask"):
        await service.ask(blank)


@pytest.mark.asyncio
async def test_huge_question_is_answered_from_its_start(service):
    """A 20,000-character question is answered from its start, with a note that it was shortened."""
    q = "what is the vanishing gradient problem? " + "blah " * 4000
    assert len(q) >= 20000
    reply = await service.ask(q)
    assert "first 2,000 characters" in reply.text
    assert reply.data["grounded"] and "Chinese whispers" in reply.text


@pytest.mark.asyncio
async def test_reply_carries_sources_and_json_shape(service):
    """A grounded reply lists its cited passages with their full text, in the documented JSON shape."""
    reply = await service.ask("what is tokenization")
    assert set(reply.data) == {"question", "answer", "grounded", "sources"}
    src = reply.data["sources"][0]
    assert set(src) == {"n", "title", "path", "text", "score"}
    assert src["n"] == 1 and src["path"].endswith(".md") and "Tokenization is" in src["text"]
    assert reply.sources[0].title == src["title"]
