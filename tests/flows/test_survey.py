"""The satisfaction survey on the form engine: typed numbers count as presses, a double tap saves
once, the summary changes an answer in place, the closing message offers the certificate."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.storage.models import AuditLog, SurveyResponse
from tests.factories import make_application, make_participant, program_id
from tests.flows.harness import Flows
from tests.world import PARTICIPANT


async def _completed(flows: Flows) -> int:
    participant = await make_participant(flows.ctx, PARTICIPANT, name="김청년")
    pid = await program_id(flows.ctx, "intern")
    return await make_application(flows.ctx, participant, pid, state="completed")


async def _stored(flows: Flows, aid: int) -> SurveyResponse:
    async with flows.ctx.db.session() as session:
        row = await session.scalar(
            select(SurveyResponse).where(SurveyResponse.application_id == aid)
        )
    assert row is not None
    return row


async def test_a_survey_typed_tapped_changed_and_submitted(flows: Flows) -> None:
    aid = await _completed(flows)
    person = flows.user(PARTICIPANT)
    await person.send("/survey")
    first = await person.expect("1/9.")
    assert first.buttons[0] == ["1", "2", "3", "4", "5"]  # the scale in one row
    await person.send("4")  # typing a shown label is pressing it
    await person.expect("2/9.")
    _, second_id = await person.click_twice("3")  # a double tap
    await person.expect("3/9.")
    assert "더 이상 유효하지 않습니다" in person.answer_of(second_id)
    assert (await _stored(flows, aid)).answers == {"overall": 4, "content": 3}
    for n in range(4, 9):
        await person.click("5")
        await person.expect(f"{n}/9.")
    await person.send_photo(b"\x89PNG not a text")  # the wrong kind of answer: asked again
    await person.expect("글자로 입력해 주세요")
    await person.send("멘토님이 친절했어요")
    await person.expect("9/9.")
    await person.click("건너뛰기")
    summary = await person.expect("응답 확인")
    assert "전반 만족도: 4" in summary.text and "바라는 점: (건너뜀)" in summary.text

    await person.click("✏ 답 고치기")  # edit from the summary: the list of questions
    await person.click("전반 만족도")
    again = await person.expect("1/9.")
    assert ["1", "2", "3", "✓4", "5"] in again.buttons
    await person.click("2")
    summary = await person.expect("응답 확인")  # straight back to the summary
    assert "전반 만족도: 2" in summary.text
    assert (await _stored(flows, aid)).answers["overall"] == 2

    await person.click("✅ 제출하기")
    closing = await person.expect("만족도 조사를 제출했습니다")
    assert closing.buttons == [["🎓 수료증 신청하기"]]
    row = await _stored(flows, aid)
    assert row.submitted_at is not None and not row.entered_by_staff
    assert row.answers["good"] == "멘토님이 친절했어요" and row.answers["improve"] is None
    async with flows.ctx.db.session() as session:
        submits = await session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "survey.submit")
        )
    assert submits == 1
    await person.send("/survey")
    await person.expect("모두 제출하셨습니다")


async def test_a_survey_resumes_after_a_restart_at_the_first_open_question(flows: Flows) -> None:
    aid = await _completed(flows)
    person = flows.user(PARTICIPANT)
    await person.send("/survey")
    await person.click("4")
    await person.expect("2/9.")
    await flows.restart()
    await person.click("5")  # the button shown before the restart still works
    await person.expect("3/9.")
    await person.send("/cancel")
    await person.send("/survey")
    await person.expect("3/9번 문항부터")
    await person.expect("3/9.")
    assert (await _stored(flows, aid)).answers == {"overall": 4, "content": 5}
    edits = [r.text for r in flows.requests("EditMessageText")]
    assert any("3/9." in text for text in edits), "a press turns its question into the next"
