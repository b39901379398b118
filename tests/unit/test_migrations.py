"""Migrations: upgrade from empty, downgrade to base, upgrade again; models match the schema."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.storage import migrate
from bot.storage.engine import Database
from bot.storage.models import Base


async def _tables(db: Database) -> set[str]:
    async with db.engine.connect() as conn:
        return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))


async def test_upgrade_downgrade_upgrade(db_url: str) -> None:
    db = Database(db_url)
    try:
        await migrate.upgrade(db)
        expected = set(Base.metadata.tables)
        assert expected <= await _tables(db)
        await migrate.downgrade(db, "base")
        assert not (expected & await _tables(db))
        await migrate.upgrade(db)
        assert expected <= await _tables(db)
    finally:
        await db.dispose()


async def test_models_match_migrations(db_url: str) -> None:
    """A model change without its migration fails here (alembic autogenerate finds a diff)."""
    db = Database(db_url)
    try:
        await migrate.upgrade(db)
        async with db.engine.connect() as conn:
            diff = await conn.run_sync(
                lambda c: compare_metadata(
                    MigrationContext.configure(c, opts={"compare_type": False}), Base.metadata
                )
            )
        assert diff == []
    finally:
        await db.dispose()


async def test_sqlite_pragmas(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'p.sqlite3'}")
    try:
        async with db.engine.connect() as conn:
            mode = (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar()
            fk = (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar()
            busy = (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar()
        assert (mode, fk) == ("wal", 1)
        assert busy >= 5000
    finally:
        await db.dispose()
