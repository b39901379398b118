"""/handover through the real dispatcher (a form-engine flow): a typed name counts as the button,
free text is refused with the buttons kept, a double tap on 인수인계 실행 hands over once."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.storage.models import AuditLog
from tests.factories import grant_second_factor
from tests.flows.harness import Flows
from tests.world import HEAD


async def test_typed_names_and_a_double_tap_hand_over_once(flows: Flows) -> None:
    await grant_second_factor(flows.ctx, HEAD)
    head = flows.user(HEAD)
    await head.send("/handover")
    await head.expect("떠나는 담당자")
    await head.send("아무나")
    await head.expect("버튼에서 골라 주세요")
    await head.send("박담당 (민간위탁 담당자)")  # the label of a shown button, typed
    successor = await head.expect("후임자")
    assert not any("박담당" in label for row in successor.buttons for label in row)
    await head.click("최기관")
    plan = await head.expect("인수인계 내용을 확인")
    assert "박담당 → 후임자: 최기관" in plan.text
    _, again = await head.click_twice("인수인계 실행")
    assert "더 이상 유효하지 않습니다" in head.answer_of(again)
    await head.expect("인수인계를 마쳤습니다")
    async with flows.ctx.db.session() as session:
        done = await session.scalar(
            select(func.count())
            .select_from(AuditLog)
            .where(AuditLog.action == "staff.handover", AuditLog.outcome == "ok")
        )
    assert done == 1
