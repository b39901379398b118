"""APScheduler (AsyncIOScheduler, TIMEZONE) running the jobs of ``bot.scheduler.jobs``.

Started by ``BotRuntime`` when SCHEDULER_ENABLED (the default; the tests switch it off and call
the job functions directly). At start it catches up, once, fires missed while the bot was down.
Several instances may each run a scheduler: the jobs' unique outbox keys make that harmless.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.i18n import Translator
from bot.scheduler.jobs import JOBS, JobSpec, catch_up, make_trigger, run_job
from bot.services.context import AppContext

log = logging.getLogger(__name__)

MISFIRE_GRACE = 3600  # a fire delayed by a busy loop still runs within the hour


class SchedulerRunner:
    def __init__(self, ctx: AppContext, translator: Translator) -> None:
        self.ctx = ctx
        self.translator = translator
        self.scheduler = AsyncIOScheduler(timezone=ctx.settings.tz)
        self._running: set[asyncio.Task[Any]] = set()

    async def start(self) -> None:
        for spec in JOBS:
            expr = spec.cron(self.ctx.settings)
            try:
                trigger = make_trigger(expr, self.ctx.settings.tz)
            except ValueError as exc:
                log.error("job %s not scheduled: %s=%s: %s", spec.name, spec.setting, expr, exc)
                continue
            self.scheduler.add_job(
                self._fire,
                trigger,
                args=[spec],
                id=spec.name,
                name=spec.name,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=MISFIRE_GRACE,
            )
        self.scheduler.start()
        self._track(self._catch_up())

    def _track(self, coro: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def _catch_up(self) -> None:
        try:
            ran = await catch_up(self.ctx, self.translator)
            if ran:
                log.info("caught up missed jobs: %s", ", ".join(ran))
        except Exception:
            log.exception("catching up missed jobs failed")

    async def _fire(self, spec: JobSpec) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            written = await run_job(self.ctx, self.translator, spec)
            log.info("job %s: %d messages queued", spec.name, written)
        except Exception:
            log.exception("job %s failed", spec.name)
        finally:
            if task is not None:
                self._running.discard(task)

    async def shutdown(self, timeout: float = 10) -> None:
        """Stop firing; let jobs already running finish (they are short) before the DB closes."""
        with contextlib.suppress(Exception):
            self.scheduler.shutdown(wait=False)
        if self._running:
            await asyncio.wait(list(self._running), timeout=timeout)
