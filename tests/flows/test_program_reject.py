"""Rejecting a submitted program with a reason (a form-engine step) through the real dispatcher:
input of the wrong kind and refusals ask again, ◀ 이전 returns to the review card, the reason
reaches the program."""

from __future__ import annotations

from bot.storage.models import Program
from tests.e2e.test_program_support import make_program
from tests.factories import grant_second_factor
from tests.flows.harness import Flows
from tests.world import CENTER


async def test_reason_refusals_back_and_rejection(flows: Flows) -> None:
    await grant_second_factor(flows.ctx, CENTER)
    pid = await make_program(flows.ctx, "project", name="반려 테스트", status="pending")
    center = flows.user(CENTER)
    await center.send("/programreviews")
    await center.click("반려 테스트")
    await center.expect("담당자 정보는 센터에만")
    await center.click("반려")
    await center.expect("반려 사유를 입력해 주세요")
    await center.send_photo(b"photo")
    await center.expect("글자로 입력해 주세요")
    await center.send("가" * 2001)
    await center.expect("너무 깁니다")
    await center.click("◀ 이전")
    await center.expect("담당자 정보는 센터에만")
    await center.click("반려")
    await center.send("수행장소 주소에 층수를 적어 주세요.")
    await center.expect("반려했습니다")
    async with flows.ctx.db.session() as session:
        program = await session.get(Program, pid)
        assert program is not None and program.status == "rejected"
