"""Read-only queries behind the weekly reminder, the daily digests and the participant nudges.

Everything here is plain data (dataclasses); wording lives in the services and locales.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import (
    Agency,
    Application,
    ApplicationEvent,
    CenterOperator,
    Certificate,
    Enrollment,
    HostCompany,
    Job,
    Participant,
    Program,
    StaffAccount,
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


# --- who gets what ------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffMember:
    telegram_id: int
    name: str
    is_head: bool


def agency_label(agency: Agency) -> str:
    return (
        f"{agency.corporate_name} {agency.branch_name}"
        if agency.branch_name
        else (agency.corporate_name)
    )


async def active_agencies(session: AsyncSession) -> list[Agency]:
    return list(
        (await session.scalars(select(Agency).where(Agency.active).order_by(Agency.id))).all()
    )


async def agency_staff(session: AsyncSession, agency_id: int) -> list[StaffMember]:
    rows = await session.scalars(
        select(StaffAccount)
        .where(
            StaffAccount.agency_id == agency_id,
            StaffAccount.status == "approved",
            StaffAccount.ended_at.is_(None),
        )
        .order_by(StaffAccount.id)
    )
    seen: dict[int, StaffMember] = {}
    for row in rows:
        seen.setdefault(
            row.telegram_id, StaffMember(row.telegram_id, row.name, row.position == "head")
        )
    return list(seen.values())


async def center_operators(session: AsyncSession, configured: list[int]) -> list[int]:
    ids = set(
        (
            await session.scalars(select(CenterOperator.telegram_id).where(CenterOperator.active))
        ).all()
    )
    return sorted(ids | set(configured))


# --- weekly figures -------------------------------------------------------------------------


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


def reported_programs(agency_id: int | None, today: date) -> Select[tuple[Program]]:
    """Programs worth reporting: approved ones, and closed ones that ended in the last 4 weeks."""
    recent = today - timedelta(weeks=4)
    stmt = select(Program).where(
        or_(
            Program.status == "approved",
            (Program.status == "closed")
            & or_(Program.period_end.is_(None), Program.period_end >= recent),
        )
    )
    if agency_id is not None:
        stmt = stmt.where(Program.agency_id == agency_id)
    return stmt.order_by(Program.id)


async def program_figures(
    session: AsyncSession, agency_id: int | None, today: date, week_start: datetime
) -> list[ProgramFigures]:
    programs = (await session.scalars(reported_programs(agency_id, today))).all()
    figures = {p.id: ProgramFigures(p.id, p.name, p.type, p.total_recruitment) for p in programs}
    if not figures:
        return []
    ids = list(figures)
    for pid, state, n in await session.execute(
        select(Application.program_id, Application.state, func.count())
        .where(Application.program_id.in_(ids))
        .group_by(Application.program_id, Application.state)
    ):
        figures[pid].states[state] = int(n)
    for pid, n in await session.execute(
        select(Application.program_id, func.count())
        .where(Application.program_id.in_(ids), Application.submitted_at >= week_start)
        .group_by(Application.program_id)
    ):
        figures[pid].new_this_week = int(n)
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
    return list(figures.values())


# --- data that needs a look ---------------------------------------------------------------


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


def held_since() -> Select[tuple[int, datetime]]:
    """When each application was last put on hold (from its status history)."""
    return (
        select(ApplicationEvent.application_id, func.max(ApplicationEvent.created_at).label("at"))
        .where(ApplicationEvent.to_state == "held")
        .group_by(ApplicationEvent.application_id)
    )


def _days(now: datetime, then: datetime | None) -> int:
    return (now - then).days if then is not None else 0


async def attention(
    session: AsyncSession, agency_id: int, now: datetime, today: date
) -> Attention:
    found = Attention()
    programs = (await session.scalars(reported_programs(agency_id, today))).all()
    if not programs:
        return found
    by_id = {p.id: p for p in programs}
    ids = list(by_id)
    waiting_cut = now - timedelta(days=WAITING_DAYS)
    for app in await session.scalars(
        select(Application)
        .where(
            Application.program_id.in_(ids),
            Application.state == "submitted",
            Application.submitted_at < waiting_cut,
        )
        .order_by(Application.submitted_at)
    ):
        found.waiting.append(
            LateApplication(
                app.id, app.participant.name or "-", app.program.name, _days(now, app.submitted_at)
            )
        )
    held = held_since().subquery()
    since = func.coalesce(Application.decided_at, held.c.at)
    held_cut = now - timedelta(days=HELD_DAYS)
    for app, at in await session.execute(
        select(Application, since)
        .outerjoin(held, held.c.application_id == Application.id)
        .where(Application.program_id.in_(ids), Application.state == "held", since < held_cut)
        .order_by(since)
    ):
        found.held.append(
            LateApplication(app.id, app.participant.name or "-", app.program.name, _days(now, at))
        )
    for program in programs:
        missing = program_missing_fields(program)
        if missing:
            found.missing.append(MissingFields("program", program.id, program.name, missing))
    found.missing += await _application_gaps(session, ids)
    found.headcounts = await _headcounts(session, programs)
    return found


def program_missing_fields(program: Program) -> tuple[str, ...]:
    wanted = list(PROGRAM_REQUIRED)
    if program.type == "project":
        wanted.append("proposal_text")
    if program.training_required is None:
        wanted.append("training_required")
    elif program.training_required:
        wanted += TRAINING_REQUIRED
    return tuple(name for name in wanted if getattr(program, name) in (None, ""))


async def _application_gaps(session: AsyncSession, program_ids: list[int]) -> list[MissingFields]:
    gaps: list[MissingFields] = []
    rows = await session.execute(
        select(Application, Enrollment)
        .outerjoin(Enrollment, Enrollment.application_id == Application.id)
        .where(Application.program_id.in_(program_ids), Application.state.in_(ACTIVE_STATES))
        .order_by(Application.id)
    )
    for app, enrollment in rows:
        person: Participant = app.participant
        missing = [
            name
            for name, value in (
                ("participant_name", person.name),
                ("birth_date", person.birth_date),
                ("mobile", person.mobile),
                ("education", app.education),
                ("applied_on", app.applied_on),
            )
            if value in (None, "")
        ]
        if app.state in ("selected", "completed") and app.national_employment_support is None:
            missing.append("national_employment_support")
        program = app.program
        if app.state == "selected" and program.roster_locked_at is not None:
            unassigned = enrollment is None or (
                enrollment.team_id is None
                if program.type == "project"
                else enrollment.host_company_id is None
            )
            if unassigned:
                missing.append("team" if program.type == "project" else "host_company")
        if missing:
            gaps.append(MissingFields("application", app.id, person.name or "-", tuple(missing)))
    return gaps


async def _headcounts(session: AsyncSession, programs: list[Program]) -> list[HeadcountMismatch]:
    ids = [p.id for p in programs]
    company_sum = dict(
        (
            await session.execute(
                select(HostCompany.program_id, func.coalesce(func.sum(HostCompany.headcount), 0))
                .where(HostCompany.program_id.in_(ids))
                .group_by(HostCompany.program_id)
            )
        ).all()
    )
    job_sum = dict(
        (
            await session.execute(
                select(Job.program_id, func.coalesce(func.sum(Job.headcount), 0))
                .where(Job.program_id.in_(ids))
                .group_by(Job.program_id)
            )
        ).all()
    )
    selected = dict(
        (
            await session.execute(
                select(Application.program_id, func.count())
                .where(Application.program_id.in_(ids), Application.state.in_(SELECTED_STATES))
                .group_by(Application.program_id)
            )
        ).all()
    )
    found: list[HeadcountMismatch] = []
    for program in programs:
        total = program.total_recruitment
        if not total:
            continue
        parts = job_sum if program.type == "project" else company_sum
        counted = int(parts.get(program.id, 0))
        if counted != total:
            found.append(HeadcountMismatch(program.name, "parts", total, counted))
        chosen = int(selected.get(program.id, 0))
        if chosen > total:
            found.append(HeadcountMismatch(program.name, "over", total, chosen))
    return found


# --- daily digests --------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffPending:
    inbox: int  # 인증대기
    held: int  # 보류 (waiting for the participant)
    selection: int  # 선발대기 in programs whose roster is still open
    completion: int  # selected, period over, not yet marked 수료 / 중도탈락
    surveys: int  # completed without a submitted survey

    @property
    def empty(self) -> bool:
        return not (self.inbox or self.selection or self.completion or self.surveys)


async def staff_pending(session: AsyncSession, agency_id: int, today: date) -> StaffPending:
    def count(*where: object) -> Select[tuple[int]]:
        return (
            select(func.count(Application.id))
            .join(Program, Program.id == Application.program_id)
            .where(Program.agency_id == agency_id, *where)
        )

    no_survey = (
        ~select(SurveyResponse.id)
        .where(
            SurveyResponse.application_id == Application.id,
            SurveyResponse.submitted_at.is_not(None),
        )
        .exists()
    )
    return StaffPending(
        inbox=int(await session.scalar(count(Application.state == "submitted")) or 0),
        held=int(await session.scalar(count(Application.state == "held")) or 0),
        selection=int(
            await session.scalar(
                count(Application.state == "certified", Program.roster_locked_at.is_(None))
            )
            or 0
        ),
        completion=int(
            await session.scalar(
                count(Application.state == "selected", Program.period_end < today)
            )
            or 0
        ),
        surveys=int(await session.scalar(count(Application.state == "completed", no_survey)) or 0),
    )


@dataclass(frozen=True)
class CenterPending:
    accounts: int
    programs: int
    company_checks: int
    certificates: int

    @property
    def empty(self) -> bool:
        return not (self.accounts or self.programs or self.company_checks or self.certificates)


async def center_pending(session: AsyncSession) -> CenterPending:
    async def n(stmt: Select[tuple[int]]) -> int:
        return int(await session.scalar(stmt) or 0)

    return CenterPending(
        accounts=await n(
            select(func.count(StaffAccount.id)).where(StaffAccount.status == "pending")
        ),
        programs=await n(select(func.count(Program.id)).where(Program.status == "pending")),
        company_checks=await n(
            select(func.count(HostCompany.id))
            .join(Program, Program.id == HostCompany.program_id)
            .where(
                HostCompany.insured_check == "pending", Program.status.in_(("pending", "approved"))
            )
        ),
        certificates=await n(
            select(func.count(Certificate.id)).where(Certificate.status == "requested")
        ),
    )


# --- participant nudges --------------------------------------------------------------------


@dataclass(frozen=True)
class NudgeTarget:
    application_id: int
    chat_id: int
    program: str
    since: datetime
    version: int = 0  # of a held application: a new hold starts its nudges again


async def completed_without_survey(session: AsyncSession) -> list[NudgeTarget]:
    answered = select(SurveyResponse.id).where(
        SurveyResponse.application_id == Application.id, SurveyResponse.submitted_at.is_not(None)
    )
    rows = await session.execute(
        select(Application, Enrollment.outcome_at)
        .join(Enrollment, Enrollment.application_id == Application.id)
        .join(Participant, Participant.id == Application.participant_id)
        .where(
            Application.state == "completed",
            Enrollment.outcome_at.is_not(None),
            Participant.telegram_id.is_not(None),
            Participant.erased_at.is_(None),
            ~answered.exists(),
        )
        .order_by(Application.id)
    )
    return [
        NudgeTarget(app.id, app.participant.telegram_id, app.program.name, at) for app, at in rows
    ]


async def held_not_resubmitted(session: AsyncSession) -> list[NudgeTarget]:
    """Held applications of participants with a chat; ``since`` is the hold decision."""
    held = held_since().subquery()
    since = func.coalesce(Application.decided_at, held.c.at)
    rows = await session.execute(
        select(Application, since)
        .outerjoin(held, held.c.application_id == Application.id)
        .join(Participant, Participant.id == Application.participant_id)
        .where(
            Application.state == "held",
            Participant.telegram_id.is_not(None),
            Participant.erased_at.is_(None),
            since.is_not(None),
        )
        .order_by(Application.id)
    )
    return [
        NudgeTarget(app.id, app.participant.telegram_id, app.program.name, at, app.version)
        for app, at in rows
    ]
