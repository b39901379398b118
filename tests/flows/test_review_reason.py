"""The hold / return reason (a form-engine step) through the real dispatcher: a typed quick-pick
label counts as the press, a too long reason is refused and asked again, a double tap decides
once, ✖ 취소 leaves the application as it was."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.storage.models import Application, ApplicationEvent
from tests.e2e.staff_support import open_card as _open
from tests.e2e.staff_support import submitted_application
from tests.factories import grant_second_factor, program_id
from tests.flows.harness import Flows
from tests.world import PARTICIPANT, PARTICIPANT_2, STAFF


async def _state(flows: Flows, app_id: int) -> tuple[str, str | None]:
    async with flows.ctx.db.session() as session:
        app = await session.get(Application, app_id)
        assert app is not None
        return app.state, app.last_reason


async def test_typed_pick_label_too_long_reason_and_stale_prompt(flows: Flows) -> None:
    await grant_second_factor(flows.ctx, STAFF)
    intern = await program_id(flows.ctx, "intern")
    first = await submitted_application(flows, intern, PARTICIPANT)
    second = await submitted_application(flows, intern, PARTICIPANT_2)
    staff = flows.user(STAFF)

    await _open(staff, first)
    await staff.click("⏸ 보류")
    await staff.expect("보류하는 사유")
    await staff.click("✖ 취소")
    await staff.expect("취소했습니다")
    assert (await _state(flows, first))[0] == "submitted"
    await _open(staff, first)
    await staff.click("⏸ 보류")
    await staff.expect("보류하는 사유")
    _, again = await staff.click_twice("자기소개를 더 구체적으로")  # a double tap decides once
    assert "더 이상 유효하지 않습니다" in staff.answer_of(again)
    await staff.expect("보류했습니다")
    assert await _state(flows, first) == ("held", "자기소개를 더 구체적으로 보완해 주세요.")
    async with flows.ctx.db.session() as session:
        held = await session.scalar(
            select(func.count())
            .select_from(ApplicationEvent)
            .where(ApplicationEvent.application_id == first, ApplicationEvent.to_state == "held")
        )
    assert held == 1

    await _open(staff, second)
    await staff.click("↩️ 반려")
    await staff.click("↩️ 반려하기 (사유 입력)")  # 반려 is final: the card asks to confirm first
    await staff.expect("반려하는 사유")
    await staff.send("가" * 501)
    await staff.expect("너무 깁니다")
    assert (await _state(flows, second))[0] == "submitted"
    await staff.send("올해 참여 가능 횟수를 넘었습니다.")  # the label of a quick pick, typed
    await staff.expect("반려했습니다")
    assert await _state(flows, second) == ("returned", "올해 참여 가능 횟수를 넘었습니다.")
