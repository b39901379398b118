"""The scheduled jobs, their cron settings, and the bookkeeping behind catch-up and ``/jobs``.

| job                | setting                | default (TIMEZONE) | what                     |
|--------------------|------------------------|--------------------|--------------------------|
| weekly_reminder    | WEEKLY_REMINDER_CRON   | Mon 09:00          | figures, chart, 점검 완료 |
| weekly_escalation  | WEEKLY_ESCALATION_CRON | Wed 09:00          | unchecked → again + head |
| daily_digest       | DAILY_DIGEST_CRON      | daily 08:30        | staff / center pending   |
| participant_nudges | NUDGE_CRON             | daily 10:00        | survey, held application |
| report_due         | DAILY_DIGEST_CRON      | daily 08:30        | 실시보고·결과보고 attached |

Crons are crontab lines (``minute hour day month day-of-week``; an optional leading seconds
field). Use day names (``mon``…``sun``): APScheduler numbers days from Monday = 0, unlike cron.

Each job is a plain async function ``(ctx, translator, when) -> int`` (rows written) that tests
call directly with the movable clock. A job writes outbox rows with unique keys, so running it
twice — or on two instances — sends once. ``JobRun`` keeps the last run and the next expected
fire; a fire that passed while the bot was down is run once at start (:func:`missed_fire`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select

from bot.config import Settings
from bot.i18n import Translator
from bot.services.context import AppContext
from bot.services.digests import send_daily_digests, send_participant_nudges
from bot.services.report_due import send_report_reminders
from bot.services.reports import send_escalations, send_weekly_reminders, week_of
from bot.storage.models import JobRun
from bot.storage.upsert import insert_for

JobFunc = Callable[[AppContext, Translator, datetime], Awaitable[int]]


@dataclass(frozen=True)
class JobSpec:
    name: str
    setting: str  # the Settings attribute holding the cron line
    run: JobFunc
    weekly: bool = False  # the period is a week (else a day)

    def cron(self, settings: Settings) -> str:
        return str(getattr(settings, self.setting))

    def period(self, when: datetime, tz: ZoneInfo) -> str:
        day = when.astimezone(tz).date()
        return f"week {week_of(day).isoformat()}" if self.weekly else day.isoformat()


JOBS: tuple[JobSpec, ...] = (
    JobSpec("weekly_reminder", "weekly_reminder_cron", send_weekly_reminders, weekly=True),
    JobSpec("weekly_escalation", "weekly_escalation_cron", send_escalations, weekly=True),
    JobSpec("daily_digest", "daily_digest_cron", send_daily_digests),
    JobSpec("participant_nudges", "nudge_cron", send_participant_nudges),
    JobSpec("report_due", "daily_digest_cron", send_report_reminders),
)


def job(name: str) -> JobSpec:
    return next(spec for spec in JOBS if spec.name == name)


def make_trigger(expr: str, tz: ZoneInfo) -> CronTrigger:
    """A crontab line (5 fields), or 6 fields with seconds first; ValueError when malformed."""
    fields = expr.split()
    if len(fields) == 5:
        return CronTrigger.from_crontab(expr, timezone=tz)
    if len(fields) == 6:
        second, minute, hour, day, month, dow = fields
        return CronTrigger(
            second=second,
            minute=minute,
            hour=hour,
            day=day,
            month=month,
            day_of_week=dow,
            timezone=tz,
        )
    raise ValueError(f"{expr!r}: a cron line has 5 fields (or 6 with seconds first)")


def next_fire(trigger: CronTrigger, after: datetime) -> datetime | None:
    """The first fire strictly after ``after`` (a run at 09:00:00 sharp is not its own next)."""
    fire: datetime | None = trigger.get_next_fire_time(None, after + timedelta(microseconds=1))
    return fire


def missed_fire(trigger: CronTrigger, expected: datetime | None, now: datetime) -> datetime | None:
    """The latest fire time in ``[expected, now]`` — the one run to catch up — or None."""
    if expected is None or expected > now:
        return None
    latest = expected
    for _ in range(10_000):  # a cron firing every second over a long outage: stop somewhere
        following = trigger.get_next_fire_time(None, latest + timedelta(seconds=1))
        if following is None or following > now:
            break
        latest = following
    return latest


async def run_job(
    ctx: AppContext, translator: Translator, spec: JobSpec, when: datetime | None = None
) -> int:
    """Run one job for the period of ``when`` (default now) and record it in ``JobRun``."""
    when = when or ctx.now()
    written = await spec.run(ctx, translator, when)
    tz = ctx.settings.tz
    try:
        upcoming = next_fire(make_trigger(spec.cron(ctx.settings), tz), ctx.now())
    except ValueError:
        upcoming = None
    values = dict(
        last_run_at=ctx.now(),
        last_period=spec.period(when, tz),
        next_run_at=upcoming,
        last_result=str(written),
    )
    async with ctx.db.session() as session:  # two instances may finish the same job together
        await session.execute(
            insert_for(session, JobRun)
            .values(name=spec.name, **values)
            .on_conflict_do_update(index_elements=["name"], set_=values)
        )
    return written


async def catch_up(ctx: AppContext, translator: Translator) -> list[str]:
    """At start: run once each job whose expected fire passed while we were down.

    A job seen for the first time is only registered (its first fire is still ahead).
    Returns the names of the jobs run.
    """
    tz, now, ran = ctx.settings.tz, ctx.now(), []
    for spec in JOBS:
        try:
            trigger = make_trigger(spec.cron(ctx.settings), tz)
        except ValueError:
            continue
        async with ctx.db.session() as session:
            row = await session.get(JobRun, spec.name)
            if row is None:
                await session.execute(
                    insert_for(session, JobRun)
                    .values(name=spec.name, next_run_at=next_fire(trigger, now))
                    .on_conflict_do_nothing(index_elements=["name"])
                )
                continue
            expected = row.next_run_at
        fire = missed_fire(trigger, expected, now)
        if fire is not None:
            await run_job(ctx, translator, spec, fire)
            ran.append(spec.name)
    return ran


@dataclass(frozen=True)
class JobStatus:
    name: str
    cron: str
    valid: bool
    last_run_at: datetime | None
    last_period: str | None
    last_result: str | None
    next_run_at: datetime | None


async def job_statuses(ctx: AppContext) -> list[JobStatus]:
    """For ``/jobs``: each job's schedule, last run and next run (computed from the cron)."""
    tz, now = ctx.settings.tz, ctx.now()
    async with ctx.db.session() as session:
        rows = {row.name: row for row in await session.scalars(select(JobRun))}
    statuses = []
    for spec in JOBS:
        expr = spec.cron(ctx.settings)
        try:
            upcoming, valid = next_fire(make_trigger(expr, tz), now), True
        except ValueError:
            upcoming, valid = None, False
        row = rows.get(spec.name)
        statuses.append(
            JobStatus(
                spec.name,
                expr,
                valid,
                row.last_run_at if row else None,
                row.last_period if row else None,
                row.last_result if row else None,
                upcoming,
            )
        )
    return statuses
