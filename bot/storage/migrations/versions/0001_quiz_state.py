"""Quiz state: people, channels, items, quizzes, answers, schedules, slot claims, review cards.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("platform_user_id", sa.String(128), nullable=False),
        sa.Column("display_name", sa.String(128), nullable=False),
        sa.UniqueConstraint("platform", "platform_user_id", name="uq_people_platform_user"),
    )
    op.create_table(
        "channels",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("platform_channel_id", sa.String(128), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False, server_default="UTC"),
        sa.UniqueConstraint("platform", "platform_channel_id", name="uq_channels_platform_channel"),
    )
    op.create_table(
        "quiz_items",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("options", sa.JSON, nullable=False),
        sa.Column("answer", sa.Integer, nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("source_title", sa.Text, nullable=False),
        sa.Column("source_path", sa.Text, nullable=False),
        sa.Column("topic", sa.Text, nullable=False),
    )
    op.create_table(
        "quizzes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("channel_id", sa.Integer, sa.ForeignKey("channels.id", ondelete="CASCADE"), nullable=False),
        sa.Column("item_id", sa.String(128), sa.ForeignKey("quiz_items.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("local_date", sa.Date, nullable=False),
        _ts("posted_at"),
        _ts("closes_at"),
        _ts("closed_at", nullable=True),
        sa.Column("message_id", sa.String(128), nullable=True),
    )
    op.create_index("ix_quizzes_channel_id", "quizzes", ["channel_id"])
    op.create_index("ix_quizzes_open", "quizzes", ["closed_at", "closes_at"])
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("quiz_id", sa.Integer, sa.ForeignKey("quizzes.id", ondelete="CASCADE"), nullable=False),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("option", sa.Integer, nullable=False),
        sa.Column("correct", sa.Boolean, nullable=False),
        _ts("answered_at"),
        sa.UniqueConstraint("quiz_id", "person_id", name="uq_answers_quiz_person"),
    )
    op.create_index("ix_answers_person_id", "answers", ["person_id"])
    op.create_table(
        "schedules",
        sa.Column(
            "channel_id",
            sa.Integer,
            sa.ForeignKey("channels.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("hour", sa.Integer, nullable=False),
        sa.Column("minute", sa.Integer, nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        _ts("updated_at"),
    )
    op.create_table(
        "slot_claims",
        sa.Column(
            "channel_id",
            sa.Integer,
            sa.ForeignKey("channels.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("slot_date", sa.Date, primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        _ts("claimed_at"),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("quiz_id", sa.Integer, nullable=True),
    )
    op.create_table(
        "review_cards",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("item_id", sa.String(128), sa.ForeignKey("quiz_items.id"), nullable=False),
        _ts("due"),
        sa.Column("card", sa.JSON, nullable=False),
        sa.Column("reviews", sa.Integer, nullable=False),
        _ts("updated_at"),
        sa.UniqueConstraint("person_id", "item_id", name="uq_review_cards_person_item"),
    )
    op.create_index("ix_review_cards_due", "review_cards", ["person_id", "due"])


def downgrade() -> None:
    for index, table in (
        ("ix_review_cards_due", "review_cards"),
        ("ix_answers_person_id", "answers"),
        ("ix_quizzes_open", "quizzes"),
        ("ix_quizzes_channel_id", "quizzes"),
    ):
        op.drop_index(index, table_name=table)
    for table in (
        "review_cards",
        "slot_claims",
        "schedules",
        "answers",
        "quizzes",
        "quiz_items",
        "channels",
        "people",
    ):
        op.drop_table(table)
