"""The deployment files as an operator uses them: every setting documented, a compose file that wires
the services the way the README says (no Docker daemon runs here, so the structure is checked)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml

from bot.config import Settings
from tests.support import ROOT

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
BOTS = ("discord", "slack")


def test_env_example_lists_every_setting():
    """.env.example names every STUDYBUDDY_ setting, each with a comment line above it."""
    text = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^(STUDYBUDDY_\w+)=", text, re.MULTILINE))
    assert listed == {f"STUDYBUDDY_{name.upper()}" for name in Settings.model_fields}
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("STUDYBUDDY_"):
            assert lines[i - 1].startswith("# ") and len(lines[i - 1]) > 5, line


def test_services_volumes_and_health():
    """discord, slack, chroma and postgres run with volumes and healthchecks; ports listen on 127.0.0.1 only."""
    services = COMPOSE["services"]
    assert {"discord", "slack", "chroma", "postgres", "ingest"} <= set(services)
    assert {"postgres-data", "chroma-data"} <= set(COMPOSE["volumes"])
    for name in ("discord", "slack", "chroma", "postgres"):
        assert "test" in services[name]["healthcheck"], name
    for name, service in services.items():
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), (name, port)


def test_bots_start_after_healthy_dependencies_and_the_ingest_job():
    """Bots wait for healthy PostgreSQL and Chroma and for the one ingest job; replicas never build the index."""
    for name in BOTS:
        service = COMPOSE["services"][name]
        deps = service["depends_on"]
        assert deps["postgres"]["condition"] == deps["chroma"]["condition"] == "service_healthy"
        assert deps["ingest"]["condition"] == "service_completed_successfully"
        env = service["environment"]
        assert env["STUDYBUDDY_INGEST_AT_START"] == "false"
        assert env["STUDYBUDDY_CHROMA_URL"] == "http://chroma:8000"
        assert env["STUDYBUDDY_DATABASE_URL"].startswith("postgresql+asyncpg://")
        assert service["env_file"] == ".env"  # secrets come from .env, never from this file
    assert COMPOSE["services"]["ingest"]["command"] == ["studybuddy", "ingest"]


def test_no_secret_is_written_into_the_compose_file():
    """Tokens and passwords are references to .env, never literal values."""
    text = (ROOT / "docker-compose.yml").read_text()
    assert "${POSTGRES_PASSWORD" in text
    for secret in ("TOKEN", "SECRET"):
        for match in re.finditer(rf"STUDYBUDDY_\w*{secret}\w*:\s*(\S*)", text):
            assert match.group(1) in ('""', "''"), match.group(0)


def test_dockerfile_is_slim_cpu_only_and_non_root():
    """The image uses a slim base, CPU-only torch installed first, and runs as a non-root user."""
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim", text, re.MULTILINE)
    torch = text.index("download.pytorch.org/whl/cpu torch==2.13.0")
    assert torch < text.index("COPY pyproject.toml") < text.index("COPY bot")  # cache-friendly order
    assert re.search(r"^USER (?!root)\w+", text, re.MULTILINE) and "HEALTHCHECK" in text


@pytest.mark.skipif(not (shutil.which("docker-compose") or shutil.which("docker")), reason="no compose CLI")
def test_compose_config_validates(tmp_path):
    """Where a compose CLI is installed, it accepts the file."""
    cli = [shutil.which("docker-compose")] if shutil.which("docker-compose") else [shutil.which("docker"), "compose"]
    (tmp_path / ".env").write_text("POSTGRES_PASSWORD=x\n")
    probe = subprocess.run([*cli, "version"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip("this docker client has no compose plugin")
    out = subprocess.run([*cli, "-f", str(ROOT / "docker-compose.yml"), "--env-file", str(tmp_path / ".env"), "config"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
