"""/jobs (support center): each scheduled job's schedule, last run and next run."""

from __future__ import annotations

from aiogram.filters import Command
from aiogram.types import Message

from bot.i18n import Texts
from bot.middlewares.access import center_router
from bot.scheduler.jobs import job_statuses
from bot.services import outbox
from bot.services.context import AppContext

router = center_router("jobs")


@router.message(Command("jobs"))
async def show_jobs(message: Message, ctx: AppContext, t: Texts) -> None:
    tz = ctx.settings.tz
    lines = [t("jobs.title", tz=ctx.settings.timezone)]
    for status in await job_statuses(ctx):
        last = t.date(status.last_run_at.astimezone(tz)) if status.last_run_at else t("jobs.never")
        upcoming = (
            t.date(status.next_run_at.astimezone(tz)) if status.next_run_at else t("jobs.invalid")
        )
        lines.append(
            t(
                "jobs.item",
                label=t(f"jobs.name.{status.name}"),
                cron=status.cron,
                last=last,
                period=status.last_period or "-",
                result=status.last_result or "0",
                next=upcoming,
            )
        )
    counts = await outbox.status_counts(ctx)
    lines.append(
        t(
            "jobs.outbox",
            **{
                s: counts.get(s, 0)
                for s in ("pending", "sending", "sent", "failed", "skipped", "held")
            },
        )
    )
    await message.answer("\n".join(lines))
