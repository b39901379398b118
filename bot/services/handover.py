"""Handover (인수인계): the agency head passes a leaving staff member's open items and contact
roles to a successor; the leaver's access ends.

What moves: programs the leaver owns (``Program.created_by``; not closed or rejected), the
public contact of programs where the leaver is the contact person, and the agency's project
manager role (수탁기관사업담당자). The leaver's account gets ``ended_at`` and their second factor
is removed. One transaction: changes, audit row, and notifications to both people.

Codes raised (params in parentheses):
- ``handover.head_only`` — only the agency head hands over.
- ``handover.same_person`` — the successor must be someone else.
- ``handover.not_active`` — that account is not an active account of the agency (or ended already).
- ``access.agency`` — an account of another agency (audited).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, or_, select

from bot.domain.errors import DomainError
from bot.services import audit, outbox
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.storage.models import Program, SecondFactor, StaffAccount

CLOSED_PROGRAM_STATES = ("closed", "rejected")


@dataclass(frozen=True)
class StaffChoice:
    id: int
    telegram_id: int
    name: str
    position: str
    is_project_manager: bool


@dataclass(frozen=True)
class Plan:
    leaver: StaffChoice
    successor: StaffChoice
    owned: list[str]  # program names the successor takes over
    contact: list[str]  # program names whose contact person changes
    project_manager: bool


def _choice(row: StaffAccount) -> StaffChoice:
    return StaffChoice(row.id, row.telegram_id, row.name, row.position, row.is_project_manager)


async def _require_head(ctx: AppContext, actor: Actor) -> None:
    if not actor.is_head:
        await audit.refuse(ctx, actor, "staff.handover", "agency", code="handover.head_only")


async def agency_staff(ctx: AppContext, actor: Actor) -> list[StaffChoice]:
    """Active accounts of the head's agency."""
    await _require_head(ctx, actor)
    async with ctx.db.session() as session:
        rows = (
            await session.scalars(
                select(StaffAccount)
                .where(
                    StaffAccount.agency_id == actor.agency_id,
                    StaffAccount.status == "approved",
                    StaffAccount.ended_at.is_(None),
                )
                .order_by(StaffAccount.name, StaffAccount.id)
            )
        ).all()
    return [_choice(r) for r in rows]


async def _accounts(
    ctx: AppContext, actor: Actor, leaver_id: int, successor_id: int
) -> tuple[StaffAccount, StaffAccount]:
    await _require_head(ctx, actor)
    if leaver_id == successor_id:
        raise DomainError("handover.same_person")
    async with ctx.db.session() as session:
        leaver = await session.get(StaffAccount, leaver_id)
        successor = await session.get(StaffAccount, successor_id)
    for row in (leaver, successor):
        if row is not None and row.agency_id != actor.agency_id:
            await audit.refuse(
                ctx, actor, "staff.handover", "staff_account", row.id, code="access.agency"
            )
        if row is None or row.status != "approved" or row.ended_at is not None:
            raise DomainError("handover.not_active")
    assert leaver is not None and successor is not None
    return leaver, successor


def _owned(leaver: StaffAccount, agency_id: int) -> Select[tuple[Program]]:
    return select(Program).where(
        Program.agency_id == agency_id,
        Program.created_by == leaver.telegram_id,
        Program.status.not_in(CLOSED_PROGRAM_STATES),
    )


def _contact(leaver: StaffAccount, agency_id: int) -> Select[tuple[Program]]:
    return select(Program).where(
        Program.agency_id == agency_id,
        Program.status.not_in(CLOSED_PROGRAM_STATES),
        or_(Program.contact_name == leaver.name, Program.contact_email == leaver.email),
    )


async def plan(ctx: AppContext, actor: Actor, leaver_id: int, successor_id: int) -> Plan:
    """What a handover would move (shown before the head confirms)."""
    leaver, successor = await _accounts(ctx, actor, leaver_id, successor_id)
    async with ctx.db.session() as session:
        owned = (await session.scalars(_owned(leaver, leaver.agency_id))).unique().all()
        contact = (await session.scalars(_contact(leaver, leaver.agency_id))).unique().all()
    return Plan(
        _choice(leaver),
        _choice(successor),
        [p.name for p in owned],
        [p.name for p in contact],
        leaver.is_project_manager,
    )


async def hand_over(ctx: AppContext, actor: Actor, leaver_id: int, successor_id: int) -> Plan:
    """Move the leaver's items to the successor and end the leaver's access."""
    await _accounts(ctx, actor, leaver_id, successor_id)
    now = ctx.now()
    async with ctx.db.session() as session:
        leaver = await session.get(StaffAccount, leaver_id)
        successor = await session.get(StaffAccount, successor_id)
        assert leaver is not None and successor is not None
        if leaver.ended_at is not None or successor.ended_at is not None:
            raise DomainError("handover.not_active")
        owned = (await session.scalars(_owned(leaver, leaver.agency_id))).unique().all()
        for program in owned:
            program.created_by = successor.telegram_id
        contact = (await session.scalars(_contact(leaver, leaver.agency_id))).unique().all()
        for program in contact:
            program.contact_name = successor.name
            program.contact_email = successor.email
            program.contact_phone = successor.phone
        was_manager = leaver.is_project_manager
        if was_manager:
            successor.is_project_manager = True
            leaver.is_project_manager = False
        leaver.ended_at = now
        factor = await session.get(SecondFactor, leaver.telegram_id)
        if factor is not None:
            await session.delete(factor)
        result = Plan(
            _choice(leaver),
            _choice(successor),
            [p.name for p in owned],
            [p.name for p in contact],
            was_manager,
        )
        audit.record(
            session,
            actor,
            "staff.handover",
            "staff_account",
            leaver.id,
            before={"leaver": leaver.id, "ended_at": None},
            after={
                "successor": successor.id,
                "programs_owned": [p.id for p in owned],
                "programs_contact": [p.id for p in contact],
                "project_manager": was_manager,
                "ended_at": now.isoformat(),
            },
        )
        counts = {
            "owned": len(owned),
            "contact": len(contact),
            "leaver": leaver.name,
            "successor": successor.name,
        }
        await outbox.enqueue(
            session,
            leaver.telegram_id,
            "staff.ended",
            "handover.notify.leaver",
            params=counts,
            dedupe_key=f"handover:{leaver.id}:leaver",
            entity="staff_account",
            entity_id=leaver.id,
        )
        if successor.telegram_id != actor.telegram_id:
            await outbox.enqueue(
                session,
                successor.telegram_id,
                "staff.handover",
                "handover.notify.successor",
                params=counts,
                dedupe_key=f"handover:{leaver.id}:successor",
                entity="staff_account",
                entity_id=successor.id,
            )
    return result
