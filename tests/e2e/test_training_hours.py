"""/hours: staff record hours attended and the training plan; the 사전직무교육 실시보고 shows
them; bad input gets a clear message and changes nothing; another agency is refused."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from bot.domain.errors import DomainError
from bot.i18n import Translator
from bot.services.identity import Actor, Role
from bot.services.report_service import make_report
from bot.services.training_records import set_attended_hours
from bot.storage.models import AuditLog, Enrollment, Program
from tests.e2e.reports_support import next_monday_9, seed_report_data
from tests.factories import grant_second_factor
from tests.world import STAFF, World


async def test_staff_record_training_hours_and_the_report_shows_them(world: World) -> None:
    world.clock.set(next_monday_9())
    seeded = await seed_report_data(world.ctx)
    async with world.ctx.db.session() as session:
        await session.execute(
            update(Program).where(Program.id == seeded.project).values(training_required=True)
        )
    staff = world.user(STAFF)
    await grant_second_factor(world.ctx, STAFF)
    await staff.send("/hours")
    await staff.expect("/hours 참여자인증번호 시간")

    await staff.send(f"/hours {seeded.selected} 마흔")
    await staff.expect("시간은 0~1000 사이의 숫자로")
    await staff.send(f"/hours {seeded.selected} 38시간")
    done = await staff.expect(f"신청 #{seeded.selected} 이지원")
    assert "이수시간: 없음 → 38시간으로 기록했습니다" in (done.text or "")
    await staff.send(f"/hours plan {seeded.project} 40 | 오프라인 집체 | 서울시 중구 | 2026-02-30")
    await staff.expect("종료일은 2026-07-10 처럼")
    await staff.send(
        f"/hours plan {seeded.project} 40 | 오프라인 집체 | 서울시 중구 세종대로 39 |"
    )
    await staff.expect("40시간 · 오프라인 집체 · 서울시 중구 세종대로 39 · 종료일 없음")

    async with world.ctx.db.session() as session:
        hours = await session.scalar(
            select(Enrollment.training_hours).where(Enrollment.application_id == seeded.selected)
        )
        program = await session.get(Program, seeded.project)
        audited = (
            await session.scalars(
                select(AuditLog.action).where(AuditLog.action.like("training.%"))
            )
        ).all()
    assert hours == 38 and program is not None and program.training_hours == 40
    assert program.training_end is None and sorted(audited) == ["training.hours", "training.plan"]

    actor = Actor(STAFF, Role.STAFF, "ko", agency_id=program.agency_id)
    report = await make_report(world.ctx, actor, Translator().bind("ko"), "training", None)
    assert report.doc.figures["hours_planned"] == 40
    book = load_workbook(io.BytesIO(report.files[0].content))
    people = list(book["교육생"].iter_rows(min_row=2, values_only=True))
    assert (seeded.selected, "이지원", 38) in [(r[1], r[2], r[4]) for r in people]
    course = next(
        r
        for r in book["사전직무교육"].iter_rows(min_row=2, values_only=True)
        if r[1] == program.name
    )
    assert course[5:8] == (40, "오프라인 집체", "서울시 중구 세종대로 39")

    outsider = Actor(2999, Role.STAFF, "ko", agency_id=99)
    with pytest.raises(DomainError) as refused:
        await set_attended_hours(world.ctx, outsider, seeded.selected, 10)
    assert refused.value.code == "access.agency"
