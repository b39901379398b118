"""The review desk (인터넷참여자인증): staff certify, hold or return their agency's applications.

Scope: staff see and decide only applications to their own agency's programs; the center may read
any (history) but decisions are the agency's. A refused cross-agency attempt is audited
(``access.agency``). A decision is one transaction: the state change (compare-and-set on
``Application.version``: the first of two concurrent decisions wins), an ``ApplicationEvent``,
an audit row and the participant's notification (outbox; offline applicants have no chat).

Codes raised (params in parentheses):
- ``review.missing`` — no such application.
- ``review.already_decided`` (who, state, at) — someone decided this card first (``state`` is the
  current state value; the UI names it).
- ``review.bad_action`` — not certify / hold / return.
- ``staff.reason_required`` — hold and return need a reason.
- ``access.agency`` · ``access.denied`` — scope and role; ``app.bad_transition``, ``roster.*``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.applications import ApplicationAction, ApplicationState, next_state
from bot.domain.dates import parse_date
from bot.domain.eligibility import build_answers, evaluate, load_rules
from bot.domain.errors import DomainError
from bot.services import audit, outbox
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.staff_accounts import clean_reason, display_name
from bot.storage.models import Application, ApplicationEvent, Job, Program, StoredFile

PAGE_SIZE = 8
DECISIONS = ("certify", "hold", "return")
REASONED = ("hold", "return")
# The participant feature's "fix and resubmit" button (bot/keyboards/participant.py MyAppCB).
AMEND_BUTTON_PREFIX = "myapp"


# --- scope -------------------------------------------------------------------------------


async def application_agency(ctx: AppContext, app_id: int) -> int | None:
    async with ctx.db.session() as session:
        found = await session.scalar(
            select(Program.agency_id)
            .join(Application, Application.program_id == Program.id)
            .where(Application.id == app_id)
        )
        return found


async def check_scope(
    ctx: AppContext, actor: Actor, app_id: int, action: str, *, center_reads: bool = False
) -> int:
    """The application's agency, once the caller may act on it; else refuse (and audit)."""
    if not (actor.is_staff or (center_reads and actor.is_center)):
        await audit.refuse(ctx, actor, action, "application", app_id, code="access.denied")
    agency_id = await application_agency(ctx, app_id)
    if agency_id is None:
        raise DomainError("review.missing")
    if actor.is_staff and agency_id != actor.agency_id:
        await audit.refuse(
            ctx,
            actor,
            action,
            "application",
            app_id,
            code="access.agency",
            agency_id=actor.agency_id,
        )
    return agency_id


# --- inbox -------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxItem:
    app_id: int
    applicant: str
    program: str
    applied_on: date | None


@dataclass(frozen=True)
class Inbox:
    items: list[InboxItem]
    total: int
    per_program: list[tuple[str, int]]
    held: int
    page: int
    pages: int


async def inbox(ctx: AppContext, actor: Actor, page: int = 0) -> Inbox:
    """Submitted applications of the caller's agency, oldest first, with counts per program."""
    if not actor.is_staff:
        await audit.refuse(ctx, actor, "review.inbox", "agency", code="access.denied")
    mine = (Program.agency_id == actor.agency_id, Application.state == ApplicationState.SUBMITTED)
    async with ctx.db.session() as session:
        counts = (
            await session.execute(
                select(Program.name, func.count(Application.id))
                .join(Application, Application.program_id == Program.id)
                .where(*mine)
                .group_by(Program.id, Program.name)
                .order_by(Program.id)
            )
        ).all()
        held = await session.scalar(
            select(func.count(Application.id))
            .join(Program, Application.program_id == Program.id)
            .where(
                Program.agency_id == actor.agency_id, Application.state == ApplicationState.HELD
            )
        )
        total = sum(n for _, n in counts)
        pages = max(math.ceil(total / PAGE_SIZE), 1)
        page = min(max(page, 0), pages - 1)
        rows = (
            await session.scalars(
                select(Application)
                .join(Program, Application.program_id == Program.id)
                .where(*mine)
                .order_by(
                    func.coalesce(Application.submitted_at, Application.created_at),
                    Application.id,
                )
                .offset(page * PAGE_SIZE)
                .limit(PAGE_SIZE)
            )
        ).all()
        items = [
            InboxItem(a.id, a.participant.name or "-", a.program.name, a.applied_on) for a in rows
        ]
    return Inbox(items, total, [(name, n) for name, n in counts], held or 0, page, pages)


# --- card --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Card:
    app_id: int
    version: int
    state: str
    channel: str
    program: str
    job: str | None
    applicant: str
    rrn_masked: str | None
    birth_date: date | None
    mobile: str | None
    email: str | None
    education: str | None
    applied_on: date | None
    submitted_at: datetime | None
    self_intro: str | None
    resume_file_id: int | None
    answers: dict[str, Any]
    failures: list[Finding]
    notes: list[Finding]
    needs_check: list[Finding]
    last_reason: str | None
    decided_by: str | None
    decided_at: datetime | None
    actions: list[str]


def _findings(raw: Any) -> list[Finding]:
    found: list[Finding] = []
    for item in raw or []:
        if isinstance(item, str):
            found.append(Finding(item))
        elif isinstance(item, dict) and item.get("code"):
            found.append(Finding(str(item["code"]), dict(item.get("params") or {})))
    return found


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def result_to_json(result: Any) -> dict[str, Any]:
    """An ``EligibilityResult`` as stored in ``Application.eligibility_result``."""

    def items(found: Any) -> list[dict[str, Any]]:
        return [
            {"code": f.code, "params": {k: _json_value(v) for k, v in dict(f.params).items()}}
            for f in found
        ]

    return {
        "eligible": result.eligible,
        "failures": items(result.failures),
        "notes": [f.code for f in result.notes],
        "needs_check": items(result.needs_check),
    }


def stored_answers(eligibility: dict[str, Any] | None) -> dict[str, Any]:
    """The answers in ``Application.eligibility``: ``{"answers": {...}, "on", "year"}`` as the
    participant feature writes it (a flat dict of answers is accepted too)."""
    data = dict(eligibility or {})
    inner = data.get("answers")
    return dict(inner) if isinstance(inner, dict) else data


def _evaluate_stored(ctx: AppContext, app: Application) -> dict[str, Any]:
    """The stored result, or one computed from the stored answers when none was written."""
    if app.eligibility_result:
        return dict(app.eligibility_result)
    answers = stored_answers(app.eligibility)
    if not answers:
        return {}
    try:
        values = {
            k: parse_date(v) if k == "birth_date" and isinstance(v, str) else v
            for k, v in answers.items()
        }
        rules = load_rules(app.program.year or ctx.settings.program_year)
        on = app.applied_on or ctx.today()
        return result_to_json(evaluate(build_answers(values, rules), rules, on))
    except (DomainError, ValueError, KeyError):
        return {}


def _actions(app: Application) -> list[str]:
    locked = app.program.roster_locked_at is not None
    out = []
    for action in DECISIONS:
        try:
            next_state(app.state, action, roster_locked=locked)
        except DomainError:
            continue
        out.append(action)
    return out


async def build_card(session: AsyncSession, ctx: AppContext, app: Application) -> Card:
    job = await session.get(Job, app.job_id) if app.job_id else None
    result = _evaluate_stored(ctx, app)
    person = app.participant
    return Card(
        app_id=app.id,
        version=app.version,
        state=app.state,
        channel=app.channel,
        program=app.program.name,
        job=job.name if job else None,
        applicant=person.name or "-",
        rrn_masked=person.rrn_masked,
        birth_date=person.birth_date,
        mobile=person.mobile,
        email=person.email,
        education=app.education or person.education,
        applied_on=app.applied_on,
        submitted_at=app.submitted_at,
        self_intro=app.self_intro,
        resume_file_id=app.resume_file_id,
        answers=stored_answers(app.eligibility),
        failures=_findings(result.get("failures")),
        notes=_findings(result.get("notes")),
        needs_check=_findings(result.get("needs_check")),
        last_reason=app.last_reason,
        decided_by=await display_name(session, app.decided_by) if app.decided_by else None,
        decided_at=app.decided_at,
        actions=_actions(app),
    )


async def open_card(ctx: AppContext, actor: Actor, app_id: int) -> Card:
    await check_scope(ctx, actor, app_id, "review.open")
    async with ctx.db.session() as session:
        app = await session.get(Application, app_id)
        if app is None:
            raise DomainError("review.missing")
        return await build_card(session, ctx, app)


async def resume_file(ctx: AppContext, actor: Actor, app_id: int) -> StoredFile | None:
    await check_scope(ctx, actor, app_id, "review.resume")
    async with ctx.db.session() as session:
        file_id = await session.scalar(
            select(Application.resume_file_id).where(Application.id == app_id)
        )
        return await session.get(StoredFile, file_id) if file_id else None


# --- decisions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    app_id: int
    from_state: str
    to_state: str
    reason: str | None
    card: Card


async def already_decided(ctx: AppContext, app_id: int) -> DomainError:
    async with ctx.db.session() as session:
        app = await session.get(Application, app_id)
        assert app is not None
        event = await session.scalar(
            select(ApplicationEvent)
            .where(ApplicationEvent.application_id == app_id)
            .order_by(ApplicationEvent.id.desc())
            .limit(1)
        )
        who_id = event.actor_id if event and event.actor_id else app.decided_by
        who = await display_name(session, who_id)
        at = (event.created_at if event else app.decided_at) or ctx.now()
    return DomainError(
        "review.already_decided",
        who=who,
        state=app.state,
        at=at.astimezone(ctx.settings.tz).strftime("%Y-%m-%d %H:%M"),
    )


async def decide(
    ctx: AppContext,
    actor: Actor,
    app_id: int,
    action: str,
    *,
    version: int,
    reason: str | None = None,
) -> Decision:
    """Certify, hold or return one application (hold and return need a reason)."""
    if action not in DECISIONS:
        raise DomainError("review.bad_action")
    agency_id = await check_scope(ctx, actor, app_id, f"application.{action}")
    clean = clean_reason(reason) if action in REASONED else None
    now = ctx.now()
    async with ctx.db.session() as session:
        app = await session.get(Application, app_id)
        if app is None:
            raise DomainError("review.missing")
        conflict = app.version != version
        if not conflict:
            source = app.state
            target = next_state(
                source, action, roster_locked=app.program.roster_locked_at is not None
            )
            result = await session.execute(
                update(Application)
                .where(Application.id == app_id, Application.version == version)
                .values(
                    state=target.value,
                    version=Application.version + 1,
                    decided_by=actor.telegram_id,
                    decided_at=now,
                    last_reason=clean,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            conflict = not result.rowcount  # type: ignore[attr-defined]
        if not conflict:
            session.add(
                audit.application_event(app_id, actor, action, source, target.value, clean)
            )
            audit.record(
                session,
                actor,
                f"application.{action}",
                "application",
                app_id,
                agency_id=agency_id,
                before={"state": source},
                after={"state": target.value},
                reason=clean,
            )
            await session.refresh(app)
            await _notify(session, app, target, clean)
            card = await build_card(session, ctx, app)
    if conflict:
        raise await already_decided(ctx, app_id)
    return Decision(app_id, source, target.value, clean, card)


async def _notify(
    session: AsyncSession, app: Application, target: ApplicationState, reason: str | None
) -> None:
    chat_id = app.participant.telegram_id
    if chat_id is None:  # offline applicant without a linked chat
        return
    buttons = None
    if target is ApplicationState.HELD:
        buttons = [
            [
                {
                    "key": "review.btn.amend",
                    "cb": AMEND_BUTTON_PREFIX,
                    "args": {"action": "amend", "app_id": app.id},
                }
            ]
        ]
    await outbox.enqueue(
        session,
        chat_id,
        f"application.{target.value}",
        f"review.notify.{target.value}",
        params={"program": app.program.name, "reason": reason or "", "app_id": app.id},
        buttons=buttons,
        dedupe_key=f"application:{app.id}:v{app.version}",
        entity="application",
        entity_id=app.id,
    )


# --- history -----------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    action: str
    from_state: str | None
    to_state: str
    who: str
    role: str
    reason: str | None


@dataclass(frozen=True)
class History:
    app_id: int
    program: str
    applicant: str
    state: str
    entries: list[HistoryEntry]


async def history(ctx: AppContext, actor: Actor, app_id: int) -> History:
    """The status history, for staff of the application's agency and for the center."""
    await check_scope(ctx, actor, app_id, "application.history", center_reads=True)
    async with ctx.db.session() as session:
        app = await session.get(Application, app_id)
        if app is None:
            raise DomainError("review.missing")
        events = (
            await session.scalars(
                select(ApplicationEvent)
                .where(ApplicationEvent.application_id == app_id)
                .order_by(ApplicationEvent.created_at, ApplicationEvent.id)
            )
        ).all()
        names: dict[int, str] = {}
        entries = []
        for e in events:
            if e.actor_id is not None and e.actor_id not in names:
                names[e.actor_id] = await display_name(session, e.actor_id)
            who = names.get(e.actor_id, "-") if e.actor_id is not None else "-"
            entries.append(
                HistoryEntry(
                    e.created_at, e.action, e.from_state, e.to_state, who, e.actor_role, e.reason
                )
            )
        return History(app.id, app.program.name, app.participant.name or "-", app.state, entries)


__all__ = [
    "DECISIONS",
    "ApplicationAction",
    "Card",
    "Decision",
    "History",
    "Inbox",
    "decide",
    "history",
    "inbox",
    "open_card",
]
