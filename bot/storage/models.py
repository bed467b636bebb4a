"""Tables for quiz state. The migration in ``migrations/versions`` is the schema's source of truth;
these models mirror it for queries (a test checks they agree)."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in Python on both backends.

    SQLite has no timezone type and hands back naive values; storing naive UTC there and
    re-attaching UTC on load keeps comparisons in SQL (stored as sortable text) correct.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    pass


class Person(Base):
    """Someone who answers, identified per platform (a Discord user and a Slack user are two people)."""

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("platform", "platform_user_id", name="uq_people_platform_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(32))
    platform_user_id: Mapped[str] = mapped_column(String(128))
    display_name: Mapped[str] = mapped_column(String(128))


class Channel(Base):
    __tablename__ = "channels"
    __table_args__ = (UniqueConstraint("platform", "platform_channel_id", name="uq_channels_platform_channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(32))
    platform_channel_id: Mapped[str] = mapped_column(String(128))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")


class Item(Base):
    """A snapshot of a posted QuizItem, so reveals and reviews survive a rebuilt quiz bank."""

    __tablename__ = "quiz_items"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    question: Mapped[str] = mapped_column(Text)
    options: Mapped[list] = mapped_column(JSON)
    answer: Mapped[int] = mapped_column(Integer)
    explanation: Mapped[str] = mapped_column(Text)
    source_title: Mapped[str] = mapped_column(Text)
    source_path: Mapped[str] = mapped_column(Text)
    topic: Mapped[str] = mapped_column(Text)


class Quiz(Base):
    """One posting of an item in a channel. ``local_date`` is the channel-local day it belongs to."""

    __tablename__ = "quizzes"
    __table_args__ = (Index("ix_quizzes_open", "closed_at", "closes_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("quiz_items.id"))
    kind: Mapped[str] = mapped_column(String(16))  # "daily" | "manual"
    local_date: Mapped[date] = mapped_column(Date)
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Set when a process claims the reveal; reset if the reveal could not be sent.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    message_id: Mapped[str | None] = mapped_column(String(128), nullable=True)


class Answer(Base):
    __tablename__ = "answers"
    # The exactly-once guarantee for answers: one row per (quiz, person), enforced by the database.
    __table_args__ = (UniqueConstraint("quiz_id", "person_id", name="uq_answers_quiz_person"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    option: Mapped[int] = mapped_column(Integer)
    correct: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Schedule(Base):
    __tablename__ = "schedules"

    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True)
    hour: Mapped[int] = mapped_column(Integer)
    minute: Mapped[int] = mapped_column(Integer)
    timezone: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SlotClaim(Base):
    """The exactly-once guarantee for daily posts: the primary key is (channel, local date)."""

    __tablename__ = "slot_claims"

    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True)
    slot_date: Mapped[date] = mapped_column(Date, primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # "claimed" | "posted" | "skipped"
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    owner: Mapped[str] = mapped_column(String(64))
    quiz_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ReviewCard(Base):
    """An FSRS card for one person and one missed item; ``card`` is ``fsrs.Card.to_dict()``."""

    __tablename__ = "review_cards"
    __table_args__ = (
        UniqueConstraint("person_id", "item_id", name="uq_review_cards_person_item"),
        Index("ix_review_cards_due", "person_id", "due"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(ForeignKey("quiz_items.id"))
    due: Mapped[datetime] = mapped_column(UTCDateTime())
    card: Mapped[dict] = mapped_column(JSON)
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AskedQuestion(Base):
    """One answered question: what 👍 / 👎 and "Quiz me on this" refer to."""

    __tablename__ = "asked_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    question: Mapped[str] = mapped_column(Text)
    standalone: Mapped[str] = mapped_column(Text)  # the question as retrieval read it (follow-ups rewritten)
    answer: Mapped[str] = mapped_column(Text)
    grounded: Mapped[bool] = mapped_column(Boolean)
    sources: Mapped[list] = mapped_column(JSON)  # [{"n", "title", "path"}]
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AnswerFeedback(Base):
    """A person's 👍 / 👎 on an answer; one per person and answer (a changed mind replaces it)."""

    __tablename__ = "answer_feedback"

    asked_id: Mapped[int] = mapped_column(ForeignKey("asked_questions.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    helpful: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class DeliveredEvent(Base):
    """A platform event already handled (Slack resends one it thinks we missed; replicas share this)."""

    __tablename__ = "delivered_events"
    __table_args__ = (Index("ix_delivered_events_seen", "seen_at"),)

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
