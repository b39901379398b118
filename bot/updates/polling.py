"""Long polling that never confirms an update before it is recorded.

aiogram's own loop moves the offset past an update as soon as it yields it, before handling; a
process killed then loses the update for good. Here each batch is recorded (one transaction)
before the next ``getUpdates`` confirms it, and handled after.
"""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot
from aiogram.methods import GetUpdates
from aiogram.utils.backoff import Backoff, BackoffConfig

from bot.updates.pipeline import UpdatePipeline

log = logging.getLogger(__name__)

BACKOFF = BackoffConfig(min_delay=1.0, max_delay=5.0, factor=1.3, jitter=0.1)


async def poll(
    bot: Bot, pipeline: UpdatePipeline, allowed_updates: list[str], timeout: int = 10
) -> None:
    """Runs until cancelled. First the updates an earlier run left unfinished, then new ones."""
    await pipeline.replay()
    request = GetUpdates(timeout=timeout, allowed_updates=allowed_updates)
    backoff = Backoff(config=BACKOFF)
    request_timeout = int(bot.session.timeout + timeout) if bot.session.timeout else None
    while True:
        try:
            updates = await bot(request, request_timeout=request_timeout)
            raw = [u.model_dump(mode="json", by_alias=True, exclude_none=True) for u in updates]
            await pipeline.record(raw)  # only now may the next request confirm them
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the Bot API or the database is away: wait, try again
            log.error(
                "getUpdates or recording failed: %r; again in %.1f s", exc, backoff.next_delay
            )
            await backoff.asleep()
            continue
        backoff.reset()
        for update, one in zip(updates, raw, strict=True):
            pipeline.schedule(one, update)
        if updates:
            request.offset = updates[-1].update_id + 1
