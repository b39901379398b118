"""aiogram FSM storage: in the database (``SQLStorage``) or Redis, behind a per-update buffer.

``BufferedStorage`` wraps either. Inside an update's unit of work (``Unit``, set by
``bot.middlewares.unit_of_work``) the person's state and data are read once — from the unit's
single read, or on first use from Redis — served from memory, and written at most once at the
end (``flush_sql`` inside the update's closing transaction). Any other key, or a call outside an
update (scheduler, tests), goes straight to the wrapped storage.
"""

from __future__ import annotations

import contextvars
from abc import abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import (
    BaseStorage,
    DefaultKeyBuilder,
    KeyBuilder,
    StateType,
    StorageKey,
)
from sqlalchemy import bindparam, select

from bot.storage.engine import Database, Executor
from bot.storage.models import FsmRecord, utcnow
from bot.storage.upsert import upsert

FSM = FsmRecord.__table__
_WRITE = upsert(
    FSM, ("key", "state", "data", "updated_at"), ("key",), ("state", "data", "updated_at")
)
_READ = select(FSM.c.state, FSM.c.data).where(FSM.c.key == bindparam("key"))
# the record as two columns of another statement (bind ``b_fsm``): the unit of work's one read
STATE_COLUMN = select(FSM.c.state).where(FSM.c.key == bindparam("b_fsm")).scalar_subquery()
DATA_COLUMN = select(FSM.c.data).where(FSM.c.key == bindparam("b_fsm")).scalar_subquery()
KEY_BUILDER = DefaultKeyBuilder(with_destiny=True)


async def read_record(session: Executor, key: str) -> tuple[str | None, dict[str, Any]]:
    row = (await session.execute(_READ, {"key": key})).first()
    return (row.state, dict(row.data or {})) if row is not None else (None, {})


async def write_record(
    session: Executor, key: str, state: str | None, data: Mapping[str, Any]
) -> None:
    await session.execute(
        _WRITE, {"key": key, "state": state, "data": dict(data), "updated_at": utcnow()}
    )


class PairedStorage(BaseStorage):
    """A storage that also reads and writes a person's state and data together, in one round
    trip each: what ``BufferedStorage`` does once per update."""

    @abstractmethod
    async def read(self, key: StorageKey) -> tuple[str | None, dict[str, Any]]: ...

    @abstractmethod
    async def write(self, key: StorageKey, state: str | None, data: Mapping[str, Any]) -> None: ...


class SQLStorage(PairedStorage):
    """Each call its own transaction (used outside an update's unit of work)."""

    def __init__(self, db: Database, key_builder: KeyBuilder | None = None) -> None:
        self.db = db
        self.key_builder = key_builder or KEY_BUILDER

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        async with self.db.session() as session:
            _, data = await read_record(session, self.key_builder.build(key))
            await write_record(session, self.key_builder.build(key), value, data)

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self.read(key))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        async with self.db.session() as session:
            state, _ = await read_record(session, self.key_builder.build(key))
            await write_record(session, self.key_builder.build(key), state, data)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return (await self.read(key))[1]

    async def read(self, key: StorageKey) -> tuple[str | None, dict[str, Any]]:
        async with self.db.session() as session:
            return await read_record(session, self.key_builder.build(key))

    async def write(self, key: StorageKey, state: str | None, data: Mapping[str, Any]) -> None:
        async with self.db.session() as session:
            await write_record(session, self.key_builder.build(key), state, data)

    async def close(self) -> None:  # the Database is owned (and disposed) by the caller
        return None


@dataclass
class Unit:
    """One update's FSM view: the person's key, what was read, what is to be written."""

    key: StorageKey | None
    loaded: bool = False
    state: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    dirty: bool = False

    def load(self, state: str | None, data: dict[str, Any]) -> None:
        self.state, self.data, self.loaded = state, data, True


def _copy(value: Any) -> Any:
    """A copy of JSON-like data (dicts, lists, scalars): what the stored record can hold. Several
    times cheaper than ``copy.deepcopy``, which the form engine's many reads would pay for."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_copy(v) for v in value]
    return value


CURRENT: contextvars.ContextVar[Unit | None] = contextvars.ContextVar("fsm_unit", default=None)


class BufferedStorage(BaseStorage):
    def __init__(self, inner: PairedStorage, *, in_sql: bool) -> None:
        self.inner = inner
        self.in_sql = in_sql  # True: the unit reads and writes the record in its transactions

    @property
    def redis(self) -> Any:  # the health check pings Redis when the storage has one
        return getattr(self.inner, "redis", None)

    async def _unit(self, key: StorageKey) -> Unit | None:
        unit = CURRENT.get()
        if unit is None or unit.key != key:
            return None
        if not unit.loaded:
            unit.load(*await self.inner.read(key))
        return unit

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        unit = await self._unit(key)
        if unit is None:
            await self.inner.set_state(key, value)
        elif unit.state != value:
            unit.state, unit.dirty = value, True

    async def get_state(self, key: StorageKey) -> str | None:
        unit = await self._unit(key)
        return await self.inner.get_state(key) if unit is None else unit.state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        unit = await self._unit(key)
        if unit is None:
            await self.inner.set_data(key, data)
        elif unit.data != data:
            unit.data, unit.dirty = _copy(dict(data)), True

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        unit = await self._unit(key)
        return await self.inner.get_data(key) if unit is None else _copy(unit.data)

    async def flush_outside_sql(self, unit: Unit) -> None:
        """Write a changed unit to Redis (the SQL case is written in the closing transaction)."""
        if unit.dirty and not self.in_sql and unit.key is not None:
            await self.inner.write(unit.key, unit.state, unit.data)

    async def close(self) -> None:
        await self.inner.close()
