"""되돌리기: take back one's own 인증 or 보류 for a short while (``bot.domain.undo``).

The application goes back to the state it came from (인증대기), with an ``undo`` event and an
audit row. The participant's notice of the decision is withdrawn if it has not gone out yet;
otherwise they are told the result was taken back and the application is in review again.

Codes: ``review.undo_*`` (domain), ``review.already_decided`` when the card moved on meanwhile.
"""

from __future__ import annotations

from sqlalchemy import select, update

from bot.domain.undo import check_undo
from bot.services import audit, outbox
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.review import Decision, already_decided, build_card, check_scope
from bot.storage.models import Application, ApplicationEvent


async def undo(ctx: AppContext, actor: Actor, app_id: int, *, version: int) -> Decision:
    agency_id = await check_scope(ctx, actor, app_id, "application.undo")
    now = ctx.now()
    async with ctx.db.session() as session:
        app = await session.get(Application, app_id)
        last = await session.scalar(
            select(ApplicationEvent)
            .where(ApplicationEvent.application_id == app_id)
            .order_by(ApplicationEvent.id.desc())
            .limit(1)
        )
        moved_on = app is None or last is None or app.version != version
        if not moved_on:
            assert app is not None and last is not None
            check_undo(last.action, last.actor_id, actor.telegram_id, last.created_at, now)
            source, target = app.state, last.from_state or "submitted"
            result = await session.execute(
                update(Application)
                .where(Application.id == app_id, Application.version == version)
                .values(
                    state=target,
                    version=Application.version + 1,
                    decided_by=None,
                    decided_at=None,
                    last_reason=None,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            moved_on = not result.rowcount  # type: ignore[attr-defined]
        if not moved_on:
            assert app is not None
            session.add(audit.application_event(app_id, actor, "undo", source, target))
            audit.record(
                session,
                actor,
                "application.undo",
                "application",
                app_id,
                agency_id=agency_id,
                before={"state": source},
                after={"state": target},
            )
            await session.refresh(app)
            told = not await outbox.withdraw_pending(
                session, f"application:{app_id}:v{version}", "undone"
            )
            chat_id = app.participant.telegram_id
            if told and chat_id is not None:
                await outbox.enqueue(
                    session,
                    chat_id,
                    "application.undone",
                    "review.notify.undone",
                    params={"program": app.program.name, "app_id": app.id},
                    dedupe_key=f"application:{app.id}:v{app.version}",
                    entity="application",
                    entity_id=app.id,
                )
            card = await build_card(session, ctx, app)
    if moved_on:
        raise await already_decided(ctx, app_id)
    return Decision(app_id, source, target, None, card)
