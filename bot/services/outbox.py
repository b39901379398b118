"""Transactional outbox: notifications are rows written in the same transaction as the change.

A payload names a locale key and its parameters; the sender renders it in the recipient's language
at delivery time, so services stay free of text and of aiogram.
Payload: {"key": str, "params": {...}, "file_id": int | None, "photo": bool,
          "buttons": [[{"key": str, "params": {}, "cb": "<CallbackData prefix>", "args": {...}}]]}
Buttons name a CallbackData prefix and its fields; ``bot.keyboards.registry`` packs them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import OutboxMessage
from bot.storage.upsert import insert_for


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

    Returns True when a row was written.
    """
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
    return bool(result.rowcount)
