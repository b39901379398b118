"""Selection rules: the locked roster, recruitment, the 국민취업지원제도 answer, stale screens."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from bot.domain.errors import DomainError
from bot.services import enrollment, selection
from bot.storage.models import Application, AuditLog, Program
from tests.e2e.chain import app_state, certified, program, staff_actor, unlock_staff
from tests.factories import make_application, make_participant, program_id
from tests.world import HEAD, PARTICIPANT, PARTICIPANT_2, STAFF, World


async def test_a_change_after_confirmation_is_refused(world: World) -> None:
    await unlock_staff(world)
    pid = await program_id(world.ctx, "project")
    name = (await program(world, pid)).name
    kim, lee = await certified(world, pid, [(PARTICIPANT, "김청년"), (PARTICIPANT_2, "이지원")])
    actor = await staff_actor(world)
    await selection.set_nes(world.ctx, actor, pid, [kim, lee], False)
    await selection.decide(world.ctx, actor, pid, [kim], "select")
    await selection.decide(world.ctx, actor, pid, [lee], "not_select")

    # the staff member has the selection screen open …
    staff = world.user(STAFF)
    await staff.send("/select")
    await staff.expect("프로그램을 고르세요")
    await staff.click(name[:8])
    await staff.expect("선발대기")
    await staff.click("선발 1명")
    await staff.expect("선발 (1명)")
    await staff.click("☐ 김청년")
    await staff.expect("고른 사람 1명")

    # … while the agency head confirms the roster
    head = world.user(HEAD)
    await head.send("/confirm")
    await head.expect("프로그램을 고르세요")
    await head.click(name[:8])
    await head.expect("확정통보 —")
    await head.click("확정통보 진행 ›")
    await head.expect("마지막 확인")
    await head.click("네, 확정하고 통보합니다")
    await head.expect("명단을 확정했습니다")

    await staff.click("↩ 대기로 되돌리기 (1명)")
    refused = await staff.expect("명단이 잠겨 있어 바꿀 수 없습니다")
    assert "/progress" in refused.text
    assert await app_state(world, kim) == "selected"
    async with world.ctx.db.session() as session:
        audit = await session.scalar(
            select(AuditLog).where(
                AuditLog.action == "roster.unselect", AuditLog.outcome == "refused"
            )
        )
        assert audit is not None and audit.reason == "roster.locked"

    # the screen shows the lock and offers no more changes
    await staff.send("/select")
    await staff.expect("프로그램을 고르세요")
    await staff.click(name[:8])
    locked = await staff.expect("명단이 잠겼습니다")
    assert not any("☐" in label for row in locked.buttons for label in row)

    # the service refuses too, whoever calls it
    for call in (
        selection.decide(world.ctx, actor, pid, [lee], "unselect"),
        selection.set_nes(world.ctx, actor, pid, [kim], True),
        selection.confirm_roster(world.ctx, actor, pid),
    ):
        with pytest.raises(DomainError) as error:
            await call
        assert error.value.code == "roster.locked"
    assert await app_state(world, lee) == "not_selected"


async def test_selecting_needs_nes_and_asks_beyond_recruitment(world: World) -> None:
    await unlock_staff(world)
    pid = await program_id(world.ctx, "project")
    async with world.ctx.db.session() as session:
        await session.execute(update(Program).where(Program.id == pid).values(total_recruitment=1))
    name = (await program(world, pid)).name
    kim, lee = await certified(world, pid, [(PARTICIPANT, "김청년"), (PARTICIPANT_2, "이지원")])
    staff = world.user(STAFF)
    await staff.send("/select")
    await staff.expect("프로그램을 고르세요")
    await staff.click(name[:8])
    await staff.expect("선발대기 (2명)")
    await staff.click("☑ 이 쪽 모두")
    await staff.expect("고른 사람 2명")
    await staff.click("✅ 선발 (2명)")
    await staff.expect("국민취업지원제도 참여 여부가 기록되지 않은 사람이 2명")
    assert await app_state(world, kim) == "certified"

    # one card: record 아니요 for 김청년, 예 for 이지원 on the page
    await staff.click("1번 자세히")
    await staff.expect("자기소개")
    await staff.click("국취 참여 '아니요'로 기록")
    await staff.expect("국민취업지원제도 참여: 아니요")
    await staff.click("◀ 목록으로")
    await staff.expect("고른 사람 2명")  # the choice survives the refusal and the card
    await staff.click("☑ 김청년")
    await staff.expect("고른 사람 1명")
    await staff.click("국취 '예'로 기록 (1명)")
    await staff.expect("1명의 국민취업지원제도 참여를 '예'로 기록")
    await staff.click("☐ 김청년")
    await staff.expect("고른 사람 2명")

    await staff.click("✅ 선발 (2명)")
    await staff.expect("모집인원 1명을 넘습니다")
    await staff.click("◀ 돌아가기 (선발하지 않음)")
    await staff.expect("선발대기 (2명)")
    assert await app_state(world, kim) == "certified"
    await staff.click("✅ 선발 (2명)")
    await staff.expect("그래도 선발할까요")
    await staff.click("네, 모집인원을 넘어도 선발합니다")
    page = await staff.expect("2명을 선발했습니다")
    assert "선발 2 / 모집 1명" in page.text and "1명 더 선발" in page.text
    assert [await app_state(world, a) for a in (kim, lee)] == ["selected", "selected"]

    # removing the decision puts both back on the waiting list
    await staff.click("선발 2명")
    await staff.expect("선발 (2명)")
    await staff.click("☑ 이 쪽 모두")
    await staff.expect("고른 사람 2명")
    await staff.click("↩ 대기로 되돌리기 (2명)")
    await staff.expect("2명을 대기 명단으로 되돌렸습니다")
    assert await app_state(world, kim) == "certified"

    # free text on the screen: shown again with its buttons
    await staff.send("김청년 선발해 주세요")
    await staff.expect("아래 버튼으로 진행해 주세요")
    again = await staff.expect("선발 (0명)")
    assert again.buttons


async def test_other_agencies_and_participants_cannot_select(world: World) -> None:
    await unlock_staff(world)
    pid = await program_id(world.ctx, "project")
    (kim,) = await certified(world, pid, [(PARTICIPANT, "김청년")])
    person = world.user(PARTICIPANT)
    await person.send("/select")
    refused = await person.expect()
    assert "선발대기" not in (refused.text or "")
    other = (await staff_actor(world)).__class__(
        9999, (await staff_actor(world)).role, "ko", agency_id=424242, staff_id=1
    )
    with pytest.raises(DomainError) as error:
        await selection.decide(world.ctx, other, pid, [kim], "select")
    assert error.value.code == "access.agency"
    with pytest.raises(DomainError):
        await enrollment.roster(world.ctx, other, pid)
    assert await app_state(world, kim) == "certified"


async def test_the_pool_shows_eligibility_flags(world: World) -> None:
    await unlock_staff(world)
    pid = await program_id(world.ctx, "intern")
    person = await make_participant(world.ctx, PARTICIPANT, name="김청년")
    await make_application(
        world.ctx,
        person,
        pid,
        state="certified",
        eligibility={"answers": {"unemployment_benefits": True}, "on": "2026-01-05"},
        eligibility_result={"eligible": True, "notes": ["elig.note.national_employment_support"]},
    )
    offline = await make_participant(world.ctx, None, name="박종이")
    await make_application(world.ctx, offline, pid, state="certified", channel="offline")
    staff = world.user(STAFF)
    await staff.send("/select")
    await staff.expect("프로그램을 고르세요")
    await staff.click((await program(world, pid)).name[:8])
    page = await staff.expect("선발대기 (2명)")
    assert "김청년 (2000-05-17) · 국취 미입력 · 실업급여 · 국취(본인신고)" in page.text
    assert "박종이 (2000-05-17) · 국취 미입력 · 📵채팅미연결" in page.text
    await staff.click("2번 자세히")
    card = await staff.expect("개별 신청")
    assert "텔레그램이 연결되지 않은" in card.text


async def test_the_applicants_own_nes_answer_is_the_default(world: World) -> None:
    await unlock_staff(world)
    pid = await program_id(world.ctx, "intern")
    answered = {"answers": {"national_employment_support": False}, "on": "2026-01-05"}
    kim = await make_application(
        world.ctx,
        await make_participant(world.ctx, PARTICIPANT, name="김청년"),
        pid,
        state="certified",
        eligibility=answered,
    )
    staff = world.user(STAFF)
    await staff.send("/select")
    await staff.expect("프로그램을 고르세요")
    await staff.click((await program(world, pid)).name[:8])
    page = await staff.expect("선발대기 (1명)")
    assert "김청년 (2000-05-17) · 국취 아니요(본인 답변)" in page.text
    assert page.buttons[0][0] == "▶ 대기 1명"
    await staff.click("1번 자세히")
    card = await staff.expect("국민취업지원제도 참여: 아니요(본인 답변)")
    assert any("✓ 국취 참여 '아니요'로 기록" in b for row in card.buttons for b in row)
    await staff.click("◀ 목록으로")
    await staff.expect("선발대기 (1명)")
    await staff.click("☐ 김청년")
    await staff.expect("고른 사람 1명")
    await staff.click("✅ 선발 (1명)")  # no need to enter the answer again
    await staff.expect("1명을 선발했습니다")
    async with world.ctx.db.session() as session:
        app = await session.get(Application, kim)
        assert app is not None and app.state == "selected"
        assert app.national_employment_support is False
