"""User-level settings: language, consent (first contact) and delivery state."""

from __future__ import annotations

from sqlalchemy import select

from bot.i18n import LANGUAGES
from bot.services import audit
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.storage.models import Participant, User


async def set_language(ctx: AppContext, telegram_id: int, language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(language)
    async with ctx.db.session() as session:
        user = await session.get(User, telegram_id)
        if user is not None:
            user.language = language


async def mark_blocked(ctx: AppContext, telegram_id: int) -> None:
    async with ctx.db.session() as session:
        user = await session.get(User, telegram_id)
        if user is not None and user.blocked_at is None:
            user.blocked_at = ctx.now()


async def has_required_consent(ctx: AppContext, telegram_id: int) -> bool:
    async with ctx.db.session() as session:
        consent = await session.scalar(
            select(Participant.consent_required_at).where(Participant.telegram_id == telegram_id)
        )
    return consent is not None


async def give_consent(ctx: AppContext, actor: Actor, *, optional: bool | None = None) -> int:
    """Record the required consent (and, when given, the optional choice). Returns participant id.

    Compare-and-set: when the consent already stands as asked (the required one given and not
    withdrawn, the optional choice the same), the step is already done — nothing is written and
    no second audit row is added (a step replayed after a crash, a repeated press)."""
    async with ctx.db.session() as session:
        participant = await session.scalar(
            select(Participant).where(Participant.telegram_id == actor.telegram_id)
        )
        if participant is None:
            participant = Participant(telegram_id=actor.telegram_id)
            session.add(participant)
        standing = (
            participant.consent_required_at is not None
            and participant.consent_withdrawn_at is None
        )
        if standing and optional in (None, participant.consent_optional):
            return participant.id
        if not standing:
            participant.consent_required_at = ctx.now()
            participant.consent_withdrawn_at = None
        if optional is not None:
            participant.consent_optional = optional
        await session.flush()
        audit.record(
            session,
            actor,
            "consent.give",
            "participant",
            participant.id,
            after={"required": True, "optional": participant.consent_optional},
        )
        return participant.id
