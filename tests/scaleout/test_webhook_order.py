"""Two webhook workers (one PostgreSQL, one Redis) getting one person's quick updates in turn:
handled in arrival order, never two at once (bot/updates/pipeline.py: the in-process queue, then
aiogram's RedisEventIsolation lock taken before the 200)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiogram.types import TelegramObject, Update

from bot.playground.server import PlaygroundServer
from bot.runtime import PLAYGROUND_TOKEN, BotRuntime
from bot.services.context import open_context
from bot.services.demo import seed_demo
from tests.scaleout.conftest import free_port, make_settings
from tests.scaleout.helpers import new_bot_texts, until
from tests.scaleout.proxy import RoundRobinProxy

SECRET = "order-secret_7"
HELP = "사용할 수 있는 명령"
QUICK = 8


class Spy:
    """An outer middleware on both workers: when each update's handling began and ended."""

    def __init__(self, worker: int, log: list[tuple[int, int, float, float]]) -> None:
        self.worker = worker
        self.log = log

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        loop = asyncio.get_running_loop()
        began = loop.time()
        await asyncio.sleep(0.05)  # a step that takes a while: overlaps would show
        try:
            return await handler(event, data)
        finally:
            assert isinstance(event, Update)
            self.log.append((event.update_id, self.worker, began, loop.time()))


async def test_one_persons_quick_updates_in_order_never_at_once(
    pg_url: str, redis_url: str, tmp_path: Path
) -> None:
    ports = [free_port(), free_port()]
    proxy = RoundRobinProxy([f"http://127.0.0.1:{p}" for p in ports])
    playground = PlaygroundServer(PLAYGROUND_TOKEN)
    await proxy.start()
    await playground.start()
    base = make_settings(
        pg_url,
        tmp_path,
        redis_url=redis_url,
        webhook_url=proxy.url("/telegram"),
        webhook_secret=SECRET,
        webhook_host="127.0.0.1",
    )
    log: list[tuple[int, int, float, float]] = []
    runtimes: list[BotRuntime] = []
    contexts = []
    try:
        for index, port in enumerate(ports):
            ctx = await open_context(base.model_copy(update={"webhook_port": port}))
            contexts.append(ctx)
            if index == 0:
                await seed_demo(ctx)
            runtime = BotRuntime(ctx, PLAYGROUND_TOKEN, playground.base_url)
            runtime.dp.update.outer_middleware(Spy(index, log))
            await runtime.start()
            runtimes.append(runtime)
        person = playground.user(557300, "빠른청년")
        for _ in range(QUICK):  # without waiting for the answers
            await person.send("/help")
        await until(
            lambda: sum(HELP in t for t in new_bot_texts(person.chat.events)) >= QUICK,
            timeout=30,
            what="every answer",
        )
        await asyncio.sleep(0.3)
        assert sum(HELP in t for t in new_bot_texts(person.chat.events)) == QUICK
        assert len(log) == QUICK
        by_start = sorted(log, key=lambda r: r[2])
        assert [r[0] for r in by_start] == sorted(r[0] for r in log)  # arrival order
        for earlier, later in itertools.pairwise(by_start):
            assert later[2] >= earlier[3], (earlier, later)  # never two at once
        assert {r[1] for r in log} == {0, 1}  # both workers took part
    finally:
        for runtime in runtimes:
            await runtime.stop()
        for ctx in contexts:
            await ctx.db.dispose()
        await playground.stop()
        await proxy.stop()
