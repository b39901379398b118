"""Scale-out fixtures: a fresh PostgreSQL database per test and a Redis database of our own.

These tests use the machine's real PostgreSQL and Redis (whatever TEST_DATABASE_URL says, so they
run in the SQLite pass of CI too) and are skipped, with the reason, where either is unreachable.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import redis.asyncio as aioredis

from bot.config import Settings
from bot.runtime import PLAYGROUND_TOKEN
from tests.conftest import TEST_KEY

PG_SERVER = os.environ.get(
    "SCALEOUT_DATABASE_URL",
    os.environ.get("TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"),
)
if not PG_SERVER.startswith("postgresql"):
    PG_SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
# A Redis database number of its own (one per pytest-xdist worker: 9, 10, …), emptied before and
# after each test that uses it.
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_URL = os.environ.get("SCALEOUT_REDIS_URL", f"redis://127.0.0.1:6379/{9 + _WORKER % 6}")


def _dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


def with_database(url: str, name: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    """A new, empty PostgreSQL database (dropped afterwards): tests can't disturb each other."""
    try:
        admin = await asyncpg.connect(_dsn(PG_SERVER), timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        pytest.skip(f"PostgreSQL is not reachable at {PG_SERVER} ({exc!r})")
    name = f"scaleout_{uuid.uuid4().hex[:12]}"
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield with_database(PG_SERVER, name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture
async def redis_url() -> AsyncIterator[str]:
    client = aioredis.from_url(REDIS_URL)
    try:
        await client.ping()
    except (OSError, aioredis.RedisError) as exc:
        await client.aclose()
        pytest.skip(f"Redis is not reachable at {REDIS_URL} ({exc!r})")
    await client.flushdb()
    try:
        yield REDIS_URL
    finally:
        await client.flushdb()
        await client.aclose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_settings(database_url: str, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "bot_token": PLAYGROUND_TOKEN,
        "database_url": database_url,
        "data_dir": tmp_path / "data",
        "data_key": TEST_KEY,
        "center_user_ids": [3001],
        "scheduler_enabled": False,
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def worker_env(settings: Settings, api_base: str) -> dict[str, str]:
    """The environment of a ``python -m bot run`` subprocess configured like ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.isupper() or k in _KEEP}
    names = {
        "bot_token": PLAYGROUND_TOKEN,
        "telegram_api_base": api_base,
        "database_url": settings.database_url,
        "redis_url": settings.redis_url,
        "data_dir": str(settings.data_dir),
        "data_key": TEST_KEY,
        "center_user_ids": ",".join(map(str, settings.center_user_ids)),
        "scheduler_enabled": "false",
        "log_level": "WARNING",
        "webhook_url": settings.webhook_url,
        "webhook_secret": settings.webhook_secret.get_secret_value()
        if settings.webhook_secret
        else None,
        "webhook_host": settings.webhook_host,
        "webhook_port": str(settings.webhook_port),
    }
    env.update({k.upper(): v for k, v in names.items() if v is not None})
    return env


_KEEP = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV", "PYTHONPATH", "SYSTEMROOT"}
