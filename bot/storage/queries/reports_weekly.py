"""The weekly figures and "data that needs a look", for one agency or all of them at once.

Set-based: every query groups or filters over all the reported programs together (GROUP BY
program, column selects — no ORM entities), so the number of statements is the same for one
agency and for 500 (:func:`weekly_data` runs 9). Results are split per agency in Python.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
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

# states that count as "selected at some point" (선발 인원)
SELECTED_STATES = ("selected", "completed", "dropped")
# states that passed certification (인증 → 선발대기 and beyond)
CERTIFIED_STATES = ("certified", "selected", "not_selected", "completed", "dropped")
# applications staff are still working on (drafts and final states aside)
ACTIVE_STATES = ("submitted", "held", "certified", "selected", "completed")
WAITING_DAYS = 3
HELD_DAYS = 7

PROGRAM_REQUIRED = (
    "work_address",
    "schedule",
    "weekly_hours",
    "allowance",
    "job_description",
    "selection_criteria",
    "period_start",
    "period_end",
    "total_recruitment",
    "contact_name",
    "contact_phone",
    "contact_email",
)
TRAINING_REQUIRED = (
    "training_institution",
    "training_contact",
    "training_email",
    "training_phone",
    "training_start",
    "training_content",
)
_PROGRAM_COLUMNS = (
    "id", "agency_id", "name", "type", "total_recruitment", "roster_locked_at",
    "training_required", "proposal_text", *PROGRAM_REQUIRED, *TRAINING_REQUIRED,
)  # fmt: skip


@dataclass
class ProgramFigures:
    program_id: int
    name: str
    type: str
    total_recruitment: int | None
    states: Counter[str] = field(default_factory=Counter)
    new_this_week: int = 0
    surveys: int = 0
    certificates: int = 0
    certificates_requested: int = 0

    @property
    def applied(self) -> int:
        return sum(n for state, n in self.states.items() if state != "draft")

    @property
    def certified(self) -> int:
        return sum(self.states[s] for s in CERTIFIED_STATES)

    @property
    def selected(self) -> int:
        return sum(self.states[s] for s in SELECTED_STATES)

    @property
    def completed(self) -> int:
        return self.states["completed"]


@dataclass(frozen=True)
class LateApplication:
    application_id: int
    name: str
    program: str
    days: int


@dataclass(frozen=True)
class MissingFields:
    what: str  # program | application
    ref: int
    label: str  # program name or participant name
    fields: tuple[str, ...]


@dataclass(frozen=True)
class HeadcountMismatch:
    program: str
    kind: str  # parts (company / job sum ≠ total) | over (selected > total)
    total: int
    counted: int


@dataclass
class Attention:
    waiting: list[LateApplication] = field(default_factory=list)
    held: list[LateApplication] = field(default_factory=list)
    missing: list[MissingFields] = field(default_factory=list)
    headcounts: list[HeadcountMismatch] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.waiting or self.held or self.missing or self.headcounts)


@dataclass
class WeeklyData:
    """Per agency id: its programs' figures and what needs a look (agencies without reported
    programs are absent: ``figures_of`` / ``attention_of`` give empty values)."""

    figures: dict[int, list[ProgramFigures]] = field(default_factory=dict)
    attention: dict[int, Attention] = field(default_factory=dict)

    def figures_of(self, agency_id: int) -> list[ProgramFigures]:
        return self.figures.get(agency_id, [])

    def attention_of(self, agency_id: int) -> Attention:
        return self.attention.get(agency_id) or Attention()


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


def program_missing_fields(program: Any) -> tuple[str, ...]:
    """The required program fields left empty (``program``: a Program or a row of its columns)."""
    wanted = list(PROGRAM_REQUIRED)
    if program.type == "project":
        wanted.append("proposal_text")
    if program.training_required is None:
        wanted.append("training_required")
    elif program.training_required:
        wanted += TRAINING_REQUIRED
    return tuple(name for name in wanted if getattr(program, name) in (None, ""))


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
