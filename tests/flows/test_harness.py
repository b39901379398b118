"""The harness itself: requests are recorded, a restart keeps the conversation, a double tap
is two updates handled one after the other."""

from __future__ import annotations

from tests.e2e.participant_steps import consent, open_program
from tests.flows.harness import Flows
from tests.world import PARTICIPANT


async def test_requests_are_recorded_and_answered_plausibly(flows: Flows) -> None:
    person = flows.user(PARTICIPANT)
    await consent(person)
    sent = flows.requests("SendMessage")
    assert sent and all(r.chat_id == PARTICIPANT for r in sent)
    assert "동의 내용을 저장했습니다" in str(sent[-1].text)
    # every message the bot sent is in the chat, with the id the session returned
    assert [m.text for m in person.messages][-1] == person.last.text  # type: ignore[union-attr]


async def test_restart_mid_flow_resumes_at_the_same_step(flows: Flows) -> None:
    person = flows.user(PARTICIPANT)
    await consent(person)
    await open_program(person, "IT 사무지원")
    await person.click("📝 신청하기")
    await person.expect("생년월일을 입력해 주세요")
    await flows.restart()
    await person.send("2000-05-17")
    await person.expect("대한민국 국적이 있나요?")


async def test_double_tap_is_answered_once(flows: Flows) -> None:
    person = flows.user(PARTICIPANT)
    await consent(person)
    await open_program(person, "IT 사무지원")
    await person.click("📝 신청하기")
    await person.send("2000-05-17")
    await person.expect("대한민국 국적이 있나요?")
    first, second = await person.click_twice("예")
    assert person.answer_of(first) == ""
    assert "더 이상 유효하지 않습니다" in person.answer_of(second)
    await person.expect("고용보험에 가입된 일")
    # the second press did not answer the next question
    assert "고용보험에 가입된 일" in (person.last.text if person.last else "")
