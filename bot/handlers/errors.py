"""The error handler: log the failure, answer politely instead of going silent."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.types import ErrorEvent, Message

from bot.i18n import Translator
from bot.services import users
from bot.services.context import AppContext

log = logging.getLogger(__name__)
router = Router(name="errors")


@router.errors()
async def on_error(event: ErrorEvent, ctx: AppContext, translator: Translator) -> bool:
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
    try:
        if update.callback_query:
            await update.callback_query.answer(t("error.unexpected_short"), show_alert=True)
        chat = update.message or (update.callback_query.message if update.callback_query else None)
        if isinstance(chat, Message):
            await chat.answer(t("error.unexpected"))
    except TelegramAPIError:
        log.warning("could not tell user %s about the failure", user.id)
    return True
