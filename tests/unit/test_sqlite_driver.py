"""bot.storage.sqlite_driver: one thread hand-off per statement, and nothing lost for it — a
write is committed, a failed transaction is rolled back, a read leaves no transaction open."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiosqlite.core
import pytest
from sqlalchemy import text

from bot.storage.engine import Database


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/driver.sqlite3")
    async with database.session() as session:
        await session.execute(text("create table t (a integer primary key, b text)"))
    yield database
    await database.dispose()


@pytest.fixture
def hand_offs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    calls: list[str] = []
    original = aiosqlite.core.Connection._execute

    async def counted(self: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(getattr(fn, "__name__", "?"))
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.core.Connection, "_execute", counted)
    yield calls


async def test_a_read_is_one_hand_off_and_a_write_two(db: Database, hand_offs: list[str]) -> None:
    async with db.session() as session:
        assert (await session.execute(text("select count(*) from t"))).scalar() == 0
    assert len(hand_offs) == 1  # SQLAlchemy's own adapter: cursor, execute, fetch, close, …: 6
    hand_offs.clear()
    async with db.session() as session:
        await session.execute(text("insert into t (b) values ('가')"))
    assert len(hand_offs) == 2  # the statement and the commit


async def test_writes_are_committed_and_failures_rolled_back(db: Database) -> None:
    async with db.session() as session:
        result = await session.execute(text("insert into t (b) values ('남는다')"))
        assert result.rowcount == 1
    with pytest.raises(RuntimeError):
        async with db.session() as session:
            await session.execute(text("insert into t (b) values ('사라진다')"))
            raise RuntimeError("the step failed")
    async with db.session() as session:
        rows = (await session.execute(text("select b from t order by a"))).scalars().all()
    assert rows == ["남는다"]


async def test_many_rows_at_once_are_committed(db: Database) -> None:
    async with db.session() as session:
        await session.execute(text("insert into t (b) values (:b)"), [{"b": "일"}, {"b": "이"}])
    async with db.session() as session:
        assert (await session.execute(text("select count(*) from t"))).scalar() == 2
