"""SQL of the update inbox (``UpdateInbox``): record a batch, find the unfinished, mark finished.

Every statement here is built once (cacheable by SQLAlchemy): they run for every update.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, delete, select, update

from bot.storage.engine import Database, Executor
from bot.storage.models import UpdateInbox, utcnow
from bot.storage.upsert import upsert

INBOX: Table = UpdateInbox.__table__  # type: ignore[assignment]
_RECORD = upsert(
    INBOX, ("bot_id", "update_id", "person", "payload", "received_at"), ("bot_id", "update_id")
)
_KEY = (INBOX.c.bot_id == bindparam("b_bot")) & (INBOX.c.update_id == bindparam("b_update"))
_FINISHED = select(INBOX.c.finished_at).where(_KEY)
FINISHED_COLUMN = _FINISHED.scalar_subquery()  # to read in another statement: b_bot, b_update
_FINISH = update(INBOX).where(_KEY).values(finished_at=bindparam("now"), payload=b"")
_UNFINISHED = (
    select(INBOX.c.update_id, INBOX.c.payload)
    .where(INBOX.c.bot_id == bindparam("bot_id"), INBOX.c.finished_at.is_(None))
    .order_by(INBOX.c.update_id)
    .limit(bindparam("limit"))
)


@dataclass(frozen=True)
class Recorded:
    update_id: int
    person: int | None
    sealed: bytes  # the update's JSON, encrypted by the caller


# The update kinds that have a sender (``from``); others (polls, channel posts) have no person.
_SENT_BY = (
    "message",
    "edited_message",
    "callback_query",
    "inline_query",
    "chosen_inline_result",
    "shipping_query",
    "pre_checkout_query",
    "my_chat_member",
    "chat_member",
    "chat_join_request",
    "business_message",
    "edited_business_message",
)


def person_of(update: dict[str, Any]) -> int | None:
    """The Telegram id of whoever sent the update (None for updates without a sender)."""
    for kind in _SENT_BY:
        event = update.get(kind)
        if isinstance(event, dict):
            sender = event.get("from")
            if isinstance(sender, dict) and isinstance(sender.get("id"), int):
                return int(sender["id"])
            return None
    return None


async def record(db: Database, bot_id: int, updates: Sequence[Recorded]) -> None:
    """Record a batch in one transaction; an update recorded before is left as it is."""
    if not updates:
        return
    now = utcnow()
    rows = [
        {
            "bot_id": bot_id,
            "update_id": u.update_id,
            "person": u.person,
            "payload": u.sealed,
            "received_at": now,
        }
        for u in updates
    ]
    async with db.statement() as conn:  # one statement (a row per update): whole on its own
        await conn.execute(_RECORD, rows)


async def finished_at(session: Executor, bot_id: int, update_id: int) -> datetime | None:
    """When the update finished; None when it did not (or was never recorded)."""
    return await session.scalar(_FINISHED, {"b_bot": bot_id, "b_update": update_id})


def key_params(bot_id: int, update_id: int) -> dict[str, int]:
    return {"b_bot": bot_id, "b_update": update_id}


async def finish(session: Executor, bot_id: int, update_id: int) -> None:
    await session.execute(_FINISH, {"b_bot": bot_id, "b_update": update_id, "now": utcnow()})


async def prune(db: Database, before: datetime) -> int:
    """Forget finished updates received before ``before`` (their payload is gone already)."""
    async with db.session() as session:
        result = await session.execute(
            delete(UpdateInbox).where(
                UpdateInbox.finished_at.is_not(None), UpdateInbox.received_at < before
            )
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def unfinished(db: Database, bot_id: int, limit: int = 10_000) -> list[tuple[int, bytes]]:
    """(update_id, sealed payload) of updates recorded but never finished, oldest first."""
    async with db.session() as session:
        rows = await session.execute(_UNFINISHED, {"bot_id": bot_id, "limit": limit})
        return [(r.update_id, r.payload) for r in rows]
