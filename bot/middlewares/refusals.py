"""Turn a ``DomainError`` from a service into a clear answer; the transaction was rolled back.

A button that points at another person's or agency's data (the service audited the attempt) gets
only the standard stale-button alert: the same answer as a button that does not parse, so a
forged press learns nothing about what exists.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.domain.errors import DomainError
from bot.i18n import Texts

# refusals meaning "this is not yours" (services audit them with ``audit.refuse``)
FOREIGN_CODES = frozenset({"access.agency", "myapp.not_yours"})
ALERT_LIMIT = 200  # characters an answerCallbackQuery alert may carry


def refusal_text(t: Texts, error: DomainError) -> str:
    key = f"error.{error.code}"
    if not t.has(key):
        return t("error.generic_refusal", code=error.code)
    return t(key, **error.params)


async def refuse_button(query: CallbackQuery, t: Texts, error: DomainError) -> None:
    """A refused press: the stale-button alert alone for another's data; otherwise the refusal as
    an alert, or as a message when the alert cannot carry it (the handler answered the query
    already, or the text is longer than an alert's 200 characters)."""
    if error.code in FOREIGN_CODES:
        with contextlib.suppress(TelegramBadRequest):
            await query.answer(t("fallback.stale_button"), show_alert=True)
        return
    text = refusal_text(t, error)
    fits = len(text) <= ALERT_LIMIT
    shown = False
    with contextlib.suppress(TelegramBadRequest):  # a long text: the press is answered bare
        shown = await query.answer(text if fits else None, show_alert=fits) and fits
    if not shown and isinstance(query.message, Message):
        await query.message.answer(text)


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
            if isinstance(event, CallbackQuery):
                await refuse_button(event, t, error)
            elif isinstance(event, Message):
                await event.answer(refusal_text(t, error))
            return None
