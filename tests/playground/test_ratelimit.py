"""The flood limiter on its own: a strict sliding window, with optional jitter slack."""

from __future__ import annotations

import pytest

from bot.playground.params import ApiError
from bot.playground.ratelimit import RateLimiter


def test_rate_limiter_sliding_window_and_slack() -> None:
    strict = RateLimiter(enabled=True, global_per_second=30, per_chat_per_second=1)
    strict.add(1, now=10.0)
    with pytest.raises(ApiError) as error:
        strict.check(1, now=10.99)
    assert error.value.retry_after == 1
    strict.check(1, now=11.0)  # the first send has left the window
    lenient = RateLimiter(enabled=True, global_per_second=30, per_chat_per_second=1, slack=0.05)
    lenient.add(1, now=10.0)
    lenient.check(1, now=10.96)  # 40 ms of arrival jitter forgiven
