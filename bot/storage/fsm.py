"""aiogram FSM storage in the database, so a restart in the middle of a conversation resumes it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import (
    BaseStorage,
    DefaultKeyBuilder,
    KeyBuilder,
    StateType,
    StorageKey,
)
from sqlalchemy import select

from bot.storage.engine import Database
from bot.storage.models import FsmRecord, utcnow
from bot.storage.upsert import insert_for


class SQLStorage(BaseStorage):
    def __init__(self, db: Database, key_builder: KeyBuilder | None = None) -> None:
        self.db = db
        self.key_builder = key_builder or DefaultKeyBuilder(with_destiny=True)

    def _key(self, key: StorageKey) -> str:
        return self.key_builder.build(key)

    async def _upsert(self, key: StorageKey, **values: Any) -> None:
        async with self.db.session() as session:
            stmt = insert_for(session, FsmRecord).values(
                key=self._key(key), updated_at=utcnow(), **{"state": None, "data": {}, **values}
            )
            stmt = stmt.on_conflict_do_update(
                index_elements=[FsmRecord.key], set_={**values, "updated_at": utcnow()}
            )
            await session.execute(stmt)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._upsert(key, state=value)

    async def get_state(self, key: StorageKey) -> str | None:
        async with self.db.session() as session:
            return await session.scalar(
                select(FsmRecord.state).where(FsmRecord.key == self._key(key))
            )

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._upsert(key, data=dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with self.db.session() as session:
            data = await session.scalar(
                select(FsmRecord.data).where(FsmRecord.key == self._key(key))
            )
        return dict(data or {})

    async def close(self) -> None:  # the Database is owned (and disposed) by the caller
        return None
