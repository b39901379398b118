"""Shared fixtures: a database (SQLite per test, or TEST_DATABASE_URL), the playground Bot API
server and the real bot polling it over HTTP — all in the test's own event loop."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.runtime import PLAYGROUND_TOKEN
from tests.world import World, reset_postgres

TEST_KEY = "q3t7m6n9r2x5a8b1c4d7e0f3g6h9j2k5l8m1n4p7q0s="  # 32 bytes, base64, tests only


def worker_database_url(url: str) -> str:
    """Under pytest-xdist each worker gets a PostgreSQL database of its own (``test_gw0`` …)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base, _, name = url.rpartition("/")
    return f"{base}/{name}_{worker}"


@pytest.fixture
async def db_url(tmp_path: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        url = worker_database_url(url)
        await reset_postgres(url)
        return url
    return f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=PLAYGROUND_TOKEN,
        database_url=db_url,
        data_dir=tmp_path / "data",
        data_key=TEST_KEY,
        center_user_ids=[3001],
        scheduler_enabled=False,
    )


@pytest.fixture
async def world(settings: Settings) -> AsyncIterator[World]:
    """The playground + the real bot, with the demo data loaded."""
    w = World(settings)
    await w.start(seed=True)
    try:
        yield w
    finally:
        await w.stop()


@pytest.fixture
async def empty_world(settings: Settings) -> AsyncIterator[World]:
    w = World(settings)
    await w.start(seed=False)
    try:
        yield w
    finally:
        await w.stop()
