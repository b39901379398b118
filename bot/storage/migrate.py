"""Apply Alembic migrations programmatically (at start and via ``python -m bot db upgrade``)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

from bot.storage.engine import Database

MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK = 0x596F75746857  # pg_advisory_lock key: one migrating worker at a time


def alembic_config(url: str) -> Config:
    from alembic.config import Config  # alembic (~8 MiB) is imported only to migrate

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


async def _run(db: Database, fn: str, revision: str) -> None:
    cfg = alembic_config(db.url)

    def go(connection: Connection) -> None:
        from alembic import command

        cfg.attributes["connection"] = connection
        getattr(command, fn)(cfg, revision)

    async with db.engine.begin() as conn:
        await conn.run_sync(go)


async def upgrade(db: Database, revision: str = "heads") -> None:
    await _run(db, "upgrade", revision)


async def downgrade(db: Database, revision: str = "base") -> None:
    await _run(db, "downgrade", revision)


def _literal(module: ast.Module, name: str) -> Any:
    for node in module.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    return None


def script_heads() -> set[str]:
    """The head revisions of migrations/versions, read without importing alembic."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        module = ast.parse(path.read_text(encoding="utf-8"))
        revision, down = _literal(module, "revision"), _literal(module, "down_revision")
        if isinstance(revision, str):
            revisions.add(revision)
        parents.update([down] if isinstance(down, str) else (down or ()))
    return revisions - parents


async def at_heads(db: Database) -> bool:
    """True when the database is already at every head (the usual start: nothing to do)."""
    try:
        async with db.engine.connect() as conn:
            rows = await conn.execute(text("SELECT version_num FROM alembic_version"))
            current = {r[0] for r in rows}
    except DBAPIError:  # no alembic_version table yet
        return False
    return current == script_heads()


async def upgrade_schema(db: Database, revision: str = "heads") -> None:
    """Migrate; on PostgreSQL under an advisory lock, as several workers may start together.
    A database already at the heads is left alone without loading alembic."""
    if revision == "heads" and await at_heads(db):
        return
    if not db.is_postgres:
        await upgrade(db, revision)
        return
    async with db.engine.connect() as lock:
        await lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        try:
            await upgrade(db, revision)
        finally:
            await lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
