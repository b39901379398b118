"""Engine and session factory: SQLite (WAL, foreign keys, busy timeout) or PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine.url import make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

# A writer waits this long for the lock; a busy machine (the suite on four workers, load 10 on two
# cores) saw "database is locked" after 10 s.
SQLITE_BUSY_TIMEOUT_MS = 30_000


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        if parsed.get_driver_name() == "aiosqlite":
            from bot.storage.sqlite_driver import Dbapi

            kwargs.setdefault("module", Dbapi())  # one thread hand-off per statement
            # SQLAlchemy's 5 + 10 overflow, kept: an overflow connection is a new thread and a
            # new SQLite connection each time (as on PostgreSQL below)
            kwargs.setdefault("pool_size", 15)
            kwargs.setdefault("max_overflow", 0)
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    # Connections are kept, never made and dropped under load: with a pool of 10 (+20 overflow)
    # the benchmark's 200 people at once made 106 connections in one run (each ~2 ms of CPU and
    # asyncpg's codecs set up again), 7.3 ms of CPU per update; kept at 30, 28 (the pool filling
    # once) and 5.9 ms. Two workers (deploy/) stay under PostgreSQL's 100 connections.
    kwargs.setdefault("pool_size", 30)
    kwargs.setdefault("max_overflow", 0)
    # No pre-ping: it cost a round trip at every checkout (~5 % of the CPU per update). A
    # connection found dead instead invalidates the pool, and the update's opening read is tried
    # again once on a new one (bot.middlewares.unit_of_work); an idle one is renewed after 30 min.
    kwargs.setdefault("pool_recycle", 1800)
    return create_async_engine(url, **kwargs)


# what runs a statement: an ORM session (the services) or a bare connection (the update pipeline)
Executor = AsyncSession | AsyncConnection


class Database:
    """Owns the engine; ``session()`` opens one unit of work (commit on success).

    ``connection()`` and ``statement()`` are for the few statements every update runs (the update
    pipeline): Core, without the ORM session's bookkeeping."""

    def __init__(self, url: str, **kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **kwargs)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)
        # PostgreSQL: a statement on its own needs no BEGIN / COMMIT round trips (asyncpg's
        # autocommit is a flag of the adapter, set without a round trip at checkout)
        self._autocommit = (
            self.engine.execution_options(isolation_level="AUTOCOMMIT")
            if self.is_postgres
            else None
        )

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConnection]:
        """One transaction on a bare connection (commit on success)."""
        async with self.engine.begin() as conn:
            yield conn

    @asynccontextmanager
    async def statement(self) -> AsyncIterator[AsyncConnection]:
        """For statements that are each whole on their own (one read, one write): on PostgreSQL
        each commits by itself; on SQLite it is ``connection()`` (pysqlite begins only before a
        write, and the driver skips a commit with nothing to commit)."""
        if self._autocommit is None:
            async with self.connection() as conn:
                yield conn
        else:
            async with self._autocommit.connect() as conn:
                yield conn

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self.sessionmaker() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
