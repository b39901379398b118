"""The outbox delivery budget: local (a fake clock) and shared through the real Redis."""

from __future__ import annotations

import itertools
import os
import time
import uuid

import pytest

from bot.scheduler.ratelimit import LocalLimiter, RedisLimiter, acquire

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


async def test_global_budget_spaces_sends_evenly() -> None:
    clock = FakeClock()
    limiter = LocalLimiter(10, 1, margin=0, clock=clock)
    waits = [(await limiter.reserve(chat)).wait for chat in range(10)]
    assert waits == pytest.approx([i * 0.1 for i in range(10)])


async def test_a_busy_chat_waits_without_holding_up_others() -> None:
    clock = FakeClock()
    limiter = LocalLimiter(10, 1, margin=0, clock=clock)
    assert (await limiter.reserve(1)).granted
    second = await limiter.reserve(1)
    assert not second.granted and second.wait == pytest.approx(1.0)
    other = await limiter.reserve(2)
    assert other.granted and other.wait == pytest.approx(0.1)


async def test_acquire_never_exceeds_either_budget_in_any_second() -> None:
    clock = FakeClock()
    limiter = LocalLimiter(5, 2, clock=clock)
    sent: list[tuple[float, int]] = []
    for i in range(40):
        chat = i % 3
        await acquire(limiter, chat, sleep=clock.sleep)
        sent.append((clock.now, chat))
    for start, _ in sent:
        window = [c for t, c in sent if start <= t < start + 1.0]
        assert len(window) <= 5
        for chat in range(3):
            assert window.count(chat) <= 2


async def test_pause_pushes_back_the_whole_budget() -> None:
    clock = FakeClock()
    limiter = LocalLimiter(10, 1, margin=0, clock=clock)
    await limiter.pause(3)
    assert await limiter.paused_for() == pytest.approx(3)
    assert (await limiter.reserve(7)).wait == pytest.approx(3)
    await acquire(limiter, 8, sleep=clock.sleep)
    assert clock.now >= 1003


async def _redis_or_skip(namespace: str, rate: float, chat_rate: float) -> RedisLimiter:
    limiter = RedisLimiter(REDIS_URL, rate, chat_rate, namespace=namespace, margin=0)
    try:
        await limiter.redis.ping()
    except Exception as exc:  # any connection problem means "no Redis here"
        await limiter.close()
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
    return limiter


async def test_redis_budget_is_shared_by_two_instances() -> None:
    namespace = f"test-{uuid.uuid4().hex}"
    first = await _redis_or_skip(namespace, 10, 1)
    second = await _redis_or_skip(namespace, 10, 1)
    try:
        slots = []  # each slot's time lies between (asked + wait) and (answered + wait)
        for i in range(10):
            limiter = first if i % 2 else second
            asked = time.monotonic()
            reservation = await limiter.reserve(100 + i)
            answered = time.monotonic()
            assert reservation.granted
            slots.append((asked + reservation.wait, answered + reservation.wait))
        # one budget, whichever instance asked: no two slots closer than 0.1 s (the bounds make
        # it hold however slow the machine is between the calls)
        assert all(b[1] - a[0] >= 0.1 - 0.01 for a, b in itertools.pairwise(slots))
        assert slots[-1][1] - slots[0][0] >= 0.9 - 0.01
        busy = await second.reserve(100)  # same chat again, through the other instance
        assert not busy.granted and 0 < busy.wait <= 1.0
        await first.pause(2)
        assert 1.5 < await second.paused_for() <= 2.0  # (less the time between the calls)
    finally:
        await first.redis.delete(*await first.redis.keys(f"{namespace}:*"))
        await first.close()
        await second.close()


async def test_redis_down_falls_back_to_the_local_budget() -> None:
    limiter = RedisLimiter("redis://127.0.0.1:1/0", 10, 1, namespace="nowhere", margin=0)
    try:
        first = await limiter.reserve(5)
        second = await limiter.reserve(5)
        assert first.granted and not second.granted  # still limited, by this instance alone
        await limiter.pause(1)
        assert await limiter.paused_for() > 0
    finally:
        await limiter.close()


async def test_a_late_caller_keeps_the_grid_and_an_idle_budget_starts_afresh() -> None:
    clock = FakeClock()
    limiter = LocalLimiter(10, 1, margin=0, clock=clock)
    assert (await limiter.reserve(1)).wait == 0  # slot 1000.0
    clock.now = 1000.15  # the caller of slot 1000.1 comes 50 ms late: it goes at once …
    assert (await limiter.reserve(2)).wait == 0
    # … and the next slot is still 1000.2, not 1000.25: lateness is not carried forward
    assert (await limiter.reserve(3)).wait == pytest.approx(0.05)
    clock.now = 1005.0  # idle for seconds: no burst of the missed slots
    assert (await limiter.reserve(4)).wait == 0
    assert (await limiter.reserve(5)).wait == pytest.approx(0.1)
