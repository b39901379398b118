"""Second factor state for staff and center operators (TOTP).

This module answers "may this person act now?"; enrolment and code verification live here too
(see the staff feature). A staff action needs an enrolled factor verified within
``settings.totp_valid_hours``.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from bot.services.context import AppContext
from bot.storage.models import SecondFactor


class FactorStatus(StrEnum):
    OK = "ok"
    NOT_ENROLLED = "not_enrolled"
    EXPIRED = "expired"  # enrolled, but the last verified code is too old


async def factor_status(ctx: AppContext, telegram_id: int) -> FactorStatus:
    async with ctx.db.session() as session:
        factor = await session.get(SecondFactor, telegram_id)
    if factor is None or factor.enrolled_at is None:
        return FactorStatus.NOT_ENROLLED
    window = timedelta(hours=ctx.settings.totp_valid_hours)
    if factor.verified_at is None or ctx.now() - factor.verified_at > window:
        return FactorStatus.EXPIRED
    return FactorStatus.OK
