"""Second factor for staff and center operators (TOTP, RFC 6238, 30-second steps, 6 digits).

``factor_status`` answers "may this person act now?": an enrolled factor verified within
``settings.totp_valid_hours``. Enrolment: :func:`begin_enrolment` stores a fresh secret
(encrypted with ``totp_context(telegram_id)``) and returns it once for the QR image and text key;
the first correct code confirms it (``enrolled_at``). :func:`verify_code` checks a code against
the lockout policy (5 wrong codes → 15 minutes), refuses a code whose time step was already used,
and refreshes ``verified_at``.

Codes raised (params in parentheses):
- ``totp.format`` — not six digits.
- ``totp.not_enrolled`` — no factor yet (start enrolment instead).
- ``totp.already_enrolled`` — enrolment asked for an account that has a confirmed factor.
- ``totp.wrong`` (attempts_left) — the code does not match; the failure is counted.
- ``totp.locked`` (until, minutes_left) — too many wrong codes (see ``bot.domain.totp_policy``).
- ``totp.reused`` — this code (its time step) was used already; wait for the next one.
- ``access.denied`` — only staff and center operators have a second factor.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import pyotp

from bot.domain.errors import DomainError
from bot.domain.totp_policy import LockoutPolicy, LockoutState
from bot.services import audit
from bot.services.context import AppContext
from bot.services.crypto import totp_context
from bot.services.identity import Actor
from bot.storage.models import SecondFactor

LOCKOUT = LockoutPolicy(max_failures=5, lock_minutes=15)
ISSUER = "YouthWorkBot"
DRIFT_STEPS = 1  # accept the previous and the next 30-second step (clock drift)
_CODE = re.compile(r"\d{6}")


class FactorStatus(StrEnum):
    OK = "ok"
    NOT_ENROLLED = "not_enrolled"
    EXPIRED = "expired"  # enrolled, but the last verified code is too old


@dataclass(frozen=True)
class Enrolment:
    secret: str  # base32, shown once
    uri: str  # otpauth:// for the QR image


@dataclass(frozen=True)
class Verified:
    first: bool  # True when this code confirmed the enrolment


async def factor_status(ctx: AppContext, telegram_id: int) -> FactorStatus:
    async with ctx.db.session() as session:
        factor = await session.get(SecondFactor, telegram_id)
    if factor is None or factor.enrolled_at is None:
        return FactorStatus.NOT_ENROLLED
    window = timedelta(hours=ctx.settings.totp_valid_hours)
    if factor.verified_at is None or ctx.now() - factor.verified_at > window:
        return FactorStatus.EXPIRED
    return FactorStatus.OK


async def locked_minutes_left(ctx: AppContext, telegram_id: int) -> int | None:
    """Minutes until a lockout ends, or None when codes are accepted now."""
    async with ctx.db.session() as session:
        factor = await session.get(SecondFactor, telegram_id)
    if factor is None:
        return None
    try:
        LOCKOUT.check(LockoutState(factor.failures, factor.locked_until), ctx.now())
    except DomainError as error:
        return int(error.params["minutes_left"])
    return None


def _require_role(actor: Actor) -> None:
    if not (actor.is_staff or actor.is_center):
        raise DomainError("access.denied")


async def begin_enrolment(ctx: AppContext, actor: Actor) -> Enrolment:
    """A fresh secret for an account without a confirmed factor (an unconfirmed one is replaced:
    the old secret was shown once and is discarded)."""
    _require_role(actor)
    tid = actor.telegram_id
    secret = pyotp.random_base32()
    async with ctx.db.session() as session:
        factor = await session.get(SecondFactor, tid)
        if factor is not None and factor.enrolled_at is not None:
            raise DomainError("totp.already_enrolled")
        encrypted = ctx.cipher.encrypt(secret, context=totp_context(tid))
        if factor is None:
            session.add(SecondFactor(telegram_id=tid, secret_enc=encrypted))
        else:
            factor.secret_enc = encrypted
            factor.last_used_step = None
            factor.verified_at = None
        audit.record(session, actor, "totp.enrol_start", "second_factor", tid)
    uri = pyotp.TOTP(secret).provisioning_uri(name=f"staff-{tid}", issuer_name=ISSUER)
    return Enrolment(secret, uri)


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    totp = pyotp.TOTP(secret)
    base = totp.timecode(now)
    for offset in (0, -DRIFT_STEPS, DRIFT_STEPS):
        step = base + offset
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


async def verify_code(ctx: AppContext, actor: Actor, raw_code: str) -> Verified:
    """Check a code; a wrong one is counted (and may lock), a used one is refused."""
    _require_role(actor)
    code = re.sub(r"\s+", "", raw_code or "")
    if not _CODE.fullmatch(code):
        raise DomainError("totp.format")
    tid = actor.telegram_id
    now = ctx.now()
    refusal: DomainError | None = None
    first = False
    async with ctx.db.session() as session:
        factor = await session.get(SecondFactor, tid)
        if factor is None:
            raise DomainError("totp.not_enrolled")
        state = LockoutState(factor.failures, factor.locked_until)
        LOCKOUT.check(state, now)  # raises totp.locked; nothing to store
        secret = ctx.cipher.decrypt(factor.secret_enc, context=totp_context(tid))
        step = _matching_step(secret, code, now)
        if (
            step is not None
            and factor.last_used_step is not None
            and step <= factor.last_used_step
        ):
            audit.record(
                session, actor, "totp.verify", "second_factor", tid, reason="reused", refused=True
            )
            refusal = DomainError("totp.reused")
        else:
            new = LOCKOUT.after_attempt(state, now, success=step is not None)
            factor.failures, factor.locked_until = new.failures, new.locked_until
            if step is None:
                audit.record(
                    session,
                    actor,
                    "totp.verify",
                    "second_factor",
                    tid,
                    reason="wrong",
                    after={"failures": new.failures},
                    refused=True,
                )
                if LOCKOUT.is_locked(new, now):
                    refusal = DomainError(
                        "totp.locked",
                        until=new.locked_until.isoformat() if new.locked_until else "",
                        minutes_left=LOCKOUT.lock_minutes,
                    )
                else:
                    refusal = DomainError(
                        "totp.wrong", attempts_left=LOCKOUT.attempts_left(new, now)
                    )
            else:
                first = factor.enrolled_at is None
                if first:
                    factor.enrolled_at = now
                factor.verified_at = now
                factor.last_used_step = step
                audit.record(
                    session, actor, "totp.enrol" if first else "totp.verify", "second_factor", tid
                )
    if refusal is not None:  # raised after the commit: the counted failure is kept
        raise refusal
    return Verified(first)


async def is_enrolled(ctx: AppContext, telegram_id: int) -> bool:
    async with ctx.db.session() as session:
        factor = await session.get(SecondFactor, telegram_id)
    return factor is not None and factor.enrolled_at is not None


async def reset_factor(ctx: AppContext, actor: Actor, telegram_id: int) -> bool:
    """Remove a person's factor (lost phone); they enrol again. Returns True if one existed."""
    async with ctx.db.session() as session:
        factor = await session.get(SecondFactor, telegram_id)
        if factor is None:
            return False
        await session.delete(factor)
        audit.record(session, actor, "totp.reset", "second_factor", telegram_id)
    return True
