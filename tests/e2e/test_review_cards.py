"""Cards stay true (issue 16): after 인증 the pressed card shows the new state and offers 되돌리기
for a short while; taking it back returns the application to the inbox and corrects the notice."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.playground.driver import PlaygroundUser
from bot.storage.models import Application, ApplicationEvent, OutboxMessage
from tests.e2e.staff_support import submitted_application
from tests.factories import grant_second_factor, program_id
from tests.world import PARTICIPANT, STAFF, World


async def _certified_card(world: World) -> tuple[PlaygroundUser, int, int]:
    await grant_second_factor(world.ctx, STAFF)
    app_id = await submitted_application(world, await program_id(world.ctx, "intern"), PARTICIPANT)
    staff = world.user(STAFF)
    await staff.send("/inbox")
    await staff.expect("인증 대기 신청 1건")
    await staff.click(f"#{app_id} ")
    pressed = await staff.expect(f"신청 #{app_id}")
    await staff.click("✅ 인증")
    card = await staff.expect(f"신청 #{app_id} · 인증")
    assert card.message_id == pressed.message_id and card.event == "edit"
    assert card.buttons[0] == ["↶ 되돌리기"]  # 인증 leaves no decision but taking it back
    receipt = await staff.expect("인증했습니다")
    assert f"신청 #{app_id}을 인증했습니다" in (receipt.text or "")
    assert receipt.buttons == [["📥 다음 신청 보기", "🏠 메뉴"]]
    return staff, app_id, card.message_id


async def _state(world: World, app_id: int) -> str:
    async with world.ctx.db.session() as session:
        app = await session.get(Application, app_id)
        assert app is not None
        return app.state


async def test_certify_then_take_it_back(world: World) -> None:
    staff, app_id, card_id = await _certified_card(world)
    await staff.click("↶ 되돌리기")
    card = await staff.expect(f"신청 #{app_id} · 인증대기")
    assert card.message_id == card_id
    assert card.buttons[0] == ["✅ 인증", "⏸ 보류", "↩️ 반려"]
    await staff.expect(f"신청 #{app_id}의 인증을 되돌렸습니다")
    assert await _state(world, app_id) == "submitted"
    async with world.ctx.db.session() as session:
        actions = (
            await session.scalars(
                select(ApplicationEvent.action).where(ApplicationEvent.application_id == app_id)
            )
        ).all()
        assert actions == ["factory", "certify", "undo"]
        notice = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.kind == "application.certified")
        )
        undone = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.kind == "application.undone")
        )
    assert notice is not None
    if notice.status == "skipped":  # withdrawn before it went out: nobody was told anything
        assert undone is None
    else:  # already told: the participant hears it was taken back
        assert undone is not None
        await world.user(PARTICIPANT).expect("앞선 결과 안내는 담당자가 되돌렸습니다")


async def test_take_back_only_for_a_short_while(world: World) -> None:
    staff, app_id, _card_id = await _certified_card(world)
    world.clock.advance(timedelta(minutes=11))
    query = await staff.click("↶ 되돌리기")
    answer = await staff.wait_callback_answer(query)
    assert "되돌릴 수 있는 시간(10분)이 지났습니다" in answer["text"]
    card = await staff.expect(f"신청 #{app_id} · 인증")
    assert "↶ 되돌리기" not in str(card.buttons)
    assert await _state(world, app_id) == "certified"
