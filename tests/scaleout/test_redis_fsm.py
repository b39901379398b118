"""REDIS_URL → conversation state in Redis (aiogram's RedisStorage), kept across restarts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
import redis.asyncio as aioredis
from aiogram.fsm.storage.redis import RedisStorage

from tests.scaleout.conftest import free_port, make_settings
from tests.world import World

AGREE = "✅ 필수 항목에 동의합니다"


async def test_state_lives_in_redis_and_survives_a_restart(
    db_url: str, redis_url: str, tmp_path: Path
) -> None:
    world = World(make_settings(db_url, tmp_path, redis_url=redis_url))
    await world.start(seed=True)
    try:
        assert world.runtime is not None and isinstance(
            world.runtime.dp.storage.inner, RedisStorage
        )
        person = world.user(556001, "레디스청년")
        await person.send("/start")
        await person.expect("개인정보 수집·이용 동의")
        client = aioredis.from_url(redis_url, decode_responses=True)
        try:
            keys = await client.keys("fsm:*556001*")
            states = [await client.get(k) for k in keys if k.endswith(":state")]
            assert states == ["form:onboarding:required"]
        finally:
            await client.aclose()
        await world.restart()  # a new process would see the same: the state is in Redis
        await person.click(AGREE)
        await person.expect("선택 항목 동의")
        await person.click("받지 않음")
        await person.expect("동의 내용을 저장했습니다")
    finally:
        await world.stop()


async def test_health_reports_redis(db_url: str, redis_url: str, tmp_path: Path) -> None:
    """/healthz checks the database and, when configured, Redis; 503 when one is down."""
    for url, expected_status, expected_redis in (
        (redis_url, 200, "ok"),
        ("redis://127.0.0.1:1/0", 503, "unavailable"),  # nothing listens on port 1
    ):
        port = free_port()
        settings = make_settings(
            db_url,
            tmp_path,
            redis_url=url,
            webhook_url=f"http://127.0.0.1:{port}/hook",
            webhook_port=port,
            webhook_host="127.0.0.1",
        )
        world = World(settings)
        await world.start(seed=False)
        try:
            async with (
                aiohttp.ClientSession() as http,
                http.get(f"http://127.0.0.1:{port}/healthz") as response,
            ):
                body = await response.json()
            assert response.status == expected_status
            assert body == {
                "status": "ok" if expected_status == 200 else "unavailable",
                "database": "ok",
                "redis": expected_redis,
            }
        finally:
            await world.stop()


async def test_paired_reads_and_writes_are_aiogram_records(redis_url: str) -> None:
    """One MGET / one MULTI per update, on aiogram's own keys and encodings: what the paired calls
    write, aiogram's single calls read back, and the other way round; nothing left when cleared."""
    from aiogram.fsm.storage.base import StorageKey

    from bot.storage.fsm import KEY_BUILDER
    from bot.storage.fsm_redis import PairedRedisStorage

    storage = PairedRedisStorage.connect(redis_url, KEY_BUILDER)
    key = StorageKey(bot_id=1, chat_id=556002, user_id=556002)
    try:
        await storage.write(key, "form:x:step", {"이름": "김청년", "n": [1, 2]})
        assert await storage.get_state(key) == "form:x:step"
        assert await storage.get_data(key) == {"이름": "김청년", "n": [1, 2]}
        await storage.set_state(key, "form:y")
        await storage.set_data(key, {"a": 1})
        sent: list[tuple[Any, ...]] = []
        command = storage.redis.execute_command

        async def counted(*args: Any, **options: Any) -> Any:
            sent.append(args)
            return await command(*args, **options)

        storage.redis.execute_command = counted  # type: ignore[method-assign]
        assert await storage.read(key) == ("form:y", {"a": 1})
        assert [args[0] for args in sent] == ["MGET"]  # both records, one round trip
        storage.redis.execute_command = command  # type: ignore[method-assign]
        await storage.write(key, None, {})
        assert await storage.read(key) == (None, {})
        assert await storage.redis.keys("fsm:*556002*") == []
    finally:
        await storage.close()
