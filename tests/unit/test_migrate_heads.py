"""Start-up skips alembic when the database is at every head (bot/storage/migrate.py)."""

from __future__ import annotations

from pathlib import Path

from bot.storage.engine import Database
from bot.storage.migrate import at_heads, script_heads, upgrade_schema


async def test_a_database_at_the_heads_is_left_alone(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'm.sqlite3'}")
    try:
        assert "0002" in script_heads()
        assert not await at_heads(db)  # empty: no alembic_version yet
        await upgrade_schema(db)
        assert await at_heads(db)
        await upgrade_schema(db)  # the usual start: nothing to do
        assert await at_heads(db)
    finally:
        await db.dispose()
