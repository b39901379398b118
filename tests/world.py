"""The test world: the playground Bot API server and the real bot, talking over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from bot.config import Settings
from bot.playground.driver import PlaygroundUser
from bot.runtime import PLAYGROUND_TOKEN, BotRuntime
from bot.services.context import AppContext, open_context
from bot.services.demo import DEMO_PEOPLE, seed_demo

PARTICIPANT, PARTICIPANT_2, STAFF, HEAD, CENTER = (p.telegram_id for p in DEMO_PEOPLE)


async def reset_postgres(url: str) -> None:
    """An empty public schema; the database itself is created when missing (per xdist worker)."""
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    try:
        conn = await asyncpg.connect(dsn)
    except asyncpg.InvalidCatalogNameError:
        base, _, name = dsn.rpartition("/")
        admin = await asyncpg.connect(f"{base}/postgres")
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        except asyncpg.DuplicateDatabaseError:
            pass
        finally:
            await admin.close()
        conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await conn.close()


class MovableClock:
    """The bot's clock in tests: real time unless moved (``set`` / ``advance``)."""

    def __init__(self) -> None:
        self.fixed: datetime | None = None
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return (self.fixed or datetime.now(UTC)) + self.offset

    def set(self, when: datetime) -> None:
        self.fixed, self.offset = when, timedelta(0)

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


class World:
    def __init__(self, settings: Settings, **playground_options: Any) -> None:
        from bot.playground.server import PlaygroundServer

        self.settings = settings
        self.playground = PlaygroundServer(PLAYGROUND_TOKEN, **playground_options)
        self.clock = MovableClock()
        self.ctx: AppContext
        self.runtime: BotRuntime | None = None

    async def start(self, *, seed: bool = True) -> None:
        await self.playground.start()
        self.ctx = await open_context(self.settings, clock=self.clock)
        if seed:
            await seed_demo(self.ctx)
        await self._start_bot()

    async def _start_bot(self) -> None:
        self.runtime = BotRuntime(self.ctx, PLAYGROUND_TOKEN, self.playground.base_url)
        await self.runtime.start()

    async def stop_bot(self) -> None:
        if self.runtime is not None:
            await self.runtime.stop()
            self.runtime = None

    async def restart(self) -> None:
        """Stop the bot and start a new one on a fresh connection to the same database."""
        await self.stop_bot()
        await self.ctx.db.dispose()
        self.ctx = await open_context(self.settings, clock=self.clock)
        await self._start_bot()

    async def stop(self) -> None:
        await self.stop_bot()
        await self.ctx.db.dispose()
        await self.playground.stop()

    def user(
        self, telegram_id: int, first_name: str | None = None, **kwargs: Any
    ) -> PlaygroundUser:
        if first_name is None:
            first_name = next(
                (p.first_name for p in DEMO_PEOPLE if p.telegram_id == telegram_id), "테스터"
            )
        return self.playground.user(telegram_id, first_name, **kwargs)
