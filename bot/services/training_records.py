"""The 사전직무교육 figures the reports need and the program registry does not ask for: the
hours each participant attended, and the training's planned hours, method, place and last day.

Staff enter them with ``/hours`` (their own agency only; refusals audited). Every change is
audited with the value before and after, like any change after the roster is locked.

Codes raised: ``access.denied`` (not staff), ``access.agency`` (another agency; audited),
``training.not_found`` (no such application / program), ``training.not_on_roster`` (the person
is not selected), ``training.bad_hours`` (max), ``training.too_long`` (field, limit),
``training.bad_date``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from bot.domain.errors import DomainError
from bot.services import audit
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.storage.models import Application, Enrollment, Program

MAX_HOURS = 1000
METHOD_MAX, PLACE_MAX = 100, 300
ROSTER = ("selected", "completed", "dropped")


def parse_hours(text: str) -> int:
    raw = text.strip().removesuffix("시간").removesuffix("h").strip()
    if not raw.isdigit() or not 0 <= int(raw) <= MAX_HOURS:
        raise DomainError("training.bad_hours", max=MAX_HOURS)
    return int(raw)


async def _program_scope(ctx: AppContext, actor: Actor, agency_id: int, what: str) -> None:
    if not actor.is_staff:
        await audit.refuse(ctx, actor, what, "program", None, code="access.denied")
    if agency_id != actor.agency_id:
        await audit.refuse(
            ctx, actor, what, "agency", agency_id, code="access.agency", agency_id=agency_id
        )


@dataclass(frozen=True)
class HoursSet:
    application_id: int
    name: str
    program: str
    before: int | None
    hours: int


async def set_attended_hours(
    ctx: AppContext, actor: Actor, application_id: int, hours: int
) -> HoursSet:
    async with ctx.db.session() as session:
        row = (
            await session.execute(
                select(Application.state, Program.agency_id, Program.name)
                .join(Program, Program.id == Application.program_id)
                .where(Application.id == application_id)
            )
        ).first()
    if row is None:
        raise DomainError("training.not_found")
    await _program_scope(ctx, actor, row.agency_id, "training.hours")
    if row.state not in ROSTER:
        raise DomainError("training.not_on_roster")
    async with ctx.db.session() as session:
        app = await session.get(Application, application_id)
        assert app is not None
        enrollment = await session.scalar(
            select(Enrollment).where(Enrollment.application_id == application_id)
        )
        if enrollment is None:
            enrollment = Enrollment(application_id=application_id)
            session.add(enrollment)
        before = enrollment.training_hours
        enrollment.training_hours = hours
        audit.record(
            session, actor, "training.hours", "application", application_id,
            before={"training_hours": before}, after={"training_hours": hours},
            agency_id=row.agency_id,
        )  # fmt: skip
        return HoursSet(application_id, app.participant.name or "-", row.name, before, hours)


@dataclass(frozen=True)
class TrainingPlan:
    program: str
    hours: int
    method: str
    place: str
    end: date | None


async def set_training_plan(
    ctx: AppContext, actor: Actor, program_id: int, hours: int, method: str, place: str,
    end: str,
) -> TrainingPlan:  # fmt: skip
    method, place, end = method.strip(), place.strip(), end.strip()
    for field, value, limit in (("method", method, METHOD_MAX), ("place", place, PLACE_MAX)):
        if len(value) > limit:
            raise DomainError("training.too_long", field=field, limit=limit)
    try:
        last = date.fromisoformat(end) if end else None
    except ValueError:
        raise DomainError("training.bad_date") from None
    async with ctx.db.session() as session:
        agency_id = await session.scalar(select(Program.agency_id).where(Program.id == program_id))
    if agency_id is None:
        raise DomainError("training.not_found")
    await _program_scope(ctx, actor, agency_id, "training.plan")
    async with ctx.db.session() as session:
        program = await session.get(Program, program_id)
        assert program is not None
        if last is not None and program.training_start and last < program.training_start:
            raise DomainError("training.bad_date")
        fields = ("training_hours", "training_method", "training_place", "training_end")
        before = {f: _plain(getattr(program, f)) for f in fields}
        program.training_hours, program.training_method = hours, method or None
        program.training_place, program.training_end = place or None, last
        audit.record(
            session, actor, "training.plan", "program", program_id, before=before,
            after={f: _plain(getattr(program, f)) for f in fields}, agency_id=agency_id,
        )  # fmt: skip
        return TrainingPlan(program.name, hours, method, place, last)


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value
