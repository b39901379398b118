"""Who is calling: participant, staff of agency X, agency head of X, or center operator."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, select, update

from bot.services import outbox
from bot.services.context import AppContext
from bot.storage.engine import Executor
from bot.storage.models import CenterOperator, Participant, StaffAccount, User
from bot.storage.upsert import upsert


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


_ACTOR = (
    select(
        User.language,
        User.blocked_at,
        User.last_seen_at,
        CenterOperator.active,
        StaffAccount.id,
        StaffAccount.position,
        StaffAccount.agency_id,
        StaffAccount.permissions,
        Participant.id,
    )
    .select_from(User)
    .outerjoin(CenterOperator, CenterOperator.telegram_id == User.telegram_id)
    .outerjoin(
        StaffAccount,
        (StaffAccount.telegram_id == User.telegram_id)
        & (StaffAccount.status == "approved")
        & StaffAccount.ended_at.is_(None),
    )
    .outerjoin(Participant, Participant.telegram_id == User.telegram_id)
    .where(User.telegram_id == bindparam("b_tid"))
    .limit(1)
)
_NEW_USER = upsert(
    User.__table__,
    ("telegram_id", "first_name", "username", "last_seen_at", "created_at"),
    ("telegram_id",),
)
_TOUCH = update(User).where(User.telegram_id == bindparam("b_tid"))


_ACTOR_COLUMNS = 9


@lru_cache(maxsize=16)
def _actor_with(also: tuple[Any, ...]) -> Select[Any]:
    return _ACTOR.add_columns(*also) if also else _ACTOR


@dataclass(frozen=True)
class Visitor:
    """Who sent an update (``Actor``), what of their user row is stale (written at the end), and
    the values of the caller's ``also`` columns."""

    actor: Actor
    touch: dict[str, Any]
    also: tuple[Any, ...] = ()


async def identify(
    session: Executor,
    ctx: AppContext,
    telegram_id: int,
    first_name: str,
    username: str | None,
    also: tuple[Any, ...] = (),
    params: dict[str, Any] | None = None,
) -> Visitor:
    """One statement (two more on first contact): the caller's role, agency, language — and the
    scalar subqueries ``also`` (with their ``params``), so that a caller needing more for the
    same person reads it in the same statement (the unit of work: inbox mark, FSM record).

    The user row is created on first contact; otherwise nothing is written here: ``touch``
    holds the refresh (last seen every 5 minutes with the names, a "blocked" mark cleared when
    they write again) for ``touch_user`` in the update's closing transaction."""
    now = ctx.now()
    statement = _actor_with(also)
    bind = {"b_tid": telegram_id, **(params or {})}
    row = (await session.execute(statement, bind)).first()
    touch: dict[str, Any] = {}
    if row is None:
        values = {"first_name": first_name, "username": username, "last_seen_at": now}
        await session.execute(_NEW_USER, {"telegram_id": telegram_id, "created_at": now, **values})
        row = (await session.execute(statement, bind)).first()
        assert row is not None
    else:
        if row.blocked_at is not None:
            touch["blocked_at"] = None
        if row.last_seen_at is None or now - row.last_seen_at > LAST_SEEN_GRANULARITY:
            touch.update(last_seen_at=now, first_name=first_name, username=username)
    return Visitor(_actor(ctx, telegram_id, row), touch, tuple(row[_ACTOR_COLUMNS:]))


def _actor(ctx: AppContext, tid: int, row: Any) -> Actor:
    language, center_active = row[0], row[3]
    staff_id, position, agency_id, permissions, participant_id = row[4:9]
    if center_active or tid in ctx.settings.center_user_ids:
        return Actor(tid, Role.CENTER, language)
    if staff_id is not None:
        return Actor(
            tid,
            Role.HEAD if position == "head" else Role.STAFF,
            language,
            agency_id=agency_id,
            staff_id=staff_id,
            permissions=frozenset(permissions or ()),
        )
    return Actor(tid, Role.PARTICIPANT, language, participant_id=participant_id)


async def touch_user(session: Executor, telegram_id: int, touch: dict[str, Any]) -> None:
    """Write what ``identify`` found stale (nothing when nothing is)."""
    if touch:
        await session.execute(_TOUCH.values(**touch), {"b_tid": telegram_id})
    if "blocked_at" in touch:  # they are back: what waited for them goes out now
        await outbox.release_held(session, telegram_id)
