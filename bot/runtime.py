"""Running the bot: one ``BotRuntime`` used by ``python -m bot run`` and by the tests.

It migrates the database, builds the Bot and Dispatcher, and runs long polling (or, with
WEBHOOK_URL, the webhook server of ``bot.webhook``) and the outbox sender as tasks in the current
event loop (so tests can run it next to the playground).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import sys
from typing import TYPE_CHECKING

from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import BaseEventIsolation

from bot.app import build_bot, build_dispatcher
from bot.config import Settings, check_webhook_settings
from bot.handlers.menu import set_default_commands
from bot.i18n import Translator
from bot.scheduler.outbox_sender import OutboxSender
from bot.services.context import AppContext, open_context
from bot.storage.fsm import KEY_BUILDER
from bot.updates.pipeline import UpdatePipeline
from bot.updates.polling import poll

if TYPE_CHECKING:  # imported where used: polling never loads aiohttp.web, nor APScheduler when off
    from bot.scheduler.runner import SchedulerRunner
    from bot.webhook import WebhookServer

log = logging.getLogger(__name__)

FLEET_LOCK_SECONDS = 20
GC_YOUNG_THRESHOLD = 50_000
PLAYGROUND_TOKEN = "7000000001:PLAYGROUND-local-token-not-for-telegram"


def fleet_isolation(dp: Dispatcher) -> BaseEventIsolation | None:
    """One person at a time across workers: aiogram's Redis lock when FSM state is in Redis."""
    redis = getattr(dp.storage, "redis", None)
    if redis is None:
        return None
    from aiogram.fsm.storage.redis import RedisEventIsolation

    # The lock expires after FLEET_LOCK_SECONDS: a worker killed while handling holds a person's
    # lock at most that long (longer than any step takes; a PDF or an export takes seconds).
    return RedisEventIsolation(
        redis, key_builder=KEY_BUILDER, lock_kwargs={"timeout": FLEET_LOCK_SECONDS}
    )


class BotRuntime:
    """Polling, or webhook mode when WEBHOOK_URL is set (``bot.webhook``); same handlers."""

    def __init__(self, ctx: AppContext, token: str, api_base: str) -> None:
        self.ctx = ctx
        self.token = token
        self.webhook: WebhookServer | None = None
        self.translator = Translator(tz=ctx.settings.timezone)
        self.bot: Bot = build_bot(token, api_base)
        self.dp: Dispatcher = build_dispatcher(ctx, self.translator)
        self.pipeline = UpdatePipeline(ctx, self.dp, self.bot, fleet_isolation(self.dp))
        self.sender = OutboxSender.for_api(ctx, token, api_base, self.translator)
        self.scheduler: SchedulerRunner | None = None
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        me = await self.bot.get_me()
        log.info("bot @%s (%s) starting", me.username, me.id)
        await set_default_commands(self.bot, self.translator)
        if self.ctx.settings.webhook_url:
            from bot.webhook import start_webhook

            await self.pipeline.replay()  # what an earlier run left unfinished goes first
            self.webhook = await start_webhook(self.ctx, self.pipeline, self.token)
        else:
            await self._leave_webhook_mode()
        self._tasks = [
            *([] if self.webhook else [asyncio.create_task(self._poll(), name="polling")]),
            asyncio.create_task(self.sender.run(), name="outbox-sender"),
        ]
        if self.ctx.settings.scheduler_enabled:  # reminders and digests (bot.scheduler.jobs)
            from bot.scheduler.runner import SchedulerRunner

            self.scheduler = SchedulerRunner(self.ctx, self.translator)
            await self.scheduler.start()
        # what start built (aiogram's ~600 pydantic models, the routers, SQLAlchemy's mappers)
        # lives as long as the process: out of the collector's sight, a full collection no
        # longer walks it (~0.3 s of CPU each time on the benchmark's machine)
        gc.collect()
        gc.freeze()
        # An update allocates thousands of short-lived objects (aiogram's models, SQLAlchemy's
        # rows): at the default threshold of 700 the young generation was collected ~6 times per
        # 26 updates, 0.5 ms of CPU per update in all; at 50,000 most of them are freed by
        # reference counting before a collection looks (paired runs: −5 % CPU per update on
        # SQLite, −10 % on PostgreSQL + Redis). Cycles wait a little longer to be freed.
        gc.set_threshold(GC_YOUNG_THRESHOLD, 20, 10)

    async def _leave_webhook_mode(self) -> None:
        """Polling is configured: a webhook left from webhook mode would make getUpdates fail."""
        info = await self.bot.get_webhook_info()
        if info.url:
            log.warning("deleting the webhook %s: WEBHOOK_URL is not set, so we poll", info.url)
            await self.bot.delete_webhook(drop_pending_updates=False)

    async def _poll(self) -> None:
        await poll(self.bot, self.pipeline, self.dp.resolve_used_update_types(), timeout=10)

    async def stop(self) -> None:
        if self.webhook is not None:  # finish updates in hand; the webhook stays set for others
            await self.webhook.stop()
            self.webhook = None
        if self.scheduler is not None:
            await self.scheduler.shutdown()
            self.scheduler = None
        self.sender.stop()
        for task in self._tasks:
            if task.get_name() == "polling":
                task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, asyncio.TimeoutError):
                await asyncio.wait_for(task, 5)
        await self.pipeline.drain(5)  # updates in hand finish; the rest are replayed next start
        await self.sender.close()
        await self.dp.storage.close()
        await self.bot.session.close()


async def serve(settings: Settings) -> None:
    """``python -m bot run``: long polling against TELEGRAM_API_BASE, or the local playground."""
    problem = check_webhook_settings(settings) if settings.webhook_url else None
    if problem is not None:
        print(f"configuration error: {problem}", file=sys.stderr)
        raise SystemExit(2)
    ctx = await open_context(settings)
    playground = None
    if settings.bot_token is None:
        from bot.playground.server import Identity, PlaygroundServer
        from bot.services.demo import (
            DEMO_PEOPLE,
            DEMO_TOTP_SECRETS,
            enrol_demo_factors,
            seed_demo,
        )

        await seed_demo(ctx)
        await enrol_demo_factors(ctx)  # the page shows their codes: playground only
        playground = PlaygroundServer(
            PLAYGROUND_TOKEN,
            identities=[
                Identity(
                    p.telegram_id,
                    p.first_name,
                    p.role_label,
                    totp_secret=DEMO_TOTP_SECRETS.get(p.telegram_id),
                )
                for p in DEMO_PEOPLE
            ],
        )
        await playground.start(settings.playground_host, settings.playground_port)
        token, api_base = PLAYGROUND_TOKEN, playground.base_url
        print(
            f"Playground: open {playground.page_url} in a browser to chat with the bot", flush=True
        )
    else:
        token, api_base = settings.bot_token.get_secret_value(), settings.telegram_api_base
    runtime = BotRuntime(ctx, token, api_base)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await runtime.start()
        print("Bot is running. Press Ctrl+C to stop.", flush=True)
        await stop.wait()
    finally:
        await runtime.stop()
        if playground is not None:
            await playground.stop()
        await ctx.db.dispose()
