"""What a participant sees of their own applications (/status, /withdraw)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from bot.domain.applications import ApplicationAction, allowed_actions
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.storage.models import Application, Job, Participant


@dataclass(frozen=True)
class ApplicationView:
    id: int
    program_id: int
    program_name: str
    program_type: str
    state: str
    applied_on: date | None
    job_name: str | None
    reason: str | None
    contact_phone: str | None
    roster_locked: bool
    can_withdraw: bool
    can_amend: bool


@dataclass(frozen=True)
class MyStatus:
    applications: list[ApplicationView]
    rrn_masked: str | None


async def my_status(ctx: AppContext, actor: Actor) -> MyStatus:
    """The caller's applications, newest first, with what they may do about each."""
    async with ctx.db.session() as session:
        participant = await session.scalar(
            select(Participant).where(Participant.telegram_id == actor.telegram_id)
        )
        if participant is None:
            return MyStatus([], None)
        rows = (
            await session.scalars(
                select(Application)
                .where(Application.participant_id == participant.id)
                .order_by(Application.id.desc())
            )
        ).all()
        views = []
        for app in rows:
            locked = app.program.roster_locked_at is not None
            actions = allowed_actions(app.state, roster_locked=locked)
            job = await session.get(Job, app.job_id) if app.job_id else None
            views.append(
                ApplicationView(
                    id=app.id,
                    program_id=app.program_id,
                    program_name=app.program.name,
                    program_type=app.program.type,
                    state=app.state,
                    applied_on=app.applied_on,
                    job_name=job.name if job else None,
                    reason=app.last_reason,
                    contact_phone=app.program.contact_phone,
                    roster_locked=locked,
                    can_withdraw=ApplicationAction.WITHDRAW in actions,
                    can_amend=ApplicationAction.RESUBMIT in actions,
                )
            )
        return MyStatus(views, participant.rrn_masked)
