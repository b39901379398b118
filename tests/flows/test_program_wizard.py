"""Program registration on the form engine: the wizard (/newprogram), resuming a draft from
/myprograms (every step not yet answered, optional ones included), editing from the summary,
the attachments and the 모집 마감일 (one step)."""

from __future__ import annotations

from datetime import date, timedelta

from bot.storage.models import Program
from tests.e2e.test_program_support import make_program, open_program
from tests.factories import grant_second_factor
from tests.flows.harness import Flows, FlowUser
from tests.world import STAFF


async def _program(flows: Flows, pid: int) -> Program:
    async with flows.ctx.db.session() as session:
        program = await session.get(Program, pid)
        assert program is not None
        return program


async def _staff(flows: Flows) -> FlowUser:
    await grant_second_factor(flows.ctx, STAFF)
    return flows.user(STAFF)


# --- 모집 마감일 -------------------------------------------------------------------------------


async def test_recruit_until_none_clears_and_back_returns_to_the_program(flows: Flows) -> None:
    pid = await make_program(flows.ctx, "intern", name="마감 테스트", recruit_until=None)
    staff = await _staff(flows)
    await open_program(staff, "마감 테스트")
    await staff.click("📅 모집 마감일 정하기")
    await staff.expect("모집 마감일을 보내 주세요")
    await staff.click("◀ 이전")
    await staff.expect("모집방식: 수시모집")  # the program screen again, nothing changed
    await staff.click("📅 모집 마감일 정하기")
    await staff.send("2030-02-30")
    await staff.expect("없는 날짜")  # refused, asked again
    await staff.expect("모집 마감일을 보내 주세요")
    await staff.send(f"{flows.ctx.today() + timedelta(days=2):%Y년 %m월 %d일}")
    await staff.expect("모집 마감일을")
    screen = await staff.expect("모집방식: 수시모집")
    assert any("📅 모집 마감일: " in b for row in screen.buttons for b in row)
    assert (await _program(flows, pid)).recruit_until == flows.ctx.today() + timedelta(days=2)
    await staff.click("📅 모집 마감일: ")
    await staff.click("마감일 없음")
    await staff.expect("모집 마감일을 지웠습니다")
    await staff.expect("모집방식: 수시모집")
    assert (await _program(flows, pid)).recruit_until is None


async def test_recruit_until_after_the_start_is_refused(flows: Flows) -> None:
    pid = await make_program(flows.ctx, "intern", name="늦은 마감", period_start=date(2030, 4, 1))
    staff = await _staff(flows)
    await open_program(staff, "늦은 마감")
    await staff.click("📅 모집 마감일 정하기")
    await staff.send("2030-04-01")
    await staff.expect("2030-04-01")
    await staff.expect("모집 마감일을 보내 주세요")
    assert (await _program(flows, pid)).recruit_until is None
