from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.errors import DomainError
from bot.domain.totp_policy import LockoutPolicy, LockoutState, reauth_required

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
POLICY = LockoutPolicy()


def fail(state: LockoutState, times: int, now: datetime = NOW) -> LockoutState:
    for _ in range(times):
        state = POLICY.after_attempt(state, now, success=False)
    return state


def test_defaults() -> None:
    assert (POLICY.max_failures, POLICY.lock_minutes) == (5, 15)
    with pytest.raises(ValueError):
        LockoutPolicy(max_failures=0)


def test_failures_count_until_the_lock() -> None:
    state = fail(LockoutState(), 4)
    assert state == LockoutState(4, None)
    assert POLICY.attempts_left(state, NOW) == 1
    state = fail(state, 1)
    assert state == LockoutState(5, NOW + timedelta(minutes=15))
    assert POLICY.is_locked(state, NOW)
    assert POLICY.attempts_left(state, NOW) == 0


def test_success_resets() -> None:
    state = POLICY.after_attempt(fail(LockoutState(), 3), NOW, success=True)
    assert state == LockoutState()
    assert POLICY.attempts_left(state, NOW) == 5


def test_attempt_while_locked_is_refused() -> None:
    state = fail(LockoutState(), 5)
    later = NOW + timedelta(minutes=14, seconds=1)
    with pytest.raises(DomainError) as exc:
        POLICY.after_attempt(state, later, success=True)
    assert exc.value.code == "totp.locked"
    assert exc.value.params == {
        "until": (NOW + timedelta(minutes=15)).isoformat(),
        "minutes_left": 1,
    }
    with pytest.raises(DomainError) as exc:
        POLICY.check(state, NOW)
    assert exc.value.params["minutes_left"] == 15


def test_lock_expires_and_counting_restarts() -> None:
    state = fail(LockoutState(), 5)
    after = NOW + timedelta(minutes=15)
    assert not POLICY.is_locked(state, after)
    POLICY.check(state, after)
    assert POLICY.attempts_left(state, after) == 5
    assert POLICY.after_attempt(state, after, success=False) == LockoutState(1, None)


def test_custom_policy() -> None:
    policy = LockoutPolicy(max_failures=2, lock_minutes=1)
    state = policy.after_attempt(LockoutState(), NOW, success=False)
    state = policy.after_attempt(state, NOW, success=False)
    assert state.locked_until == NOW + timedelta(minutes=1)


def test_reauth_after_inactivity() -> None:
    assert reauth_required(None, NOW, idle_minutes=30)
    assert not reauth_required(NOW - timedelta(minutes=29), NOW, idle_minutes=30)
    assert reauth_required(NOW - timedelta(minutes=30), NOW, idle_minutes=30)
