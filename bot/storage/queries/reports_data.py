"""The rows behind the four reports (사전직무교육 실시보고, 일경험 프로그램 실시보고, 실적보고,
결과보고), for one agency, one program or all agencies.

Set-based, like the weekly figures: each query covers the whole scope at once (column selects,
GROUP BY program or agency), so a national report costs the same number of statements as one
agency's. Plain rows out; the services turn them into sheets, figures and pictures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import (
    Agency,
    Application,
    Certificate,
    Enrollment,
    HostCompany,
    Participant,
    Program,
    SurveyResponse,
    Team,
)

REPORTED_STATUSES = ("approved", "closed")
ROSTER_STATES = ("selected", "completed", "dropped")


@dataclass(frozen=True)
class Scope:
    """Which data a report covers: all agencies, one agency, or one program of it."""

    agency_id: int | None = None
    program_id: int | None = None


def scoped(stmt: Select[Any], scope: Scope) -> Select[Any]:
    """``stmt`` (which joins ``Program``) limited to the reported programs of ``scope``."""
    stmt = stmt.where(Program.status.in_(REPORTED_STATUSES))
    if scope.agency_id is not None:
        stmt = stmt.where(Program.agency_id == scope.agency_id)
    if scope.program_id is not None:
        stmt = stmt.where(Program.id == scope.program_id)
    return stmt


def agency_name() -> Any:
    return func.coalesce(Agency.corporate_name + " " + Agency.branch_name, Agency.corporate_name)


async def programs(session: AsyncSession, scope: Scope, *, training: bool = False) -> list[Any]:
    """The programs in scope with their agency's name (one row each, by agency then id)."""
    stmt = scoped(
        select(Program.__table__, agency_name().label("agency")).join(
            Agency, Agency.id == Program.agency_id
        ),
        scope,
    ).order_by(Program.agency_id, Program.id)
    if training:
        stmt = stmt.where(Program.training_required.is_(True))
    return list((await session.execute(stmt)).all())


async def roster(session: AsyncSession, scope: Scope, *, training: bool = False) -> list[Any]:
    """Everyone selected (also later completed / dropped) in scope, with their enrolment."""
    stmt = scoped(
        select(
            Application.id,
            Application.program_id,
            Application.state,
            Application.national_employment_support.label("nes"),
            Participant.name,
            Enrollment.training_status,
            Enrollment.training_hours,
            Enrollment.work_status,
            Enrollment.outcome,
            Enrollment.dropout_code,
            Enrollment.team_id,
            Enrollment.host_company_id,
        )
        .join(Program, Program.id == Application.program_id)
        .join(Participant, Participant.id == Application.participant_id)
        .outerjoin(Enrollment, Enrollment.application_id == Application.id)
        .where(Application.state.in_(ROSTER_STATES)),
        scope,
    ).order_by(Program.agency_id, Application.program_id, Application.id)
    if training:
        stmt = stmt.where(Program.training_required.is_(True))
    return list((await session.execute(stmt)).all())


async def placements(session: AsyncSession, scope: Scope) -> list[Any]:
    """Host companies and teams of the programs in scope (kind, id, program, name, head count)."""
    companies = scoped(
        select(
            HostCompany.id,
            HostCompany.program_id,
            HostCompany.name,
            HostCompany.brn,
            HostCompany.headcount,
        ).join(Program, Program.id == HostCompany.program_id),
        scope,
    ).order_by(HostCompany.program_id, HostCompany.id)
    teams = scoped(
        select(Team.id, Team.program_id, Team.name).join(Program, Program.id == Team.program_id),
        scope,
    ).order_by(Team.program_id, Team.id)
    rows: list[Any] = [("company", *r) for r in (await session.execute(companies)).all()]
    rows += [
        ("team", r.id, r.program_id, r.name, None, None) for r in await session.execute(teams)
    ]
    return rows


async def state_counts(
    session: AsyncSession, scope: Scope, since: Any = None
) -> list[tuple[int, str, int, int]]:
    """(program id, state, applications, of which submitted since ``since``) in scope."""
    fresh = func.sum(case((Application.submitted_at >= since, 1), else_=0) if since else 0)
    stmt = scoped(
        select(Application.program_id, Application.state, func.count(), fresh)
        .join(Program, Program.id == Application.program_id)
        .where(Application.state != "draft")
        .group_by(Application.program_id, Application.state),
        scope,
    )
    return [(p, s, int(n), int(f or 0)) for p, s, n, f in await session.execute(stmt)]


async def certificate_counts(session: AsyncSession, scope: Scope) -> list[tuple[int, str, int]]:
    stmt = scoped(
        select(Application.program_id, Certificate.status, func.count())
        .join(Certificate, Certificate.application_id == Application.id)
        .join(Program, Program.id == Application.program_id)
        .group_by(Application.program_id, Certificate.status),
        scope,
    )
    return [(p, s, int(n)) for p, s, n in await session.execute(stmt)]


async def survey_answers(session: AsyncSession, scope: Scope) -> list[tuple[int, dict[str, Any]]]:
    """(program id, answers) of every submitted survey in scope."""
    stmt = scoped(
        select(Application.program_id, SurveyResponse.answers)
        .join(SurveyResponse, SurveyResponse.application_id == Application.id)
        .join(Program, Program.id == Application.program_id)
        .where(SurveyResponse.submitted_at.is_not(None))
        .order_by(Application.program_id, Application.id),
        scope,
    )
    return [(p, dict(a or {})) for p, a in await session.execute(stmt)]


async def agency_names(session: AsyncSession, agency_id: int | None = None) -> dict[int, str]:
    stmt = select(Agency.id, agency_name()).where(
        or_(Agency.active.is_(True), Agency.id == agency_id)
    )
    if agency_id is not None:
        stmt = stmt.where(Agency.id == agency_id)
    return {aid: name for aid, name in await session.execute(stmt.order_by(Agency.id))}
