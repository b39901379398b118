"""/dashboard: the center sees the national funnel, the agencies that need attention (one tap to
their reports) and a national xlsx; staff are refused."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from bot.storage.models import Application, AuditLog, Program
from tests.e2e.reports_support import next_monday_9, seed_report_data
from tests.factories import grant_second_factor
from tests.world import CENTER, STAFF, World

AGENCY = "(사)청년일경험지원협회"


async def test_center_dashboard_funnel_attention_and_national_file(world: World) -> None:
    world.clock.set(next_monday_9())
    await seed_report_data(world.ctx)
    async with world.ctx.db.session() as session:
        programs = (
            await session.scalars(select(Program).where(Program.status == "approved"))
        ).all()
        apps = [
            a for a in await session.scalars(select(Application))
            if a.state != "draft" and a.program_id in {p.id for p in programs}
        ]  # fmt: skip
    center = world.user(CENTER)
    await grant_second_factor(world.ctx, CENTER)
    await center.send("/dashboard")
    picture = await center.expect_document()
    assert picture.is_photo
    board = await center.expect("전국 현황판")
    text = board.text or ""
    selected = sum(1 for a in apps if a.state in ("selected", "completed", "dropped"))
    completed = sum(1 for a in apps if a.state == "completed")
    assert f"신청 {len(apps)} → " in text and f"선발 {selected} → 수료 {completed}" in text
    assert f"• {AGENCY}: 이번 주 점검 미완료 · 보류 7일 초과 1건" in text
    assert [AGENCY] in board.buttons and ["📗 전국 xlsx"] in board.buttons

    await center.click("📗 전국 xlsx")
    national = await center.expect_document()
    sheet = load_workbook(io.BytesIO(await center.download(national))).active
    assert sheet.title == "전국 현황"
    body = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted(r[1] for r in body) == sorted(p.name for p in programs)
    assert sum(r[5] for r in body) == len(apps)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref

    await center.click(AGENCY)
    await center.expect(f"{AGENCY} 보고서를 고르세요")


async def test_staff_cannot_open_the_dashboard(world: World) -> None:
    staff = world.user(STAFF)
    await grant_second_factor(world.ctx, STAFF)
    await staff.send("/dashboard")
    await staff.expect("이 기능을 사용할 권한이 없습니다.")
    await staff.quiet(0.3)  # no funnel, no file
    async with world.ctx.db.session() as session:
        refused = (
            await session.scalars(select(AuditLog.outcome).where(AuditLog.actor_id == STAFF))
        ).all()
    assert "refused" in refused
