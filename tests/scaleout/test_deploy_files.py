"""deploy/ checked without Docker: the compose file parses and describes the fleet, the Dockerfile
and the systemd unit say what the README promises, and .env.example documents every setting."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import yaml

from bot.config import Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
# documented in .env.example but read elsewhere: fonts.py, and docker-compose.yml only
NOT_SETTINGS = {"KOREAN_FONT", "POSTGRES_PASSWORD", "WEBHOOK_DOMAIN", "WEBHOOK_PATH"}


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))


def test_env_example_documents_every_setting() -> None:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^# ?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))
    settings = {name.upper() for name in Settings.model_fields}
    assert settings - documented == set(), "add these to .env.example"
    assert documented - settings - NOT_SETTINGS == set(), "no such setting in bot/config.py"
    # a copy of the example changes nothing: every line is a comment
    assert all(not line or line.startswith("#") for line in text.splitlines())


def test_compose_describes_the_fleet() -> None:
    compose = _compose()
    services = compose["services"]
    workers = {
        name: s for name, s in services.items() if name.startswith("bot-") and "command" not in s
    }
    assert len(workers) >= 2
    for worker in workers.values():
        env = worker["environment"]
        assert env["DATABASE_URL"].startswith("postgresql+asyncpg://")
        assert env["REDIS_URL"].startswith("redis://")
        assert env["WEBHOOK_URL"] and env["DATA_KEY"]  # required (${…:?…}) and shared
        assert worker["env_file"] == "../.env"
        assert worker["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
        needs = worker["depends_on"]
        assert needs["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"] == ["python", "-m", "bot", "db", "upgrade"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    for name in ("postgres", "redis"):
        assert services[name]["healthcheck"]["test"]
    proxy = services["proxy"]
    assert "443:443" in proxy["ports"]
    caddyfile = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    for name in workers:
        assert f"{name}:8080" in caddyfile
    assert "health_uri /healthz" in caddyfile
    assert set(compose["volumes"]) >= {"pgdata", "redisdata"}


def test_dockerfile() -> None:
    lines = [
        line.strip()
        for line in (DEPLOY / "Dockerfile").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    text = "\n".join(lines)
    assert lines[0] == "FROM python:3.11-slim"
    assert "fonts-nanum" in text
    assert re.search(r"^RUN pip install \.", text, flags=re.MULTILINE)
    users = [line for line in lines if line.startswith("USER ")]
    assert users and users[-1] != "USER root"  # runs unprivileged
    assert 'CMD ["python", "-m", "bot", "health"]' in text  # HEALTHCHECK
    cmd = lines[-1]
    assert cmd.startswith("CMD ") and cmd.index("db upgrade") < cmd.index("bot run")
    assert "exec python -m bot run" in cmd  # signals reach the bot
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8")
    assert "!bot/**" in ignore


def test_systemd_unit() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(DEPLOY / "youth-work-bot.service", encoding="utf-8")
    service = unit["Service"]
    assert service["ExecStart"].endswith("python -m bot run")
    assert service["ExecStartPre"].endswith("python -m bot db upgrade")
    assert service["User"] != "root" and service["EnvironmentFile"].endswith(".env")
    assert service["RestartPreventExitStatus"] == "2"  # configuration errors
    assert unit["Install"]["WantedBy"] == "multi-user.target"
