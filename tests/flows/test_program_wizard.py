"""Program registration on the form engine: the wizard (/newprogram), resuming a draft from
/myprograms (every step not yet answered, optional ones included), editing from the summary,
the attachments and the 모집 마감일 (one step)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bot.services import program_fields, program_registry
from bot.services.identity import Actor, identify
from bot.storage.models import Program
from tests.e2e.test_program_support import make_pdf, make_program, open_program
from tests.factories import grant_second_factor
from tests.flows.harness import Flows, FlowUser
from tests.world import STAFF


async def _program(flows: Flows, pid: int) -> Program:
    async with flows.ctx.db.session() as session:
        program = await session.get(Program, pid)
        assert program is not None
        return program


async def _actor(flows: Flows) -> Actor:
    async with flows.ctx.db.session() as session:
        return (await identify(session, flows.ctx, STAFF, "박담당", None)).actor


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


# --- resuming a draft ------------------------------------------------------------------------

EARLIER = {  # answered before the draft was left (each saved at once, as the wizard does)
    "total_recruitment": "3",
    "period_start": "2030-04-01",
    "period_end": "2030-05-26",
    "schedule": "1주차 OJT",
    "weekly_hours": "25",
    "allowance": "주 35만원",
    "job_description": "사무 지원",
    "mentoring": "1:1 멘토",
    "completion_benefit": "수료증",
    "work_address": "서울시 중구 세종대로 39, 2층",
    "region": "서울",
    "selection_criteria": "서류 검토 후 면접, 이력서 첨부 필수",
}


async def _draft_left_at_the_criteria(flows: Flows, staff: FlowUser) -> int:
    await staff.send("/newprogram")
    await staff.click("인턴형")
    await staff.send("이어쓰기 인턴형")
    await staff.expect("임시저장했습니다")
    await staff.send("/cancel")
    async with flows.ctx.db.session() as session:
        pid = await session.scalar(select(Program.id).where(Program.name == "이어쓰기 인턴형"))
    assert pid is not None
    actor = await _actor(flows)
    for name, raw in EARLIER.items():
        await program_registry.set_field(flows.ctx, actor, pid, name, raw)
    return pid


async def test_resume_asks_the_resume_question_it_used_to_skip(flows: Flows) -> None:
    """The draft's criteria say 이력서 첨부 필수; resuming asks 이력서 제출 (once defaulted to
    불필요 and never asked), then every other step not answered, optional ones included."""
    staff = await _staff(flows)
    pid = await _draft_left_at_the_criteria(flows, staff)
    await flows.restart()
    screen = await open_program(staff, "이어쓰기 인턴형")
    assert "이력서 불필요 (기본값" in screen.text  # a default, not an answer
    await staff.click("▶ 이어서 입력")
    await staff.expect("이력서 제출이 필요한가요")
    await staff.click("이력서 제출 필요")
    await staff.expect("사전직무교육이 있나요")
    await staff.click("사전직무교육 없음")
    await staff.expect("운영기관 정보")
    await staff.send("박담당")
    await staff.send("youth@example.org")
    await staff.send("02-6000-1234")
    await staff.expect("팩스번호")  # optional: asked all the same
    await staff.click("건너뛰기")
    await staff.expect("운영기관 홈페이지")
    await staff.send("example.org")
    await staff.expect("기타사항")
    await staff.click("건너뛰기")
    review = await staff.expect("입력한 내용")
    assert "이력서 제출: 이력서 제출 필요" in review.text
    assert "운영기관 팩스: —" in review.text and "모집방식: 수시모집" in review.text
    await staff.click("입력 완료")
    await staff.expect("모든 항목을 입력했습니다")
    screen = await staff.expect("모집방식: 수시모집")
    assert not any("이어서 입력" in b for row in screen.buttons for b in row)
    program = await _program(flows, pid)
    assert program.resume_required is True and program.contact_fax is None
    assert program.contact_homepage == "https://example.org"
    assert program_fields.unanswered_fields(program) == []


async def test_resume_of_an_older_draft_asks_the_defaults_and_optional_steps(
    flows: Flows,
) -> None:
    """A draft from before answers were recorded: what has a value counts as answered; the
    default 이력서 불필요 and the empty optional steps are asked, in the wizard's order."""
    pid = await make_program(flows.ctx, "project", name="예전 초안", contact_fax=None)
    staff = await _staff(flows)
    await open_program(staff, "예전 초안")
    await staff.click("▶ 이어서 입력")
    await staff.expect("이력서 제출이 필요한가요")
    await staff.click("이력서 불필요")  # the same value, now an answer
    await staff.expect("팩스번호")
    await staff.send("02-6000-1235")
    await staff.expect("운영기관 홈페이지")
    await staff.click("건너뛰기")
    await staff.expect("기타사항")
    await staff.send("센터 참고")
    await staff.expect("입력한 내용")
    program = await _program(flows, pid)
    assert program.contact_fax == "02-6000-1235" and program.internal_notes == "센터 참고"
    assert program_fields.unanswered_fields(program) == []


async def test_agency_contact_fills_the_block_and_resume_goes_on(flows: Flows) -> None:
    staff = await _staff(flows)
    pid = await _draft_left_at_the_criteria(flows, staff)
    actor = await _actor(flows)
    await program_registry.set_field(flows.ctx, actor, pid, "resume_required", "1")
    await program_registry.set_field(flows.ctx, actor, pid, "training_required", "0")
    await open_program(staff, "이어쓰기 인턴형")
    await staff.click("▶ 이어서 입력")
    await staff.expect("운영기관 정보")
    await staff.click("우리 기관 정보로 채우기")
    await staff.expect("기관 정보로 채웠습니다")
    await staff.expect("기타사항")  # e-mail, phone, fax and homepage came with it
    program = await _program(flows, pid)
    assert (program.contact_name, program.contact_phone) == ("박담당", "02-6000-1234")


# --- editing from the summary ------------------------------------------------------------------


async def test_a_field_is_changed_from_the_list_and_a_double_tap_is_stale(flows: Flows) -> None:
    pid = await make_program(flows.ctx, "intern", name="수정 테스트")
    staff = await _staff(flows)
    await open_program(staff, "수정 테스트")
    await staff.click("✏️ 항목 수정")
    await staff.expect("수정할 항목을 고르세요")
    await staff.click("지역")
    await staff.expect("지금 입력된 값: 서울")
    _, second = await staff.click_twice("부산")  # a double tap: the second press is stale
    assert "더 이상 유효하지 않습니다" in staff.answer_of(second)
    review = await staff.expect("입력한 내용")
    assert "지역: 부산" in review.text
    await staff.click("입력 완료")
    await staff.expect("모집방식: 수시모집")
    assert (await _program(flows, pid)).region == "부산"


async def test_turning_training_on_asks_its_fields_before_the_review(flows: Flows) -> None:
    pid = await make_program(flows.ctx, "project", name="교육 추가")
    staff = await _staff(flows)
    await open_program(staff, "교육 추가")
    await staff.click("✏️ 항목 수정")
    await staff.click("사전직무교육")
    await staff.click("사전직무교육 있음")
    await staff.expect("교육기관명")  # now missing: asked before going back to the review
    await staff.send("청년직무아카데미")
    await staff.expect("교육 담당자 이름")
    await staff.send("/cancel")
    program = await _program(flows, pid)
    assert program.training_required is True
    assert program.training_institution == "청년직무아카데미"


# --- attachments -------------------------------------------------------------------------------


async def test_an_upload_takes_only_a_pdf_and_back_returns_to_the_screen(flows: Flows) -> None:
    pid = await make_program(flows.ctx, "project", name="첨부 흐름", attachment=False)
    staff = await _staff(flows)
    await open_program(staff, "첨부 흐름")
    await staff.click("📎 첨부파일")
    await staff.click("프로젝트 제안서 올리기")
    await staff.expect("프로젝트 제안서 PDF 파일을")
    await staff.send_photo(make_pdf("PHOTO"))
    await staff.expect("문서(파일)로 보내 주세요")
    await staff.click("◀ 이전")
    await staff.expect("첨부파일 — 첨부 흐름")
    await staff.click("프로젝트 제안서 올리기")
    await staff.send_document("제안서.pdf", make_pdf("P-1", "P-2"), "application/pdf")
    await staff.expect("제안서.pdf 파일을 받았습니다")
    await staff.expect("병합 PDF: 2쪽")
    assert (await _program(flows, pid)).attachment_file_id is not None
