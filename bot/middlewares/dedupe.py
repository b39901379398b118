"""Drop updates already handled: Telegram redelivers after errors, timeouts and restarts."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import TelegramObject, Update

from bot.storage.engine import Database
from bot.storage.models import ProcessedUpdate
from bot.storage.upsert import insert_for

log = logging.getLogger(__name__)


class DedupeMiddleware(BaseMiddleware):
    def __init__(self, db: Database) -> None:
        self.db = db

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        bot: Bot = data["bot"]
        async with self.db.session() as session:
            stmt = insert_for(session, ProcessedUpdate).values(
                bot_id=bot.id, update_id=event.update_id
            )
            result = await session.execute(stmt.on_conflict_do_nothing())
        if not result.rowcount:
            log.info("update %s already handled; skipped", event.update_id)
            return None
        return await handler(event, data)
