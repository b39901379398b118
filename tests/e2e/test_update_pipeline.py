"""The update pipeline (bot/updates, bot/middlewares/unit_of_work.py, bot/telegram/resilience.py)
against the playground: a sick Bot API, a handler failing after its callback answer, the same
update twice, the inbox after handling."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot import app as bot_app
from bot.config import Settings
from bot.storage.models import UpdateInbox
from tests.scaleout.helpers import new_bot_texts
from tests.world import PARTICIPANT, STAFF, World

HELP = "사용할 수 있는 명령"


def _count(person_texts: list[str], part: str) -> int:
    return sum(part in text for text in person_texts)


@pytest.mark.parametrize("kind", ["500", "502"])
async def test_replies_survive_seconds_of_5xx_and_arrive_once(world: World, kind: str) -> None:
    world.playground.outage(3.0, kind)
    staff = world.user(STAFF)
    await staff.send("/help")
    await staff.expect(HELP, timeout=20)
    refused = [c for c in world.playground.calls_of("sendMessage") if not c.ok]
    assert refused and {c.error_code for c in refused} == {int(kind)}
    await asyncio.sleep(0.3)
    assert _count(new_bot_texts(staff.chat.events), HELP) == 1


async def test_replies_survive_timeouts_and_arrive_once(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot_app, "REQUEST_TIMEOUT", 0.5)
    world = World(settings)
    await world.start(seed=True)
    try:
        world.playground.outage(2.0, "timeout", frozenset({"sendMessage"}))
        staff = world.user(STAFF)
        await staff.send("/help")
        await staff.expect(HELP, timeout=20)
        await asyncio.sleep(0.3)
        assert _count(new_bot_texts(staff.chat.events), HELP) == 1
    finally:
        await world.stop()


async def test_a_handler_failing_after_answering_its_button_still_tells_the_person(
    world: World,
) -> None:
    person = world.user(PARTICIPANT)
    await person.send("/start")
    await person.expect("개인정보 수집·이용 동의")
    # the consent step answers the query, then showing the next step fails (edited in place,
    # then sent anew): the error handler's own answer is refused ("query is too old"), the
    # notice must still arrive
    world.playground.fail_next("editMessageText", 400, "Bad Request: chat not found")
    world.playground.fail_next("sendMessage", 400, "Bad Request: chat not found")
    query_id = await person.click("✅ 필수 항목에 동의합니다")
    await person.expect("문제가 생겼습니다")
    assert (await person.wait_callback_answer(query_id)).get("text") in (None, "")


async def test_every_update_is_recorded_then_finished_and_its_payload_dropped(
    world: World,
) -> None:
    staff = world.user(STAFF)
    await staff.send("/help")
    await staff.expect(HELP)
    update_id = world.playground.updates.next_id - 1

    async def finished() -> UpdateInbox | None:
        async with world.ctx.db.session() as session:
            row = await session.get(UpdateInbox, (world.playground.bot_user_id, update_id))
            return row if row is not None and row.finished_at is not None else None

    for _ in range(100):
        if (row := await finished()) is not None:
            break
        await asyncio.sleep(0.02)
    assert row is not None and row.person == STAFF and row.payload == b""


async def test_the_same_update_delivered_again_after_a_restart_is_handled_once(
    world: World,
) -> None:
    """Polling: Telegram hands out an update again when the offset was never confirmed (the
    process died); the inbox knows it finished."""
    staff = world.user(STAFF)
    queue = world.playground.updates
    sent = await staff.send("/help")
    handled = {"update_id": queue.next_id - 1, "message": sent}
    await staff.expect(HELP)
    await world.stop_bot()
    queue.pending.insert(0, handled)  # redelivered to the next process
    await world.restart()
    await staff.send("/help")  # a new update after it: answered, and the old one is not
    await staff.expect(HELP)
    await asyncio.sleep(0.3)
    assert _count(new_bot_texts(staff.chat.events), HELP) == 2
    async with world.ctx.db.session() as session:
        ids = (await session.scalars(select(UpdateInbox.update_id))).all()
    assert len(ids) == len(set(ids))


async def test_finished_updates_are_forgotten_after_a_week(world: World) -> None:
    staff = world.user(STAFF)
    await staff.send("/help")
    await staff.expect(HELP)
    assert world.runtime is not None
    await world.runtime.pipeline.drain(5)
    async with world.ctx.db.session() as session:
        rows = (await session.scalars(select(UpdateInbox))).all()
        assert rows and all(r.finished_at is not None for r in rows)
        for row in rows:
            row.received_at = world.ctx.now() - timedelta(days=8)
    await world.runtime.pipeline.replay()  # at start: nothing to replay, old rows pruned
    async with world.ctx.db.session() as session:
        assert not (await session.scalars(select(UpdateInbox))).all()
