"""/offline (개별 신청) on the form engine, through the real dispatcher: staff enter a paper
application; the eligibility questions stop at a settled failure; back, cancel, edits from the
summary and refusals that re-ask; the resident number is deleted from the chat, sealed, and
seen nowhere; another agency's staff cannot register onto this agency's program."""

from __future__ import annotations

import base64
import logging

import pytest
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import select

from bot.forms.registry import FlowName
from bot.forms.screens import Act
from bot.forms.telegram import FormCB
from bot.playground.models import ChatMessage
from bot.services.crypto import rrn_context
from bot.storage.models import Application, AuditLog, Participant
from tests.e2e.chain import unlock_staff
from tests.e2e.offline_steps import answer_paper_questions
from tests.e2e.staff_support import other_agency
from tests.factories import grant_second_factor, program_id
from tests.flows.harness import Flows, FlowUser
from tests.world import STAFF

RRN = "000517-3123456"  # born 2000-05-17
FOREIGN_STAFF = 2101


async def _start(flows: Flows, program: str = "지역 ESG 데이터") -> FlowUser:
    await unlock_staff(flows)
    staff = flows.user(STAFF)
    await staff.send("/offline")
    await staff.expect("개별 신청(서면) 등록")
    await staff.expect("어느 프로그램")
    await staff.click(program)
    return staff


async def _person(staff: FlowUser, *, job: bool = True) -> None:
    if job:
        await staff.expect("직무")
        await staff.click("데이터 수집")
    await staff.expect("참여자의 성명")
    await staff.send("오서면")
    await staff.expect("참여자의 휴대전화번호")
    await staff.send("010-2222-3333")
    await staff.expect("신청일")
    await staff.click("오늘")


async def _latest(user: FlowUser, contains: str) -> ChatMessage:
    """The newest state of the bot message containing ``contains`` (a new message, or a prompt
    edited in place), skipping older versions."""
    found = await user.expect(contains)
    while True:
        try:
            found = await user.expect(contains)
        except AssertionError:
            return found


def _texts(flows: Flows) -> str:
    """Everything the bot sent or wrote, as recorded."""
    return "\n".join(str(r.model_dump(warnings=False)) for r in flows.session.requests)


async def _apps(flows: Flows) -> list[Application]:
    async with flows.ctx.db.session() as session:
        return list((await session.scalars(select(Application))).all())


async def test_happy_path_with_a_sealed_resident_number(
    flows: Flows, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    flows.ctx.settings.collect_resident_number = True
    staff = await _start(flows)
    await _person(staff)
    await answer_paper_questions(staff)
    result = await staff.expect("참여 자격 요건을 충족합니다")
    assert "고용보험 가입 이력" in result.text  # to be checked against official records
    assert "다른 프로그램" not in str(result.buttons)  # the participant's way out, not staff's
    await staff.click("계속")
    await staff.expect("참여자의 주민등록번호")
    typed = await staff.send(RRN)
    await staff.expect_deleted(typed["message_id"])
    saved = await staff.expect("주민등록번호를 확인했습니다")
    assert "000517-3******" in saved.text
    await staff.expect("최종학력")
    await staff.click("대학교 졸업")
    await staff.expect("서면 개인정보")
    await staff.click("서면 동의서를 받았습니다")
    summary = await staff.expect("개별 신청 등록 내용")
    for shown in ("오서면", "데이터 수집", "010-2222-3333", "2000-05-17", "000517-3******"):
        assert shown in summary.text
    await staff.click("📥 등록 (인증 상태로)")
    done = await staff.expect("인증 상태로 등록했습니다")
    assert "/start link_" in done.text and "메뉴" in str(done.buttons)

    [app] = await _apps(flows)
    assert app.state == "certified" and app.channel == "offline" and app.job_id is not None
    assert app.education == "대학교 졸업"
    assert app.eligibility["answers"]["birth_date"] == "2000-05-17"
    async with flows.ctx.db.session() as session:
        person = await session.get(Participant, app.participant_id)
        assert person is not None and person.mobile == "010-2222-3333"
        assert person.rrn_masked == "000517-3******" and person.rrn_enc is not None
        opened = flows.ctx.cipher.decrypt(person.rrn_enc, context=rrn_context(person.id))
        assert opened == "0005173123456"
    # the number was never echoed, recorded in a request, logged, or left in the FSM storage
    digits = "3123456"
    assert digits not in _texts(flows)
    assert digits not in caplog.text
    key = StorageKey(bot_id=flows.bot.id, chat_id=STAFF, user_id=STAFF)
    assert await flows.dp.storage.get_state(key) is None


async def test_sealed_number_in_the_flow_data_is_not_the_number(flows: Flows) -> None:
    flows.ctx.settings.collect_resident_number = True
    staff = await _start(flows)
    await _person(staff)
    await answer_paper_questions(staff)
    await staff.click("계속")
    await staff.send("000518-3123456")  # another birth date than the answers'
    refused = await staff.expect("생년월일과")
    assert "000518" not in refused.text
    await staff.send(RRN)
    await staff.expect("최종학력")
    key = StorageKey(bot_id=flows.bot.id, chat_id=STAFF, user_id=STAFF)
    data = (await flows.dp.storage.get_data(key))["form"]["data"]
    assert "3123456" not in str(data) and data["rrn_masked"] == "000517-3******"
    assert base64.b64decode(data["rrn_enc"])  # the sealed blob, bound to this staff member


async def test_stop_early_names_the_rule_and_offers_to_change_it(flows: Flows) -> None:
    staff = await _start(flows, "IT 사무지원")
    await _person(staff, job=False)
    await staff.expect("생년월일")
    await staff.send("1980-01-01")
    stop = await staff.expect("등록할 수 없습니다")
    assert "나이: 신청일 기준 만 46세" in stop.text and "15~34세" in stop.text
    assert "남은 질문은 묻지 않았습니다" in stop.text
    assert [label for row in stop.buttons for label in row if "계속" in label] == []
    await staff.click("✏ 생년월일 고치기")
    await staff.send("2001-03-15")
    await staff.expect("대한민국 국적")  # on with the next question
    await staff.click("예")
    await staff.click("예")  # insured work …
    await staff.expect("주당 근로시간")
    await staff.send("40")  # … of 40 hours a week
    stop = await staff.expect("등록할 수 없습니다")
    assert "주 30시간 이상" in stop.text
    assert "✏ 고용보험 가입 취업 고치기" in str(stop.buttons)
    assert "✏ 주당 근로시간 고치기" in str(stop.buttons)
    await staff.click("✏ 주당 근로시간 고치기")
    await staff.send("20")
    await staff.expect("사업자등록")
    await staff.click("예")  # a registered business
    stop = await staff.expect("등록할 수 없습니다")
    assert "사업자등록: 신청일 현재 사업자등록이 되어 있으면" in stop.text
    await staff.send("아무 말")  # text at a screen of buttons
    await staff.expect("버튼")
    assert await _apps(flows) == []


async def test_back_goes_one_step_and_keeps_the_answer(flows: Flows) -> None:
    staff = await _start(flows)
    await staff.expect("직무")
    await staff.click("◀ 이전")
    again = await staff.expect("어느 프로그램")
    assert "지역 ESG 데이터" in again.text  # the current value
    await staff.click("지역 ESG 데이터")
    await staff.click("보고서 작성")
    await _person(staff, job=False)
    await staff.expect("생년월일")
    await staff.send("2000-05-17")
    await staff.expect("대한민국 국적")
    await staff.click("◀ 이전")
    birth = await staff.expect("생년월일")
    assert "2000-05-17" in birth.text
    await staff.click("◀ 이전")
    await staff.expect("신청일")
    await staff.click("◀ 이전")
    mobile = await staff.expect("휴대전화번호")
    assert "010-2222-3333" in mobile.text


async def test_cancel_leaves_nothing_behind(flows: Flows) -> None:
    staff = await _start(flows)
    await _person(staff)
    await staff.expect("생년월일")
    await staff.click("✖ 취소")
    await staff.expect("취소")
    key = StorageKey(bot_id=flows.bot.id, chat_id=STAFF, user_id=STAFF)
    assert await flows.dp.storage.get_state(key) is None
    await staff.send("오서면")  # no flow takes it any more
    assert await _apps(flows) == []
    # /cancel as well
    await staff.send("/offline")
    await staff.expect("어느 프로그램")
    await staff.send("/cancel")
    assert await flows.dp.storage.get_state(key) is None


async def test_edit_from_the_summary(flows: Flows) -> None:
    staff = await _start(flows)
    await _person(staff)
    await answer_paper_questions(staff)
    await staff.click("계속")
    await staff.click("대학교 졸업")
    await staff.click("서면 동의서를 받았습니다")
    await staff.expect("개별 신청 등록 내용")
    await staff.click("✏ 이름")
    current = await staff.expect("참여자의 성명")
    assert "오서면" in current.text
    await staff.send("오서류")
    summary = await _latest(staff, "개별 신청 등록 내용")  # straight back, nothing re-asked
    assert "오서류" in summary.text
    await staff.click("✏ 휴대전화")
    await staff.click("건너뛰기")  # no mobile after all
    summary = await _latest(staff, "개별 신청 등록 내용")
    assert "010-2222-3333" not in summary.text
    await staff.click("✏ 참여자격 답변")
    await staff.expect("참여자격 확인 결과")
    await staff.click("✏ 답 고치기")
    await staff.click("실업급여 수급")
    await staff.click("예")
    result = await _latest(staff, "참여자격 확인 결과")
    assert "참여수당이 지급되지 않습니다" in result.text  # allowed, with the consequence
    await staff.click("계속")
    await staff.expect("개별 신청 등록 내용")
    await staff.click("📥 등록 (인증 상태로)")
    await staff.expect("인증 상태로 등록했습니다")
    [app] = await _apps(flows)
    assert app.eligibility["answers"]["unemployment_benefits"] is True
    async with flows.ctx.db.session() as session:
        person = await session.get(Participant, app.participant_id)
        assert person is not None and person.name == "오서류" and person.mobile is None


async def test_bad_input_is_refused_and_asked_again(flows: Flows) -> None:
    staff = await _start(flows)
    await staff.send("아무 직무")  # not a shown label
    await staff.expect("버튼에서 골라")
    await staff.send("데이터 수집")  # a typed label counts
    await staff.expect("참여자의 성명")
    await staff.send_photo(b"\x89PNG")
    await staff.expect("글자로")
    await staff.send("오서면")
    await staff.expect("휴대전화번호")
    await staff.send("02-1234-5678")  # a landline
    await staff.expect("유선")
    await staff.send("01022223333")
    await staff.expect("신청일")
    await staff.send("2099-01-01")
    await staff.expect("오늘 이후일 수 없습니다")
    await staff.send("어제")
    await staff.expect("신청일")
    await staff.send("2026년 11월 30일")
    await staff.expect("생년월일")
    await staff.click("◀ 이전")
    applied = await staff.expect("신청일")
    assert "2026-11-30" in applied.text
    await staff.click("오늘")
    await staff.expect("생년월일")
    await staff.send("2000-05-17")
    await staff.expect("대한민국 국적")
    await staff.send("글쎄요")  # yes/no takes buttons (or their labels)
    await staff.expect("버튼")
    await staff.send("예")
    await staff.expect("고용보험에 가입된 일")
    await staff.click("예")
    await staff.send("여러 시간")
    await staff.expect("숫자로만 입력")
    assert await _apps(flows) == []


async def test_another_agencys_staff_is_refused(flows: Flows) -> None:
    ours = await program_id(flows.ctx, "intern")
    _, theirs = await other_agency(flows)  # type: ignore[arg-type]
    await grant_second_factor(flows.ctx, FOREIGN_STAFF)
    foreign = flows.user(FOREIGN_STAFF, "남담당")
    await foreign.send("/offline")
    ask = await foreign.expect("어느 프로그램")
    assert "부산 인턴형" in str(ask.buttons) and "IT 사무지원" not in str(ask.buttons)
    key = StorageKey(bot_id=flows.bot.id, chat_id=FOREIGN_STAFF, user_id=FOREIGN_STAFF)
    seq = (await flows.dp.storage.get_data(key))["form"]["seq"]
    forged = FormCB(flow=FlowName.OFFLINE, seq=seq, act=Act.CHOOSE, value=str(ours)).pack()
    refused = await foreign.forge(forged)  # this agency's program, not on their list
    assert "버튼" in foreign.answer_of(refused)
    assert (await flows.dp.storage.get_data(key))["form"]["at"] == "program"
    # the flow's data tampered with to name it anyway: the service refuses and audits it
    await foreign.click("부산 인턴형")
    await _person(foreign, job=False)
    await answer_paper_questions(foreign)
    await foreign.click("계속")
    await foreign.click("대학교 졸업")
    await foreign.click("서면 동의서를 받았습니다")
    await foreign.expect("개별 신청 등록 내용")
    stored = await flows.dp.storage.get_data(key)
    stored["form"]["data"]["program_id"] = ours
    await flows.dp.storage.set_data(key, stored)
    await foreign.click("📥 등록 (인증 상태로)")
    await foreign.expect("다른 운영기관")
    assert await _apps(flows) == []
    async with flows.ctx.db.session() as session:
        audit = await session.scalar(select(AuditLog).where(AuditLog.outcome == "refused"))
    assert audit is not None and audit.reason == "access.agency" and audit.entity_id == str(ours)
    assert theirs != ours
