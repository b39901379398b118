"""/export through the real dispatcher (a form-engine flow): files read back with openpyxl / csv
and checked cell by cell; steps, back, stale buttons, refusals."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.__main__ import main
from bot.config import Settings
from bot.domain.errors import DomainError
from bot.i18n import Translator
from bot.services import exports
from bot.services.context import open_context
from bot.services.demo import seed_demo
from bot.services.identity import Actor, Role
from bot.storage.models import Agency, AuditLog, Participant, Program
from tests.conftest import TEST_KEY
from tests.e2e.reports_support import SEOUL, next_monday_9, seed_report_data
from tests.factories import grant_second_factor, make_application, make_participant
from tests.flows.harness import Flows, FlowUser
from tests.world import CENTER, STAFF

APPLICATION_COLUMNS = [
    "운영기관", "프로그램명", "프로그램 유형", "참여자인증번호", "주민등록번호", "성명",
    "생년월일", "휴대폰번호", "이메일", "직무", "신청일자", "최종학력", "개인정보 동의일시",
    "사업자등록중", "실업급여 수급", "구직촉진수당 수급", "신청구분", "상태", "처리일시",
    "처리사유",
]  # fmt: skip
SHEETS = ["신청 현황", "참여자", "선발", "팀·참여기업 배정", "수료", "만족도 조사", "수료증"]
AGENCY = "(사)청년일경험지원협회"
INTERN = "IT 사무지원 인턴형 일경험"
PROJECT = "지역 ESG 데이터 프로젝트형 일경험"


def rows(sheet) -> list[list[object]]:  # type: ignore[no-untyped-def]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


async def _xlsx_as_staff(world: Flows):  # type: ignore[no-untyped-def]
    staff = world.user(STAFF)
    await grant_second_factor(world.ctx, STAFF)
    await staff.send("/export")
    await staff.expect("파일 형식을 골라 주세요")
    await staff.click("📗 Excel (xlsx, 전체 시트)")
    document = await staff.expect_document()
    assert document.file_name is not None and document.file_name.endswith(".xlsx")
    done = await staff.expect("자료")
    return load_workbook(io.BytesIO(await staff.download(document))), done


async def test_staff_xlsx_has_every_table_in_portal_order(flows: Flows) -> None:
    world = flows
    world.clock.set(next_monday_9())
    seeded = await seed_report_data(world.ctx)
    book, done = await _xlsx_as_staff(world)
    assert f"{AGENCY} 자료 19건을 내려받았습니다" in (done.text or "")  # rows of all sheets
    assert book.sheetnames == SHEETS
    applications = rows(book["신청 현황"])
    assert applications[0] == APPLICATION_COLUMNS
    by_id = {r[3]: r for r in applications[1:]}
    assert sorted(by_id) == sorted(
        [seeded.waiting, seeded.held, seeded.selected, seeded.certified, seeded.completed]
    )
    today = world.ctx.today()
    completed = by_id[seeded.completed]
    assert completed[:12] == [
        AGENCY, INTERN, "인턴형", seeded.completed, "010109-4******", "정수료",
        datetime(2001, 1, 9), "010-1234-5678", "hong@example.com", None,
        datetime.combine(today, datetime.min.time()), "대학교 졸업",
    ]  # fmt: skip
    assert isinstance(completed[12], datetime)  # consent time, local
    assert completed[13:18] == [None, None, None, "온라인 신청", "수료"]
    certified = by_id[seeded.certified]
    assert certified[13:18] == ["아니요", "예", None, "개별 신청", "선발대기"]
    held = by_id[seeded.held]
    assert held[17] == "보류" and held[19] == "졸업증명서 필요"
    assert held[18] == (world.ctx.now() - timedelta(days=9)).astimezone(SEOUL).replace(
        tzinfo=None, microsecond=0
    )

    participants = rows(book["참여자"])
    assert participants[0] == [
        "참여자번호", "주민등록번호", "성명", "생년월일", "휴대폰번호", "이메일", "최종학력",
        "개인정보 동의일시", "정보수신 동의", "신청 건수",
    ]  # fmt: skip
    assert len(participants) == 6
    assert {r[2] for r in participants[1:]} == {"김청년", "이지원", "박보류", "최인증", "정수료"}

    selection = rows(book["선발"])
    assert selection[0] == [
        "운영기관", "프로그램명", "참여자인증번호", "성명", "생년월일",
        "국민취업지원제도 참여여부", "상태", "직무교육 상태", "일경험 상태", "처리일시",
        "확정통보일시",
    ]  # fmt: skip
    assert [r[2] for r in selection[1:]] == [seeded.certified, seeded.completed, seeded.selected]
    assert selection[2][5:9] == ["예", "수료", "이수", "종료"]
    assert selection[3][5:9] == [None, "선발", "미시작", "미시작"]

    assignment = rows(book["팀·참여기업 배정"])
    assert assignment[0] == [
        "운영기관", "프로그램명", "프로그램 유형", "참여자인증번호", "성명", "팀명", "참여기업명",
        "사업자등록번호", "일경험수행주소",
    ]  # fmt: skip
    assert assignment[1] == [
        AGENCY, INTERN, "인턴형", seeded.completed, "정수료", None, "주식회사 한빛소프트웨어",
        "120-81-47521", "서울특별시 중구 세종대로 110, 5층",
    ]  # fmt: skip
    assert assignment[2][:7] == [
        AGENCY,
        PROJECT,
        "프로젝트형",
        seeded.selected,
        "이지원",
        None,
        None,
    ]

    completion = rows(book["수료"])
    assert completion[0][6:] == ["수료여부", "중도탈락 사유", "비고", "수료 처리일시"]
    assert completion[1][:4] == [AGENCY, INTERN, seeded.completed, "정수료"]
    assert completion[1][6:8] == ["수료", None]
    assert completion[2][6] == "진행 중"

    surveys = rows(book["만족도 조사"])
    assert surveys[0][:7] == [
        "운영기관", "프로그램명", "참여자인증번호", "성명", "만족도 등록여부", "작성방법",
        "제출일시",
    ]  # fmt: skip
    assert surveys[0][7:9] == ["전반 만족도", "직무 이해 도움"]
    assert surveys[1][:6] == [AGENCY, INTERN, seeded.completed, "정수료", "등록", "본인 작성"]
    assert surveys[1][7:9] == [5, 4]
    assert "멘토링이 좋았어요" in surveys[1]

    certificates = rows(book["수료증"])
    assert certificates[0] == [
        "운영기관", "프로그램명", "참여자인증번호", "성명", "수료증 상태", "발급번호", "발급일",
        "신청일시", "처리일시", "반려사유",
    ]  # fmt: skip
    assert certificates[1][:7] == [
        AGENCY, INTERN, seeded.completed, "정수료", "발급", "2026-0001-000001",
        datetime.combine(today, datetime.min.time()),
    ]  # fmt: skip
    async with world.ctx.db.session() as session:
        audited = await session.scalar(select(AuditLog).where(AuditLog.action == "export.create"))
    assert audited is not None and audited.actor_id == STAFF and audited.after is not None
    assert audited.after["masked"] is True and audited.after["format"] == "xlsx"


async def test_staff_csv_is_utf8_with_bom_and_their_agency_only(flows: Flows) -> None:
    world = flows
    await seed_report_data(world.ctx)
    other = await _other_agency(world)
    staff = world.user(STAFF)
    await grant_second_factor(world.ctx, STAFF)
    await staff.send("/export")
    await staff.expect("파일 형식을 골라 주세요")
    await staff.click("📄 CSV (항목 하나)")
    await staff.expect("CSV로 내려받을 항목")
    await staff.click("◀ 이전")  # back to the format choice, then forward again
    await staff.expect("파일 형식을 골라 주세요")
    await staff.click("📄 CSV (항목 하나)")
    await staff.expect("CSV로 내려받을 항목")
    await staff.click("신청 현황")
    document = await staff.expect_document()
    raw = await staff.download(document)
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8 Korean correctly
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0] == APPLICATION_COLUMNS
    assert {r[0] for r in table[1:]} == {AGENCY}  # not the other agency's applicant
    assert other not in {r[5] for r in table[1:]}
    assert all(r[10] == world.ctx.today().isoformat() for r in table[1:])
    await staff.expect("자료 5건을 내려받았습니다")
    await staff.send("/export")  # an abandoned export leaves stale buttons behind
    await staff.expect("파일 형식을 골라 주세요")
    await staff.send("/cancel")
    await staff.expect("취소했습니다")
    query = await staff.click("📄 CSV (항목 하나)")
    assert "더 이상 유효하지 않습니다" in (await staff.wait_callback_answer(query))["text"]
    await staff.quiet(0.3)


async def _other_agency(world: Flows) -> str:
    """A second agency with one applicant whose name would start a formula in a spreadsheet."""
    async with world.ctx.db.session() as session:
        agency = Agency(corporate_name="(주)다른기관", region="부산")
        session.add(agency)
        await session.flush()
        program = Program(
            agency_id=agency.id, type="intern", name="부산 인턴형", status="approved"
        )
        session.add(program)
        await session.flush()
        pid = program.id
    name = '=HYPERLINK("http://x")'
    person = await make_participant(world.ctx, None, name=name)
    await make_application(world.ctx, person, pid)
    return name


async def test_unmasked_export_is_refused_for_staff(flows: Flows) -> None:
    world = flows
    await seed_report_data(world.ctx)
    staff = world.user(STAFF)
    await grant_second_factor(world.ctx, STAFF)
    await staff.send("/export rrn")
    await staff.expect("전체 주민등록번호 내보내기는 통합지원센터만 할 수 있습니다")
    await staff.quiet(0.3)
    actor = Actor(STAFF, Role.STAFF, agency_id=1)
    with pytest.raises(DomainError) as refused:  # the service refuses too (a crafted request)
        await exports.export_data(
            world.ctx, actor, Translator().bind("ko"), agency_id=1, fmt="xlsx", unmasked=True,
            reason="필요합니다 정말로",
        )  # fmt: skip
    assert refused.value.code == "export.unmasked_center_only"
    with pytest.raises(DomainError) as elsewhere:
        await exports.export_data(
            world.ctx, actor, Translator().bind("ko"), agency_id=99, fmt="xlsx"
        )
    assert elsewhere.value.code == "access.agency"
    async with world.ctx.db.session() as session:
        refusals = (
            await session.scalars(
                select(AuditLog.action).where(AuditLog.outcome == "refused").order_by(AuditLog.id)
            )
        ).all()
    assert refusals == ["export.unmasked", "export.unmasked", "export.create"]


async def test_center_exports_full_numbers_only_with_a_reason(flows: Flows) -> None:
    world = flows
    seeded = await seed_report_data(world.ctx)
    formula = await _other_agency(world)
    center = world.user(CENTER)
    await grant_second_factor(world.ctx, CENTER)
    await center.send("/export")
    await center.expect("어느 기관의 자료를")
    await center.click("🏢 전체 기관")
    await center.expect("파일 형식을 골라 주세요")
    await center.click("📗 Excel (xlsx, 전체 시트)")
    await center.expect("주민등록번호 표시")
    await center.click("🔓 전체 번호 포함 (사유 필요)")
    await center.expect("필요한 사유를 적어 주세요")
    await center.send("급함")
    await center.expect("5자 이상")
    await center.send("고용24 참여자 자격조회 일괄 입력")
    document = await center.expect_document()
    done = await center.expect("자료 ")
    assert "전체 주민등록번호가 들어 있는 파일입니다" in (done.text or "")
    book = load_workbook(io.BytesIO(await center.download(document)))
    applications = rows(book["신청 현황"])
    by_id = {r[3]: r for r in applications[1:]}
    assert by_id[seeded.completed][4] == "010109-4123456"
    assert {r[0] for r in applications[1:]} == {AGENCY, "(주)다른기관"}
    injected = next(r for r in book["신청 현황"].iter_rows(min_row=2) if r[0].value != AGENCY)
    assert injected[5].value == formula and injected[5].data_type == "s"  # text, not a formula
    async with world.ctx.db.session() as session:
        entry = await session.scalar(select(AuditLog).where(AuditLog.action == "export.unmasked"))
        stored = await session.scalar(
            select(Participant.rrn_masked).where(Participant.name == "정수료")
        )
    assert entry is not None and entry.reason == "고용24 참여자 자격조회 일괄 입력"
    assert entry.actor_id == CENTER and entry.outcome == "ok"
    assert stored == "010109-4******"


async def test_center_picks_one_agency_and_gets_masked_numbers(flows: Flows) -> None:
    world = flows
    await seed_report_data(world.ctx)
    await _other_agency(world)
    center = world.user(CENTER)
    await grant_second_factor(world.ctx, CENTER)
    await center.send("/export")
    await center.expect("어느 기관의 자료를")
    await center.click("(주)다른기관")
    await center.expect("파일 형식을 골라 주세요")
    await center.send("엑셀로 주세요")  # free text where a button is expected
    await center.expect("버튼에서 골라 주세요")
    await center.click("◀ 이전")
    await center.expect("어느 기관의 자료를")
    await center.click(AGENCY)
    await center.expect("파일 형식을 골라 주세요")
    await center.click("📄 CSV (항목 하나)")
    await center.expect("CSV로 내려받을 항목")
    await center.click("참여자")
    await center.expect("주민등록번호 표시")
    await center.click("🔒 가린 번호로 받기 (권장)")
    document = await center.expect_document()
    table = list(csv.reader(io.StringIO((await center.download(document)).decode("utf-8-sig"))))
    assert table[0][:3] == ["참여자번호", "주민등록번호", "성명"]
    assert ["010109-4******", "정수료"] in [r[1:3] for r in table[1:]]
    assert "010109-4123456" not in (await center.download(document)).decode("utf-8-sig")


def test_cli_export_writes_a_masked_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    settings = Settings(_env_file=None, database_url=url, data_key=TEST_KEY)  # type: ignore[call-arg]

    async def seed() -> None:
        ctx = await open_context(settings)
        try:
            await seed_demo(ctx)
            await seed_report_data(ctx)
        finally:
            await ctx.db.dispose()

    asyncio.run(seed())
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DATA_KEY", TEST_KEY)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out.csv"
    code = main(["export", "--format", "csv", "--dataset", "certificates", "--out", str(out)])
    assert code == 0
    table = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert table[0][:5] == ["운영기관", "프로그램명", "참여자인증번호", "성명", "수료증 상태"]
    assert table[1][3:6] == ["정수료", "발급", "2026-0001-000001"]
    assert table[1][6] == date.today().isoformat() or table[1][6]
    assert main(["export", "--format", "csv"]) == 1  # csv needs one table


async def _center_with_twelve_more_agencies(flows: Flows) -> FlowUser:
    async with flows.ctx.db.session() as session:
        session.add_all(Agency(corporate_name=f"기관{n:02}", region="서울") for n in range(12))
    await grant_second_factor(flows.ctx, CENTER)
    return flows.user(CENTER)


async def test_center_pages_through_agencies_and_may_type_one(flows: Flows) -> None:
    center = await _center_with_twelve_more_agencies(flows)
    await center.send("/export")
    first = await center.expect("어느 기관의 자료를")
    labels = [b for row in first.buttons for b in row]
    assert "기관00" in labels and "기관11" not in labels and "뒤쪽 ▶" in labels
    _, again = await center.click_twice("뒤쪽 ▶")  # a double tap turns one page
    assert "더 이상 유효하지 않습니다" in center.answer_of(again)
    second = await center.expect("어느 기관의 자료를")
    assert second.message_id == first.message_id  # the same message, its other page
    labels = [b for row in second.buttons for b in row]
    assert "기관11" in labels and "◀ 앞쪽" in labels and "기관00" not in labels
    await center.send("기관00")  # a label of another page, typed: chosen all the same
    await center.expect("기관00\n파일 형식을 골라 주세요")


async def test_reports_pages_the_agencies_as_export_does(flows: Flows) -> None:
    """/reports: 전체 운영기관 on every page, then as many agencies a page as /export's step."""
    center = await _center_with_twelve_more_agencies(flows)
    every = [label for _, label in await exports.active_agencies(flows.ctx)]
    await center.send("/reports")
    first = await center.expect("어느 운영기관의 보고서를")
    assert first.buttons[0] == ["🌐 전체 운영기관"]
    assert [row[0] for row in first.buttons[1:9]] == every[:8]
    pages = -(-len(every) // 8)
    assert first.buttons[9] == [f"1/{pages}", "다음 ▶"]
    await center.click("다음 ▶")
    second = await center.expect("어느 운영기관의 보고서를")
    assert second.message_id == first.message_id  # the same message, its next page
    assert [row[0] for row in second.buttons[1:-1]] == every[8:16]
    assert second.buttons[-1][:2] == ["◀ 이전", f"2/{pages}"]
    await center.click(every[8])
    await center.expect(f"{every[8]} 보고서를 고르세요")
