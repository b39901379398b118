"""The weekly figures and "data that needs a look", for one agency or all of them at once.

Set-based: every query groups or filters over all the reported programs together (GROUP BY
program, column selects — no ORM entities), so the number of statements is the same for one
agency and for 500 (:func:`weekly_data` runs 9). Results are split per agency in Python.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import (
    Application,
    ApplicationEvent,
    Certificate,
    Enrollment,
    HostCompany,
    Job,
    Participant,
    Program,
    SurveyResponse,
)
from bot.storage.queries.reports_model import (
    _PROGRAM_COLUMNS,
    ACTIVE_STATES,
    CERTIFIED_STATES,
    HELD_DAYS,
    SELECTED_STATES,
    WAITING_DAYS,
    Attention,
    HeadcountMismatch,
    LateApplication,
    MissingFields,
    ProgramFigures,
    WeeklyData,
    program_missing_fields,
)

__all__ = [
    "ACTIVE_STATES", "CERTIFIED_STATES", "HELD_DAYS", "SELECTED_STATES", "WAITING_DAYS",
    "Attention", "ProgramFigures", "WeeklyData", "held_since", "program_missing_fields",
    "reported_condition", "weekly_data",
]  # fmt: skip


def reported_condition(today: date) -> Any:
    """Programs worth reporting: approved ones, and closed ones that ended in the last 4 weeks."""
    recent = today - timedelta(weeks=4)
    return or_(
        Program.status == "approved",
        (Program.status == "closed")
        & or_(Program.period_end.is_(None), Program.period_end >= recent),
    )


def reported_ids(agency_id: int | None, today: date) -> Select[tuple[int]]:
    stmt = select(Program.id).where(reported_condition(today))
    if agency_id is not None:
        stmt = stmt.where(Program.agency_id == agency_id)
    return stmt


def held_since(held_only: bool = True) -> Select[tuple[int, datetime]]:
    """When each held application was last put on hold (from its status history)."""
    stmt = select(
        ApplicationEvent.application_id, func.max(ApplicationEvent.created_at).label("at")
    ).where(ApplicationEvent.to_state == "held")
    if held_only:
        held = select(Application.id).where(Application.state == "held")
        stmt = stmt.where(ApplicationEvent.application_id.in_(held))
    return stmt.group_by(ApplicationEvent.application_id)


def _days(now: datetime, then: datetime | None) -> int:
    return (now - then).days if then is not None else 0


async def weekly_data(
    session: AsyncSession, today: date, now: datetime, agency_id: int | None = None
) -> WeeklyData:
    """Figures and attention of every agency (or one): 9 statements whatever the agency count."""
    ids = reported_ids(agency_id, today)
    columns = [getattr(Program, name) for name in _PROGRAM_COLUMNS]
    programs = (
        await session.execute(select(*columns).where(Program.id.in_(ids)).order_by(Program.id))
    ).all()
    data = WeeklyData()
    if not programs:
        return data
    figures: dict[int, ProgramFigures] = {}
    for p in programs:
        figures[p.id] = ProgramFigures(p.id, p.name, p.type, p.total_recruitment)
        data.figures.setdefault(p.agency_id, []).append(figures[p.id])
        data.attention.setdefault(p.agency_id, Attention())
    await _counts(session, ids, figures, now - timedelta(days=7))
    by_id = {p.id: p for p in programs}
    await _late(session, ids, by_id, data, now)
    for p in programs:
        missing = program_missing_fields(p)
        if missing:
            data.attention[p.agency_id].missing.append(
                MissingFields("program", p.id, p.name, missing)
            )
    await _application_gaps(session, ids, by_id, data)
    await _headcounts(session, ids, by_id, figures, data)
    return data


async def _counts(
    session: AsyncSession, ids: Any, figures: dict[int, ProgramFigures], week_start: datetime
) -> None:
    new = func.sum(case((Application.submitted_at >= week_start, 1), else_=0))
    for pid, state, n, fresh in await session.execute(
        select(Application.program_id, Application.state, func.count(), new)
        .where(Application.program_id.in_(ids))
        .group_by(Application.program_id, Application.state)
    ):
        figures[pid].states[state] = int(n)
        figures[pid].new_this_week += int(fresh or 0)
    for pid, n in await session.execute(
        select(Application.program_id, func.count())
        .join(SurveyResponse, SurveyResponse.application_id == Application.id)
        .where(Application.program_id.in_(ids), SurveyResponse.submitted_at.is_not(None))
        .group_by(Application.program_id)
    ):
        figures[pid].surveys = int(n)
    for pid, status, n in await session.execute(
        select(Application.program_id, Certificate.status, func.count())
        .join(Certificate, Certificate.application_id == Application.id)
        .where(Application.program_id.in_(ids))
        .group_by(Application.program_id, Certificate.status)
    ):
        if status == "approved":
            figures[pid].certificates = int(n)
        elif status == "requested":
            figures[pid].certificates_requested = int(n)


async def _late(
    session: AsyncSession, ids: Any, programs: dict[int, Any], data: WeeklyData, now: datetime
) -> None:
    waiting_cut = now - timedelta(days=WAITING_DAYS)
    for app_id, name, pid, at in await session.execute(
        select(Application.id, Participant.name, Application.program_id, Application.submitted_at)
        .join(Participant, Participant.id == Application.participant_id)
        .where(
            Application.program_id.in_(ids),
            Application.state == "submitted",
            Application.submitted_at < waiting_cut,
        )
        .order_by(Application.submitted_at, Application.id)
    ):
        p = programs[pid]
        late = LateApplication(app_id, name or "-", p.name, _days(now, at))
        data.attention[p.agency_id].waiting.append(late)
    held = held_since().subquery()
    since = func.coalesce(Application.decided_at, held.c.at)
    for app_id, name, pid, at in await session.execute(
        select(Application.id, Participant.name, Application.program_id, since)
        .join(Participant, Participant.id == Application.participant_id)
        .outerjoin(held, held.c.application_id == Application.id)
        .where(
            Application.program_id.in_(ids),
            Application.state == "held",
            since < now - timedelta(days=HELD_DAYS),
        )
        .order_by(since, Application.id)
    ):
        p = programs[pid]
        late = LateApplication(app_id, name or "-", p.name, _days(now, at))
        data.attention[p.agency_id].held.append(late)


def _blank(column: Any) -> Any:
    return or_(column.is_(None), column == "")


async def _application_gaps(
    session: AsyncSession, ids: Any, programs: dict[int, Any], data: WeeklyData
) -> None:
    """Active applications with a required value missing — filtered in SQL, so only the rows
    with a gap come back."""
    unassigned = and_(
        Application.state == "selected",
        Program.roster_locked_at.is_not(None),
        or_(
            Enrollment.id.is_(None),
            and_(Program.type == "project", Enrollment.team_id.is_(None)),
            and_(Program.type != "project", Enrollment.host_company_id.is_(None)),
        ),
    )
    no_nes = and_(
        Application.state.in_(("selected", "completed")),
        Application.national_employment_support.is_(None),
    )
    rows = await session.execute(
        select(
            Application.id,
            Application.program_id,
            Participant.name,
            Participant.birth_date,
            Participant.mobile,
            Application.education,
            Application.applied_on,
            no_nes.label("no_nes"),
            unassigned.label("unassigned"),
        )
        .join(Participant, Participant.id == Application.participant_id)
        .join(Program, Program.id == Application.program_id)
        .outerjoin(Enrollment, Enrollment.application_id == Application.id)
        .where(
            Application.program_id.in_(ids),
            Application.state.in_(ACTIVE_STATES),
            or_(
                _blank(Participant.name),
                Participant.birth_date.is_(None),
                _blank(Participant.mobile),
                _blank(Application.education),
                Application.applied_on.is_(None),
                no_nes,
                unassigned,
            ),
        )
        .order_by(Application.id)
    )
    for row in rows:
        p = programs[row.program_id]
        missing = [
            name
            for name, value in (
                ("participant_name", row.name),
                ("birth_date", row.birth_date),
                ("mobile", row.mobile),
                ("education", row.education),
                ("applied_on", row.applied_on),
            )
            if value in (None, "")
        ]
        if row.no_nes:
            missing.append("national_employment_support")
        if row.unassigned:
            missing.append("team" if p.type == "project" else "host_company")
        if missing:
            gap = MissingFields("application", row.id, row.name or "-", tuple(missing))
            data.attention[p.agency_id].missing.append(gap)


async def _headcounts(
    session: AsyncSession,
    ids: Any,
    programs: dict[int, Any],
    figures: dict[int, ProgramFigures],
    data: WeeklyData,
) -> None:
    parts: defaultdict[int, int] = defaultdict(int)
    for model in (HostCompany, Job):
        for pid, n in await session.execute(
            select(model.program_id, func.coalesce(func.sum(model.headcount), 0))
            .where(model.program_id.in_(ids))
            .group_by(model.program_id)
        ):
            kind = programs[pid].type
            if (model is Job) == (kind == "project"):
                parts[pid] += int(n)
    for pid, p in programs.items():
        total = p.total_recruitment
        if not total:
            continue
        found = data.attention[p.agency_id].headcounts
        if parts[pid] != total:
            found.append(HeadcountMismatch(p.name, "parts", total, parts[pid]))
        chosen = figures[pid].selected
        if chosen > total:
            found.append(HeadcountMismatch(p.name, "over", total, chosen))
