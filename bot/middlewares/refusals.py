"""Turn a ``DomainError`` from a service into a clear answer; the transaction was rolled back."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.domain.errors import DomainError
from bot.i18n import Texts


def refusal_text(t: Texts, error: DomainError) -> str:
    key = f"error.{error.code}"
    if not t.has(key):
        return t("error.generic_refusal", code=error.code)
    return t(key, **error.params)


class RefusalMiddleware(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        try:
            return await handler(event, data)
        except DomainError as error:
            t: Texts = data["t"]
            text = refusal_text(t, error)
            if isinstance(event, CallbackQuery):
                # the handler may have answered the query already; the message still tells
                with contextlib.suppress(TelegramBadRequest):
                    await event.answer(text[:200], show_alert=True)
                if isinstance(event.message, Message):
                    await event.message.answer(text)
            elif isinstance(event, Message):
                await event.answer(text)
            return None
