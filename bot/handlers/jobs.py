"""/jobs (support center): each scheduled job's schedule in words ("매주 월요일 09:00"), its last
run and its next run in the program's time zone (Asia/Seoul)."""

from __future__ import annotations

from aiogram.filters import Command
from aiogram.types import Message

from bot.domain.cron_words import describe
from bot.i18n import Texts
from bot.keyboards.common import with_home
from bot.middlewares.access import center_router
from bot.services import outbox
from bot.services.context import AppContext

router = center_router("jobs")


def schedule_text(t: Texts, expr: str) -> str:
    """The schedule as people say it; an unusual expression is shown as it is."""
    when = describe(expr)
    if when.kind == "daily":
        return t("jobs.every_day", time=when.time)
    if when.kind == "weekly":
        days = "·".join(t(f"jobs.weekday.{d}") for d in when.weekdays)
        return t("jobs.every_week", days=days, time=when.time)
    if when.kind == "monthly":
        return t("jobs.every_month", day=when.day, time=when.time)
    return expr


@router.message(Command("jobs"))
async def show_jobs(message: Message, ctx: AppContext, t: Texts) -> None:
    # the job table brings APScheduler and the report and digest services: loaded on use
    from bot.scheduler.jobs import job_statuses

    tz = ctx.settings.tz
    zone = t("jobs.seoul") if ctx.settings.timezone == "Asia/Seoul" else ctx.settings.timezone
    lines = [t("jobs.title", tz=zone)]
    for status in await job_statuses(ctx):
        last = t.date(status.last_run_at.astimezone(tz)) if status.last_run_at else t("jobs.never")
        upcoming = (
            t.date(status.next_run_at.astimezone(tz)) if status.next_run_at else t("jobs.invalid")
        )
        lines.append(
            t(
                "jobs.item",
                label=t(f"jobs.name.{status.name}"),
                when=schedule_text(t, status.cron),
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
    await message.answer("\n".join(lines), reply_markup=with_home(t))
