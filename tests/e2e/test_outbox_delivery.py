"""The outbox sender against the playground with Telegram's flood limits switched on."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from bot.config import Settings
from bot.i18n import Translator
from bot.runtime import PLAYGROUND_TOKEN
from bot.scheduler.outbox_sender import OutboxSender, build_sender_bot
from bot.scheduler.ratelimit import RedisLimiter
from bot.services import outbox
from bot.storage.models import OutboxMessage, User
from tests.world import World

# Faster than Telegram's 30/s and 1/s so the suite stays quick; the mechanism is the same.
GLOBAL, PER_CHAT = 100, 5
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
KEY = "error.generic_refusal"  # any catalogue text with one parameter: "... (사유 코드: {code})"


@pytest.fixture
async def limited(settings: Settings) -> AsyncIterator[World]:
    fast = settings.model_copy(
        update={"outbox_global_per_second": GLOBAL, "outbox_per_chat_per_second": PER_CHAT}
    )
    w = World(fast, rate_limit=True, global_per_second=GLOBAL, per_chat_per_second=PER_CHAT)
    await w.start(seed=False)
    try:
        yield w
    finally:
        await w.stop()


async def enqueue_many(world: World, targets: list[tuple[int, str]]) -> None:
    async with world.ctx.db.session() as session:
        for chat_id, marker in targets:
            await outbox.enqueue(session, chat_id, "test", KEY, params={"code": marker})


async def wait_for(check: Callable[[], Awaitable[bool]], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.05)


async def count(world: World, *conditions: object) -> int:
    async with world.ctx.db.session() as session:
        return int(await session.scalar(select(func.count(OutboxMessage.id)).where(*conditions)))


def delivered(world: World) -> Counter[tuple[int, str]]:
    """(chat, text) of every successful send the playground accepted."""
    return Counter(
        (int(call.params["chat_id"]), call.params["text"])
        for call in world.playground.calls_of("sendMessage")
        if call.ok
    )


def expected(targets: list[tuple[int, str]]) -> Counter[tuple[int, str]]:
    return Counter(
        (chat, f"요청을 처리할 수 없습니다. (사유 코드: {code})") for chat, code in targets
    )


async def test_200_notices_to_50_chats_arrive_once_within_the_limits(limited: World) -> None:
    chats = [60000 + i for i in range(50)]
    for chat in chats:
        limited.user(chat)
    targets = [(chats[i % 50], f"m{i}") for i in range(200)]
    await enqueue_many(limited, targets)
    await wait_for(lambda: _all_sent(limited, 200))
    assert delivered(limited) == expected(targets)  # none lost, none doubled
    assert limited.playground.stats.rejected_429 == 0  # the budget kept us under the limits
    for chat in chats[:3]:
        assert len(limited.user(chat).messages) == 4


async def _all_sent(world: World, total: int) -> bool:
    return await count(world, OutboxMessage.status == "sent") == total


async def test_a_429_is_waited_out_and_pauses_the_budget(limited: World) -> None:
    first, other = limited.user(61001), limited.user(61002)
    limited.playground.fail_next(
        "sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1
    )
    await enqueue_many(limited, [(first.id, "a1"), (first.id, "a2")])
    await wait_for(lambda: _refused(limited))
    await enqueue_many(limited, [(other.id, "b1")])  # another chat: the budget is paused too
    await wait_for(lambda: _all_sent(limited, 3))
    refused = [c for c in limited.playground.calls_of("sendMessage") if not c.ok]
    assert [c.error_code for c in refused] == [429]
    targets = [(first.id, "a1"), (first.id, "a2"), (other.id, "b1")]
    assert delivered(limited) == expected(targets)
    async with limited.ctx.db.session() as session:
        rows = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    a1 = rows[0]
    assert a1.next_attempt_at - a1.created_at >= timedelta(seconds=1)  # it was put back
    # a1 was put back until retry_after had passed; nothing, on any chat, went out before that
    resume = a1.next_attempt_at - timedelta(milliseconds=50)
    assert all(r.sent_at is not None and r.sent_at >= resume for r in rows)
    assert [m.text for m in first.messages] == [
        "요청을 처리할 수 없습니다. (사유 코드: a1)",
        "요청을 처리할 수 없습니다. (사유 코드: a2)",
    ]


async def _refused(world: World) -> bool:
    return any(not c.ok for c in world.playground.calls_of("sendMessage"))


async def test_notices_to_someone_who_blocked_the_bot_wait_until_they_return(
    limited: World,
) -> None:
    person, bystander = limited.user(62001, "차단청년"), limited.user(62002)
    person.block()
    await enqueue_many(limited, [(person.id, "x1"), (person.id, "x2"), (bystander.id, "y1")])
    await bystander.expect("y1")
    await wait_for(lambda: _settled(limited, 3))
    async with limited.ctx.db.session() as session:
        user = await session.get(User, person.id)
        assert user is not None and user.blocked_at is not None
        statuses = (
            await session.scalars(
                select(OutboxMessage.status).where(OutboxMessage.chat_id == person.id)
            )
        ).all()
    assert statuses == ["held", "held"]
    calls_before = len(limited.playground.calls_of("sendMessage"))
    await enqueue_many(limited, [(person.id, "x3")])  # still blocked: not even tried
    await wait_for(lambda: _settled(limited, 4))
    assert len(limited.playground.calls_of("sendMessage")) == calls_before
    person.unblock()
    await person.send("/help")  # they come back: what waited goes out, oldest first
    await wait_for(lambda: _at_least_sent(limited, 4))
    waited = [m.text or "" for m in person.messages if "사유 코드" in (m.text or "")]
    assert [w.rsplit(": ", 1)[-1] for w in waited] == ["x1)", "x2)", "x3)"]
    assert all("에 보내려던 알림입니다" in w for w in waited)  # with the time it was meant for
    await enqueue_many(limited, [(person.id, "x4")])
    fresh = await person.expect("x4")
    assert "보내려던" not in fresh.text


async def test_notices_to_someone_who_never_started_the_bot_wait(limited: World) -> None:
    newcomer = limited.playground.user(62101, "처음청년", started=False)
    await enqueue_many(limited, [(newcomer.id, "n1"), (-100500, "group")])  # a group: refused
    await wait_for(lambda: _settled(limited, 1))
    refused = [c for c in limited.playground.calls_of("sendMessage") if not c.ok]
    assert [c.error_code for c in refused] == [403]
    assert "can't initiate conversation" in (refused[0].description or "")
    assert await count(limited, OutboxMessage.chat_id < 0) == 0
    await newcomer.send("/start")
    notice = await newcomer.expect("n1")
    assert "에 보내려던 알림입니다" in notice.text


async def _settled(world: World, total: int) -> bool:
    done = ("sent", "skipped", "failed", "held")
    return await count(world, OutboxMessage.status.in_(done)) == total


async def test_killed_mid_delivery_then_restarted_delivers_the_rest_once(limited: World) -> None:
    chats = [63000 + i for i in range(10)]
    for chat in chats:
        limited.user(chat)
    targets = [(chats[i % 10], f"k{i}") for i in range(120)]  # 12 per chat: ≥ 2.2 s at 5/s
    await enqueue_many(limited, targets)
    await wait_for(lambda: _at_least_sent(limited, 20))
    sender = next(t for t in asyncio.all_tasks() if t.get_name() == "outbox-sender")
    sender.cancel()  # the sender dies mid-delivery
    with contextlib.suppress(asyncio.CancelledError):
        await sender
    sent_at_kill = await count(limited, OutboxMessage.status == "sent")
    assert sent_at_kill < 120
    await limited.restart()
    await wait_for(lambda: _all_sent(limited, 120))
    assert delivered(limited) == expected(targets)


async def _at_least_sent(world: World, n: int) -> bool:
    return await count(world, OutboxMessage.status == "sent") >= n


async def test_rows_of_a_crashed_instance_are_retried_after_their_lease(limited: World) -> None:
    person = limited.user(64001)
    await enqueue_many(limited, [(person.id, "dead"), (person.id, "alive")])
    stale = outbox.wall_now() - outbox.LEASE - timedelta(seconds=5)
    async with limited.ctx.db.session() as session:
        ids = (await session.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id))).all()
        # the first was claimed by an instance that crashed long ago, the second by one that
        # is still working on it: only the first may be taken over
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == ids[0])
            .values(status="sending", claimed_by="crashed:1", claimed_at=stale)
        )
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == ids[1])
            .values(status="sending", claimed_by="busy:2", claimed_at=outbox.wall_now())
        )
    await person.expect("dead")
    await person.quiet(0.5)
    async with limited.ctx.db.session() as session:
        second = await session.get(OutboxMessage, ids[1])
        assert second is not None and second.status == "sending"


@pytest.mark.parametrize("budget", ["local", "redis"])
async def test_two_senders_on_one_database_send_every_row_once(
    limited: World, budget: str
) -> None:
    """Issue 8: two instances share the outbox (and, with Redis, one budget)."""
    chats = [65000 + i for i in range(20)]
    for chat in chats:
        limited.user(chat)
    assert limited.runtime is not None
    senders = [limited.runtime.sender]
    tasks = []
    if budget == "redis":  # replace the running sender by two on a shared Redis budget
        limiters = [await _redis_limiter(f"test-outbox-{uuid.uuid4().hex}") for _ in range(2)]
        limited.runtime.sender.stop()
        senders = []
    else:
        limiters = [None]
    for limiter in limiters:
        senders.append(
            OutboxSender(
                limited.ctx,
                build_sender_bot(PLAYGROUND_TOKEN, limited.playground.base_url),
                Translator(),
                limiter=limiter,
                owns_bot=True,
            )
        )
        tasks.append(asyncio.create_task(senders[-1].run()))
    for sender in senders:
        sender.per_chat_claim = 2  # small claims, so that both instances get rows
    try:
        targets = [(chats[i % 20], f"t{i}") for i in range(100)]
        await enqueue_many(limited, targets)
        await wait_for(lambda: _all_sent(limited, 100))
    finally:
        for sender in senders[-len(tasks) :]:
            sender.stop()
        await asyncio.gather(*tasks)
        for sender in senders[-len(tasks) :]:
            await sender.close()
    assert delivered(limited) == expected(targets)
    async with limited.ctx.db.session() as session:
        workers = set((await session.scalars(select(OutboxMessage.claimed_by))).all())
    assert len(workers) == 2  # both took part


async def _redis_limiter(namespace: str) -> RedisLimiter:
    limiter = RedisLimiter(REDIS_URL, GLOBAL, PER_CHAT, namespace=namespace)
    try:
        await limiter.redis.ping()
    except Exception as exc:  # any connection problem means "no Redis here"
        await limiter.close()
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
    return limiter
