"""Settings come from STUDYBUDDY_* variables and .env; secrets never show."""

from pathlib import Path

from bot.config import Settings


def test_settings_from_env_and_dotenv(tmp_path, monkeypatch):
    """Environment variables override .env, which overrides defaults; tokens stay secret."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("STUDYBUDDY_DATA_DIR=/srv/sb\nSTUDYBUDDY_DISCORD_TOKEN=abc.def\n")
    monkeypatch.setenv("STUDYBUDDY_CHROMA_URL", "http://127.0.0.1:9000")
    s = Settings()
    assert s.data_dir == Path("/srv/sb") and s.chroma_url == "http://127.0.0.1:9000"
    assert s.discord_token.get_secret_value() == "abc.def"
    assert "abc.def" not in repr(s) and "abc.def" not in str(s.model_dump())
    assert s.sqlalchemy_url.startswith("sqlite+aiosqlite:///")
