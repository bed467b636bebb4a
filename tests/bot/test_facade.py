"""The facade's ask(): replies a user sees for good and bad input."""

import pytest

from bot.errors import UserInputError


@pytest.fixture
def service(app):
    return app.buddy


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
    assert {"question", "answer", "grounded", "sources", "confidence", "answer_id"} <= set(reply.data)
    src = reply.data["sources"][0]
    assert set(src) == {"n", "title", "path", "text", "score"}
    assert src["n"] == 1 and src["path"].endswith(".md") and "Tokenization is" in src["text"]
    assert reply.sources[0].title == src["title"]


@pytest.mark.asyncio
async def test_concurrent_questions_are_each_answered(service):
    """Questions asked at the same moment (batched into shared model calls) each get their own answer."""
    import asyncio

    questions = ["what is RAG", "what is tokenization", "what is the vanishing gradient problem?"] * 4
    replies = await asyncio.gather(*(service.ask(q) for q in questions))
    for q, reply in zip(questions, replies, strict=True):
        assert reply.data["question"] == q and reply.data["grounded"]
    assert len({r.data["answer_id"] for r in replies}) == len(questions)
    assert replies[0].text == replies[3].text and replies[0].text != replies[1].text


@pytest.mark.asyncio
async def test_a_quiz_that_could_not_be_posted_does_not_block_the_channel(service):
    """When a surface fails to post a quiz it reports so, and the channel can have a quiz at once."""
    from bot.replies import ChannelRef

    room = ChannelRef("test", "room")
    lost = await service.quiz_now(room)
    await service.quiz_not_posted(lost.data["quiz_id"])
    assert await service.open_quiz(room) is None
    again = await service.quiz_now(room)
    assert again.title.startswith("Quiz #") and await service.open_quiz(room) == again.data["quiz_id"]
