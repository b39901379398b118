"""Record → one person at a time, in arrival order → handle (``bot.middlewares.unit_of_work``).

- **record** (``record``): a batch of raw updates goes into the inbox in one transaction. Polling
  asks for the next offset only after that; a webhook worker answers 200 only after it.
- **order**: ``schedule`` is synchronous, so updates queue in the order they were received. Each
  person has an in-process FIFO lock, then — with ``REDIS_URL`` — aiogram's
  ``RedisEventIsolation`` lock, so that two workers never handle one person's updates at once.
  ``schedule`` returns an event set once both locks are held: the webhook answers 200 after it,
  so Telegram's next update of that person (possibly to another worker) queues behind this one.
- **replay**: at start, updates recorded but never finished are scheduled first, oldest first.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import BaseEventIsolation, StorageKey
from aiogram.types import Update

from bot.middlewares.unit_of_work import InboxRef
from bot.services.context import AppContext
from bot.storage import inbox
from bot.storage.models import utcnow

log = logging.getLogger(__name__)
KEEP = timedelta(days=7)  # finished updates are kept this long (a redelivery comes within hours)


class UpdatePipeline:
    def __init__(
        self,
        ctx: AppContext,
        dp: Dispatcher,
        bot: Bot,
        isolation: BaseEventIsolation | None = None,
    ) -> None:
        self.ctx = ctx
        self.dp = dp
        self.bot = bot
        self.isolation = isolation  # fleet-wide (Redis); None: this process is the only one
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def record(self, updates: list[dict[str, Any]]) -> None:
        """Record a batch (one transaction), each sealed: a message may hold a resident number."""
        await inbox.record(
            self.ctx.db,
            self.bot.id,
            [inbox.Recorded(u["update_id"], inbox.person_of(u), self._seal(u)) for u in updates],
        )

    def _seal(self, update: dict[str, Any]) -> bytes:
        text = json.dumps(update, ensure_ascii=False, separators=(",", ":"))
        return self.ctx.cipher.encrypt(text, context=self._context(update["update_id"]))

    def _context(self, update_id: int) -> str:
        return f"update:{self.bot.id}:{update_id}"

    def schedule(self, raw: dict[str, Any], parsed: Update | None = None) -> asyncio.Event:
        """Queue a recorded update behind the same person's earlier ones (call in order)."""
        person = inbox.person_of(raw)
        locked = asyncio.Event()
        if person is not None:
            lock, users = self._locks.get(person) or (asyncio.Lock(), 0)
            self._locks[person] = (lock, users + 1)
        task = asyncio.create_task(
            self._run(raw, parsed, person, locked), name=f"update:{raw['update_id']}"
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return locked

    async def replay(self) -> int:
        """Schedule the updates a previous run recorded but did not finish (and forget finished
        ones older than ``KEEP``)."""
        await inbox.prune(self.ctx.db, utcnow() - KEEP)
        pending = await inbox.unfinished(self.ctx.db, self.bot.id)
        for update_id, sealed in pending:
            try:
                raw = json.loads(self.ctx.cipher.decrypt(sealed, context=self._context(update_id)))
            except Exception:  # sealed with another data key (InvalidTag): it cannot be read
                log.error("unfinished update %s cannot be read; skipped", update_id)
                continue
            self.schedule(raw)
        if pending:
            log.warning("handling %d update(s) left unfinished by an earlier run", len(pending))
        return len(pending)

    async def drain(self, timeout: float) -> None:
        """Let updates in hand finish (those still waiting stay unfinished: replayed later)."""
        if self._tasks:
            _, waiting = await asyncio.wait(set(self._tasks), timeout=timeout)
            for task in waiting:
                task.cancel()

    async def _run(
        self, raw: dict[str, Any], parsed: Update | None, person: int | None, locked: asyncio.Event
    ) -> None:
        try:
            async with self._person(person):
                locked.set()
                update = parsed or Update.model_validate(raw, context={"bot": self.bot})
                ref = InboxRef(self.bot.id, raw["update_id"])
                await self.dp.feed_update(self.bot, update, inbox=ref)
        except Exception:  # the error handler already ran; this is only what escaped it
            log.exception("update %s failed", raw.get("update_id"))
        finally:
            locked.set()

    @contextlib.asynccontextmanager
    async def _person(self, person: int | None) -> AsyncIterator[None]:
        if person is None:
            yield
            return
        lock, _ = self._locks[person]
        try:
            async with lock:
                if self.isolation is None:
                    yield
                else:
                    key = StorageKey(bot_id=self.bot.id, chat_id=person, user_id=person)
                    async with self.isolation.lock(key):
                        yield
        finally:
            lock, users = self._locks[person]
            if users <= 1:
                del self._locks[person]
            else:
                self._locks[person] = (lock, users - 1)
