"""Selection (선발) and confirmation (확정통보) of a program's roster.

Staff of the program's agency record, per certified applicant, whether the person takes part in
the National Employment Support Program (국민취업지원제도) and then select (선발) or not select
(비선발) them; removing a decision puts the person back on the waiting list. Confirmation locks the
roster (``Program.roster_locked_at``), creates the enrolments of the selected people and queues a
notice to every selected and not-selected applicant (tracked per application in the outbox).

Codes raised (params in parentheses):
- ``access.denied`` — the caller is not agency staff; ``access.agency`` — another agency's program.
- ``selection.no_program`` — no such program.
- ``selection.program_not_approved`` — the program is not approved (certified) yet.
- ``selection.nothing_chosen`` — a bulk action with nobody chosen.
- ``selection.nes_missing`` (names, count) — selecting someone whose 국민취업지원제도 answer
  is not recorded.
- ``selection.over_recruitment`` (selected, adding, total) — selecting beyond the recruitment;
  the caller asks and repeats with ``allow_over=True``.
- ``selection.waiting_left`` (count) — confirming while applicants still wait for a decision.
- ``selection.none_selected`` — confirming with nobody selected.
- ``roster.locked`` (action) — the roster is confirmed; every change is refused (and audited).
- ``app.bad_transition`` (from, action) — from the state machine.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.applications import ApplicationAction, ApplicationState, next_state
from bot.domain.errors import DomainError
from bot.domain.ids import is_id
from bot.services import audit, outbox
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.storage.models import (
    Application,
    Enrollment,
    OutboxMessage,
    Participant,
    Program,
)

PAGE_SIZE = 10
S = ApplicationState
TABS: dict[str, tuple[str, ...]] = {
    "waiting": (S.CERTIFIED.value,),
    "selected": (S.SELECTED.value,),
    "not_selected": (S.NOT_SELECTED.value,),
}
# Everyone who is (or was, once the program runs) on the roster.
ON_ROSTER = (S.SELECTED.value, S.COMPLETED.value, S.DROPPED.value)
NOTICE_KINDS = ("roster.selected", "roster.not_selected")


@dataclass(frozen=True)
class ProgramSummary:
    id: int
    name: str
    type: str
    agency_name: str
    total_recruitment: int
    period_start: date | None
    period_end: date | None
    weekly_hours: int | None
    roster_locked_at: datetime | None
    waiting: int
    selected: int
    not_selected: int
    completed: int
    dropped: int

    @property
    def locked(self) -> bool:
        return self.roster_locked_at is not None

    @property
    def on_roster(self) -> int:
        return self.selected + self.completed + self.dropped


@dataclass(frozen=True)
class PoolRow:
    application_id: int
    name: str
    birth_date: date | None
    state: str
    nes: bool | None  # as staff recorded it
    flags: tuple[str, ...]  # benefits | job_allowance | nes_declared | not_eligible | offline
    nes_declared: bool | None = None  # the applicant's own answer, the default until recorded

    @property
    def nes_shown(self) -> bool | None:
        return self.nes if self.nes is not None else self.nes_declared


@dataclass(frozen=True)
class ApplicantCard:
    row: PoolRow
    applied_on: date | None
    education: str | None
    self_intro: str | None
    channel: str


@dataclass(frozen=True)
class DecisionResult:
    changed: int
    skipped: int


@dataclass(frozen=True)
class ConfirmResult:
    selected: int
    not_selected: int
    queued: int
    offline: int


@dataclass(frozen=True)
class DeliveryStatus:
    sent: int
    pending: int
    failed: int
    offline: int

    @property
    def total(self) -> int:
        return self.sent + self.pending + self.failed + self.offline


# --- access --------------------------------------------------------------------------------


async def staff_program(
    session: AsyncSession, ctx: AppContext, actor: Actor, program_id: int, action: str
) -> Program:
    """The program, if the caller is staff of its agency; refusals are audited."""
    if not actor.is_staff:
        await audit.refuse(ctx, actor, action, "program", program_id, code="access.denied")
    program = await session.get(Program, program_id) if is_id(program_id) else None
    if program is None:
        raise DomainError("selection.no_program")
    if program.agency_id != actor.agency_id:
        await audit.refuse(
            ctx,
            actor,
            action,
            "program",
            program_id,
            code="access.agency",
            agency_id=program.agency_id,
        )
    return program


async def _refuse_locked(ctx: AppContext, actor: Actor, program: Program, action: str) -> None:
    """Every change after 확정통보 is refused, and the attempt audited (in its own transaction,
    since the caller's rolls back)."""
    if program.roster_locked_at is not None:
        async with ctx.db.session() as session:
            audit.record(
                session,
                actor,
                f"roster.{action}",
                "program",
                program.id,
                reason="roster.locked",
                agency_id=program.agency_id,
                refused=True,
            )
        raise DomainError("roster.locked", action=action)


def flags_of(app: Application) -> tuple[str, ...]:
    """What staff should notice at selection, from the self-declaration and its evaluation.

    ``Application.eligibility`` holds ``{"answers": {...}, "on", "year"}`` (or, from older
    writers, the answers themselves); ``eligibility_result`` holds ``eligible`` and note codes.
    """
    stored: dict[str, Any] = app.eligibility or {}
    nested = stored.get("answers")
    answers: dict[str, Any] = nested if isinstance(nested, dict) else stored
    result: dict[str, Any] = app.eligibility_result or {}
    notes = set(result.get("notes") or ())

    def declared(key: str) -> bool:
        return answers.get(key) is True or f"elig.note.{key}" in notes

    flags: list[str] = []
    if result.get("eligible") is False:
        flags.append("not_eligible")
    if declared("unemployment_benefits"):
        flags.append("benefits")
    if declared("job_seeking_allowance"):
        flags.append("job_allowance")
    if declared("national_employment_support"):
        flags.append("nes_declared")
    if app.participant.telegram_id is None:
        flags.append("offline")
    return tuple(flags)


def declared_nes(app: Application) -> bool | None:
    """The applicant's own 국민취업지원제도 answer (eligibility check), if they gave one."""
    stored: dict[str, Any] = app.eligibility or {}
    nested = stored.get("answers")
    answers: dict[str, Any] = nested if isinstance(nested, dict) else stored
    value = answers.get("national_employment_support")
    return value if isinstance(value, bool) else None


def _row(app: Application) -> PoolRow:
    return PoolRow(
        application_id=app.id,
        name=app.participant.name or "-",
        birth_date=app.participant.birth_date,
        state=app.state,
        nes=app.national_employment_support,
        flags=flags_of(app),
        nes_declared=declared_nes(app),
    )


async def _counts(session: AsyncSession, program_id: int) -> Counter[str]:
    rows = await session.execute(
        select(Application.state, func.count())
        .where(Application.program_id == program_id)
        .group_by(Application.state)
    )
    return Counter({state: count for state, count in rows.all()})


def _summary(program: Program, counts: Counter[str]) -> ProgramSummary:
    agency = program.agency
    agency_name = agency.corporate_name + (f" {agency.branch_name}" if agency.branch_name else "")
    return ProgramSummary(
        id=program.id,
        name=program.name,
        type=program.type,
        agency_name=agency_name,
        total_recruitment=program.total_recruitment or 0,
        period_start=program.period_start,
        period_end=program.period_end,
        weekly_hours=program.weekly_hours,
        roster_locked_at=program.roster_locked_at,
        waiting=counts[S.CERTIFIED.value],
        selected=counts[S.SELECTED.value],
        not_selected=counts[S.NOT_SELECTED.value],
        completed=counts[S.COMPLETED.value],
        dropped=counts[S.DROPPED.value],
    )


# --- reading -------------------------------------------------------------------------------


async def staff_programs(ctx: AppContext, actor: Actor) -> list[ProgramSummary]:
    """The approved programs of the caller's agency, newest first."""
    if not actor.is_staff:
        await audit.refuse(ctx, actor, "selection.programs", "program", code="access.denied")
    async with ctx.db.session() as session:
        programs = (
            await session.scalars(
                select(Program)
                .where(Program.agency_id == actor.agency_id, Program.status == "approved")
                .order_by(Program.id.desc())
            )
        ).all()
        return [_summary(p, await _counts(session, p.id)) for p in programs]


async def program_summary(ctx: AppContext, actor: Actor, program_id: int) -> ProgramSummary:
    async with ctx.db.session() as session:
        program = await staff_program(session, ctx, actor, program_id, "selection.view")
        return _summary(program, await _counts(session, program_id))


async def pool(ctx: AppContext, actor: Actor, program_id: int, tab: str) -> list[PoolRow]:
    """Applicants of one tab (waiting | selected | not_selected), oldest application first."""
    states = TABS.get(tab)
    if states is None:
        raise DomainError("selection.bad_tab")
    async with ctx.db.session() as session:
        await staff_program(session, ctx, actor, program_id, "selection.view")
        apps = (
            await session.scalars(
                select(Application)
                .where(Application.program_id == program_id, Application.state.in_(states))
                .order_by(Application.applied_on, Application.id)
            )
        ).all()
        return [_row(app) for app in apps]


async def applicant(ctx: AppContext, actor: Actor, application_id: int) -> ApplicantCard:
    async with ctx.db.session() as session:
        app = await session.get(Application, application_id) if is_id(application_id) else None
        if app is None:
            raise DomainError("selection.no_program")
        await staff_program(session, ctx, actor, app.program_id, "selection.view")
        return ApplicantCard(
            row=_row(app),
            applied_on=app.applied_on,
            education=app.education,
            self_intro=app.self_intro,
            channel=app.channel,
        )


# --- changes -------------------------------------------------------------------------------


async def _apps(
    session: AsyncSession, program_id: int, application_ids: Iterable[int]
) -> list[Application]:
    ids = sorted(set(application_ids))
    if not ids:
        raise DomainError("selection.nothing_chosen")
    return list(
        (
            await session.scalars(
                select(Application)
                .where(Application.program_id == program_id, Application.id.in_(ids))
                .order_by(Application.id)
            )
        ).all()
    )


async def set_nes(
    ctx: AppContext,
    actor: Actor,
    program_id: int,
    application_ids: Sequence[int],
    value: bool,
) -> DecisionResult:
    """Record 국민취업지원제도 participation (yes / no) for one or more applicants."""
    async with ctx.db.session() as session:
        program = await staff_program(session, ctx, actor, program_id, "selection.nes")
        await _refuse_locked(ctx, actor, program, "nes")
        changed = skipped = 0
        for app in await _apps(session, program_id, application_ids):
            if app.state not in (*TABS["waiting"], *TABS["selected"], *TABS["not_selected"]):
                skipped += 1
                continue
            if app.national_employment_support is value:
                skipped += 1
                continue
            before = app.national_employment_support
            app.national_employment_support = value
            app.version += 1
            audit.record(
                session,
                actor,
                "application.nes",
                "application",
                app.id,
                before={"nes": before},
                after={"nes": value},
                agency_id=program.agency_id,
            )
            changed += 1
        return DecisionResult(changed, skipped)


async def decide(
    ctx: AppContext,
    actor: Actor,
    program_id: int,
    application_ids: Sequence[int],
    action: str,
    *,
    allow_over: bool = False,
) -> DecisionResult:
    """Select, not select, or unselect (back to waiting) several applicants at once.

    People already in the target state are skipped (a double tap acts once); so are people the
    action does not apply to. Selecting needs the 국민취업지원제도 answer recorded first, and going
    beyond the recruitment needs ``allow_over``.
    """
    act = ApplicationAction(action)
    if act not in (
        ApplicationAction.SELECT,
        ApplicationAction.NOT_SELECT,
        ApplicationAction.UNSELECT,
    ):
        raise ValueError(action)
    async with ctx.db.session() as session:
        program = await staff_program(session, ctx, actor, program_id, f"selection.{action}")
        await _refuse_locked(ctx, actor, program, action)
        apps = await _apps(session, program_id, application_ids)
        source = (
            (S.SELECTED.value, S.NOT_SELECTED.value)
            if act is ApplicationAction.UNSELECT
            else (S.CERTIFIED.value,)
        )
        todo = [app for app in apps if app.state in source]
        if act is ApplicationAction.SELECT:
            for app in todo:  # the applicant's own answer is the default staff confirm here
                if app.national_employment_support is None:
                    app.national_employment_support = declared_nes(app)
            missing = [
                app.participant.name or "-"
                for app in todo
                if app.national_employment_support is None
            ]
            if missing:
                raise DomainError(
                    "selection.nes_missing", names=", ".join(missing[:3]), count=len(missing)
                )
            counts = await _counts(session, program_id)
            selected = counts[S.SELECTED.value]
            total = program.total_recruitment or 0
            if todo and selected + len(todo) > total and not allow_over:
                raise DomainError(
                    "selection.over_recruitment",
                    selected=selected,
                    adding=len(todo),
                    total=total,
                    after=selected + len(todo),
                )
        now = ctx.now()
        for app in todo:
            before = app.state
            target = next_state(app.state, act, roster_locked=False)
            app.state = target.value
            app.decided_by = actor.telegram_id
            app.decided_at = now
            app.version += 1
            session.add(audit.application_event(app.id, actor, act.value, before, target.value))
            audit.record(
                session,
                actor,
                f"application.{act.value}",
                "application",
                app.id,
                before={"state": before},
                after={"state": target.value},
                agency_id=program.agency_id,
            )
            if act is ApplicationAction.UNSELECT:
                enrollment = await session.scalar(
                    select(Enrollment).where(Enrollment.application_id == app.id)
                )
                if enrollment is not None:
                    await session.delete(enrollment)
        return DecisionResult(changed=len(todo), skipped=len(apps) - len(todo))


@dataclass(frozen=True)
class ConfirmPreview:
    summary: ProgramSummary
    selected: list[PoolRow]
    not_selected: list[PoolRow]


async def confirm_preview(ctx: AppContext, actor: Actor, program_id: int) -> ConfirmPreview:
    summary = await program_summary(ctx, actor, program_id)
    return ConfirmPreview(
        summary=summary,
        selected=await pool(ctx, actor, program_id, "selected"),
        not_selected=await pool(ctx, actor, program_id, "not_selected"),
    )


async def confirm_roster(ctx: AppContext, actor: Actor, program_id: int) -> ConfirmResult:
    """확정통보: lock the roster, enrol the selected and notify everyone decided."""
    async with ctx.db.session() as session:
        program = await staff_program(session, ctx, actor, program_id, "roster.confirm")
        await _refuse_locked(ctx, actor, program, "confirm")
        if program.status != "approved":
            raise DomainError("selection.program_not_approved")
        counts = await _counts(session, program_id)
        if counts[S.CERTIFIED.value]:
            raise DomainError("selection.waiting_left", count=counts[S.CERTIFIED.value])
        if not counts[S.SELECTED.value]:
            raise DomainError("selection.none_selected")
        now = ctx.now()
        program.roster_locked_at = now
        apps = (
            await session.scalars(
                select(Application)
                .where(
                    Application.program_id == program_id,
                    Application.state.in_((S.SELECTED.value, S.NOT_SELECTED.value)),
                )
                .order_by(Application.id)
            )
        ).all()
        existing = set(
            (
                await session.scalars(
                    select(Enrollment.application_id).where(
                        Enrollment.application_id.in_([a.id for a in apps])
                    )
                )
            ).all()
        )
        queued = offline = 0
        period = _period_params(program)
        for app in apps:
            chosen = app.state == S.SELECTED.value
            if chosen and app.id not in existing:
                session.add(Enrollment(application_id=app.id))
            chat_id = app.participant.telegram_id
            if chat_id is None:
                offline += 1
                continue
            kind = NOTICE_KINDS[0] if chosen else NOTICE_KINDS[1]
            await outbox.enqueue(
                session,
                chat_id,
                kind,
                "selection.notice_selected" if chosen else "selection.notice_not_selected",
                params={
                    "program": program.name,
                    "agency": program.agency.corporate_name,
                    "address": program.work_address or "-",
                    **period,
                },
                dedupe_key=f"{kind}:{app.id}",
                entity="application",
                entity_id=app.id,
            )
            queued += 1
        audit.record(
            session,
            actor,
            "roster.confirm",
            "program",
            program.id,
            after={
                "selected": counts[S.SELECTED.value],
                "not_selected": counts[S.NOT_SELECTED.value],
                "locked_at": now.isoformat(),
            },
            agency_id=program.agency_id,
        )
        return ConfirmResult(
            selected=counts[S.SELECTED.value],
            not_selected=counts[S.NOT_SELECTED.value],
            queued=queued,
            offline=offline,
        )


def _period_params(program: Program) -> dict[str, str]:
    start = program.period_start.isoformat() if program.period_start else "-"
    end = program.period_end.isoformat() if program.period_end else "-"
    return {"start": start, "end": end}


async def delivery_status(ctx: AppContext, actor: Actor, program_id: int) -> DeliveryStatus:
    """How the confirmation notices of a program are doing (sent / pending / failed / offline)."""
    async with ctx.db.session() as session:
        await staff_program(session, ctx, actor, program_id, "roster.delivery")
        apps = (
            await session.execute(
                select(Application.id, Participant.telegram_id)
                .join(Participant, Participant.id == Application.participant_id)
                .where(
                    Application.program_id == program_id,
                    Application.state.in_((*ON_ROSTER, S.NOT_SELECTED.value)),
                )
            )
        ).all()
        offline = sum(1 for _, tid in apps if tid is None)
        statuses = (
            await session.scalars(
                select(OutboxMessage.status).where(
                    OutboxMessage.entity == "application",
                    OutboxMessage.entity_id.in_([str(app_id) for app_id, _ in apps]),
                    OutboxMessage.kind.in_(NOTICE_KINDS),
                )
            )
        ).all()
        counts = Counter(statuses)
        return DeliveryStatus(
            sent=counts["sent"],
            pending=counts["pending"] + counts["sending"] + counts["held"],  # held: waits for them
            failed=counts["failed"] + counts["skipped"],
            offline=offline,
        )
