"""What the portal forbids does not get through: each refusal, its reason, nothing saved."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from pypdf import PdfWriter
from sqlalchemy import select

from bot.config import Settings
from bot.domain.errors import DomainError
from bot.playground.driver import PlaygroundUser
from bot.services import program_registry
from bot.services.identity import Actor, Role
from bot.storage.models import Agency, AuditLog, HostCompany, Program
from tests.e2e.test_program_support import make_pdf, make_program, open_program
from tests.factories import grant_second_factor
from tests.world import CENTER, STAFF, World


async def _staff(world: World) -> PlaygroundUser:
    await grant_second_factor(world.ctx, STAFF)
    return world.user(STAFF)


async def _edit(staff: PlaygroundUser, program_name: str, field_label: str) -> None:
    await open_program(staff, program_name)
    await staff.click("항목 수정")
    await staff.expect("수정할 항목을 고르세요")
    await staff.click(field_label)
    await staff.expect()  # the question


async def _program(world: World, pid: int) -> Program:
    async with world.ctx.db.session() as session:
        program = await session.get(Program, pid)
        assert program is not None
        return program


async def _start_company(staff: PlaygroundUser, program_name: str, company: str) -> None:
    await open_program(staff, program_name)
    await staff.click("참여기업 (")
    await staff.expect(f"참여기업 — {program_name}")
    await staff.click("참여기업 추가")
    await staff.expect("사업장명")
    await staff.send(company)
    await staff.expect("사업자등록번호")


# --- dates -------------------------------------------------------------------------------


async def test_end_before_start_is_refused(world: World) -> None:
    staff = await _staff(world)
    await staff.send("/newprogram")
    await staff.expect("프로그램 유형")
    await staff.click("인턴형")
    await staff.expect("프로그램명")
    await staff.send("기간 테스트")
    await staff.expect("총 모집인원")
    await staff.send("3")
    await staff.expect("시작일")
    await staff.send("2030-05-01")
    await staff.expect("종료일")
    await staff.send("2030-04-30")
    await staff.expect("종료일(2030-04-30)이 시작일(2030-05-01)보다")
    await staff.expect("종료일을 입력해")  # the same question again
    await staff.send("2030-02-30")
    await staff.expect("없는 날짜입니다")
    await staff.send("2030-05-01")  # a one-day period is fine
    await staff.expect("주요 일정")
    # ◀ 이전 goes back one step
    await staff.click("◀ 이전")
    await staff.expect("종료일을 입력해")
    async with world.ctx.db.session() as session:
        program = await session.scalar(select(Program).where(Program.name == "기간 테스트"))
        assert program is not None
        assert program.period_start == program.period_end
    # moving the start after the end is refused as well
    await staff.send("/cancel")
    await staff.expect("취소했습니다")
    await _edit(staff, "기간 테스트", "일경험 시작일")
    await staff.send("2030-06-01")
    await staff.expect("시작일(2030-06-01)보다 앞설 수 없습니다")


# --- phones ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "column"),
    [
        ("교육 담당 전화", "training_phone"),
        ("운영기관 전화", "contact_phone"),
        ("운영기관 팩스", "contact_fax"),
    ],
)
async def test_mobile_number_in_a_public_phone_field_is_refused(
    world: World, label: str, column: str
) -> None:
    staff = await _staff(world)
    pid = await make_program(world.ctx, "intern", name="전화 테스트")
    before = getattr(await _program(world, pid), column)
    await _edit(staff, "전화 테스트", label)
    await staff.send("010-1234-5678")
    refusal = await staff.expect("휴대전화번호를 넣을 수 없습니다")
    assert "직통" in refusal.text
    assert getattr(await _program(world, pid), column) == before
    await staff.send("+82 10 9876 5432")
    await staff.expect("휴대전화번호를 넣을 수 없습니다")
    await staff.send("031-123-4567")
    await staff.expect("모집방식: 수시모집")  # saved, back on the summary
    assert getattr(await _program(world, pid), column) == "031-123-4567"


# --- training content bytes --------------------------------------------------------------


async def test_training_content_over_1500_utf8_bytes_is_refused(world: World) -> None:
    staff = await _staff(world)
    pid = await make_program(world.ctx, "intern", name="바이트 테스트")
    await open_program(staff, "바이트 테스트")
    await staff.click("항목 수정")
    await staff.expect("수정할 항목을 고르세요")
    await staff.click("교육내용")
    await staff.expect("최대 1500바이트 (UTF-8 기준")
    await staff.send("가" * 500 + "a")  # 1,501 bytes in UTF-8
    refusal = await staff.expect("너무 깁니다")
    assert "1501/1500" in refusal.text
    assert (await _program(world, pid)).training_content == "15시간 온라인"
    await staff.send("가" * 500)  # exactly 1,500 bytes
    await staff.expect("모집방식: 수시모집")
    assert (await _program(world, pid)).training_content == "가" * 500


@pytest.fixture
async def cp949_world(settings: Settings) -> AsyncIterator[World]:
    w = World(settings.model_copy(update={"byte_mode": "cp949"}))
    await w.start(seed=True)
    try:
        yield w
    finally:
        await w.stop()


async def test_training_content_is_counted_in_the_configured_mode(cp949_world: World) -> None:
    world = cp949_world
    staff = await _staff(world)
    pid = await make_program(world.ctx, "intern", name="CP949 테스트")
    await open_program(staff, "CP949 테스트")
    await staff.click("항목 수정")
    await staff.expect("수정할 항목을 고르세요")
    await staff.click("교육내용")
    await staff.expect("CP949 기준")
    await staff.send("가" * 750 + "a")  # 1,501 bytes in CP949 (Hangul = 2 bytes)
    refusal = await staff.expect("너무 깁니다")
    assert "1501/1500" in refusal.text
    await staff.send("가" * 750)  # 1,500 bytes in CP949 (2,250 in UTF-8)
    await staff.expect("모집방식: 수시모집")
    assert (await _program(world, pid)).training_content == "가" * 750


# --- head counts -------------------------------------------------------------------------


async def test_submit_is_refused_until_the_head_counts_add_up(world: World) -> None:
    staff = await _staff(world)
    pid = await make_program(world.ctx, "intern", name="인원 테스트", total_recruitment=5)
    await open_program(staff, "인원 테스트")
    await staff.click("등록 신청")
    refusal = await staff.expect("총 모집인원(5명)과 다릅니다")
    assert "합(3명)" in refusal.text and "차이: 2명" in refusal.text
    assert "2명 모자랍니다" in refusal.text
    assert (await _program(world, pid)).status == "draft"
    # fix a company's head count: 2 → 4 makes 5
    await open_program(staff, "인원 테스트")
    await staff.click("참여기업 (2)")
    await staff.expect("모집인원 합계 3명 / 총 모집인원 5명")
    await staff.click("주식회사 한빛 인원 변경")  # the company is named on its button
    await staff.expect("새 모집인원")
    await staff.send("4")
    await staff.expect("모집인원 합계 5명 / 총 모집인원 5명")
    await staff.click("프로그램 요약으로")
    await staff.expect("모집방식: 수시모집")
    await staff.click("등록 신청")
    await staff.expect("등록 신청했습니다")
    assert (await _program(world, pid)).status == "pending"


async def test_project_jobs_over_the_total_are_refused(world: World) -> None:
    staff = await _staff(world)
    pid = await make_program(world.ctx, "project", name="직무 초과 테스트", total_recruitment=3)
    await open_program(staff, "직무 초과 테스트")
    await staff.click("등록 신청")
    refusal = await staff.expect("다릅니다")
    assert "1명 넘칩니다" in refusal.text
    assert (await _program(world, pid)).status == "draft"


async def test_submit_lists_what_is_missing(world: World) -> None:
    staff = await _staff(world)
    await make_program(
        world.ctx,
        "intern",
        name="미완성 테스트",
        attachment=False,
        companies=False,
        work_address=None,
    )
    await open_program(staff, "미완성 테스트")
    await staff.click("등록 신청")
    refusal = await staff.expect("아직 등록 신청할 수 없습니다")
    for label in ("일경험 수행장소 주소", "첨부파일", "참여기업"):
        assert label in refusal.text


# --- host companies ----------------------------------------------------------------------


async def test_bad_business_registration_number_is_refused(world: World) -> None:
    staff = await _staff(world)
    pid = await make_program(world.ctx, "intern", name="번호 테스트", companies=False)
    await _start_company(staff, "번호 테스트", "주식회사 오류")
    await staff.send("123-45-67890")
    await staff.expect("검증번호가 맞지 않습니다")
    await staff.send("12345")
    await staff.expect("숫자 10자리")
    await staff.send("１２０－８１－４７５２１")  # full-width digits are fine
    await staff.expect("임금체불")
    async with world.ctx.db.session() as session:
        assert not (
            await session.scalars(select(HostCompany).where(HostCompany.program_id == pid))
        ).all()


@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        ([("임금체불 사실", "예")], "임금체불 사업장은"),
        ([("임금체불 사실", "아니요"), ("중대재해 발생 사실", "예")], "중대재해 발생 사업장은"),
    ],
)
async def test_restricted_company_cannot_be_added(
    world: World, answers: list[tuple[str, str]], reason: str
) -> None:
    staff = await _staff(world)
    pid = await make_program(world.ctx, "intern", name="제한 테스트", companies=False)
    await _start_company(staff, "제한 테스트", "주식회사 체불")
    await staff.send("1208147521")
    for question, answer in answers:
        await staff.expect(question)
        await staff.click(answer)
    refusal = await staff.expect(reason)
    assert "주식회사 체불" in refusal.text and "다른 기업" in refusal.text
    async with world.ctx.db.session() as session:
        assert not (
            await session.scalars(select(HostCompany).where(HostCompany.program_id == pid))
        ).all()
        audit = await session.scalar(
            select(AuditLog).where(AuditLog.action == "hostco.add", AuditLog.outcome == "refused")
        )
        assert audit is not None and audit.reason and audit.reason.startswith("hostco.")


async def test_the_same_company_twice_is_refused(world: World) -> None:
    staff = await _staff(world)
    await make_program(world.ctx, "intern", name="중복 테스트")  # has 120-81-47521
    await _start_company(staff, "중복 테스트", "한빛 두번째")
    await staff.send("120 81 47521")
    refusal = await staff.expect("이미 등록된 사업자등록번호입니다")
    assert "120-81-47521" in refusal.text and "주식회사 한빛" in refusal.text


async def test_overseas_company_is_entered_by_hand_and_flagged(world: World) -> None:
    staff = await _staff(world)
    pid = await make_program(world.ctx, "project", name="해외 테스트")
    await open_program(staff, "해외 테스트")
    await staff.click("참여기업 (0)")
    await staff.expect("아직 등록한 참여기업이 없습니다")
    await staff.click("참여기업 추가")
    await staff.expect("사업장명")
    await staff.send("Green Data GmbH")
    await staff.expect("사업자등록번호")
    await staff.click("해외기업")
    await staff.expect("해외기업으로 수기 등록합니다")
    await staff.expect("임금체불")
    await staff.click("아니요")
    await staff.expect("중대재해")
    await staff.click("아니요")
    await staff.expect("소재지")  # no insured count for an overseas company
    await staff.send("Berlin, Germany")
    await staff.expect("일경험 수행주소")
    await staff.send("서울시 마포구 월드컵북로 396 (원격 협업)")
    await staff.expect("담당자 이름")
    await staff.send("Anna")
    await staff.expect("연락처")
    await staff.send("02-3000-9999")
    confirm = await staff.expect("참여기업 저장 전 확인")  # project type: no head count asked
    assert "해외기업·수기등록" in confirm.text
    await staff.click("참여기업 저장")
    await staff.expect("참여기업으로 추가했습니다")
    listing = await staff.expect("해외기업·수기등록")
    assert "Green Data GmbH" in listing.text
    async with world.ctx.db.session() as session:
        company = await session.scalar(select(HostCompany).where(HostCompany.program_id == pid))
        assert company is not None
        assert (company.brn, company.overseas, company.headcount) == (None, True, None)
        assert company.insured_check == "pending"


# --- attachments -------------------------------------------------------------------------


def _encrypted_pdf() -> bytes:
    import io

    from pypdf import PdfReader

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(make_pdf("SECRET"))))
    writer.encrypt("pw")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


async def test_non_pdf_encrypted_and_corrupt_attachments_are_refused(world: World) -> None:
    staff = await _staff(world)
    pid = await make_program(world.ctx, "intern", name="첨부 거절 테스트", attachment=False)
    await open_program(staff, "첨부 거절 테스트")
    await staff.click("첨부파일")
    await staff.expect("운영계획서: 없음")
    await staff.click("운영계획서 올리기")
    await staff.expect("운영계획서 PDF 파일을")
    await staff.send_document("plan.pdf", "한글 문서입니다".encode(), "application/pdf")
    refusal = await staff.expect("PDF 파일이 아닙니다")
    assert "plan.pdf" in refusal.text
    await staff.expect("운영계획서 PDF 파일을")  # asked again
    await staff.send_document(
        "plan.docx", b"PK\x03\x04 word", "application/vnd.openxmlformats-officedocument"
    )
    await staff.expect("PDF 파일이 아닙니다")
    await staff.send_document("locked.pdf", _encrypted_pdf(), "application/pdf")
    await staff.expect("암호가 걸린 PDF")
    await staff.send_document("broken.pdf", b"%PDF-1.7\n1 0 obj garbage", "application/pdf")
    await staff.expect("열 수 없습니다")
    await staff.send("여기 있어요")
    await staff.expect("문서(파일)로 보내 주세요")
    program = await _program(world, pid)
    assert program.plan_file_id is None and program.attachment_file_id is None
    await staff.send_document("plan.pdf", make_pdf("PLAN"), "application/pdf")
    await staff.expect("사전직무교육계획서 PDF 파일을")
    assert (await _program(world, pid)).plan_file_id is not None


# --- locks, approval edits, access -------------------------------------------------------


async def test_edits_after_approval_are_audited(world: World) -> None:
    staff = await _staff(world)
    pid = await make_program(world.ctx, "intern", name="승인 후 수정", status="approved")
    await open_program(staff, "승인 후 수정")
    await staff.click("항목 수정")
    await staff.expect("수정할 항목을 고르세요")
    await staff.click("일경험 수당")
    await staff.expect("승인되어 공개 중인 프로그램입니다")
    await staff.send("주 40만원 × 8주")
    await staff.expect("주 40만원")
    async with world.ctx.db.session() as session:
        row = await session.scalar(
            select(AuditLog).where(
                AuditLog.action == "program.edit", AuditLog.entity_id == str(pid)
            )
        )
        assert row is not None and row.reason == "after_approval"
        assert row.before == {"allowance": "주 35만원"}
        assert row.after == {"allowance": "주 40만원 × 8주"}
    assert (await _program(world, pid)).status == "approved"


async def test_program_is_locked_after_the_roster_is_confirmed(world: World) -> None:
    staff = await _staff(world)
    pid = await make_program(world.ctx, "intern", name="잠김 테스트", status="approved")
    await open_program(staff, "잠김 테스트")
    await staff.click("항목 수정")
    await staff.expect("수정할 항목을 고르세요")
    async with world.ctx.db.session() as session:
        program = await session.get(Program, pid)
        assert program is not None
        program.roster_locked_at = world.ctx.now()
    await staff.click("프로그램명")
    await staff.send("잠김 후 새 이름")
    await staff.expect("명단이 잠겨")
    summary = await open_program(staff, "잠김 테스트")
    assert "명단이 확정되어" in summary.text
    assert not any("항목 수정" in b for row in summary.buttons for b in row)
    assert (await _program(world, pid)).name == "잠김 테스트"
    async with world.ctx.db.session() as session:
        assert await session.scalar(
            select(AuditLog).where(
                AuditLog.reason == "roster.locked", AuditLog.outcome == "refused"
            )
        )


async def test_staff_of_another_agency_cannot_touch_the_program(world: World) -> None:
    pid = await make_program(world.ctx, "intern", name="타기관 테스트")
    async with world.ctx.db.session() as session:
        other = Agency(corporate_name="다른기관")
        session.add(other)
        await session.flush()
        other_id = other.id
    outsider = Actor(
        telegram_id=777001, role=Role.STAFF, agency_id=other_id, permissions=frozenset({"program"})
    )
    with pytest.raises(DomainError) as error:
        await program_registry.set_field(world.ctx, outsider, pid, "name", "가로채기")
    assert error.value.code == "access.agency"
    with pytest.raises(DomainError) as error:
        await program_registry.submit(world.ctx, outsider, pid)
    assert error.value.code == "access.agency"
    no_permission = Actor(telegram_id=777002, role=Role.STAFF, agency_id=1)
    with pytest.raises(DomainError):
        await program_registry.create_draft(world.ctx, no_permission, "intern", "권한 없음")
    center = Actor(telegram_id=CENTER, role=Role.CENTER)
    with pytest.raises(DomainError) as error:
        await program_registry.approve(world.ctx, Actor(STAFF, Role.STAFF, agency_id=1), pid)
    assert error.value.code == "access.center_only"
    with pytest.raises(DomainError) as error:
        await program_registry.approve(world.ctx, center, pid)  # a draft cannot be approved
    assert error.value.code == "progreg.not_pending"


# --- conversation hygiene ----------------------------------------------------------------


async def test_text_where_a_button_is_expected_and_a_double_tap(world: World) -> None:
    staff = await _staff(world)
    await staff.send("/newprogram")
    first = await staff.expect("프로그램 유형")
    await staff.send("인턴형이요")
    await staff.expect("버튼으로 선택해 주세요")
    await staff.expect("프로그램 유형")  # the question answered by text loses its buttons
    again = await staff.expect("프로그램 유형")  # and is asked again, with them
    assert any("인턴형" in b for row in again.buttons for b in row)
    assert not any(m.buttons for m in staff.messages if m.message_id == first.message_id)
    tap = await staff.click("프로젝트형")
    double = await staff.click("프로젝트형")
    await staff.wait_callback_answer(tap)
    answer = await staff.wait_callback_answer(double)
    assert "더 이상 유효하지 않습니다" in answer["text"]
    await staff.expect("프로그램명")
    await staff.quiet(0.2)


# --- insured-count checks (center) -------------------------------------------------------


async def test_rejected_insured_check_blocks_approval_and_tells_staff(world: World) -> None:
    staff = await _staff(world)
    await grant_second_factor(world.ctx, CENTER)
    pid = await make_program(world.ctx, "intern", name="피보험자 테스트", status="pending")
    center = world.user(CENTER)
    await center.send("/programreviews")
    await center.expect("검토 대기")
    await center.click("피보험자 테스트")
    await center.expect("담당자 정보는 센터에만")
    await center.click("❌ 반려", message_id=center.last.message_id)
    await center.expect("피보험자수 확인을 반려했습니다")
    card = await center.expect("담당자 정보는 센터에만")
    assert "반려" in card.text
    await staff.expect("피보험자수 확인을 반려했습니다")
    await center.click("주식회사 누리 피보험자수 확인")
    await center.expect("주식회사 누리의 피보험자수 확인을 승인했습니다")
    await center.expect("담당자 정보는 센터에만")
    await center.click("프로그램 승인")
    refusal = await center.expect("반려된 참여기업이 있습니다")
    assert "주식회사 한빛" in refusal.text
    assert (await _program(world, pid)).status == "pending"


async def test_company_added_after_approval_waits_for_the_center(world: World) -> None:
    staff = await _staff(world)
    await grant_second_factor(world.ctx, CENTER)
    pid = await make_program(world.ctx, "intern", name="승인 후 기업 추가", status="approved")
    async with world.ctx.db.session() as session:
        for company in (
            await session.scalars(select(HostCompany).where(HostCompany.program_id == pid))
        ).all():
            company.insured_check = "confirmed"
    await _start_company(staff, "승인 후 기업 추가", "주식회사 새기업")
    await staff.send("314-86-15798")
    for question in ("임금체불 사실", "중대재해 발생 사실"):
        await staff.expect(question)
        await staff.click("아니요")
    for question, answer in (
        ("피보험자수", "7"),
        ("소재지", "부산시 해운대구"),
        ("일경험 수행주소", "부산시 해운대구 센텀로 1, 3층"),
        ("담당자 이름", "강담당"),
        ("연락처", "051-123-4567"),
        ("모집인원", "1"),
    ):
        await staff.expect(question)
        await staff.send(answer)
    await staff.expect("참여기업 저장 전 확인")
    await staff.click("참여기업 저장")
    await staff.expect("참여기업으로 추가했습니다")
    center = world.user(CENTER)
    await center.expect("피보험자수 확인을 기다립니다")
    await center.send("/programreviews")
    queue = await center.expect("검토 대기")
    assert any("승인 후 기업 추가" in b for row in queue.buttons for b in row)
    async with world.ctx.db.session() as session:
        added = await session.scalar(select(HostCompany).where(HostCompany.brn == "3148615798"))
        assert added is not None and added.insured_check == "pending"
        row = await session.scalar(
            select(AuditLog).where(AuditLog.action == "hostco.add", AuditLog.outcome == "ok")
        )
        assert row is not None and row.reason == "after_approval"
