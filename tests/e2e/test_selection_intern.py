"""The intern-type chain: host companies within their head count, early completion with a reason,
survey, certificate and verification (issue 6)."""

from __future__ import annotations

from sqlalchemy import select

from bot.storage.models import Enrollment, HostCompany
from tests.e2e.chain import (
    app_state,
    certified,
    event_reason,
    program,
    survey_and_certificate,
    unlock_staff,
)
from tests.factories import program_id
from tests.world import PARTICIPANT, PARTICIPANT_2, STAFF, World

THIRD = 555_611


async def test_intern_program_chain_respects_company_head_count(world: World) -> None:
    await unlock_staff(world)
    pid = await program_id(world.ctx, "intern")
    name = (await program(world, pid)).name
    kim, lee, choi = await certified(
        world, pid, [(PARTICIPANT, "김청년"), (PARTICIPANT_2, "이지원"), (THIRD, "최하늘")]
    )
    staff = world.user(STAFF)

    # everyone on the page at once: 국취 예, then 선발
    await staff.send("/select")
    await staff.expect("프로그램을 고르세요")
    await staff.click(name[:8])
    await staff.expect("선발대기 (3명)")
    await staff.click("☑ 이 쪽 모두")
    await staff.expect("고른 사람 3명")
    await staff.click("국취 '예'로 기록 (3명)")
    await staff.expect("3명의 국민취업지원제도 참여를 '예'로 기록")
    await staff.click("✅ 선발 (3명)")
    page = await staff.expect("3명을 선발했습니다")
    assert "선발 3 / 모집 5명" in page.text

    await staff.send("/confirm")
    await staff.expect("프로그램을 고르세요")
    await staff.click(name[:8])
    await staff.expect("모집인원보다 2명 적게")
    await staff.click("확정통보 진행 ›")
    await staff.expect("마지막 확인")
    await staff.click("네, 확정하고 통보합니다")
    await staff.expect("명단을 확정했습니다")
    await world.user(PARTICIPANT).expect("선발 안내")

    # host companies: 누리데이터 has room for two
    await staff.send("/assign")
    await staff.expect("프로그램을 고르세요")
    await staff.click(name[:8])
    await staff.expect("참여기업 (2곳")
    for person, count in (("김청년", 0), ("이지원", 1)):
        await staff.click(f"{person} · 미배정")
        await staff.expect("배정할 참여기업을 고르세요")
        await staff.click(f"주식회사 누리데이터 ({count}/2)")
        await staff.expect(f"{person} 님을 주식회사 누리데이터에 배정했습니다")
    await staff.click("최하늘 · 미배정")
    await staff.expect("배정할 참여기업을 고르세요")
    await staff.click("주식회사 누리데이터 (2/2) · 정원 참")
    refused = await staff.expect("정원이 찼습니다")
    assert "(2/2명)" in refused.text
    await staff.click("주식회사 한빛소프트웨어 (0/3)")
    done = await staff.expect("최하늘 님을 주식회사 한빛소프트웨어에 배정했습니다")
    assert "주식회사 누리데이터 — 2/2명" in done.text
    await world.user(THIRD).expect("주식회사 한빛소프트웨어에서 일경험")
    async with world.ctx.db.session() as session:
        nuri = await session.scalar(select(HostCompany).where(HostCompany.brn == "2208162517"))
        assert nuri is not None
        at_nuri = (
            await session.scalars(
                select(Enrollment.application_id).where(Enrollment.host_company_id == nuri.id)
            )
        ).all()
        assert sorted(at_nuri) == sorted([kim, lee])

    # completion before the period has ended is refused; with a reason it is recorded
    await staff.send("/progress")
    await staff.expect("프로그램을 고르세요")
    await staff.click(name[:8])
    await staff.expect("진행 중 3명")
    await staff.click("1. 김청년")
    await staff.expect("일경험 종료일")
    await staff.click("교육 이수")
    await staff.expect("사전직무교육: 이수")
    await staff.click("🎓 수료 처리")
    await staff.expect("수료 처리할까요")
    await staff.click("네, 수료 처리합니다")
    await staff.expect("아직 끝나지 않아 바로 수료 처리할 수 없습니다")
    assert await app_state(world, kim) == "selected"
    await staff.click("사유를 적고 수료 처리")
    await staff.expect("조기 수료 사유")
    await staff.send("조기 취업으로 전 과정을 마침")
    await staff.expect("김청년 님을 수료 처리했습니다")
    assert await app_state(world, kim) == "completed"
    assert await event_reason(world, kim, "complete") == "조기 취업으로 전 과정을 마침"

    await world.user(PARTICIPANT).expect("수료하셨습니다")
    number = await survey_and_certificate(world, pid, kim)
    await world.user(PARTICIPANT).send(f"/verify {number.lower()}")
    await world.user(PARTICIPANT).expect("진짜 수료증입니다")
    assert await app_state(world, choi) == "selected"
