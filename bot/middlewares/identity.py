"""Resolve the caller (participant / staff of agency X / head / center) and their language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User

from bot.i18n import Translator, pick_language
from bot.services.context import AppContext
from bot.services.identity import resolve_actor, touch_user


class IdentityMiddleware(BaseMiddleware):
    def __init__(self, ctx: AppContext, translator: Translator) -> None:
        self.ctx = ctx
        self.translator = translator

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        tg_user: User | None = data.get("event_from_user")
        if tg_user is None or tg_user.is_bot:
            return await handler(event, data)
        async with self.ctx.db.session() as session:
            user = await touch_user(
                session, self.ctx, tg_user.id, tg_user.first_name, tg_user.username
            )
            actor = await resolve_actor(session, self.ctx, user)
        lang = pick_language(user.language, tg_user.language_code)
        data["actor"] = actor
        data["t"] = self.translator.bind(lang)
        return await handler(event, data)
