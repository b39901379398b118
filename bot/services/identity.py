"""Who is calling: participant, staff of agency X, agency head of X, or center operator."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import outbox
from bot.services.context import AppContext
from bot.storage.models import CenterOperator, Participant, StaffAccount, User


class Role(StrEnum):
    PARTICIPANT = "participant"
    STAFF = "staff"
    HEAD = "head"
    CENTER = "center"


@dataclass(frozen=True)
class Actor:
    telegram_id: int
    role: Role
    language: str | None = None
    agency_id: int | None = None
    staff_id: int | None = None
    participant_id: int | None = None
    permissions: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_center(self) -> bool:
        return self.role is Role.CENTER

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.STAFF, Role.HEAD)

    @property
    def is_head(self) -> bool:
        return self.role is Role.HEAD


SYSTEM = Actor(telegram_id=0, role=Role.CENTER, language="ko")
LAST_SEEN_GRANULARITY = timedelta(minutes=5)


async def touch_user(
    session: AsyncSession, ctx: AppContext, telegram_id: int, first_name: str, username: str | None
) -> User:
    """Create or refresh the user row; a user who writes again is no longer 'blocked'."""
    now = ctx.now()
    user = await session.get(User, telegram_id)
    if user is None:
        user = User(
            telegram_id=telegram_id, first_name=first_name, username=username, last_seen_at=now
        )
        session.add(user)
        await session.flush()
        return user
    if user.blocked_at is not None:  # they are back: what waited for them goes out now
        user.blocked_at = None
        await outbox.release_held(session, telegram_id)
    if user.last_seen_at is None or now - user.last_seen_at > LAST_SEEN_GRANULARITY:
        user.last_seen_at = now
        user.first_name = first_name
        user.username = username
    return user


async def resolve_actor(session: AsyncSession, ctx: AppContext, user: User) -> Actor:
    tid = user.telegram_id
    center = await session.get(CenterOperator, tid)
    if (center is not None and center.active) or tid in ctx.settings.center_user_ids:
        return Actor(tid, Role.CENTER, user.language)
    staff = await session.scalar(
        select(StaffAccount).where(
            StaffAccount.telegram_id == tid,
            StaffAccount.status == "approved",
            StaffAccount.ended_at.is_(None),
        )
    )
    if staff is not None:
        return Actor(
            tid,
            Role.HEAD if staff.position == "head" else Role.STAFF,
            user.language,
            agency_id=staff.agency_id,
            staff_id=staff.id,
            permissions=frozenset(staff.permissions or ()),
        )
    participant_id = await session.scalar(
        select(Participant.id).where(Participant.telegram_id == tid)
    )
    return Actor(tid, Role.PARTICIPANT, user.language, participant_id=participant_id)
