"""Two outbox senders — as two instances: each its own connection pool and Bot session — on one
PostgreSQL database and one Redis budget: every row sent exactly once, within the global limit.

(The sender itself is issue 7's ``bot.scheduler.outbox_sender``; this is the fleet's view.)
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from bot.i18n import Translator
from bot.playground.server import PlaygroundServer
from bot.runtime import PLAYGROUND_TOKEN
from bot.scheduler.outbox_sender import OutboxSender
from bot.services import outbox
from bot.services.context import AppContext, open_context
from bot.storage.models import OutboxMessage
from tests.scaleout.conftest import make_settings

# Faster than Telegram's 30/s and 1/s to stay quick; the playground enforces the same numbers.
GLOBAL, PER_CHAT = 100, 5
KEY = "error.generic_refusal"  # a catalogue text with one parameter, {code}


async def _sent(ctx: AppContext) -> int:
    async with ctx.db.session() as session:
        return int(
            await session.scalar(
                select(func.count(OutboxMessage.id)).where(OutboxMessage.status == "sent")
            )
        )


async def test_two_instances_send_every_row_once(
    pg_url: str, redis_url: str, tmp_path: Path
) -> None:
    settings = make_settings(
        pg_url,
        tmp_path,
        redis_url=redis_url,
        outbox_global_per_second=GLOBAL,
        outbox_per_chat_per_second=PER_CHAT,
    )
    playground = PlaygroundServer(
        PLAYGROUND_TOKEN, rate_limit=True, global_per_second=GLOBAL, per_chat_per_second=PER_CHAT
    )
    await playground.start()
    contexts = [await open_context(settings), await open_context(settings)]
    senders = [
        OutboxSender.for_api(ctx, PLAYGROUND_TOKEN, playground.base_url, Translator())
        for ctx in contexts
    ]
    for sender in senders:
        sender.per_chat_claim = 2  # small claims, so that both instances get rows
    chats = [66000 + i for i in range(30)]
    for chat in chats:
        playground.user(chat)
    targets = [(chats[i % len(chats)], f"r{i}") for i in range(90)]
    async with contexts[0].db.session() as session:
        for chat, code in targets:
            await outbox.enqueue(session, chat, "test", KEY, params={"code": code})
    tasks = [asyncio.create_task(sender.run()) for sender in senders]
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 20
        while await _sent(contexts[1]) < len(targets):
            assert loop.time() < deadline, "not all rows were sent in time"
            await asyncio.sleep(0.05)
        async with contexts[0].db.session() as session:
            claimed_by = set((await session.scalars(select(OutboxMessage.claimed_by))).all())
    finally:
        for sender in senders:
            sender.stop()
        await asyncio.gather(*tasks)
        for sender in senders:
            await sender.close()
        for ctx in contexts:
            await ctx.db.dispose()
        await playground.stop()
    sent = Counter(
        (int(c.params["chat_id"]), c.params["text"])
        for c in playground.calls_of("sendMessage")
        if c.ok
    )
    assert sent == Counter(
        (chat, f"요청을 처리할 수 없습니다. (사유 코드: {code})") for chat, code in targets
    )
    assert playground.stats.rejected_429 == 0  # one budget for both: Telegram's limit holds
    assert claimed_by == {s.worker_id for s in senders}  # both instances took part
