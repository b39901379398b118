"""The home menu's live counts per role: what is waiting for this person right now.

One read-only transaction per call; staff counts are for their own agency only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.applications import ApplicationState
from bot.domain.errors import DomainError
from bot.services.catalogue import listed
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.storage.models import (
    Application,
    Certificate,
    HostCompany,
    Participant,
    Program,
    StaffAccount,
    SurveyResponse,
)

_ACTIVE = tuple(s.value for s in ApplicationState if s.value not in ("draft", "withdrawn"))


@dataclass(frozen=True)
class ParticipantCounts:
    open_programs: int
    applications: int
    surveys_due: int
    certificates_due: int  # completed, no certificate asked for yet


@dataclass(frozen=True)
class StaffCounts:
    inbox: int
    held: int
    to_select: int


@dataclass(frozen=True)
class CenterCounts:
    approvals: int
    program_reviews: int
    certificates: int


async def _count(session: AsyncSession, query: object) -> int:
    return int(await session.scalar(query) or 0)  # type: ignore[call-overload]


async def _participant(session: AsyncSession, actor: Actor, today: date) -> ParticipantCounts:
    mine = (
        select(Application.id, Application.state)
        .join(Participant, Participant.id == Application.participant_id)
        .where(Participant.telegram_id == actor.telegram_id)
        .subquery()
    )
    completed = select(mine.c.id).where(mine.c.state == ApplicationState.COMPLETED.value)
    surveyed = select(SurveyResponse.application_id).where(
        SurveyResponse.submitted_at.is_not(None)
    )
    asked = select(Certificate.application_id).where(Certificate.status != "rejected")
    return ParticipantCounts(
        open_programs=await _count(
            session, select(func.count()).select_from(listed(today).subquery())
        ),
        applications=await _count(session, select(func.count()).where(mine.c.state.in_(_ACTIVE))),
        surveys_due=await _count(
            session,
            select(func.count()).select_from(
                completed.where(mine.c.id.not_in(surveyed)).subquery()
            ),
        ),
        certificates_due=await _count(
            session,
            select(func.count()).select_from(completed.where(mine.c.id.not_in(asked)).subquery()),
        ),
    )


async def _staff(session: AsyncSession, actor: Actor) -> StaffCounts:
    def in_state(state: ApplicationState) -> object:
        return (
            select(func.count(Application.id))
            .join(Program, Program.id == Application.program_id)
            .where(Program.agency_id == actor.agency_id, Application.state == state.value)
        )

    return StaffCounts(
        inbox=await _count(session, in_state(ApplicationState.SUBMITTED)),
        held=await _count(session, in_state(ApplicationState.HELD)),
        to_select=await _count(session, in_state(ApplicationState.CERTIFIED)),
    )


async def _center(session: AsyncSession) -> CenterCounts:
    checks = select(func.count(HostCompany.id)).where(HostCompany.insured_check == "pending")
    programs = select(func.count(Program.id)).where(Program.status == "pending")
    return CenterCounts(
        approvals=await _count(
            session, select(func.count(StaffAccount.id)).where(StaffAccount.status == "pending")
        ),
        program_reviews=await _count(session, programs) + await _count(session, checks),
        certificates=await _count(
            session, select(func.count(Certificate.id)).where(Certificate.status == "requested")
        ),
    )


async def participant_counts(ctx: AppContext, actor: Actor) -> ParticipantCounts:
    async with ctx.db.session() as session:
        return await _participant(session, actor, ctx.today())


async def staff_counts(ctx: AppContext, actor: Actor) -> StaffCounts:
    if not actor.is_staff:
        raise DomainError("access.denied")
    async with ctx.db.session() as session:
        return await _staff(session, actor)


async def center_counts(ctx: AppContext) -> CenterCounts:
    async with ctx.db.session() as session:
        return await _center(session)
