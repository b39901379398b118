"""Workers that start together on one PostgreSQL database migrate it once, one at a time."""

from __future__ import annotations

import asyncio

from alembic.script import ScriptDirectory
from sqlalchemy import text

from bot.storage import migrate
from bot.storage.engine import Database
from bot.storage.migrate import upgrade_schema


async def test_concurrent_starts_migrate_safely(pg_url: str) -> None:
    databases = [Database(pg_url) for _ in range(3)]  # three processes' connection pools
    try:
        await asyncio.gather(*(upgrade_schema(db) for db in databases))
        async with databases[0].engine.connect() as conn:
            versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
        heads = ScriptDirectory.from_config(migrate.alembic_config(pg_url)).get_heads()
        assert {v for (v,) in versions} == set(heads)
    finally:
        for db in databases:
            await db.dispose()
