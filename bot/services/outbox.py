"""Transactional outbox: notifications are rows written in the same transaction as the change.

A payload names a locale key and its parameters; the sender renders it in the recipient's language
at delivery time, so services stay free of text and of aiogram.
Payload: {"key": str, "params": {...}, "file_id": int | None, "photo": bool,
          "buttons": [[{"key": str, "params": {}, "cb": "<CallbackData prefix>", "args": {...}}]]}
Buttons name a CallbackData prefix and its fields; ``bot.keyboards.registry`` packs them.

Notices go to private chats only (a person's Telegram id; a group's id is negative and refused).
A notice to someone the bot cannot reach — they never started it, or blocked it (403) — is
``held``, not dropped: when they next write to the bot (``identity.touch_user``) their held rows
go out, oldest first, each marked with the time it was meant for.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Table, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.engine import Database, Executor
from bot.storage.models import OutboxMessage, User
from bot.storage.upsert import insert_for

if TYPE_CHECKING:
    from bot.services.context import AppContext

log = logging.getLogger(__name__)
HELD = "held"


async def enqueue(
    session: AsyncSession,
    chat_id: int,
    kind: str,
    key: str,
    *,
    params: dict[str, Any] | None = None,
    buttons: list[list[dict[str, Any]]] | None = None,
    file_id: int | None = None,
    photo: bool = False,
    dedupe_key: str | None = None,
    entity: str | None = None,
    entity_id: object = None,
) -> bool:
    """Queue one message; with a ``dedupe_key`` a second enqueue of the same key is a no-op.

    Returns True when a row was written; False for a duplicate, or a chat that is not a person's
    private chat (groups and channels never get notices).
    """
    if chat_id <= 0:
        log.warning("outbox: %s to %s refused: notices go to private chats only", kind, chat_id)
        return False
    payload: dict[str, Any] = {"key": key, "params": params or {}}
    if buttons:
        payload["buttons"] = buttons
    if file_id is not None:
        payload["file_id"] = file_id
        payload["photo"] = photo
    values = dict(
        chat_id=chat_id,
        kind=kind,
        dedupe_key=dedupe_key,
        payload=payload,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
    )
    if dedupe_key is None:
        session.add(OutboxMessage(**values))
        await session.flush()
        return True
    stmt = insert_for(session, OutboxMessage).values(**values)
    stmt = stmt.on_conflict_do_nothing(index_elements=[OutboxMessage.dedupe_key])
    result = await session.execute(stmt)
    return bool(result.rowcount)  # type: ignore[attr-defined]


# --- delivery bookkeeping (used by bot.scheduler.outbox_sender) ---------------------------
#
# Outbox timing (claims, leases, retries) runs on the wall clock, not ``ctx.now()``: retry_after
# and backoff are real seconds, and a test that moves the domain clock must not stall delivery.

LEASE = timedelta(minutes=2)
BLOCKED = "blocked by the user"


def wall_now() -> datetime:
    return datetime.now(UTC)


def _due(now: datetime, lease: timedelta) -> ColumnElement[bool]:
    return or_(
        and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now),
        # claimed by an instance that died before finishing: retried once the lease expired
        and_(OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - lease),
    )


async def claim_due(
    db: Database,
    worker: str,
    *,
    limit: int,
    lease: timedelta = LEASE,
    exclude_chats: Collection[int] = (),
    now: datetime | None = None,
) -> list[OutboxMessage]:
    """Claim up to ``limit`` due rows for ``worker`` in one statement, oldest first.

    PostgreSQL: ``UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)`` — concurrent senders
    never wait for each other nor claim the same row. SQLite: the same conditional UPDATE; SQLite
    runs one writer at a time, so the claim is atomic there too.
    """
    now = now or wall_now()
    due = _due(now, lease)
    pick = select(OutboxMessage.id).where(due).order_by(OutboxMessage.id).limit(limit)
    if exclude_chats:
        pick = pick.where(OutboxMessage.chat_id.not_in(list(exclude_chats)))
    if db.is_postgres:
        pick = pick.with_for_update(skip_locked=True)
    stmt = (
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(pick.scalar_subquery()), due)
        .values(status="sending", claimed_by=worker, claimed_at=now)
        .returning(OutboxMessage)
        .execution_options(synchronize_session=False)
    )
    async with db.session() as session:
        rows = list((await session.scalars(stmt)).all())
    return sorted(rows, key=lambda r: r.id)


def _mine(row_id: int, worker: str) -> ColumnElement[bool]:
    return and_(
        OutboxMessage.id == row_id,
        OutboxMessage.claimed_by == worker,
        OutboxMessage.status == "sending",
    )


async def _update_mine(db: Database, row_ids: Collection[int], worker: str, **values: Any) -> int:
    if not row_ids:
        return 0
    async with db.session() as session:
        result = await session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id.in_(list(row_ids)),
                OutboxMessage.claimed_by == worker,
                OutboxMessage.status == "sending",
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def renew_claim(db: Database, row_id: int, worker: str) -> bool:
    """Extend the lease right before sending; False when another instance took the row over."""
    return bool(await _update_mine(db, [row_id], worker, claimed_at=wall_now()))


async def mark_sent(
    db: Database, row_id: int, worker: str, message_id: int | None, *, attempts: int
) -> bool:
    return bool(
        await _update_mine(
            db,
            [row_id],
            worker,
            status="sent",
            sent_at=wall_now(),
            message_id=message_id,
            attempts=attempts,
            last_error=None,
        )
    )


async def release(
    db: Database,
    row_ids: Collection[int],
    worker: str,
    *,
    at: datetime,
    error: str | None = None,
    attempts: int | None = None,
) -> int:
    """Give claimed rows back (status pending, due at ``at``), e.g. after a 429 or at shutdown."""
    values: dict[str, Any] = dict(
        status="pending", next_attempt_at=at, claimed_by=None, claimed_at=None
    )
    if error is not None:
        values["last_error"] = error
    if attempts is not None:
        values["attempts"] = attempts
    return await _update_mine(db, row_ids, worker, **values)


async def finish(
    db: Database,
    row_ids: Collection[int],
    worker: str,
    status: str,
    error: str | None,
    *,
    attempts: int | None = None,
) -> int:
    """Settle claimed rows as ``failed`` or ``skipped`` (never retried)."""
    values: dict[str, Any] = dict(status=status, last_error=(error or "")[:500])
    if attempts is not None:
        values["attempts"] = attempts
    return await _update_mine(db, row_ids, worker, **values)


async def hold_claimed(db: Database, row_ids: Collection[int], worker: str, error: str) -> int:
    """Keep claimed rows for later: the person cannot be reached now (see ``mark_blocked``)."""
    return await _update_mine(
        db, row_ids, worker, status=HELD, held_at=wall_now(), last_error=error[:500]
    )


async def mark_blocked(ctx: AppContext, chat_id: int) -> int:
    """403: the person blocked the bot or never started it. Remember it; hold what is waiting.

    ``touch_user`` clears ``blocked_at`` when they write again and calls ``release_held``: the
    held rows then go out. Returns the number of pending rows held.
    """
    async with ctx.db.session() as session:
        user = await session.get(User, chat_id)
        if user is None:
            session.add(User(telegram_id=chat_id, blocked_at=ctx.now()))
        elif user.blocked_at is None:
            user.blocked_at = ctx.now()
        result = await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.chat_id == chat_id, OutboxMessage.status == "pending")
            .values(status=HELD, held_at=wall_now(), last_error=BLOCKED)
            .execution_options(synchronize_session=False)
        )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


_TABLE: Table = OutboxMessage.__table__  # type: ignore[assignment]


async def release_held(session: Executor, chat_id: int) -> int:
    """The person wrote to the bot: their held rows are due now (in the caller's transaction)."""
    result = await session.execute(
        update(_TABLE)
        .where(_TABLE.c.chat_id == chat_id, _TABLE.c.status == HELD)
        .values(status="pending", next_attempt_at=wall_now(), claimed_by=None, claimed_at=None)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def status_counts(ctx: AppContext) -> dict[str, int]:
    """Rows per delivery status (for /jobs)."""
    async with ctx.db.session() as session:
        rows = await session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        )
        return {status: int(count) for status, count in rows.all()}


async def withdraw_pending(session: AsyncSession, dedupe_key: str, why: str) -> bool:
    """A notice that no longer holds (its decision was taken back): skip it if it has not gone
    out yet. Returns True when it was still waiting (then nobody was told)."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.dedupe_key == dedupe_key, OutboxMessage.status == "pending")
        .values(status="skipped", last_error=why)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
