"""Reports that fall due arrive through the outbox with the report attached: the program report
when the roster is confirmed, the result report after the program ends — once each."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import update

from bot.i18n import Translator
from bot.scheduler.jobs import job, run_job
from bot.services.report_due import send_report_reminders
from bot.storage.models import Program
from tests.e2e.reports_support import next_monday_9, seed_report_data
from tests.world import HEAD, STAFF, World


async def test_program_and_result_reports_are_sent_when_due(world: World) -> None:
    world.clock.set(next_monday_9())
    seeded = await seed_report_data(world.ctx)
    now, today = world.ctx.now(), world.ctx.today()
    async with world.ctx.db.session() as session:
        await session.execute(
            update(Program)
            .where(Program.id == seeded.intern)
            .values(roster_locked_at=now - timedelta(days=1))
        )
        await session.execute(
            update(Program)
            .where(Program.id == seeded.project)
            .values(period_start=today - timedelta(days=60), period_end=today - timedelta(days=2))
        )
    staff, head = world.user(STAFF), world.user(HEAD)
    assert await send_report_reminders(world.ctx, Translator(), now) == 2

    program = await staff.expect_document()
    assert "일경험 프로그램 실시보고 제출 안내" in (program.text or "")
    assert "IT 사무지원 인턴형 일경험" in (program.text or "")
    assert program.buttons == [["📑 보고서 열기"]]
    book = load_workbook(io.BytesIO(await staff.download(program)))
    sheet = book["프로그램"]
    assert [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        "IT 사무지원 인턴형 일경험"
    ]  # the due program only
    summary = await staff.expect_document()
    assert (summary.file_name or "").endswith(".pdf")
    assert (
        "일경험 프로그램 실시보고"
        in PdfReader(io.BytesIO(await staff.download(summary))).pages[0].extract_text()
    )
    result = await staff.expect_document()
    assert "결과보고 제출 안내" in (result.text or "")
    assert "지역 ESG 데이터 프로젝트형 일경험" in (result.text or "")
    await staff.expect_document()
    await head.quiet(0.3)  # the staff member in charge gets it, not the head

    assert await run_job(world.ctx, Translator(), job("report_due")) == 0  # once only
    await staff.quiet(0.5)
