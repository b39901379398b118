"""Pure factories shared by the CLI and the tests: the Bot and the Dispatcher."""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder

from bot.handlers import build_root_router
from bot.i18n import Translator
from bot.middlewares.chat_gate import ChatGate
from bot.middlewares.dedupe import DedupeMiddleware
from bot.middlewares.identity import IdentityMiddleware
from bot.middlewares.refusals import RefusalMiddleware
from bot.middlewares.resident_numbers import ResidentNumberGuard
from bot.middlewares.serialize import PerUserLock
from bot.services.context import AppContext
from bot.storage.fsm import SQLStorage
from bot.telegram.resilience import ResilientRequests
from bot.telegram.response_models import pin_response_models


def build_bot(token: str, api_base: str) -> Bot:
    pin_response_models()
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_base, is_local=False))
    session.middleware(ResilientRequests())
    return Bot(
        token=token,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def build_storage(ctx: AppContext) -> BaseStorage:
    if ctx.settings.redis_url:
        from aiogram.fsm.storage.redis import RedisStorage

        return RedisStorage.from_url(
            ctx.settings.redis_url, key_builder=DefaultKeyBuilder(with_destiny=True)
        )
    return SQLStorage(ctx.db)


def build_dispatcher(ctx: AppContext, translator: Translator | None = None) -> Dispatcher:
    translator = translator or Translator()
    dp = Dispatcher(storage=build_storage(ctx), ctx=ctx, translator=translator)
    # outer, per update: one user at a time (taken in arrival order, before any await) →
    # de-duplicate → who is this + language
    dp.update.outer_middleware(PerUserLock())
    dp.update.outer_middleware(DedupeMiddleware(ctx.db))
    dp.update.outer_middleware(IdentityMiddleware(ctx, translator))
    dp.update.outer_middleware(ResidentNumberGuard())  # deleted at once, never handled
    dp.update.outer_middleware(ChatGate())  # groups and channels: a pointer to the private chat
    # inner, per handler: a service's refusal becomes a clear answer
    dp.message.middleware(RefusalMiddleware())
    dp.callback_query.middleware(RefusalMiddleware())
    dp.include_router(build_root_router())
    return dp
