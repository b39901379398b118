"""/reports in chat: staff look at a report (figures + picture + xlsx + PDF), confirm 제출 준비
완료, change data, and the next report shows the difference; the center sees all agencies."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from bot.services.identity import Actor, Role
from bot.services.review import decide
from bot.storage.models import AuditLog, ReportSnapshot
from tests.e2e.reports_support import next_monday_9, seed_report_data
from tests.factories import grant_second_factor
from tests.world import CENTER, STAFF, World

AGENCY = "(사)청년일경험지원협회"


async def _open(world: World, tid: int, button: str):  # type: ignore[no-untyped-def]
    person = world.user(tid)
    await person.click(button)
    chart = await person.expect_document(timeout=15)
    assert chart.is_photo and (await person.download(chart)).startswith(b"\x89PNG")
    xlsx = await person.expect_document(timeout=15)
    pdf = await person.expect_document(timeout=15)
    assert xlsx.file_name and xlsx.file_name.endswith(".xlsx")
    assert pdf.file_name and pdf.file_name.endswith(".pdf")
    summary = await person.expect("제출 준비 완료", timeout=15)
    return summary, await person.download(xlsx), await person.download(pdf)


async def test_staff_confirm_a_report_and_the_next_one_shows_what_changed(world: World) -> None:
    world.clock.set(next_monday_9())
    seeded = await seed_report_data(world.ctx)
    staff = world.user(STAFF)
    await grant_second_factor(world.ctx, STAFF)
    await staff.send("/reports")
    await staff.expect(f"{AGENCY} 보고서를 고르세요")
    summary, xlsx, pdf = await _open(world, STAFF, "실적보고 (주간 누적)")
    text = summary.text or ""
    assert f"실적보고 · {AGENCY}" in text
    assert "• 신청: 5" in text and "• 보류: 1" in text and "• 수료: 1" in text
    assert "확정된 이전 보고가 없습니다" in text
    assert summary.buttons == [["✅ 제출 준비 완료"]]
    sheet = load_workbook(io.BytesIO(xlsx))["실적(프로그램별)"]
    assert [c.value for c in sheet[1]][:5] == [
        "운영기관",
        "프로그램명",
        "프로그램유형",
        "총모집인원",
        "신청",
    ]
    page = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "실적보고" in page and "신청: 5" in page

    await staff.click("✅ 제출 준비 완료")
    await staff.expect("제출 준비 완료를 기록했습니다")
    async with world.ctx.db.session() as session:
        snap = (await session.scalars(select(ReportSnapshot))).one()
    assert snap.agency_id is not None and snap.kind == "performance"
    assert snap.confirmed_by == STAFF and snap.figures["held"] == 1

    world.clock.advance(timedelta(hours=1))  # the staff member holds the waiting application
    actor = Actor(STAFF, Role.STAFF, "ko", agency_id=snap.agency_id)
    await decide(
        world.ctx, actor, seeded.waiting, "hold", version=1, reason="서류 보완 필요합니다"
    )
    await staff.send("/reports")
    await staff.expect("보고서를 고르세요")
    again, _, pdf = await _open(world, STAFF, "실적보고 (주간 누적)")
    text = again.text or ""
    assert "직전 확정 보고(" in text and "보류: 1 → 2" in text
    assert "확정 이후 데이터 변경 기록" in text
    assert "보류: 1 → 2" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    async with world.ctx.db.session() as session:
        audited = (
            await session.scalars(
                select(AuditLog).where(AuditLog.action == "report.changed_after_confirm")
            )
        ).all()
    assert [a.after for a in audited] == [{"held": 2}]


async def test_center_picks_all_agencies_and_gets_the_result_report(world: World) -> None:
    world.clock.set(next_monday_9())
    await seed_report_data(world.ctx)
    center = world.user(CENTER)
    await grant_second_factor(world.ctx, CENTER)
    await center.send("/reports")
    await center.expect("어느 운영기관의 보고서")
    await center.click("🌐 전체 운영기관")
    await center.expect("전체 운영기관 보고서를 고르세요")
    summary, xlsx, _ = await _open(world, CENTER, "결과보고")
    assert "결과보고 · 전체 운영기관" in (summary.text or "")
    book = load_workbook(io.BytesIO(xlsx))
    assert book.sheetnames == ["결과", "만족도(문항별)", "만족도(자유응답)", "중도탈락 사유"]
