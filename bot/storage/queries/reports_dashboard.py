"""The center's national view: per program (and so per agency) the funnel and what needs a look.

Six statements whatever the number of agencies: the programs, their applications by state, the
long-held applications, the certificates waiting, which agencies checked this week, their names.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Agency, Application, Certificate, Program, WeeklyCheck
from bot.storage.queries.reports_data import REPORTED_STATUSES, agency_name
from bot.storage.queries.reports_weekly import HELD_DAYS, SELECTED_STATES, held_since


@dataclass
class ProgramLine:
    program_id: int
    agency_id: int
    agency: str
    name: str
    type: str
    status: str
    period_start: date | None
    period_end: date | None
    total_recruitment: int | None
    locked: bool
    states: Counter[str] = field(default_factory=Counter)
    held_long: int = 0
    cert_waiting: int = 0

    @property
    def selected(self) -> int:
        return sum(self.states[s] for s in SELECTED_STATES)

    def under_recruited(self, today: date) -> bool:
        """Starting within a week (or started) with fewer selected than recruited."""
        soon = self.period_start is not None and self.period_start <= today + timedelta(days=7)
        total = self.total_recruitment or 0
        return self.status == "approved" and soon and self.selected < total

    def not_started(self, today: date) -> bool:
        """Its period began but the roster was never confirmed."""
        begun = self.period_start is not None and self.period_start < today
        return self.status == "approved" and begun and not self.locked


@dataclass
class National:
    programs: list[ProgramLine]
    checked: set[int]  # agencies that checked this week's data
    agencies: dict[int, str]


async def national(
    session: AsyncSession, today: date, now: datetime, week_start: date
) -> National:
    rows = await session.execute(
        select(
            Program.id, Program.agency_id, agency_name(), Program.name, Program.type,
            Program.status, Program.period_start, Program.period_end,
            Program.total_recruitment, Program.roster_locked_at.is_not(None),
        )
        .join(Agency, Agency.id == Program.agency_id)
        .where(Program.status.in_(REPORTED_STATUSES), Agency.active.is_(True))
        .order_by(Program.agency_id, Program.id)
    )  # fmt: skip
    lines = {r[0]: ProgramLine(*r) for r in rows}
    in_scope = Program.status.in_(REPORTED_STATUSES)
    for pid, state, n in await session.execute(
        select(Application.program_id, Application.state, func.count())
        .join(Program, Program.id == Application.program_id)
        .where(in_scope, Application.state != "draft")
        .group_by(Application.program_id, Application.state)
    ):
        if pid in lines:
            lines[pid].states[state] = int(n)
    held = held_since().subquery()
    since = func.coalesce(Application.decided_at, held.c.at)
    for pid, n in await session.execute(
        select(Application.program_id, func.count())
        .outerjoin(held, held.c.application_id == Application.id)
        .where(Application.state == "held", since < now - timedelta(days=HELD_DAYS))
        .group_by(Application.program_id)
    ):
        if pid in lines:
            lines[pid].held_long = int(n)
    for pid, n in await session.execute(
        select(Application.program_id, func.count())
        .join(Certificate, Certificate.application_id == Application.id)
        .where(Certificate.status == "requested")
        .group_by(Application.program_id)
    ):
        if pid in lines:
            lines[pid].cert_waiting = int(n)
    checked = set(
        (
            await session.scalars(
                select(WeeklyCheck.agency_id).where(
                    WeeklyCheck.week_start == week_start, WeeklyCheck.checked_at.is_not(None)
                )
            )
        ).all()
    )
    agencies = {
        aid: name
        for aid, name in await session.execute(
            select(Agency.id, agency_name()).where(Agency.active.is_(True)).order_by(Agency.id)
        )
    }
    return National(list(lines.values()), checked, agencies)
