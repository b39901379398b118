"""The outbox's delivery budget: at most N messages a second overall and M per chat.

Both budgets are kept as "next free slot" times (GCRA with a burst of one): sends are spaced
evenly, which is what Telegram's sliding one-second windows accept without a 429.

``reserve(chat_id)`` is atomic:
- the chat's next slot is still ahead → nothing is reserved, the caller waits that long and asks
  again (meanwhile other chats go ahead — one busy chat never holds up the rest);
- otherwise it takes the next global slot and sets the chat's next slot relative to it, and
  tells the caller how long to sleep until that slot.

``pause(seconds)`` (after a 429 with ``retry_after``) pushes the whole budget back; reservations
handed out before the pause are re-checked by :func:`acquire` after their sleep.

Two implementations: :class:`LocalLimiter` (one process) and :class:`RedisLimiter` (a Lua script
on Redis with Redis's own clock, so the global budget holds across every instance of the fleet).
In one process the slots are exact (1/30 s apart at 30/s, no margin) and fixed on their grid: a
reservation asked for up to one interval after its slot passed still gets that slot (it goes at
once), so a late caller (a busy event loop) does not push every later slot back — the rate stays
at the cap. Shared through Redis the slots keep ``FLEET_MARGIN`` apart instead (below).

A send that leaves late (a busy event loop, a slow request) can still arrive close to the next one
as the server sees it. :class:`WindowGuard` makes that safe for this process: before each send it
counts, like the server, the sends of the last second — by the time their answers came back, which
is never earlier than the server counted them — plus those still in flight, and waits while a
limit is reached. Together: never more than N in any second as the server counts (whatever the
delays), and N per second as long as the answers come back quickly.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger(__name__)

MARGIN = (
    0.0  # one process: exact slots, WindowGuard keeps to the server's count whatever the jitter
)
# a fleet through Redis: each instance's WindowGuard sees only its own sends, so the shared slots
# keep 3 % apart for the jitter between instances (a ceiling of 29.1/s at 30/s)
FLEET_MARGIN = 0.03
CATCH_UP = 1.0  # intervals a slot stays claimable after it passed (a burst of at most two)


@dataclass(frozen=True)
class Reservation:
    granted: bool  # True: a slot is ours after ``wait`` seconds; False: ask again after ``wait``
    wait: float


class DeliveryLimiter(Protocol):
    async def reserve(self, chat_id: int) -> Reservation: ...

    async def pause(self, seconds: float) -> None: ...

    async def paused_for(self) -> float: ...

    async def close(self) -> None: ...


async def acquire(
    limiter: DeliveryLimiter,
    chat_id: int,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
) -> None:
    """Wait until one message may go to ``chat_id`` now."""
    while True:
        reservation = await limiter.reserve(chat_id)
        if reservation.wait > 0:
            await sleep(reservation.wait)
        if not reservation.granted:
            continue
        # A 429 may have paused the budget while we slept on an earlier reservation.
        if await limiter.paused_for() <= 0:
            return


def _interval(per_second: float, margin: float) -> float:
    return (1.0 / per_second) * (1.0 + margin)


def _window(per_second: float) -> tuple[int, float]:
    """(sends, seconds): 30/s → 30 per 1 s; 0.5/s → 1 per 2 s."""
    if per_second >= 1:
        return math.floor(per_second), 1.0
    return 1, 1.0 / per_second


class _Window:
    __slots__ = ("done", "inflight")

    def __init__(self) -> None:
        self.inflight = 0
        self.done: deque[float] = deque()

    def wait(self, now: float, limit: int, span: float) -> float:
        while self.done and self.done[0] <= now - span:
            self.done.popleft()
        if self.inflight + len(self.done) < limit:
            return 0.0
        if self.done:
            return self.done[0] + span - now + 0.001
        return 0.01  # only sends in flight: look again when one of them answers


class WindowGuard:
    """At most N sends in any window, counted on this process's actual send and answer times."""

    def __init__(
        self,
        global_per_second: float,
        per_chat_per_second: float,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.global_limit, self.global_span = _window(global_per_second)
        self.chat_limit, self.chat_span = _window(per_chat_per_second)
        self.clock = clock
        self._global = _Window()
        self._chats: dict[int, _Window] = {}

    def wait_time(self, chat_id: int) -> float:
        now = self.clock()
        chat = self._chats.get(chat_id)
        chat_wait = chat.wait(now, self.chat_limit, self.chat_span) if chat else 0.0
        return max(self._global.wait(now, self.global_limit, self.global_span), chat_wait)

    async def enter(
        self, chat_id: int, sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep
    ) -> None:
        while (wait := self.wait_time(chat_id)) > 0:
            await sleep(wait)
        self._global.inflight += 1
        self._chats.setdefault(chat_id, _Window()).inflight += 1

    def exit(self, chat_id: int) -> None:
        """The answer came back (success or error): the send counts from now on."""
        now = self.clock()
        self._global.inflight -= 1
        self._global.done.append(now)
        chat = self._chats[chat_id]
        chat.inflight -= 1
        chat.done.append(now)
        if len(self._chats) > 1000:
            horizon = now - self.chat_span
            self._chats = {
                k: w
                for k, w in self._chats.items()
                if w.inflight or (w.done and w.done[-1] > horizon)
            }


class LocalLimiter:
    """In-process budget (one instance, or a fleet with a single elected sender)."""

    MAX_CHATS = 10_000

    def __init__(
        self,
        global_per_second: float,
        per_chat_per_second: float,
        *,
        margin: float = MARGIN,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.global_interval = _interval(global_per_second, margin)
        self.chat_interval = _interval(per_chat_per_second, margin)
        self.clock = clock
        self._global_next = 0.0
        self._paused_until = 0.0
        self._chat_next: dict[int, float] = {}

    async def reserve(self, chat_id: int) -> Reservation:
        now = self.clock()
        chat_next = self._chat_next.get(chat_id, 0.0)
        if chat_next > now:
            return Reservation(False, chat_next - now)
        # the next slot, even if it passed less than CATCH_UP intervals ago (then: go at once)
        grid = self._global_next
        late = grid < now - CATCH_UP * self.global_interval  # idle: a new grid from now
        start = max(now if late else grid, self._paused_until)
        slot = max(start, now)
        self._global_next = start + self.global_interval
        self._chat_next[chat_id] = slot + self.chat_interval
        if len(self._chat_next) > self.MAX_CHATS:
            self._chat_next = {k: v for k, v in self._chat_next.items() if v > now}
        return Reservation(True, slot - now)

    async def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self.clock() + seconds)

    async def paused_for(self) -> float:
        return max(0.0, self._paused_until - self.clock())

    async def close(self) -> None:
        return None


# All times in microseconds of Redis's clock (exact in a double up to 2^53).
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local chat_next = tonumber(redis.call('GET', KEYS[2]) or '0')
if chat_next > now then
  return {0, chat_next - now}
end
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'),
                      tonumber(redis.call('GET', KEYS[3]) or '0'))
local gi, ci = tonumber(ARGV[1]), tonumber(ARGV[2])
local ttl = function(at) return string.format('%.0f', (at - now) / 1000 + 60000) end
redis.call('SET', KEYS[1], string.format('%.0f', slot + gi), 'PX', ttl(slot + gi))
redis.call('SET', KEYS[2], string.format('%.0f', slot + ci), 'PX', ttl(slot + ci))
return {1, slot - now}
"""

_PAUSE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local untl = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untl > current then
  redis.call('SET', KEYS[1], string.format('%.0f', untl), 'PX',
             string.format('%.0f', tonumber(ARGV[1]) / 1000 + 1000))
end
return 1
"""

_PAUSED_FOR = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local untl = tonumber(redis.call('GET', KEYS[1]) or '0')
if untl > now then return untl - now end
return 0
"""


class RedisLimiter:
    """The same budget shared by every instance through Redis (``REDIS_URL``)."""

    def __init__(
        self,
        redis_url: str,
        global_per_second: float,
        per_chat_per_second: float,
        *,
        namespace: str = "outbox",
        margin: float = FLEET_MARGIN,
    ) -> None:
        from redis.asyncio import Redis
        from redis.exceptions import RedisError

        self._redis_error = RedisError  # redis is imported only with a Redis budget
        self.redis = Redis.from_url(redis_url)
        self.namespace = namespace
        self.global_interval_us = round(_interval(global_per_second, margin) * 1_000_000)
        self.chat_interval_us = round(_interval(per_chat_per_second, margin) * 1_000_000)
        self._reserve = self.redis.register_script(_RESERVE)
        self._pause = self.redis.register_script(_PAUSE)
        self._paused_for = self.redis.register_script(_PAUSED_FOR)
        # Redis unreachable: keep delivering within this instance's own budget meanwhile
        self.fallback = LocalLimiter(global_per_second, per_chat_per_second, margin=margin)
        self._degraded = False

    def _key(self, name: str) -> str:
        return f"{self.namespace}:rl:{name}"

    def _lost(self, exc: Exception) -> None:
        if not self._degraded:
            log.warning("outbox budget: Redis unavailable (%s); using the local budget", exc)
        self._degraded = True

    def _back(self) -> None:
        if self._degraded:
            log.info("outbox budget: Redis is back; the fleet's budget is shared again")
        self._degraded = False

    async def reserve(self, chat_id: int) -> Reservation:
        try:
            granted, wait_us = await self._reserve(
                keys=[self._key("global"), self._key(f"chat:{chat_id}"), self._key("paused")],
                args=[self.global_interval_us, self.chat_interval_us],
            )
        except self._redis_error as exc:
            self._lost(exc)
            return await self.fallback.reserve(chat_id)
        self._back()
        return Reservation(bool(granted), int(wait_us) / 1_000_000)

    async def pause(self, seconds: float) -> None:
        await self.fallback.pause(seconds)
        try:
            await self._pause(keys=[self._key("paused")], args=[round(seconds * 1_000_000)])
        except self._redis_error as exc:
            self._lost(exc)

    async def paused_for(self) -> float:
        try:
            shared = int(await self._paused_for(keys=[self._key("paused")])) / 1_000_000
        except self._redis_error as exc:
            self._lost(exc)
            shared = 0.0
        return max(shared, await self.fallback.paused_for())

    async def close(self) -> None:
        await self.redis.aclose()


def build_limiter(
    global_per_second: float,
    per_chat_per_second: float,
    *,
    redis_url: str | None = None,
    namespace: str = "outbox",
) -> DeliveryLimiter:
    if redis_url:
        return RedisLimiter(redis_url, global_per_second, per_chat_per_second, namespace=namespace)
    return LocalLimiter(global_per_second, per_chat_per_second)
