"""Audit log: every state change and every refused attempt (who, what, before → after, why)."""

from __future__ import annotations

from typing import Any, NoReturn

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import DomainError
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.storage.models import ApplicationEvent, AuditLog


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


async def refuse(
    ctx: AppContext,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object = None,
    *,
    code: str = "access.denied",
    agency_id: int | None = None,
    **params: Any,
) -> NoReturn:
    """Audit a refused attempt in its own transaction (the caller's rolls back), then refuse."""
    async with ctx.db.session() as session:
        record(
            session,
            actor,
            action,
            entity,
            entity_id,
            reason=code,
            agency_id=agency_id,
            refused=True,
        )
    raise DomainError(code, **params)


async def agency_scope(
    ctx: AppContext, actor: Actor, agency_id: int | None, action: str
) -> int | None:
    """The agency a caller may see for ``action`` (reports, exports): staff their own (asking
    for another is refused and audited), the center any agency or all (None); others refused."""
    if actor.is_staff:
        if agency_id is not None and agency_id != actor.agency_id:
            await refuse(
                ctx, actor, action, "agency", agency_id, code="access.agency", agency_id=agency_id
            )
        return actor.agency_id
    if not actor.is_center:
        await refuse(ctx, actor, action, action.split(".")[0], None, code="access.denied")
    return agency_id


def application_event(
    application_id: int,
    actor: Actor,
    action: str,
    before: str | None,
    after: str,
    reason: str | None = None,
) -> ApplicationEvent:
    """One step of an application's history (인증, 보류, 선발, …), by ``actor``."""
    return ApplicationEvent(
        application_id=application_id,
        action=action,
        from_state=before,
        to_state=after,
        actor_id=actor.telegram_id,
        actor_role=actor.role.value,
        reason=reason,
    )
