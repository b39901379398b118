"""Delivers outbox rows (see ``bot.services.outbox``).

Minimal first version: claims due rows, renders them in the recipient's language and sends them.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup
from sqlalchemy import select

from bot.i18n import Translator
from bot.keyboards.common import button
from bot.keyboards.registry import pack_button_data
from bot.services.context import AppContext
from bot.storage.models import OutboxMessage, StoredFile, User

log = logging.getLogger(__name__)


def render_markup(translator: Translator, lang: str, payload: dict) -> InlineKeyboardMarkup | None:
    rows = payload.get("buttons")
    if not rows:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                button(translator.get(lang, b["key"], **b.get("params", {})), pack_button_data(b))
                for b in row
            ]
            for row in rows
        ]
    )


class OutboxSender:
    def __init__(self, ctx: AppContext, bot: Bot, translator: Translator) -> None:
        self.ctx = ctx
        self.bot = bot
        self.translator = translator
        self._stop = asyncio.Event()
        self.poll_interval = 0.2

    async def run(self) -> None:
        while not self._stop.is_set():
            sent = await self.deliver_due()
            if not sent:
                try:
                    await asyncio.wait_for(self._stop.wait(), self.poll_interval)
                except TimeoutError:
                    pass

    def stop(self) -> None:
        self._stop.set()

    async def deliver_due(self, limit: int = 50) -> int:
        now = self.ctx.now()
        async with self.ctx.db.session() as session:
            rows = (
                await session.scalars(
                    select(OutboxMessage)
                    .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
                    .order_by(OutboxMessage.id)
                    .limit(limit)
                )
            ).all()
            for row in rows:
                row.status = "sending"
        for row in rows:
            await self._deliver(row)
        return len(rows)

    async def _deliver(self, row: OutboxMessage) -> None:
        async with self.ctx.db.session() as session:
            user = await session.get(User, row.chat_id)
            lang = (user.language if user else None) or "ko"
            file = (
                await session.get(StoredFile, row.payload["file_id"])
                if row.payload.get("file_id")
                else None
            )
        payload = row.payload
        text = self.translator.get(lang, payload["key"], **payload.get("params", {}))
        markup = render_markup(self.translator, lang, payload)
        status, error, message_id = "sent", None, None
        try:
            if file is not None:
                upload = BufferedInputFile(file.content, filename=file.file_name)
                if payload.get("photo"):
                    msg = await self.bot.send_photo(
                        row.chat_id, upload, caption=text, reply_markup=markup
                    )
                else:
                    msg = await self.bot.send_document(
                        row.chat_id, upload, caption=text, reply_markup=markup
                    )
            else:
                msg = await self.bot.send_message(row.chat_id, text, reply_markup=markup)
            message_id = msg.message_id
        except TelegramForbiddenError as exc:
            status, error = "skipped", exc.message
        except TelegramAPIError as exc:
            status, error = "failed", exc.message
            log.warning("outbox %s to %s failed: %s", row.id, row.chat_id, exc)
        async with self.ctx.db.session() as session:
            stored = await session.get(OutboxMessage, row.id)
            if stored is None:
                return
            stored.attempts += 1
            stored.last_error = error
            if status == "failed" and stored.attempts < 5:
                stored.status = "pending"
                stored.next_attempt_at = self.ctx.now() + timedelta(seconds=2**stored.attempts)
            else:
                stored.status = status
            if status == "sent":
                stored.sent_at = self.ctx.now()
                stored.message_id = message_id
