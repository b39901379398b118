"""The error handler: log the failure, answer politely instead of going silent."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.types import ErrorEvent, Message

from bot.i18n import Translator
from bot.services import users
from bot.services.context import AppContext

log = logging.getLogger(__name__)
router = Router(name="errors")


async def _try(call: Awaitable[Any], failed: str) -> None:
    try:
        await call
    except TelegramAPIError as exc:
        log.warning("%s: %r", failed, exc)


@router.errors()
async def on_error(event: ErrorEvent, ctx: AppContext, translator: Translator, bot: Bot) -> bool:
    update = event.update
    user = None
    if update.message:
        user = update.message.from_user
    elif update.callback_query:
        user = update.callback_query.from_user
    if isinstance(event.exception, TelegramForbiddenError) and user is not None:
        await users.mark_blocked(ctx, user.id)
        log.info("user %s blocked the bot", user.id)
        return True
    log.error("update %s failed: %r", update.update_id, event.exception, exc_info=event.exception)
    if user is None:
        return True
    t = translator.bind("en" if (user.language_code or "").startswith("en") else "ko")
    query = update.callback_query
    if query is not None:
        # Its own try: the handler may have answered the query already ("query ID is invalid");
        # the message below goes out regardless.
        await _try(query.answer(t("error.unexpected_short"), show_alert=True), "callback answer")
    chat = update.message or (query.message if query is not None else None)
    if isinstance(chat, Message):
        await _try(chat.answer(t("error.unexpected")), f"notice to {user.id}")
    else:  # the button's message is no longer accessible: write to the person directly
        await _try(bot.send_message(user.id, t("error.unexpected")), f"notice to {user.id}")
    return True
