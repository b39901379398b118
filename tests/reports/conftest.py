"""Service-level report tests: a migrated database, a movable clock, a small national world
seeded by ``bench.seed`` (the benchmark's generator at a test's size) — no bot, no playground."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import event

from bench.seed import Scale, seed
from bot.config import Settings
from bot.services.context import AppContext, open_context
from bot.storage.engine import Database
from tests.world import MovableClock

NOW = datetime(2026, 6, 15, 1, 0, tzinfo=UTC)  # a Monday, 10:00 in Seoul


@pytest.fixture
async def ctx(settings: Settings) -> AsyncIterator[AppContext]:
    clock = MovableClock()
    clock.set(NOW)
    context = await open_context(settings, clock=clock)
    try:
        yield context
    finally:
        await context.db.dispose()


async def seed_world(ctx: AppContext, agencies: int, participants: int) -> None:
    await seed(ctx.db, Scale(agencies=agencies, participants=participants), ctx.now())


@contextmanager
def count_statements(db: Database) -> Iterator[list[str]]:
    """Every SQL statement the engine runs inside the block (their text)."""
    seen: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        seen.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)
