"""The pure part of the staff second factor: failed-attempt lockout and re-authentication.

Verifying a code (pyotp) and storing the state are the services' job; here only the arithmetic.
Datetimes must all be timezone-aware (or all naive) — mixing them raises ``TypeError``.

Codes raised (params in parentheses):
- ``totp.locked`` (until, minutes_left) — too many wrong codes; ``until`` is an ISO datetime.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.errors import DomainError


@dataclass(frozen=True)
class LockoutState:
    failures: int = 0
    locked_until: datetime | None = None


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int = 5
    lock_minutes: int = 15

    def __post_init__(self) -> None:
        if self.max_failures < 1 or self.lock_minutes < 1:
            raise ValueError("max_failures and lock_minutes must be positive")

    def is_locked(self, state: LockoutState, now: datetime) -> bool:
        return state.locked_until is not None and now < state.locked_until

    def check(self, state: LockoutState, now: datetime) -> None:
        """Raise ``totp.locked`` while the lock lasts; call before verifying a code."""
        if state.locked_until is not None and now < state.locked_until:
            seconds = (state.locked_until - now).total_seconds()
            raise DomainError(
                "totp.locked",
                until=state.locked_until.isoformat(),
                minutes_left=max(math.ceil(seconds / 60), 1),
            )

    def after_attempt(self, state: LockoutState, now: datetime, *, success: bool) -> LockoutState:
        """The new state after one verified attempt (raises ``totp.locked`` if still locked).

        Success clears everything. A failure counts; the ``max_failures``-th one locks for
        ``lock_minutes``. After a lock has run out, counting starts again from zero.
        """
        self.check(state, now)
        if success:
            return LockoutState()
        failures = 0 if state.locked_until is not None else state.failures
        failures += 1
        if failures >= self.max_failures:
            return LockoutState(failures, now + timedelta(minutes=self.lock_minutes))
        return LockoutState(failures, None)

    def attempts_left(self, state: LockoutState, now: datetime) -> int:
        if self.is_locked(state, now):
            return 0
        if state.locked_until is not None:  # a lock that has run out: a fresh start
            return self.max_failures
        return max(self.max_failures - state.failures, 0)


def reauth_required(last_verified: datetime | None, now: datetime, *, idle_minutes: int) -> bool:
    """Ask for the second factor again after ``idle_minutes`` without activity (or never)."""
    return last_verified is None or now - last_verified >= timedelta(minutes=idle_minutes)
