"""Audit log: every state change and every refused attempt (who, what, before → after, why)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.identity import Actor
from bot.storage.models import AuditLog


def record(
    session: AsyncSession,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
    agency_id: int | None = None,
    refused: bool = False,
) -> AuditLog:
    row = AuditLog(
        actor_id=actor.telegram_id,
        actor_role=actor.role.value,
        agency_id=agency_id if agency_id is not None else actor.agency_id,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        before=before,
        after=after,
        reason=reason,
        outcome="refused" if refused else "ok",
    )
    session.add(row)
    return row
