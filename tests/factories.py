"""Test data builders that write through the real models (for states a test does not walk to).

Prefer driving the bot through the playground; use these only to set up what a test is not about.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pyotp
from sqlalchemy import select

from bot.services.context import AppContext
from bot.services.crypto import totp_context
from bot.storage.models import Application, ApplicationEvent, Participant, Program, SecondFactor


async def grant_second_factor(ctx: AppContext, telegram_id: int) -> str:
    """Enrol and verify a TOTP second factor now; returns the base32 secret (for pyotp)."""
    secret = pyotp.random_base32()
    now = ctx.now()
    async with ctx.db.session() as session:
        existing = await session.get(SecondFactor, telegram_id)
        if existing is not None:
            await session.delete(existing)
            await session.flush()
        session.add(
            SecondFactor(
                telegram_id=telegram_id,
                secret_enc=ctx.cipher.encrypt(secret, context=totp_context(telegram_id)),
                enrolled_at=now,
                verified_at=now,
            )
        )
    return secret


async def program_id(ctx: AppContext, program_type: str) -> int:
    """The seeded demo program of that type (intern | project)."""
    async with ctx.db.session() as session:
        pid = await session.scalar(
            select(Program.id).where(Program.type == program_type).order_by(Program.id)
        )
    assert pid is not None, f"no demo {program_type} program (was the demo data seeded?)"
    return pid


async def make_participant(
    ctx: AppContext,
    telegram_id: int | None = None,
    *,
    name: str = "홍길동",
    birth_date: date = date(2000, 5, 17),
    mobile: str = "010-1234-5678",
    email: str = "hong@example.com",
    education: str = "대학교 졸업",
) -> int:
    async with ctx.db.session() as session:
        participant = None
        if telegram_id is not None:
            participant = await session.scalar(
                select(Participant).where(Participant.telegram_id == telegram_id)
            )
        if participant is None:
            participant = Participant(telegram_id=telegram_id)
            session.add(participant)
        participant.name, participant.birth_date = name, birth_date
        participant.mobile, participant.email, participant.education = mobile, email, education
        participant.consent_required_at = ctx.now()
        await session.flush()
        return participant.id


async def make_application(
    ctx: AppContext,
    participant_id: int,
    program_id: int,
    *,
    state: str = "submitted",
    **fields: Any,
) -> int:
    async with ctx.db.session() as session:
        app = Application(
            participant_id=participant_id,
            program_id=program_id,
            state=state,
            applied_on=ctx.today(),
            submitted_at=ctx.now(),
            education=fields.pop("education", "대학교 졸업"),
            self_intro=fields.pop("self_intro", "성실하게 참여하겠습니다."),
            eligibility=fields.pop("eligibility", {}),
            **fields,
        )
        session.add(app)
        await session.flush()
        session.add(
            ApplicationEvent(
                application_id=app.id,
                action="factory",
                from_state=None,
                to_state=state,
                actor_id=None,
                actor_role="system",
            )
        )
        return app.id
