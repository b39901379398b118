"""Apply Alembic migrations programmatically (at start and via ``python -m bot db upgrade``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot.storage.engine import Database

MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK = 0x596F75746857  # pg_advisory_lock key: one migrating worker at a time


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


async def _run(db: Database, fn: str, revision: str) -> None:
    cfg = alembic_config(db.url)

    def go(connection: Connection) -> None:
        cfg.attributes["connection"] = connection
        getattr(command, fn)(cfg, revision)

    async with db.engine.begin() as conn:
        await conn.run_sync(go)


async def upgrade(db: Database, revision: str = "heads") -> None:
    await _run(db, "upgrade", revision)


async def downgrade(db: Database, revision: str = "base") -> None:
    await _run(db, "downgrade", revision)


async def upgrade_schema(db: Database, revision: str = "heads") -> None:
    """Migrate; on PostgreSQL under an advisory lock, as several workers may start together."""
    if not db.is_postgres:
        await upgrade(db, revision)
        return
    async with db.engine.connect() as lock:
        await lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        try:
            await upgrade(db, revision)
        finally:
            await lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
