"""Adding jobs on the form engine: after one is added, "다른 직무 추가" starts the next (the
program kept); a bad head count is explained and asked again."""

from __future__ import annotations

from sqlalchemy import select

from bot.storage.models import Job
from tests.e2e.test_program_support import make_program, open_program
from tests.factories import grant_second_factor
from tests.flows.harness import Flows
from tests.world import STAFF


async def test_jobs_one_after_another(flows: Flows) -> None:
    await grant_second_factor(flows.ctx, STAFF)
    pid = await make_program(flows.ctx, "project", name="직무 루프")
    staff = flows.user(STAFF)
    await open_program(staff, "직무 루프")
    await staff.click("직무 (")
    await staff.click("직무 추가")
    await staff.expect("직무명")
    await staff.send("자료 조사")
    await staff.expect("이 직무의")
    await staff.send("많이")
    await staff.expect("숫자")
    await staff.send("2")
    added = await staff.expect("자료 조사 직무를 추가했습니다")
    assert any("다른 직무 추가" in label for row in added.buttons for label in row)
    await staff.expect("자료 조사: 2명")  # the list, under it
    await staff.click("➕ 다른 직무 추가")
    await staff.expect("직무명")
    await staff.send("발표 준비")
    await staff.send("1")
    await staff.expect("발표 준비 직무를 추가했습니다")
    async with flows.ctx.db.session() as session:
        jobs = (await session.scalars(select(Job).where(Job.program_id == pid))).all()
        assert {("발표 준비", 1), ("자료 조사", 2)} <= {(j.name, j.headcount) for j in jobs}


async def test_back_at_the_name_returns_to_the_list(flows: Flows) -> None:
    await grant_second_factor(flows.ctx, STAFF)
    await make_program(flows.ctx, "project", name="직무 이전")
    staff = flows.user(STAFF)
    await open_program(staff, "직무 이전")
    await staff.click("직무 (")
    await staff.click("직무 추가")
    await staff.click("◀ 이전")
    await staff.expect("직무 — 직무 이전")


async def test_a_head_count_is_changed_and_the_list_follows(flows: Flows) -> None:
    await grant_second_factor(flows.ctx, STAFF)
    pid = await make_program(flows.ctx, "project", name="인원 변경")
    staff = flows.user(STAFF)
    await open_program(staff, "인원 변경")
    await staff.click("직무 (")
    await staff.click("👥 데이터 수집 인원 변경")
    await staff.expect("새 모집인원")
    await staff.send("0")
    await staff.expect("새 모집인원")  # refused, asked again
    await staff.send("3")
    await staff.expect("모집인원을 바꿨습니다")
    await staff.expect("직무 — 인원 변경")
    async with flows.ctx.db.session() as session:
        jobs = (await session.scalars(select(Job).where(Job.program_id == pid))).all()
        assert {j.name: j.headcount for j in jobs}["데이터 수집"] == 3
