"""「✅ 점검 완료」: who checked an agency's data for a week, and when (``WeeklyCheck``).

Codes raised: ``access.agency`` — checking another agency's week (audited);
``access.denied`` — only staff of the agency check its data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import audit
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.reports_text import week_of
from bot.storage.models import Agency, StaffAccount, WeeklyCheck
from bot.storage.queries import reports as q
from bot.storage.upsert import insert_for

# --- 점검 완료 ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    agency: str
    week_start: date
    checked_by: str
    checked_at: datetime
    already: bool


async def checked(session: AsyncSession, agency_id: int, week: date) -> WeeklyCheck | None:
    found = await session.scalar(
        select(WeeklyCheck).where(
            WeeklyCheck.agency_id == agency_id,
            WeeklyCheck.week_start == week,
            WeeklyCheck.checked_at.is_not(None),
        )
    )
    return found


async def _staff_name(session: AsyncSession, agency_id: int, telegram_id: int | None) -> str:
    name = await session.scalar(
        select(StaffAccount.name)
        .where(StaffAccount.agency_id == agency_id, StaffAccount.telegram_id == telegram_id)
        .order_by(StaffAccount.id.desc())
    )
    return name or str(telegram_id or "-")


async def mark_week_checked(
    ctx: AppContext, actor: Actor, agency_id: int, week: date
) -> CheckResult:
    """Record that ``actor`` checked the agency's data for the week (once; a second press tells
    who checked first)."""
    if not actor.is_staff:
        await audit.refuse(
            ctx,
            actor,
            "weekly.check",
            "weekly_check",
            f"{agency_id}:{week}",
            code="access.denied",
            agency_id=agency_id,
        )
    if actor.agency_id != agency_id:
        await audit.refuse(
            ctx,
            actor,
            "weekly.check",
            "weekly_check",
            f"{agency_id}:{week}",
            code="access.agency",
            agency_id=agency_id,
        )
    week = week_of(week)
    async with ctx.db.session() as session:
        agency = await session.get(Agency, agency_id)
        label = q.agency_label(agency) if agency else str(agency_id)
        # two people pressing at once: the row exists first, then the first lock holder wins
        await session.execute(
            insert_for(session, WeeklyCheck)
            .values(agency_id=agency_id, week_start=week, created_at=ctx.now())
            .on_conflict_do_nothing(index_elements=["agency_id", "week_start"])
        )
        row = await session.scalar(
            select(WeeklyCheck)
            .where(WeeklyCheck.agency_id == agency_id, WeeklyCheck.week_start == week)
            .with_for_update()
        )
        assert row is not None
        if row.checked_at is not None:
            name = await _staff_name(session, agency_id, row.checked_by)
            return CheckResult(label, week, name, row.checked_at, already=True)
        row.checked_by = actor.telegram_id
        row.checked_at = ctx.now()
        audit.record(
            session,
            actor,
            "weekly.check",
            "weekly_check",
            f"{agency_id}:{week.isoformat()}",
            after={"week": week.isoformat(), "checked_at": row.checked_at.isoformat()},
        )
        name = await _staff_name(session, agency_id, actor.telegram_id)
    return CheckResult(label, week, name, row.checked_at, already=False)
