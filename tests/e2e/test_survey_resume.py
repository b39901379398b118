"""The satisfaction survey: resumable across a restart, one submission, staff entry (수기 작성)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.domain.errors import DomainError
from bot.services import survey
from bot.services.identity import Actor, Role
from bot.storage.models import SurveyResponse
from tests.e2e.chain import unlock_staff
from tests.factories import make_application, make_participant, program_id
from tests.world import PARTICIPANT, PARTICIPANT_2, STAFF, World


async def _completed(world: World, telegram_id: int, name: str) -> int:
    pid = await program_id(world.ctx, "intern")
    participant = await make_participant(world.ctx, telegram_id, name=name)
    return await make_application(world.ctx, participant, pid, state="completed")


async def _answers(world: World, application_id: int) -> SurveyResponse | None:
    async with world.ctx.db.session() as session:
        return await session.scalar(
            select(SurveyResponse).where(SurveyResponse.application_id == application_id)
        )


async def test_survey_resumes_after_a_restart_and_is_submitted_once(world: World) -> None:
    aid = await _completed(world, PARTICIPANT, "김청년")
    person = world.user(PARTICIPANT)
    await person.send("/survey")
    await person.expect("모두 9문항")
    await person.expect("1/9.")
    await person.click("4")
    await person.expect("2/9.")
    await person.click("3")
    await person.expect("3/9.")
    stored = await _answers(world, aid)
    assert stored is not None and stored.answers == {"overall": 4, "content": 3}

    await world.restart()
    await person.click("5")  # the question shown before the restart still works
    await person.expect("4/9.")
    await person.send("좋아요")  # text where a scale is expected: asked again
    await person.expect("아래 버튼으로 답해 주세요")
    await person.expect("4/9.")

    await person.send("/cancel")
    await person.expect("취소했습니다")
    await person.send("/survey")
    resumed = await person.expect("이어서 진행합니다")
    assert "4/9" in resumed.text
    await person.expect("4/9.")  # the question itself (the older screens' buttons are stale)
    await person.click("◀ 이전")  # back to question 3, which shows its saved answer
    back = await person.expect("3/9.")
    assert ["1", "2", "3", "4", "✓5"] in back.buttons
    await person.click("2")
    for n in range(4, 8):
        await person.expect(f"{n}/9.")
        await person.click("4")
    await person.expect("8/9.")
    await person.click("건너뛰기")
    await person.expect("9/9.")
    await person.send("실습 시간이 조금 더 길면 좋겠어요.")
    review = await person.expect("응답 확인")
    assert "직무 이해 도움: 3" in review.text and "멘토링·지도: 2" in review.text
    await person.click("✅ 제출하기")
    await person.expect("만족도 조사를 제출했습니다")

    stored = await _answers(world, aid)
    assert stored is not None and stored.submitted_at is not None
    assert stored.answers["mentoring"] == 2 and stored.answers["good"] is None
    assert stored.answers["improve"] == "실습 시간이 조금 더 길면 좋겠어요."
    assert not stored.entered_by_staff

    await person.send("/survey")
    await person.expect("모두 제출하셨습니다")
    actor = Actor(PARTICIPANT, Role.PARTICIPANT, "ko")
    with pytest.raises(DomainError) as error:
        await survey.submit(world.ctx, actor, aid)
    assert error.value.code == "survey.already_submitted"
    with pytest.raises(DomainError) as error:
        await survey.save_answer(world.ctx, actor, aid, "overall", 1)
    assert error.value.code == "survey.already_submitted"


async def test_staff_enter_a_survey_for_a_participant(world: World) -> None:
    await unlock_staff(world)
    done = await _completed(world, PARTICIPANT, "김청년")
    aid = await _completed(world, PARTICIPANT_2, "이지원")
    # 김청년 answered himself already
    own = Actor(PARTICIPANT, Role.PARTICIPANT, "ko")
    for question in survey.survey().questions:
        value = 5 if question.kind == "scale" else None
        await survey.save_answer(world.ctx, own, done, question.key, value)
    await survey.submit(world.ctx, own, done)

    staff = world.user(STAFF)
    await staff.send("/surveys")
    overview = await staff.expect("응답 1명 / 수료자 2명")
    assert "✅ 김청년 (본인 응답)" in overview.text and "✖ 이지원 — 미응답" in overview.text
    await staff.click("✍ 이지원 수기 작성")
    await staff.expect("수기로 작성합니다")
    for n in range(1, 8):
        await staff.expect(f"{n}/9.")
        await staff.click("3")
    await staff.expect("8/9.")
    await staff.send("종이 설문: 멘토링이 좋았음")
    await staff.expect("9/9.")
    await staff.click("건너뛰기")
    await staff.expect("응답 확인")
    await staff.click("✅ 제출하기")
    await staff.expect("수기 작성으로 제출했습니다")

    stored = await _answers(world, aid)
    assert stored is not None and stored.submitted_at is not None
    assert stored.entered_by_staff and stored.entered_by == STAFF
    assert stored.answers["good"] == "종이 설문: 멘토링이 좋았음"
    await world.user(PARTICIPANT_2).expect("운영기관을 통해 접수")

    await staff.send("/surveys")
    after = await staff.expect("응답 2명 / 수료자 2명")
    assert "✅ 이지원 (수기 작성)" in after.text

    # a participant cannot open someone else's survey
    with pytest.raises(DomainError):
        await survey.open_target(world.ctx, own, aid)
