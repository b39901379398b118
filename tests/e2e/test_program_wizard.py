"""Program registration end to end: /newprogram → companies/jobs → PDF → submit → approved."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader
from sqlalchemy import select

from bot.playground.driver import PlaygroundUser
from bot.storage.models import AuditLog, HostCompany, Job, OutboxMessage, Program
from tests.e2e.test_program_support import make_pdf, open_program
from tests.factories import grant_second_factor
from tests.world import CENTER, PARTICIPANT, STAFF, World


async def _answer_common_fields(staff: PlaygroundUser, *, total: str) -> None:
    """From the total recruitment to the selection criteria (the same for every type)."""
    await staff.expect("총 모집인원을 숫자로")
    await staff.send(total)
    await staff.expect("시작일")
    await staff.send("2030-04-01")
    await staff.expect("종료일")
    await staff.send("2030.5.26")
    await staff.expect("주요 일정")
    await staff.send("1주차 직무소개·OJT\n2주차 과업수행과 주간리뷰")
    await staff.expect("주당 일경험 시간")
    await staff.send("25시간")
    await staff.expect("일경험 수당")
    await staff.send("주 35만원 × 8주 (최대 월 140만원)")
    await staff.expect("직무별 주요내용")
    await staff.send("1) 경영사무: 문서 정리 2) 금융회계: 전표 입력")
    await staff.expect("멘토링 방식")
    await staff.send("전담 멘토 1:1, 주 1회")
    await staff.expect("수료 시 혜택")
    await staff.send("일경험 수료증 발급")


async def _answer_place_and_selection(staff: PlaygroundUser) -> None:
    await staff.expect("수행장소의 정확한 주소")
    await staff.send("서울시 중구 세종대로 39, 2층 강의장")
    await staff.expect("지역(시·도)")
    await staff.click("서울")
    await staff.expect("선발기준")
    await staff.send("서류 검토 후 면접")
    await staff.expect("이력서 제출이 필요")
    await staff.click("이력서 불필요")


async def _finish_contact_block(staff: PlaygroundUser) -> None:
    await staff.expect("운영기관 정보")
    await staff.click("우리 기관 정보로 채우기")
    await staff.expect("기관 정보로 채웠습니다")
    await staff.expect("기타사항")
    await staff.send("센터 참고: 2차 모집 예정")
    review = await staff.expect("입력한 내용")  # every field, the fixed ones too
    assert "모집방식: 수시모집" in review.text and "이력서 제출: 이력서 불필요" in review.text
    await staff.click("입력 완료")
    await staff.expect("모든 항목을 입력했습니다")
    await staff.expect("등록 신청 전에 남은 항목 2개")


async def _add_company(staff: PlaygroundUser, name: str, brn: str, headcount: str | None) -> None:
    await staff.click("참여기업 추가")
    await staff.expect("사업장명")
    await staff.send(name)
    await staff.expect("사업자등록번호")
    await staff.send(brn)
    await staff.expect("임금체불")
    await staff.click("아니요")
    await staff.expect("중대재해")
    await staff.click("아니요")
    await staff.expect("피보험자수")
    await staff.send("25")
    await staff.expect("소재지")
    await staff.send("서울시 중구 세종대로 110")
    await staff.expect("일경험 수행주소")
    await staff.click("프로그램 수행장소와 같음")
    await staff.expect("담당자 이름")
    await staff.send("오담당")
    await staff.expect("연락처")
    await staff.send("010-3333-4444")  # the contact is seen by the center only: a mobile is fine
    if headcount is not None:
        await staff.expect("모집인원")
        await staff.send(headcount)
    await staff.expect("참여기업 저장 전 확인")
    await staff.click("참여기업 저장")
    await staff.expect("참여기업으로 추가했습니다")


async def _center_approves(world: World, name: str, companies: list[str]) -> None:
    center = world.user(CENTER)
    await center.expect("프로그램 승인 요청")
    await center.send("/programreviews")
    await center.expect("검토 대기")
    await center.click(name)
    card = await center.expect("담당자 정보는 센터에만")
    for company in companies:
        assert company in card.text
    if companies:
        assert "오담당" in card.text  # the center sees the host-company contact
    if companies:
        # approving before the insured-count checks are done is refused
        await center.click("프로그램 승인")
        await center.expect("피보험자수 확인이 끝나지 않은")
        for company in companies:
            await center.click(f"{company} 피보험자수 확인")
            await center.expect("피보험자수 확인을 승인했습니다")
            await center.expect("담당자 정보는 센터에만")
    await center.click("프로그램 승인")
    await center.expect("승인했습니다. 이제 참여자에게 공개")


async def _listed_to_participants(world: World, name: str) -> None:
    """The participants' catalogue (issue 3) shows approved, publicly listed programs."""
    person = world.user(PARTICIPANT)
    await person.send("/programs")
    page = await person.expect()
    shown = page.text + " ".join(b for row in page.buttons for b in row)
    assert name in shown, shown


async def test_intern_program_from_newprogram_to_listed(world: World) -> None:
    await grant_second_factor(world.ctx, STAFF)
    await grant_second_factor(world.ctx, CENTER)
    staff = world.user(STAFF)
    await staff.send("/newprogram")
    await staff.expect("수시모집")
    await staff.expect("프로그램 유형")
    await staff.click("인턴형")
    await staff.expect("프로그램명을 입력")
    await staff.send("사무행정 인턴형 일경험")
    await staff.expect("임시저장했습니다")
    await _answer_common_fields(staff, total="3")
    await _answer_place_and_selection(staff)
    await staff.expect("사전직무교육이 있나요")
    await staff.click("사전직무교육 있음")
    await staff.expect("교육기관명")
    await staff.send("청년직무아카데미")
    await staff.expect("교육 담당자 이름")
    await staff.send("한교육")
    await staff.expect("교육 담당자 이메일")
    await staff.send("edu@example.org")
    await staff.expect("직통 전화번호")
    await staff.send("02-6050-3795")
    await staff.expect("사전교육 시작일")
    await staff.send("2030-03-25")
    await staff.expect("교육내용을 적어")
    await staff.send("교육시간 15시간 / 온라인 / 1주차 직장예절")
    await staff.expect("교육기관 홈페이지")
    await staff.click("건너뛰기")
    await _finish_contact_block(staff)

    await staff.click("참여기업 (0)")
    await staff.expect("아직 등록한 참여기업이 없습니다")
    await _add_company(staff, "주식회사 한빛", "120-81-47521", "2")
    await _add_company(staff, "주식회사 누리", "2208162517", "1")
    listing = await staff.expect("모집인원 합계 3명 / 총 모집인원 3명")
    assert "120-81-47521" in listing.text
    assert "오담당" not in listing.text  # contact persons are for the center

    await staff.click("프로그램 요약으로")
    await staff.expect("사무행정 인턴형 일경험")
    await staff.click("첨부파일")
    await staff.expect("순서로 이어 붙여")
    await staff.click("운영계획서 올리기")
    await staff.expect("운영계획서 PDF 파일을")
    await staff.send_document("운영계획서.pdf", make_pdf("PLAN-1", "PLAN-2"), "application/pdf")
    await staff.expect("파일을 받았습니다")
    await staff.expect("사전직무교육계획서 PDF 파일을")
    await staff.send_document("교육계획서.pdf", make_pdf("TRAINING-1"), "application/pdf")
    await staff.expect("병합 PDF: 3쪽")
    await staff.click("프로그램 요약으로")
    await staff.expect("필수 항목이 모두 채워졌습니다")
    await staff.click("등록 신청")
    await staff.expect("등록 신청했습니다")

    async with world.ctx.db.session() as session:
        program = await session.scalar(select(Program).where(Program.name.like("사무행정%")))
        assert program is not None and program.status == "pending"
        pid = program.id
    await _center_approves(world, "사무행정 인턴형 일경험", ["주식회사 한빛", "주식회사 누리"])
    await staff.expect("승인되어 참여자에게 공개되었습니다")
    await _listed_to_participants(world, "사무행정 인턴형 일경험")

    async with world.ctx.db.session() as session:
        program = await session.get(Program, pid)
        assert program is not None
        assert (program.status, program.public_listing, program.recruitment_mode) == (
            "approved",
            True,
            "rolling",
        )
        assert program.type == "intern" and program.total_recruitment == 3
        assert program.period_start == date(2030, 4, 1) and program.period_end == date(2030, 5, 26)
        assert program.weekly_hours == 25 and program.region == "서울"
        assert program.training_required is True and program.training_phone == "02-6050-3795"
        assert program.contact_phone == "02-6000-1234"  # from the agency record
        assert program.internal_notes == "센터 참고: 2차 모집 예정"
        assert program.approved_by == CENTER
        companies = (
            await session.scalars(select(HostCompany).where(HostCompany.program_id == pid))
        ).all()
        assert sorted((c.brn, c.headcount, c.insured_check) for c in companies) == [
            ("1208147521", 2, "confirmed"),
            ("2208162517", 1, "confirmed"),
        ]
        actions = set(
            (
                await session.scalars(
                    select(AuditLog.action).where(
                        AuditLog.entity == "program", AuditLog.entity_id == str(pid)
                    )
                )
            ).all()
        )
        assert {"program.create", "program.edit", "program.submit", "program.approve"} <= actions


async def test_project_program_from_newprogram_to_listed(world: World) -> None:
    await grant_second_factor(world.ctx, STAFF)
    await grant_second_factor(world.ctx, CENTER)
    staff = world.user(STAFF)
    await staff.send("/newprogram")
    await staff.expect("프로그램 유형")
    await staff.click("프로젝트형")
    await staff.expect("프로그램명을 입력")
    await staff.send("지역 관광 데이터 프로젝트")
    await staff.expect("임시저장했습니다")
    await _answer_common_fields(staff, total="4")
    await staff.expect("프로젝트 제안서 내용")
    await staff.send("지역 관광지 방문객 데이터를 모아 개선안을 제안합니다.")
    await _answer_place_and_selection(staff)
    await staff.expect("사전직무교육이 있나요")
    await staff.click("사전직무교육 없음")
    await _finish_contact_block(staff)

    await staff.click("직무 (0)")
    await staff.expect("아직 등록한 직무가 없습니다")
    for job, count in (("데이터 수집", "3"), ("보고서 작성", "1")):
        await staff.click("직무 추가")
        await staff.expect("직무명")
        await staff.send(job)
        await staff.expect("이 직무의")
        await staff.send(count)
        await staff.expect(f"{job} 직무를 추가했습니다")
    await staff.expect("합계 4명 / 총 모집인원 4명")
    await staff.click("프로그램 요약으로")
    await staff.expect("남은 항목 1개")
    await staff.click("첨부파일")
    shown = await staff.expect("사전직무교육이 없어")
    assert "프로젝트 제안서" in shown.text
    await staff.click("프로젝트 제안서 올리기")
    await staff.expect("프로젝트 제안서 PDF 파일을")
    await staff.send_document("제안서.pdf", make_pdf("PROPOSAL-1"), "application/pdf")
    await staff.expect("병합 PDF: 1쪽")
    await staff.click("프로그램 요약으로")
    await staff.expect("필수 항목이 모두 채워졌습니다")
    await staff.click("등록 신청")
    await staff.expect("등록 신청했습니다")
    await _center_approves(world, "지역 관광 데이터 프로젝트", [])
    await staff.expect("승인되어 참여자에게 공개되었습니다")
    await _listed_to_participants(world, "지역 관광 데이터 프로젝트")

    async with world.ctx.db.session() as session:
        program = await session.scalar(select(Program).where(Program.name.like("지역 관광%")))
        assert program is not None
        assert (program.type, program.status, program.public_listing) == (
            "project",
            "approved",
            True,
        )
        assert program.proposal_text and program.training_required is False
        jobs = (await session.scalars(select(Job).where(Job.program_id == program.id))).all()
        assert sorted((j.name, j.headcount) for j in jobs) == [
            ("데이터 수집", 3),
            ("보고서 작성", 1),
        ]


async def test_draft_is_saved_after_the_first_step_and_resumed(world: World) -> None:
    await grant_second_factor(world.ctx, STAFF)
    staff = world.user(STAFF)
    await staff.send("/newprogram")
    await staff.expect("프로그램 유형")
    await staff.click("ESG지원형")
    await staff.expect("프로그램명을 입력")
    await staff.send("ESG 공급망 진단 지원")
    await staff.expect("임시저장했습니다")
    await staff.expect("총 모집인원")
    await staff.send("/cancel")
    await staff.expect("취소했습니다")
    async with world.ctx.db.session() as session:
        draft = await session.scalar(select(Program).where(Program.name == "ESG 공급망 진단 지원"))
        assert draft is not None and (draft.status, draft.type) == ("draft", "esg")
        assert draft.created_by == STAFF and draft.recruitment_mode == "rolling"

    await world.restart()
    summary = await open_program(staff, "ESG 공급망 진단 지원")
    assert "임시저장" in summary.text and "남은 항목" in summary.text
    await staff.click("이어서 입력")
    await staff.expect("총 모집인원")
    await staff.send("열 명")
    await staff.expect("숫자로 입력해 주세요")  # refused, asked again
    await staff.send("5")
    await staff.expect("시작일")
    # any field can be edited from the summary
    await open_program(staff, "ESG 공급망 진단 지원")
    await staff.click("항목 수정")
    await staff.expect("수정할 항목을 고르세요")
    await staff.click("프로그램명")
    await staff.expect("지금 입력된 값: ESG 공급망 진단 지원")
    await staff.send("ESG 공급망 진단 지원 2기")
    await staff.expect("ESG 공급망 진단 지원 2기")
    async with world.ctx.db.session() as session:
        program = await session.get(Program, draft.id)
        assert program is not None and program.total_recruitment == 5
        assert program.name == "ESG 공급망 진단 지원 2기"


async def test_center_rejects_with_a_reason_and_staff_resubmit(world: World) -> None:
    from tests.e2e.test_program_support import make_program

    await grant_second_factor(world.ctx, STAFF)
    await grant_second_factor(world.ctx, CENTER)
    pid = await make_program(world.ctx, "project", name="반려 테스트 프로젝트")
    staff = world.user(STAFF)
    await open_program(staff, "반려 테스트 프로젝트")
    await staff.click("등록 신청")
    await staff.expect("등록 신청했습니다")
    person = world.user(PARTICIPANT)  # pending programs are not listed to participants
    await person.send("/programs")
    page = await person.expect()
    assert "반려 테스트" not in page.text + " ".join(b for row in page.buttons for b in row)
    center = world.user(CENTER)
    await center.expect("프로그램 승인 요청")
    await center.click("검토하기")
    await center.expect("담당자 정보는 센터에만")
    await center.click("반려")
    await center.expect("반려 사유")
    await center.send("수행장소 주소에 층수를 적어 주세요.")
    await center.expect("반려했습니다")
    await staff.expect("반려되었습니다")
    await staff.click("프로그램 열기", message_id=staff.last.message_id)
    await staff.expect("반려 사유: 수행장소 주소에 층수를 적어 주세요.")
    await staff.click("등록 신청")
    await staff.expect("등록 신청했습니다")
    async with world.ctx.db.session() as session:
        program = await session.get(Program, pid)
        assert program is not None and program.status == "pending"
        notes = (
            await session.scalars(
                select(OutboxMessage.kind).where(OutboxMessage.chat_id == CENTER)
            )
        ).all()
        assert notes.count("program.review") == 2


async def test_participant_cannot_register_programs(world: World) -> None:
    person = world.user(PARTICIPANT)
    await person.send("/newprogram")
    refusal = await person.expect()
    assert "프로그램 유형" not in refusal.text
    async with world.ctx.db.session() as session:
        refused = await session.scalar(
            select(AuditLog).where(AuditLog.actor_id == PARTICIPANT, AuditLog.outcome == "refused")
        )
        assert refused is not None


async def test_merged_attachment_can_be_downloaded_again(world: World) -> None:
    from tests.e2e.test_program_support import make_program

    await grant_second_factor(world.ctx, STAFF)
    await make_program(world.ctx, "intern", name="첨부 재다운로드", attachment=False)
    staff = world.user(STAFF)
    await open_program(staff, "첨부 재다운로드")
    await staff.click("첨부파일")
    await staff.expect("순서로 이어 붙여")
    await staff.click("운영계획서 올리기")
    await staff.expect("운영계획서 PDF 파일을")
    await staff.send_document("plan.pdf", make_pdf("PLAN-A", "PLAN-B"), "application/pdf")
    await staff.expect("사전직무교육계획서 PDF 파일을")
    await staff.send_document("training.pdf", make_pdf("TRAIN-A"), "application/pdf")
    await staff.expect("병합 PDF: 3쪽")
    await staff.click("첨부 PDF 받기")
    document = await staff.expect_document()
    pages = PdfReader(io.BytesIO(await staff.download(document))).pages
    assert [p.extract_text().strip() for p in pages] == ["PLAN-A", "PLAN-B", "TRAIN-A"]
    # a second time (Telegram's file id is reused)
    await open_program(staff, "첨부 재다운로드")
    await staff.click("첨부 PDF 받기")
    again = await staff.expect_document()
    assert PdfReader(io.BytesIO(await staff.download(again))).pages[0].extract_text() == "PLAN-A"
