"""INSERT … ON CONFLICT on SQLite and PostgreSQL (both share the syntax).

``insert_for`` gives the dialect's ``insert`` (with ``on_conflict_do_*``); SQLAlchemy cannot cache
those (``inherit_cache = False``), so each use is compiled afresh. ``upsert`` builds a textual
statement once per shape, with typed bind parameters: SQLAlchemy caches its compiled form, which
matters on the per-update path (FSM writes, the update inbox).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Table, bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import TextClause


def insert_for(session: AsyncSession, table: Any) -> Any:
    """An INSERT that supports ``on_conflict_do_nothing/update`` on the session's dialect."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    if dialect == "postgresql":  # imported here: a SQLite deployment never loads the dialect
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(table)


@lru_cache(maxsize=64)
def upsert(
    table: Table, columns: tuple[str, ...], conflict: tuple[str, ...], update: tuple[str, ...] = ()
) -> TextClause:
    """``INSERT INTO table (columns) VALUES (:columns) ON CONFLICT (conflict) DO UPDATE SET
    update = excluded.update`` (``DO NOTHING`` without ``update``); bind by column name."""
    names = ", ".join(f'"{c}"' for c in columns)
    values = ", ".join(f":{c}" for c in columns)
    target = ", ".join(f'"{c}"' for c in conflict)
    action = (
        "DO UPDATE SET " + ", ".join(f'"{c}" = excluded."{c}"' for c in update)
        if update
        else "DO NOTHING"
    )
    sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({values}) ON CONFLICT ({target}) {action}'
    return text(sql).bindparams(*(bindparam(c, type_=table.c[c].type) for c in columns))
