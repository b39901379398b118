"""Program registration (§ 프로그램등록): draft, fields with the portal's rules, submit, review.

Life cycle (``Program.status``)::

    draft ──submit──▶ pending ──approve (center)──▶ approved   (listed to participants)
      ▲                  │
      └──── rejected ◀───┘ reject (center, with a reason); edit and submit again

- The draft exists after the first step (type + name) — 임시저장 — and every later answer is saved
  at once, so a draft can be resumed from ``/myprograms``.
- Recruitment is always rolling (수시모집) and public listing always on: set here, never asked.
- Edits are allowed in every state until the roster is confirmed (``roster_locked_at``); they are
  audited (``program.edit`` with before/after; after approval the reason says so). A locked
  program refuses every change with ``roster.locked``; a closed one with ``progreg.closed``.
- Submission needs every required field, the attachment, at least one host company (intern / ESG)
  or job (project) and head counts adding up to the total (``recruit.sum_mismatch``).
- The center approves only when every host company's insured-count check (피보험자수) is
  confirmed. Only approved programs with public listing are shown to participants (the catalogue
  filters on ``status == "approved" and public_listing``).

The field table, the order of the fields and the rule of each answer are
:mod:`bot.services.program_fields` (pure); this module loads, checks access, saves and audits.

Codes raised (params in parentheses):
- ``progreg.not_found`` — no such program.
- ``progreg.closed`` — the program is closed.
- ``progreg.type_fixed`` — the type cannot change after approval.
- ``progreg.required`` — this field cannot be left empty.
- ``progreg.unknown_field`` (field) — programming error guard.
- ``progreg.int_format`` (min, max) / ``progreg.int_range`` (min, max, value).
- ``progreg.url_format`` (example).
- ``progreg.choice`` — a value that is not one of the offered choices.
- ``progreg.incomplete`` (fields, count) — required things still missing (field names).
- ``progreg.not_pending`` (status) — the center can decide only pending programs.
- ``progreg.checks_pending`` (count) / ``progreg.checks_rejected`` (names).
- ``progreg.reason_required`` — a rejection needs a reason.
- ``recruit.sum_mismatch`` (total, sum, diff) — from :mod:`bot.domain.recruitment`.
- ``roster.locked`` — the roster is confirmed; nothing can change.
- ``access.denied`` / ``access.agency`` / ``access.center_only`` — role, permission or agency.
- Field rules: ``text.*``, ``date.*``, ``period.end_before_start``, ``phone.*``, ``email.format``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.dates import require_period
from bot.domain.errors import DomainError
from bot.domain.identifiers import normalize_email, require_direct_line
from bot.domain.recruitment import check_headcounts
from bot.domain.text import check_char_limit, require_text
from bot.services import audit, outbox
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.program_fields import (
    COMPANY_TYPES,
    FIELD_BY_NAME,
    missing_fields,
    parse_field,
    with_answered,
)

# re-exported: the field rules were first published here (tests import them from here)
from bot.services.program_fields import next_field as next_field
from bot.services.program_fields import parse_url as parse_url
from bot.services.program_fields import previous_field as previous_field
from bot.storage.models import (
    Agency,
    CenterOperator,
    HostCompany,
    Job,
    Program,
    StaffAccount,
)

PERMISSION = "program"


def _jsonable(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


# --- loading with the access rules --------------------------------------------------------


def _is_program_staff(actor: Actor) -> bool:
    return actor.is_staff and PERMISSION in actor.permissions


async def _load(session: AsyncSession, program_id: int) -> Program:
    program = await session.get(Program, program_id)
    if program is None:
        raise DomainError("progreg.not_found")
    return program


async def load_for_view(
    session: AsyncSession, ctx: AppContext, actor: Actor, program_id: int
) -> Program:
    """Staff of the program's agency, or the center."""
    program = await _load(session, program_id)
    if actor.is_center:
        return program
    if not actor.is_staff:
        await audit.refuse(ctx, actor, "program.view", "program", program_id)
    if program.agency_id != actor.agency_id:
        await audit.refuse(ctx, actor, "program.view", "program", program_id, code="access.agency")
    return program


async def load_for_edit(
    session: AsyncSession, ctx: AppContext, actor: Actor, program_id: int
) -> Program:
    """Staff with the 일경험프로그램 permission, own agency, program not locked or closed."""
    program = await _load(session, program_id)
    if not _is_program_staff(actor):
        await audit.refuse(ctx, actor, "program.edit", "program", program_id)
    if program.agency_id != actor.agency_id:
        await audit.refuse(ctx, actor, "program.edit", "program", program_id, code="access.agency")
    if program.roster_locked_at is not None:
        await audit.refuse(
            ctx,
            actor,
            "program.edit",
            "program",
            program_id,
            code="roster.locked",
            agency_id=program.agency_id,
        )
    if program.status == "closed":
        raise DomainError("progreg.closed")
    return program


def edit_reason(program: Program) -> str | None:
    return "after_approval" if program.status == "approved" else None


# --- staff: draft and fields -------------------------------------------------------------


async def create_draft(ctx: AppContext, actor: Actor, program_type: str, name: str) -> int:
    """임시저장: the program exists from here on (host companies can be added)."""
    if not _is_program_staff(actor) or actor.agency_id is None:
        await audit.refuse(ctx, actor, "program.create", "program")
    program_type = parse_field(FIELD_BY_NAME["type"], program_type, ctx.settings.byte_mode)
    name = parse_field(FIELD_BY_NAME["name"], name, ctx.settings.byte_mode)
    async with ctx.db.session() as session:
        program = Program(
            agency_id=actor.agency_id,
            year=ctx.settings.program_year,
            type=program_type,
            name=name,
            status="draft",
            recruitment_mode="rolling",
            public_listing=True,
            resume_required=False,
            answered_fields=["type", "name"],
            created_by=actor.telegram_id,
        )
        session.add(program)
        await session.flush()
        audit.record(
            session,
            actor,
            "program.create",
            "program",
            program.id,
            after={"type": program_type, "name": name, "status": "draft"},
        )
        return program.id


async def set_field(
    ctx: AppContext, actor: Actor, program_id: int, name: str, raw: str | None
) -> Any:
    """Validate and save one field (``raw=None`` clears an optional one). Returns the value."""
    spec = FIELD_BY_NAME.get(name)
    if spec is None:
        raise DomainError("progreg.unknown_field", field=name)
    value = None if raw is None else parse_field(spec, raw, ctx.settings.byte_mode)
    if value is None and spec.required:
        raise DomainError("progreg.required")
    async with ctx.db.session() as session:
        program = await load_for_edit(session, ctx, actor, program_id)
        if name == "type" and program.status == "approved" and value != program.type:
            raise DomainError("progreg.type_fixed")
        if name == "period_start" and program.period_end is not None and value is not None:
            require_period(value, program.period_end)
        if name == "period_end" and program.period_start is not None and value is not None:
            require_period(program.period_start, value)
        program.answered_fields = with_answered(program, name)  # asked: resuming skips it
        before = getattr(program, name)
        if before == value:
            return value  # a repeated answer changes nothing else
        setattr(program, name, value)
        program.updated_at = ctx.now()
        if name == "training_required":
            from bot.services import attachments  # the merge depends on training yes/no

            await attachments.rebuild_after_training_change(session, program, actor)
        shown_before, shown_after = _jsonable(before), _jsonable(value)
        audit.record(
            session,
            actor,
            "program.edit",
            "program",
            program.id,
            before={name: shown_before},
            after={name: shown_after},
            reason=edit_reason(program),
            agency_id=program.agency_id,
        )
        return value


async def use_agency_contact(ctx: AppContext, actor: Actor, program_id: int) -> None:
    """Fill the 운영기관 정보 block from the agency record and the staff member's account.

    The numbers go through the same rules (a mobile number is refused here as well)."""
    async with ctx.db.session() as session:
        program = await load_for_edit(session, ctx, actor, program_id)
        agency = await session.get(Agency, program.agency_id)
        staff = (
            await session.get(StaffAccount, actor.staff_id) if actor.staff_id is not None else None
        )
        if agency is None:
            raise DomainError("progreg.not_found")
        mode = ctx.settings.byte_mode
        values: dict[str, Any] = {
            "contact_name": parse_field(
                FIELD_BY_NAME["contact_name"], staff.name if staff else "", mode
            ),
            "contact_email": normalize_email(agency.email or (staff.email if staff else "")),
            "contact_phone": require_direct_line(
                agency.phone or (staff.phone if staff else "")
            ).formatted,
            "contact_fax": require_direct_line(agency.fax).formatted if agency.fax else None,
            "contact_homepage": parse_url(agency.homepage) if agency.homepage else None,
        }
        before = {k: getattr(program, k) for k in values}
        for key, value in values.items():
            setattr(program, key, value)
        program.answered_fields = with_answered(program, *values)
        program.updated_at = ctx.now()
        audit.record(
            session,
            actor,
            "program.edit",
            "program",
            program.id,
            before=before,
            after=values,
            reason=edit_reason(program) or "agency_contact",
            agency_id=program.agency_id,
        )


# --- reading -----------------------------------------------------------------------------


@dataclass
class ProgramDetails:
    program: Program
    agency_name: str
    companies: list[HostCompany] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return missing_for_submit(self.program, self.companies, self.jobs)

    @property
    def unit_total(self) -> int:
        if self.program.type in COMPANY_TYPES:
            return sum(c.headcount or 0 for c in self.companies)
        return sum(j.headcount for j in self.jobs)


def missing_for_submit(
    program: Program, companies: Sequence[HostCompany], jobs: Sequence[Job]
) -> list[str]:
    missing = missing_fields(program)
    if program.attachment_file_id is None:
        missing.append("attachment")
    if program.type in COMPANY_TYPES and not companies:
        missing.append("companies")
    if program.type == "project" and not jobs:
        missing.append("jobs")
    return missing


async def _details(session: AsyncSession, program: Program) -> ProgramDetails:
    companies = list(
        (
            await session.scalars(
                select(HostCompany)
                .where(HostCompany.program_id == program.id)
                .order_by(HostCompany.id)
            )
        ).all()
    )
    jobs = list(
        (
            await session.scalars(select(Job).where(Job.program_id == program.id).order_by(Job.id))
        ).all()
    )
    agency = program.agency
    agency_name = agency.corporate_name + (f" {agency.branch_name}" if agency.branch_name else "")
    return ProgramDetails(program, agency_name, companies, jobs)


async def get_details(ctx: AppContext, actor: Actor, program_id: int) -> ProgramDetails:
    async with ctx.db.session() as session:
        program = await load_for_view(session, ctx, actor, program_id)
        return await _details(session, program)


async def editable_details(ctx: AppContext, actor: Actor, program_id: int) -> ProgramDetails:
    """The program for a change about to be made: refused (and audited) when not editable."""
    async with ctx.db.session() as session:
        program = await load_for_edit(session, ctx, actor, program_id)
        return await _details(session, program)


async def list_agency_programs(
    ctx: AppContext, actor: Actor, *, offset: int = 0, limit: int = 8
) -> tuple[list[Program], int]:
    """The caller's agency's programs, newest first, and how many there are."""
    if not actor.is_staff or actor.agency_id is None:
        await audit.refuse(ctx, actor, "program.list", "program")
    async with ctx.db.session() as session:
        where = Program.agency_id == actor.agency_id
        total = await session.scalar(select(func.count(Program.id)).where(where)) or 0
        rows = (
            await session.scalars(
                select(Program)
                .where(where)
                .order_by(Program.id.desc())
                .offset(offset)
                .limit(limit)
            )
        ).all()
        return list(rows), total


# --- submit ------------------------------------------------------------------------------


async def center_ids(session: AsyncSession, ctx: AppContext) -> list[int]:
    ids = set(ctx.settings.center_user_ids)
    ids.update(
        (
            await session.scalars(
                select(CenterOperator.telegram_id).where(CenterOperator.active.is_(True))
            )
        ).all()
    )
    return sorted(ids)


def _headcount_parts(details: ProgramDetails) -> dict[str, int]:
    if details.program.type in COMPANY_TYPES:
        return {f"company:{c.id}": c.headcount or 0 for c in details.companies}
    return {f"job:{j.id}": j.headcount for j in details.jobs}


def check_submittable(details: ProgramDetails) -> None:
    missing = details.missing
    if missing:
        raise DomainError("progreg.incomplete", fields=missing, count=len(missing))
    check_headcounts(details.program.total_recruitment or 0, _headcount_parts(details))
    rejected = [c.name for c in details.companies if c.insured_check == "rejected"]
    if rejected:
        raise DomainError("progreg.checks_rejected", names=", ".join(rejected))


@dataclass(frozen=True)
class Outcome:
    status: str
    changed: bool


async def submit(ctx: AppContext, actor: Actor, program_id: int) -> Outcome:
    """등록 신청: draft/rejected → pending, and the center is asked to review."""
    async with ctx.db.session() as session:
        program = await load_for_edit(session, ctx, actor, program_id)
        if program.status in ("pending", "approved"):
            return Outcome(program.status, False)  # a double tap, or already decided
        details = await _details(session, program)
        check_submittable(details)
        before = program.status
        program.status = "pending"
        program.submitted_at = ctx.now()
        program.reject_reason = None
        program.recruitment_mode, program.public_listing = "rolling", True
        audit.record(
            session,
            actor,
            "program.submit",
            "program",
            program.id,
            before={"status": before},
            after={"status": "pending"},
            agency_id=program.agency_id,
        )
        pending_checks = sum(1 for c in details.companies if c.insured_check == "pending")
        for chat_id in await center_ids(session, ctx):
            await outbox.enqueue(
                session,
                chat_id,
                "program.review",
                "progreview.notify_submitted",
                params={
                    "name": program.name,
                    "agency": details.agency_name,
                    "checks": pending_checks,
                },
                buttons=[
                    [
                        {
                            "key": "progreview.open_button",
                            "cb": "prv",
                            "args": {"action": "open", "pid": program.id, "cid": 0},
                        }
                    ]
                ],
                dedupe_key=f"program.review:{program.id}:{program.submitted_at.isoformat()}:"
                f"{chat_id}",
                entity="program",
                entity_id=program.id,
            )
        return Outcome("pending", True)


# --- center: review ----------------------------------------------------------------------


async def _require_center(ctx: AppContext, actor: Actor, action: str, entity_id: object) -> None:
    if not actor.is_center:
        await audit.refuse(ctx, actor, action, "program", entity_id, code="access.center_only")


@dataclass(frozen=True)
class QueueItem:
    program_id: int
    name: str
    agency_name: str
    type: str
    status: str
    pending_checks: int


async def review_queue(ctx: AppContext, actor: Actor) -> list[QueueItem]:
    """Programs waiting for approval, then approved ones with insured-count checks waiting."""
    await _require_center(ctx, actor, "program.review_queue", None)
    async with ctx.db.session() as session:
        pending_checks = (
            select(HostCompany.program_id, func.count(HostCompany.id).label("n"))
            .where(HostCompany.insured_check == "pending")
            .group_by(HostCompany.program_id)
            .subquery()
        )
        rows = (
            await session.execute(
                select(Program, func.coalesce(pending_checks.c.n, 0))
                .outerjoin(pending_checks, pending_checks.c.program_id == Program.id)
                .where(
                    or_(
                        Program.status == "pending",
                        (Program.status == "approved") & (pending_checks.c.n > 0),
                    )
                )
                .order_by(Program.status.desc(), Program.submitted_at, Program.id)
            )
        ).all()
        items = []
        for program, checks in rows:
            agency = program.agency
            items.append(
                QueueItem(
                    program.id,
                    program.name,
                    agency.corporate_name
                    + (f" {agency.branch_name}" if agency.branch_name else ""),
                    program.type,
                    program.status,
                    int(checks),
                )
            )
        # pending programs first (status "pending" sorts after "approved" descending)
        return items


async def approve(ctx: AppContext, actor: Actor, program_id: int) -> Outcome:
    await _require_center(ctx, actor, "program.approve", program_id)
    async with ctx.db.session() as session:
        program = await _load(session, program_id)
        if program.status == "approved":
            return Outcome("approved", False)
        if program.status != "pending":
            raise DomainError("progreg.not_pending", status=program.status)
        details = await _details(session, program)
        waiting = [c for c in details.companies if c.insured_check == "pending"]
        if waiting:
            raise DomainError("progreg.checks_pending", count=len(waiting))
        check_submittable(details)
        program.status = "approved"
        program.approved_by = actor.telegram_id
        program.approved_at = ctx.now()
        program.recruitment_mode, program.public_listing = "rolling", True
        audit.record(
            session,
            actor,
            "program.approve",
            "program",
            program.id,
            before={"status": "pending"},
            after={"status": "approved"},
            agency_id=program.agency_id,
        )
        await _notify_staff(
            session, program, "progreview.notify_approved", {"name": program.name}, "approved"
        )
        return Outcome("approved", True)


async def reject(ctx: AppContext, actor: Actor, program_id: int, reason: str) -> Outcome:
    await _require_center(ctx, actor, "program.reject", program_id)
    reason = check_reason(reason)
    async with ctx.db.session() as session:
        program = await _load(session, program_id)
        if program.status == "rejected":
            return Outcome("rejected", False)
        if program.status != "pending":
            raise DomainError("progreg.not_pending", status=program.status)
        program.status = "rejected"
        program.reject_reason = reason
        audit.record(
            session,
            actor,
            "program.reject",
            "program",
            program.id,
            before={"status": "pending"},
            after={"status": "rejected"},
            reason=reason,
            agency_id=program.agency_id,
        )
        await _notify_staff(
            session,
            program,
            "progreview.notify_rejected",
            {"name": program.name, "reason": reason},
            f"rejected:{ctx.now().isoformat()}",
        )
        return Outcome("rejected", True)


def check_reason(reason: str) -> str:
    try:
        text = require_text(reason)
    except DomainError:
        raise DomainError("progreg.reason_required") from None
    check_char_limit(text, 500)
    return text


async def _notify_staff(
    session: AsyncSession, program: Program, key: str, params: dict[str, Any], tag: str
) -> None:
    if program.created_by is None:
        return
    await outbox.enqueue(
        session,
        program.created_by,
        "program.decision",
        key,
        params=params,
        buttons=[
            [
                {
                    "key": "myprog.open_button",
                    "cb": "preg",
                    "args": {"action": "open", "pid": program.id, "arg": ""},
                }
            ]
        ],
        dedupe_key=f"program.decision:{program.id}:{tag}",
        entity="program",
        entity_id=program.id,
    )
