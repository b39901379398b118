"""Read-only queries behind the weekly reminder, the daily digests and the participant nudges.

Everything here is plain data (dataclasses); wording lives in the services and locales.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import (
    Agency,
    Application,
    CenterOperator,
    Certificate,
    Enrollment,
    HostCompany,
    Participant,
    Program,
    StaffAccount,
    SurveyResponse,
)
from bot.storage.queries.reports_weekly import held_since

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
    return (await all_agency_staff(session, agency_id)).get(agency_id, [])


async def all_agency_staff(
    session: AsyncSession, agency_id: int | None = None
) -> dict[int, list[StaffMember]]:
    """Approved, current staff per agency (one statement for all agencies)."""
    stmt = (
        select(
            StaffAccount.agency_id, StaffAccount.telegram_id, StaffAccount.name,
            StaffAccount.position,
        )
        .where(StaffAccount.status == "approved", StaffAccount.ended_at.is_(None))
        .order_by(StaffAccount.id)
    )  # fmt: skip
    if agency_id is not None:
        stmt = stmt.where(StaffAccount.agency_id == agency_id)
    seen: dict[int, dict[int, StaffMember]] = {}
    for aid, tid, name, position in await session.execute(stmt):
        seen.setdefault(aid, {}).setdefault(tid, StaffMember(tid, name, position == "head"))
    return {aid: list(members.values()) for aid, members in seen.items()}


async def center_operators(session: AsyncSession, configured: list[int]) -> list[int]:
    ids = set(
        (
            await session.scalars(select(CenterOperator.telegram_id).where(CenterOperator.active))
        ).all()
    )
    return sorted(ids | set(configured))


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
    def count(*where: ColumnElement[bool]) -> Select[tuple[int]]:
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
