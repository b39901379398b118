"""The eligibility check on the form engine: tolerant dates, stop at the first settled failure
(which rule, why, change that answer), a stable "n/N", typed button labels."""

from __future__ import annotations

from bot.storage.models import FsmRecord
from tests.e2e.participant_steps import ELIGIBLE_BUTTONS, consent, open_program, years_ago
from tests.flows.harness import Flows, FlowUser
from tests.world import PARTICIPANT


async def _start(flows: Flows) -> FlowUser:
    person = flows.user(PARTICIPANT)
    await consent(person)
    await open_program(person, "IT 사무지원")
    await person.click("📝 신청하기")
    await person.expect("참여자격 확인")
    return person


async def test_dates_in_every_usual_form_and_examples_that_match(flows: Flows) -> None:
    person = await _start(flows)
    ask = await person.expect("생년월일을 입력해 주세요")
    assert "2001-03-15" in ask.text
    await person.send("어제")
    refused = await person.expect("날짜 형식이 아닙니다")
    assert "2001-03-15" in refused.text  # the question's example, not today's year
    await person.send("2001-02-30")
    await person.expect("없는 날짜입니다")
    for typed in ("2001.03.15", "2001/3/15", "20010315", "2001년 3월 15일"):
        await person.send(typed)
        await person.expect("질문 2/12")
        await person.click("◀ 이전")
        back = await person.expect("생년월일을 입력해 주세요")
        assert "2001-03-15" in back.text  # the current value is shown


async def test_age_settles_the_outcome_at_once_and_can_be_changed(flows: Flows) -> None:
    person = await _start(flows)
    today = flows.ctx.today()
    await person.send(years_ago(today, 14))
    stop = await person.expect("참여자격 확인 결과")
    assert "지금은 이 사업에 참여할 수 없습니다" in stop.text
    assert "만 14세" in stop.text and "만 15~34세" in stop.text  # the rule and why
    assert "남은 질문은 묻지 않았습니다" in stop.text
    assert "국적" not in (person.last.text if person.last else "")  # nothing more was asked
    labels = [label for row in stop.buttons for label in row]
    assert "✏ 생년월일 고치기" in labels and "다른 프로그램 보기" in labels
    await person.click("✏ 생년월일 고치기")
    await person.expect("생년월일을 입력해 주세요")
    await person.send(years_ago(today, 35))
    stop = await person.expect("참여할 수 없습니다")
    assert "만 35세" in stop.text
    await person.click("✏ 생년월일 고치기")
    await person.send(years_ago(today, 34))
    await person.expect("질문 2/12")  # carries on where the check was


async def test_full_time_work_stops_after_the_hours_and_the_total_stays(flows: Flows) -> None:
    person = await _start(flows)
    await person.send("2000-05-17")
    await person.expect("질문 2/12")
    await person.send("예")  # the button's label, typed
    await person.expect("질문 3/12")
    await person.click("예")  # employed with insurance → the hours follow-up
    hours = await person.expect("일주일에 몇 시간")
    assert "질문 3/12 · 추가 질문" in hours.text
    await person.send("마흔")
    await person.expect("숫자로만 입력해 주세요")
    await person.send("40")
    stop = await person.expect("참여할 수 없습니다")
    assert "주 30시간 이상 일하고 있으면 참여할 수 없습니다" in stop.text
    assert "고용보험 가입 취업: 예" in stop.text and "주당 근로시간: 40" in stop.text
    await person.click("✏ 주당 근로시간 고치기")
    await person.send("20")
    for number, label in enumerate(ELIGIBLE_BUTTONS[2:], 4):
        await person.expect(f"질문 {number}/12")
        await person.click(label)
    result = await person.expect("참여자격 확인 결과")
    assert "참여 자격 요건을 충족합니다" in result.text


async def test_other_programs_leaves_the_check(flows: Flows) -> None:
    person = await _start(flows)
    await person.send("2000-05-17")
    await person.click("아니요")  # no Korean nationality
    await person.expect("대한민국 국적이 있어야")
    await person.click("다른 프로그램 보기")
    await person.expect("모집 중인 일경험 프로그램")
    async with flows.ctx.db.session() as session:
        record = await session.get(FsmRecord, f"fsm:{PARTICIPANT}:{PARTICIPANT}:default")
        assert record is None or record.state is None


async def test_text_where_buttons_are_expected_is_refused_and_changes_nothing(
    flows: Flows,
) -> None:
    person = await _start(flows)
    await person.send("2000-05-17")
    await person.expect("질문 2/12")
    await person.send("글쎄요")
    await person.expect("아래 버튼으로 답해 주세요")
    again = await person.expect("질문 2/12")
    assert "대한민국 국적" in again.text
    await person.send_photo(b"\x89PNG\r\n\x1a\n")
    await person.expect("아래 버튼으로 답해 주세요")
    await person.expect("질문 2/12")


async def test_a_pressed_answer_becomes_the_next_question_in_place(flows: Flows) -> None:
    person = await _start(flows)
    await person.send(years_ago(flows.ctx.today(), 25))
    second = await person.expect("질문 2/12")
    before = len(flows.session.requests)
    await person.click(ELIGIBLE_BUTTONS[0])
    third = await person.expect("질문 3/12")
    assert third.event == "edit" and third.message_id == second.message_id
    methods = [type(r).__name__ for r in flows.session.requests[before:]]
    assert methods == ["AnswerCallbackQuery", "EditMessageText"]  # no close-and-resend
    # ◀ 이전 on the new question goes back the same way, in the same message
    labels = [label for row in third.buttons for label in row]
    assert "◀ 이전" in labels
    await person.click("◀ 이전")
    back = await person.expect("질문 2/12")
    assert back.message_id == second.message_id
