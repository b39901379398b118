"""조기 수료 (completion before the program's end) through the real dispatcher: the reason is a
form-engine step — refusals ask again, ◀ 이전 returns to the person's card whose buttons still
work, the reason is recorded."""

from __future__ import annotations

from tests.e2e.chain import app_state, event_reason, on_roster, unlock_staff
from tests.factories import program_id
from tests.flows.harness import Flows
from tests.world import PARTICIPANT, STAFF


async def test_reason_back_to_the_card_and_completion(flows: Flows) -> None:
    world = flows
    await unlock_staff(world)
    pid = await program_id(world.ctx, "intern")
    [kim] = await on_roster(world, pid, [(PARTICIPANT, "김청년")])
    staff = world.user(STAFF)
    await staff.send("/progress")
    await staff.click("IT 사무지원")
    await staff.click("1. 김청년")
    await staff.click("🎓 수료 처리")
    await staff.click("네, 수료 처리합니다")
    await staff.expect("아직 끝나지 않아 바로 수료 처리할 수 없습니다")
    await staff.click("사유를 적고 수료 처리")
    await staff.expect("조기 수료 사유")
    await staff.send("   ")
    await staff.expect("사유를 적어 주세요")
    await staff.send("가" * 301)
    await staff.expect("너무 깁니다")
    await staff.click("◀ 이전")
    await staff.expect("일경험 종료일")  # the card, and its buttons act
    await staff.click("교육 이수")
    await staff.expect("사전직무교육: 이수")
    await staff.click("🎓 수료 처리")
    await staff.click("네, 수료 처리합니다")
    await staff.click("사유를 적고 수료 처리")
    await staff.send("조기 취업으로 전 과정을 마침")
    await staff.expect("김청년 님을 수료 처리했습니다")
    assert await app_state(world, kim) == "completed"
    assert await event_reason(world, kim, "complete") == "조기 취업으로 전 과정을 마침"
