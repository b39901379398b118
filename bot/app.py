"""Pure factories shared by the CLI and the tests: the Bot and the Dispatcher."""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode

from bot.forms.resume import ResumeContext
from bot.handlers import build_root_router
from bot.i18n import Translator
from bot.middlewares.chat_gate import ChatGate
from bot.middlewares.control_chars import ControlCharacters
from bot.middlewares.refusals import RefusalMiddleware
from bot.middlewares.resident_numbers import ResidentNumberGuard
from bot.middlewares.unit_of_work import UnitOfWorkMiddleware
from bot.services.context import AppContext
from bot.storage.fsm import KEY_BUILDER, BufferedStorage, PairedStorage, SQLStorage
from bot.telegram.resilience import ResilientRequests
from bot.telegram.response_models import PinnedResponses

# Seconds one Bot API call may take (aiogram's default is 60): a reply stuck longer is retried
# within ResilientRequests' ~30 s budget. getUpdates waits this plus its long-polling timeout.
REQUEST_TIMEOUT = 15.0


def build_bot(token: str, api_base: str) -> Bot:
    session = AiohttpSession(
        api=TelegramAPIServer.from_base(api_base, is_local=False), timeout=REQUEST_TIMEOUT
    )
    session.middleware(PinnedResponses())
    session.middleware(ResilientRequests())
    return Bot(
        token=token,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def build_storage(ctx: AppContext) -> BufferedStorage:
    """FSM state in Redis when REDIS_URL is set, else in the database; buffered per update."""
    inner: PairedStorage
    if ctx.settings.redis_url:
        from bot.storage.fsm_redis import PairedRedisStorage

        inner = PairedRedisStorage.connect(ctx.settings.redis_url, KEY_BUILDER)
        return BufferedStorage(inner, in_sql=False)
    return BufferedStorage(SQLStorage(ctx.db), in_sql=True)


def build_dispatcher(ctx: AppContext, translator: Translator | None = None) -> Dispatcher:
    translator = translator or Translator()
    storage = build_storage(ctx)
    # disable_fsm: aiogram's FSM middleware is registered below, after the unit of work, so that
    # its get_state is served from the unit's single read. One person at a time is kept by
    # bot.updates (fleet-wide with Redis), before that read: no event isolation here.
    dp = Dispatcher(storage=storage, disable_fsm=True, ctx=ctx, translator=translator)
    # outer, per update: one read (redelivery? who is this + language, FSM) ... one write
    dp.update.outer_middleware(UnitOfWorkMiddleware(ctx, translator, dp.fsm, storage))
    dp.update.outer_middleware(dp.fsm)
    dp.update.outer_middleware(ControlCharacters())  # NUL … become spaces
    dp.update.outer_middleware(ResidentNumberGuard())  # deleted at once, never handled
    dp.update.outer_middleware(ChatGate())  # groups and channels: a pointer to the private chat
    # inner, per handler: a service's refusal becomes a clear answer
    dp.message.middleware(ResumeContext())  # an interrupted action is replayed with it
    dp.callback_query.middleware(ResumeContext())
    dp.message.middleware(RefusalMiddleware())
    dp.callback_query.middleware(RefusalMiddleware())
    dp.include_router(build_root_router())
    return dp
