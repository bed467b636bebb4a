"""Language-model settings: unset means extractive answers; a half-configured model fails at start in one line."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.app import Parts, build_app
from bot.config import Settings
from bot.errors import ConfigError

NO_INDEX = Parts(index=False, ingest=False, state=False, scheduler=False, warm=False)


def test_llm_settings_from_the_environment(monkeypatch, tmp_path):
    """The four STUDYBUDDY_LLM_* variables are read; the key stays secret; a blank one means unset."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STUDYBUDDY_LLM_BASE_URL", "http://127.0.0.1:11434/v1")
    monkeypatch.setenv("STUDYBUDDY_LLM_MODEL", "llama3.2")
    monkeypatch.setenv("STUDYBUDDY_LLM_API_KEY", "sk-local-42")
    monkeypatch.setenv("STUDYBUDDY_LLM_TIMEOUT", "12.5")
    s = Settings()
    assert (s.llm_url, s.llm_model, s.llm_timeout) == ("http://127.0.0.1:11434/v1", "llama3.2", 12.5)
    assert s.llm_api_key.get_secret_value() == "sk-local-42" and "sk-local-42" not in repr(s)
    monkeypatch.setenv("STUDYBUDDY_LLM_BASE_URL", "")
    monkeypatch.setenv("STUDYBUDDY_LLM_MODEL", "")
    assert not Settings().llm_configured


def test_a_timeout_must_be_positive(monkeypatch, tmp_path):
    """A zero or negative timeout is refused when settings are read."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STUDYBUDDY_LLM_TIMEOUT", "0")
    with pytest.raises(ValidationError):
        Settings()


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("update", "names"),
    [
        ({"llm_base_url": "http://127.0.0.1:11434/v1"}, "STUDYBUDDY_LLM_MODEL"),
        ({"llm_model": "gpt-4o-mini"}, "STUDYBUDDY_LLM_API_KEY"),
    ],
)
async def test_a_half_configured_model_fails_at_start(settings, update, names):
    """A base URL without a model, or OpenAI's default URL without a key: one ConfigError line naming the fix."""
    with pytest.raises(ConfigError, match=names):
        async with build_app(settings.model_copy(update=update), parts=NO_INDEX):
            pass
