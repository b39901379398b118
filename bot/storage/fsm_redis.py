"""aiogram's Redis FSM storage, read and written in one round trip each.

aiogram keeps a person's state and data under two keys, and reads and writes them one call at a
time: four round trips per update that changes both. ``BufferedStorage`` reads both at the start
of an update with ``read`` (one MGET) and writes both at the end with ``write`` (one MULTI/EXEC,
so a crash never leaves a new state beside old data). The keys and encodings are aiogram's own:
other calls of the base class still read and write the same records.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.fsm.storage.base import KeyBuilder, StorageKey
from aiogram.fsm.storage.redis import RedisStorage
from redis.asyncio import Redis

from bot.storage.fsm import PairedStorage


def _text(value: Any) -> str | None:
    return value.decode("utf-8") if isinstance(value, bytes) else value


class PairedRedisStorage(RedisStorage, PairedStorage):
    @classmethod
    def connect(cls, url: str, key_builder: KeyBuilder) -> PairedRedisStorage:
        return cls(redis=Redis.from_url(url), key_builder=key_builder)

    async def read(self, key: StorageKey) -> tuple[str | None, dict[str, Any]]:
        state, data = await self.redis.mget(
            self.key_builder.build(key, "state"), self.key_builder.build(key, "data")
        )
        raw = _text(data)
        return _text(state), (dict(self.json_loads(raw)) if raw is not None else {})

    async def write(self, key: StorageKey, state: str | None, data: Mapping[str, Any]) -> None:
        state_key = self.key_builder.build(key, "state")
        data_key = self.key_builder.build(key, "data")
        async with self.redis.pipeline(transaction=True) as pipe:
            if state is None:
                pipe.delete(state_key)
            else:
                pipe.set(state_key, state, ex=self.state_ttl)
            if data:
                pipe.set(data_key, self.json_dumps(dict(data)), ex=self.data_ttl)
            else:
                pipe.delete(data_key)
            await pipe.execute()
