"""Assignment (팀배정 / 참여기업배정) and progress (직무교육·일경험 상태, 수료, 중도탈락).

Project programs group their selected participants into named teams; intern programs give each
participant one of the program's host companies, within that company's head count. Once the roster
is confirmed, staff keep the pre-job-training and work-experience status of each participant and
finally mark completion (수료, only after the work-experience period has ended unless a reason is
recorded) or drop-out (중도탈락, with a reason code). The participant is told about both.

Codes raised (params in parentheses):
- ``access.denied`` / ``access.agency`` — see :func:`bot.services.selection.staff_program`.
- ``assign.no_participant`` — no such application on this agency's roster.
- ``assign.not_on_roster`` — the person is not selected (or already completed / dropped).
- ``assign.wrong_type`` (type) — teams for project programs, companies for intern programs.
- ``assign.team_name`` (limit) — an empty or too long team name.
- ``assign.team_exists`` (name) — the program already has a team of that name.
- ``assign.no_target`` — the team or company does not belong to the program.
- ``assign.company_unchecked`` (name) — the company's insured-count check is not confirmed.
- ``recruit.company_full`` (headcount, assigned) — no place left at the company.
- ``progress.bad_status`` (value) — an unknown training / work status.
- ``progress.before_end`` (end) — completion before the period ended, without a reason.
- ``progress.reason_needed`` — the reason given is empty.
- ``progress.bad_dropout_code`` (code) — an unknown drop-out reason code.
- ``roster.not_locked`` (action) · ``app.bad_transition`` (from, action) — from the state machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.applications import ApplicationAction, ApplicationState, next_state
from bot.domain.errors import DomainError
from bot.domain.recruitment import check_company_capacity
from bot.services import audit, outbox
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.selection import ON_ROSTER, staff_program
from bot.storage.models import (
    Application,
    Enrollment,
    HostCompany,
    Program,
    Team,
)

TEAM_NAME_LIMIT = 30
TRAINING_STATUSES = ("not_started", "in_progress", "done", "not_required")
WORK_STATUSES = ("not_started", "in_progress", "done")
# 중도탈락 reason codes; ``voluntary`` ones count towards the yearly voluntary drop-out limit.
DROPOUT_CODES = ("employed", "personal", "health", "absence", "ineligible", "other")
VOLUNTARY_DROPOUTS = frozenset({"personal", "health"})
S = ApplicationState


@dataclass(frozen=True)
class RosterRow:
    application_id: int
    name: str
    birth_date: date | None
    state: str
    team_id: int | None
    team_name: str | None
    company_id: int | None
    company_name: str | None
    training_status: str
    work_status: str
    outcome: str | None
    dropout_code: str | None
    outcome_reason: str | None

    @property
    def assigned_to(self) -> str | None:
        return self.team_name or self.company_name


@dataclass(frozen=True)
class TeamInfo:
    id: int
    name: str
    size: int


@dataclass(frozen=True)
class CompanyInfo:
    id: int
    name: str
    headcount: int
    assigned: int
    confirmed: bool

    @property
    def full(self) -> bool:
        return self.assigned >= self.headcount


async def _enrollment(session: AsyncSession, app: Application) -> Enrollment:
    enrollment = await session.scalar(
        select(Enrollment).where(Enrollment.application_id == app.id)
    )
    if enrollment is None:
        enrollment = Enrollment(application_id=app.id)
        session.add(enrollment)
        await session.flush()
    return enrollment


async def _roster_app(
    session: AsyncSession, ctx: AppContext, actor: Actor, application_id: int, action: str
) -> tuple[Application, Program]:
    app = await session.get(Application, application_id)
    if app is None:
        raise DomainError("assign.no_participant")
    program = await staff_program(session, ctx, actor, app.program_id, action)
    if app.state not in ON_ROSTER:
        raise DomainError("assign.not_on_roster")
    return app, program


async def _rows(session: AsyncSession, program_id: int) -> list[RosterRow]:
    result = await session.execute(
        select(Application, Enrollment, Team, HostCompany)
        .outerjoin(Enrollment, Enrollment.application_id == Application.id)
        .outerjoin(Team, Team.id == Enrollment.team_id)
        .outerjoin(HostCompany, HostCompany.id == Enrollment.host_company_id)
        .where(Application.program_id == program_id, Application.state.in_(ON_ROSTER))
        .order_by(Application.applied_on, Application.id)
    )
    rows: list[RosterRow] = []
    for app, enrollment, team, company in result.all():
        rows.append(
            RosterRow(
                application_id=app.id,
                name=app.participant.name or "-",
                birth_date=app.participant.birth_date,
                state=app.state,
                team_id=team.id if team else None,
                team_name=team.name if team else None,
                company_id=company.id if company else None,
                company_name=company.name if company else None,
                training_status=enrollment.training_status if enrollment else "not_started",
                work_status=enrollment.work_status if enrollment else "not_started",
                outcome=enrollment.outcome if enrollment else None,
                dropout_code=enrollment.dropout_code if enrollment else None,
                outcome_reason=enrollment.outcome_reason if enrollment else None,
            )
        )
    return rows


# --- reading -------------------------------------------------------------------------------


async def roster(ctx: AppContext, actor: Actor, program_id: int) -> list[RosterRow]:
    """Everyone selected (and, once the program runs, completed or dropped)."""
    async with ctx.db.session() as session:
        await staff_program(session, ctx, actor, program_id, "roster.view")
        return await _rows(session, program_id)


async def roster_row(ctx: AppContext, actor: Actor, application_id: int) -> RosterRow:
    async with ctx.db.session() as session:
        app, _ = await _roster_app(session, ctx, actor, application_id, "roster.view")
        for row in await _rows(session, app.program_id):
            if row.application_id == application_id:
                return row
    raise DomainError("assign.no_participant")


async def teams(ctx: AppContext, actor: Actor, program_id: int) -> list[TeamInfo]:
    async with ctx.db.session() as session:
        await staff_program(session, ctx, actor, program_id, "assign.view")
        return await _teams(session, program_id)


async def _teams(session: AsyncSession, program_id: int) -> list[TeamInfo]:
    size = (
        select(func.count(Enrollment.id))
        .join(Application, Application.id == Enrollment.application_id)
        .where(Enrollment.team_id == Team.id, Application.state.in_(ON_ROSTER))
        .scalar_subquery()
    )
    result = await session.execute(
        select(Team.id, Team.name, size).where(Team.program_id == program_id).order_by(Team.id)
    )
    return [TeamInfo(id=i, name=n, size=s) for i, n, s in result.all()]


async def _assigned_to_company(session: AsyncSession, company_id: int, but: int = 0) -> int:
    return int(
        await session.scalar(
            select(func.count(Enrollment.id))
            .join(Application, Application.id == Enrollment.application_id)
            .where(
                Enrollment.host_company_id == company_id,
                Application.state.in_(ON_ROSTER),
                Application.id != but,
            )
        )
        or 0
    )


async def companies(ctx: AppContext, actor: Actor, program_id: int) -> list[CompanyInfo]:
    async with ctx.db.session() as session:
        await staff_program(session, ctx, actor, program_id, "assign.view")
        rows = (
            await session.scalars(
                select(HostCompany)
                .where(HostCompany.program_id == program_id)
                .order_by(HostCompany.id)
            )
        ).all()
        return [
            CompanyInfo(
                id=c.id,
                name=c.name,
                headcount=c.headcount or 0,
                assigned=await _assigned_to_company(session, c.id),
                confirmed=c.insured_check == "confirmed",
            )
            for c in rows
        ]


# --- assignment ----------------------------------------------------------------------------


async def create_team(ctx: AppContext, actor: Actor, program_id: int, name: str) -> TeamInfo:
    name = " ".join(name.split())
    async with ctx.db.session() as session:
        program = await staff_program(session, ctx, actor, program_id, "assign.team_create")
        if program.type != "project":
            raise DomainError("assign.wrong_type", type=program.type)
        if not name or len(name) > TEAM_NAME_LIMIT:
            raise DomainError("assign.team_name", limit=TEAM_NAME_LIMIT)
        exists = await session.scalar(
            select(Team.id).where(Team.program_id == program_id, Team.name == name)
        )
        if exists is not None:
            raise DomainError("assign.team_exists", name=name)
        team = Team(program_id=program_id, name=name)
        session.add(team)
        await session.flush()
        audit.record(
            session,
            actor,
            "team.create",
            "team",
            team.id,
            after={"name": name},
            agency_id=program.agency_id,
        )
        return TeamInfo(id=team.id, name=name, size=0)


async def _assignee(
    session: AsyncSession,
    ctx: AppContext,
    actor: Actor,
    application_id: int,
    action: str,
    program_type: str,
) -> tuple[Application, Program]:
    """A selected participant of a program of ``program_type`` this staff member may assign."""
    app, program = await _roster_app(session, ctx, actor, application_id, action)
    if program.type != program_type:
        raise DomainError("assign.wrong_type", type=program.type)
    if app.state != S.SELECTED.value:
        raise DomainError("assign.not_on_roster")
    return app, program


async def _assign(
    session: AsyncSession,
    actor: Actor,
    app: Application,
    program: Program,
    enrollment: Enrollment,
    field: str,
    target_id: int,
    target_name: str,
) -> str:
    """Set ``enrollment.<field>`` (team_id | host_company_id), audit and notify; returns the
    target's name."""
    before = getattr(enrollment, field)
    setattr(enrollment, field, target_id)
    audit.record(
        session,
        actor,
        "enrollment.team" if field == "team_id" else "enrollment.company",
        "application",
        app.id,
        before={field: before},
        after={field: target_id},
        agency_id=program.agency_id,
    )
    await _notify_assignment(session, app, program, target_name)
    return target_name


async def assign_team(ctx: AppContext, actor: Actor, application_id: int, team_id: int) -> str:
    """Put a selected participant of a project program into a team; returns the team name."""
    async with ctx.db.session() as session:
        app, program = await _assignee(
            session, ctx, actor, application_id, "assign.team", "project"
        )
        team = await session.get(Team, team_id)
        if team is None or team.program_id != program.id:
            raise DomainError("assign.no_target")
        enrollment = await _enrollment(session, app)
        if enrollment.team_id == team.id:
            return team.name
        return await _assign(
            session, actor, app, program, enrollment, "team_id", team.id, team.name
        )


async def assign_company(
    ctx: AppContext, actor: Actor, application_id: int, company_id: int
) -> str:
    """Give a selected participant of an intern program a host company, within its head count."""
    async with ctx.db.session() as session:
        app, program = await _assignee(
            session, ctx, actor, application_id, "assign.company", "intern"
        )
        company = await session.get(HostCompany, company_id)
        if company is None or company.program_id != program.id:
            raise DomainError("assign.no_target")
        enrollment = await _enrollment(session, app)
        if enrollment.host_company_id == company.id:
            return company.name
        if company.insured_check != "confirmed":
            raise DomainError("assign.company_unchecked", name=company.name)
        assigned = await _assigned_to_company(session, company.id, but=app.id)
        check_company_capacity(company.headcount or 0, assigned)
        return await _assign(
            session, actor, app, program, enrollment, "host_company_id", company.id, company.name
        )


async def _notify_assignment(
    session: AsyncSession, app: Application, program: Program, target: str
) -> None:
    """Once the roster is confirmed the participant hears where they go (not before: selection
    is only announced by the confirmation notice)."""
    chat_id = app.participant.telegram_id
    if program.roster_locked_at is None or chat_id is None:
        return
    await outbox.enqueue(
        session,
        chat_id,
        "enrollment.assigned",
        "assign.notice_team" if program.type == "project" else "assign.notice_company",
        params={"program": program.name, "target": target},
        entity="application",
        entity_id=app.id,
    )


# --- progress ------------------------------------------------------------------------------


async def set_status(
    ctx: AppContext, actor: Actor, application_id: int, which: str, value: str
) -> None:
    """Pre-job-training (``which="training"``) or work-experience (``"work"``) status."""
    allowed = TRAINING_STATUSES if which == "training" else WORK_STATUSES
    if which not in ("training", "work") or value not in allowed:
        raise DomainError("progress.bad_status", value=value)
    async with ctx.db.session() as session:
        app, program = await _roster_app(session, ctx, actor, application_id, "progress.status")
        if program.roster_locked_at is None:
            raise DomainError("roster.not_locked", action="status")
        if app.state != S.SELECTED.value:
            raise DomainError("assign.not_on_roster")
        enrollment = await _enrollment(session, app)
        field = "training_status" if which == "training" else "work_status"
        before = getattr(enrollment, field)
        if before == value:
            return
        setattr(enrollment, field, value)
        audit.record(
            session,
            actor,
            f"enrollment.{which}",
            "application",
            app.id,
            before={field: before},
            after={field: value},
            agency_id=program.agency_id,
        )


def _transition(
    session: AsyncSession,
    app: Application,
    program: Program,
    actor: Actor,
    action: ApplicationAction,
    reason: str | None,
) -> str:
    before = app.state
    target = next_state(app.state, action, roster_locked=program.roster_locked_at is not None)
    app.state = target.value
    app.version += 1
    app.last_reason = reason
    session.add(audit.application_event(app.id, actor, action.value, before, target.value, reason))
    return before


async def complete(
    ctx: AppContext, actor: Actor, application_id: int, *, reason: str | None = None
) -> bool:
    """수료. Before the period has ended only with a recorded reason. Returns False when the
    person was already completed (a double tap)."""
    reason = (reason or "").strip() or None
    async with ctx.db.session() as session:
        app, program = await _roster_app(session, ctx, actor, application_id, "progress.complete")
        if app.state == S.COMPLETED.value:
            return False
        today = ctx.today()
        ended = program.period_end is not None and today > program.period_end
        if not ended and reason is None:
            end = program.period_end.isoformat() if program.period_end else "-"
            raise DomainError("progress.before_end", end=end)
        before = _transition(session, app, program, actor, ApplicationAction.COMPLETE, reason)
        enrollment = await _enrollment(session, app)
        enrollment.outcome = "completed"
        enrollment.outcome_reason = reason
        enrollment.outcome_at = ctx.now()
        enrollment.outcome_by = actor.telegram_id
        if enrollment.work_status != "done":
            enrollment.work_status = "done"
        audit.record(
            session,
            actor,
            "application.complete",
            "application",
            app.id,
            before={"state": before},
            after={"state": app.state, "early": not ended},
            reason=reason,
            agency_id=program.agency_id,
        )
        if app.participant.telegram_id is not None:
            await outbox.enqueue(
                session,
                app.participant.telegram_id,
                "progress.completed",
                "progress.notice_completed",
                params={"program": program.name},
                buttons=[[{"key": "survey.start_button", "cb": "svst", "args": {"aid": app.id}}]],
                dedupe_key=f"progress.completed:{app.id}",
                entity="application",
                entity_id=app.id,
            )
        return True


async def drop(
    ctx: AppContext, actor: Actor, application_id: int, code: str, *, reason: str | None = None
) -> bool:
    """중도탈락 with a reason code. Returns False when the person was already dropped."""
    if code not in DROPOUT_CODES:
        raise DomainError("progress.bad_dropout_code", code=code)
    reason = (reason or "").strip() or None
    async with ctx.db.session() as session:
        app, program = await _roster_app(session, ctx, actor, application_id, "progress.drop")
        if app.state == S.DROPPED.value:
            return False
        before = _transition(session, app, program, actor, ApplicationAction.DROP, reason or code)
        enrollment = await _enrollment(session, app)
        enrollment.outcome = "dropped"
        enrollment.dropout_code = code
        enrollment.outcome_reason = reason
        enrollment.outcome_at = ctx.now()
        enrollment.outcome_by = actor.telegram_id
        audit.record(
            session,
            actor,
            "application.drop",
            "application",
            app.id,
            before={"state": before},
            after={"state": app.state, "code": code, "voluntary": code in VOLUNTARY_DROPOUTS},
            reason=reason,
            agency_id=program.agency_id,
        )
        if app.participant.telegram_id is not None:
            await outbox.enqueue(
                session,
                app.participant.telegram_id,
                "progress.dropped",
                "progress.notice_dropped",
                params={"program": program.name},
                dedupe_key=f"progress.dropped:{app.id}",
                entity="application",
                entity_id=app.id,
            )
        return True
