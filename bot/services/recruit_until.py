"""모집 마감일: staff of the program's agency set (or clear) the last day of recruitment.

Codes: ``recruit.until_past``, ``recruit.until_after_start`` (domain), ``roster.locked``,
``access.*`` (audited by ``selection.staff_program``).
"""

from __future__ import annotations

from datetime import date

from bot.domain.errors import DomainError
from bot.domain.recruit_dates import check_recruit_until
from bot.services import audit
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.selection import staff_program


async def set_recruit_until(
    ctx: AppContext, actor: Actor, program_id: int, value: date | None
) -> date | None:
    async with ctx.db.session() as session:
        program = await staff_program(session, ctx, actor, program_id, "program.recruit_until")
        if program.roster_locked_at is not None:
            raise DomainError("roster.locked", action="recruit_until")
        if value is not None:
            check_recruit_until(value, ctx.today(), program.period_start)
        before = program.recruit_until
        program.recruit_until = value
        audit.record(
            session,
            actor,
            "program.recruit_until",
            "program",
            program.id,
            agency_id=program.agency_id,
            before={"recruit_until": before.isoformat() if before else None},
            after={"recruit_until": value.isoformat() if value else None},
        )
        return value
