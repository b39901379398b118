"""A notice to someone who never started the bot waits for them; the lists never depend on it."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.storage.models import CenterOperator, OutboxMessage
from tests.e2e.staff_support import join_request
from tests.factories import grant_second_factor
from tests.world import CENTER, World

NEWCOMER = 4321
LATE = 3002  # a center operator who has not opened the bot yet


async def _statuses(world: World, chat_id: int) -> list[str]:
    async with world.ctx.db.session() as session:
        rows = await session.scalars(
            select(OutboxMessage.status).where(OutboxMessage.chat_id == chat_id)
        )
        return list(rows.all())


async def _until(world: World, chat_id: int, statuses: list[str]) -> None:
    for _ in range(200):
        if await _statuses(world, chat_id) == statuses:
            return
        await asyncio.sleep(0.05)
    assert await _statuses(world, chat_id) == statuses


async def test_a_center_operator_who_starts_later_gets_the_notice_and_the_list(
    world: World,
) -> None:
    async with world.ctx.db.session() as session:
        session.add(CenterOperator(telegram_id=LATE, name="한센터"))
    await grant_second_factor(world.ctx, LATE)
    late = world.playground.user(LATE, "한센터", started=False)
    await join_request(world.user(NEWCOMER, "김신규"))
    await world.user(CENTER).expect("새 운영기관 담당자 계정 신청")  # reachable: sent at once
    await _until(world, LATE, ["held"])  # 403 "can't initiate conversation": kept, not dropped
    refused = [c for c in world.playground.calls_of("sendMessage") if c.error_code == 403]
    assert refused and "can't initiate conversation" in (refused[0].description or "")

    await late.send("/approvals")  # the list shows it whether or not the notice arrived
    notice = await late.expect("새 운영기관 담당자 계정 신청")  # released when they wrote
    assert "에 보내려던 알림입니다" in notice.text  # with the time it was meant for
    for _ in range(100):
        lists = [m for m in late.messages if "보내려던" not in (m.text or "")]
        if any("김신규" in (m.text or "") + str(m.buttons) for m in lists):
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError(late.transcript())
    await _until(world, LATE, ["sent"])
