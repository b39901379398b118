"""The weekly-report reminder: content, once only, 점검 완료, Wednesday escalation, catch-up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.domain.errors import DomainError
from bot.i18n import Translator
from bot.scheduler.jobs import catch_up, job, run_job
from bot.services.identity import Actor, Role
from bot.services.reports import mark_week_checked, send_escalations, send_weekly_reminders
from bot.storage.models import AuditLog, JobRun, OutboxMessage, WeeklyCheck
from tests.e2e.reports_support import next_monday_9, seed_report_data
from tests.factories import grant_second_factor
from tests.world import CENTER, HEAD, STAFF, World


async def test_monday_reminder_shows_figures_problems_and_a_chart(world: World) -> None:
    monday = next_monday_9()
    world.clock.set(monday)
    seeded = await seed_report_data(world.ctx)
    staff, head = world.user(STAFF), world.user(HEAD)
    assert await send_weekly_reminders(world.ctx, Translator(), world.ctx.now()) == 1

    chart = await staff.expect_document()
    assert chart.is_photo
    assert "프로그램별 진행 현황" in (chart.text or "")
    assert (await staff.download(chart)).startswith(b"\x89PNG")

    reminder = await staff.expect("주간보고 전 데이터 점검 안내")
    text = reminder.text or ""
    week = monday.astimezone(world.settings.tz).date().isoformat()
    assert f"(사)청년일경험지원협회 · {week} 주" in text
    # figures per program
    assert "▪ IT 사무지원 인턴형 일경험 (인턴형)" in text
    assert "신청 4건 — 인증대기 1 · 보류 1 · 반려 0 · 취소 0" in text
    assert "선발 1/5명 · 선발대기 1 · 비선발 0" in text
    assert "수료 1 · 중도탈락 0 · 만족도 응답 1 · 수료증 발급 1 (승인 대기 0)" in text
    assert "▪ 지역 ESG 데이터 프로젝트형 일경험 (프로젝트형)" in text
    assert "선발 1/8명" in text
    # what needs a look
    assert "3일 넘게 인증대기 중인 신청: 1건" in text
    assert f"신청 #{seeded.waiting} 김청년 · IT 사무지원 인턴형 일경험 · 5일째" in text
    assert "보류 후 7일 넘게 재제출이 없는 신청: 1건" in text
    assert f"신청 #{seeded.held} 박보류" in text
    assert f"신청 #{seeded.selected} 이지원: 국민취업지원제도 참여여부" in text
    assert "「지역 ESG 데이터 프로젝트형 일경험」 세부 모집인원 합계 7명 ≠ 총 모집인원 8명" in text
    assert reminder.buttons == [["✅ 점검 완료"]]
    await head.quiet(0.3)  # the head is copied only on Wednesday


async def test_the_same_reminder_run_twice_sends_once(world: World) -> None:
    world.clock.set(next_monday_9())
    staff = world.user(STAFF)
    translator = Translator()
    spec = job("weekly_reminder")
    assert await run_job(world.ctx, translator, spec) == 1
    assert await run_job(world.ctx, translator, spec) == 0  # twice, or on a second instance
    await staff.expect_document()
    await staff.expect("주간보고 전 데이터 점검 안내")
    await staff.quiet(0.5)
    async with world.ctx.db.session() as session:
        kinds = (
            await session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id))
        ).all()
        run = await session.get(JobRun, "weekly_reminder")
    assert kinds == ["weekly.chart", "weekly.reminder"]
    assert run is not None and run.last_period is not None and run.last_period.startswith("week ")


async def test_checked_button_records_who_and_when(world: World) -> None:
    monday = next_monday_9()
    world.clock.set(monday)
    staff = world.user(STAFF)
    await grant_second_factor(world.ctx, STAFF)
    await send_weekly_reminders(world.ctx, Translator(), world.ctx.now())
    await staff.expect("주간보고 전 데이터 점검 안내")
    world.clock.advance(timedelta(hours=1, minutes=12))
    await staff.click("✅ 점검 완료")
    done = await staff.expect("점검 완료를 기록했습니다")
    assert "박담당" in (done.text or "") and "10:12" in (done.text or "")
    assert all("✅ 점검 완료" not in row for m in staff.messages for row in m.buttons)
    async with world.ctx.db.session() as session:
        check = await session.scalar(select(WeeklyCheck))
        audited = await session.scalar(
            select(func.count(AuditLog.id)).where(AuditLog.action == "weekly.check")
        )
    assert check is not None and check.checked_by == STAFF
    assert check.week_start == monday.astimezone(world.settings.tz).date()
    assert check.checked_at == monday + timedelta(hours=1, minutes=12)
    assert audited == 1
    # checked: Wednesday brings no second reminder
    world.clock.advance(timedelta(days=2))
    assert await send_escalations(world.ctx, Translator(), world.ctx.now()) == 0
    await staff.quiet(0.3)


async def test_unchecked_on_wednesday_reminds_again_and_copies_the_head(world: World) -> None:
    world.clock.set(next_monday_9())
    staff, head = world.user(STAFF), world.user(HEAD)
    translator = Translator()
    await send_weekly_reminders(world.ctx, translator, world.ctx.now())
    await staff.expect("주간보고 전 데이터 점검 안내")
    world.clock.advance(timedelta(days=2))  # Wednesday 09:00
    assert await run_job(world.ctx, translator, job("weekly_escalation")) == 2
    assert await run_job(world.ctx, translator, job("weekly_escalation")) == 0
    again = await staff.expect("이번 주 데이터 점검이 아직 완료되지 않았습니다")
    assert again.buttons == [["✅ 점검 완료"]]
    copy = await head.expect("[기관장 참고] 주간 데이터 점검 미완료")
    assert "담당자(박담당)" in (copy.text or "")
    # the head checks it; the staff member's button then says who did
    await grant_second_factor(world.ctx, HEAD)
    await head.click("✅ 점검 완료")
    await head.expect("점검 완료를 기록했습니다")
    await grant_second_factor(world.ctx, STAFF)
    query = await staff.click("✅ 점검 완료", message_id=again.message_id)
    answer = await staff.wait_callback_answer(query)
    assert "이미 최기관님이" in answer["text"]
    async with world.ctx.db.session() as session:
        checks = (await session.scalars(select(WeeklyCheck))).all()
    assert [c.checked_by for c in checks] == [HEAD]


async def test_a_missed_monday_is_caught_up_once_at_start(world: World) -> None:
    monday = next_monday_9()
    staff = world.user(STAFF)
    async with world.ctx.db.session() as session:  # ran last week; expected again this Monday
        session.add(
            JobRun(
                name="weekly_reminder",
                last_run_at=monday - timedelta(days=7),
                last_period="week earlier",
                next_run_at=monday,
            )
        )
    world.clock.set(monday + timedelta(days=1, hours=-1))  # down until Tuesday 08:00
    world.settings = world.settings.model_copy(update={"scheduler_enabled": True})
    await world.restart()  # the scheduler starts and catches up
    await staff.expect_document()
    reminder = await staff.expect("주간보고 전 데이터 점검 안내")
    assert monday.astimezone(world.settings.tz).date().isoformat() in (reminder.text or "")
    await world.restart()  # a second start: nothing left to catch up
    assert await catch_up(world.ctx, Translator()) == []
    await staff.quiet(0.5)
    async with world.ctx.db.session() as session:
        run = await session.get(JobRun, "weekly_reminder")
        sent = await session.scalar(
            select(func.count(OutboxMessage.id)).where(OutboxMessage.kind == "weekly.reminder")
        )
    assert sent == 1
    assert run is not None and run.next_run_at == monday + timedelta(days=7)


async def test_only_the_agencys_own_staff_can_check_its_week(world: World) -> None:
    monday = next_monday_9().astimezone(world.settings.tz).date()
    outsider = Actor(2999, Role.STAFF, agency_id=99)
    with pytest.raises(DomainError) as refused:  # a crafted button from another agency
        await mark_week_checked(world.ctx, outsider, 1, monday)
    assert refused.value.code == "access.agency"
    with pytest.raises(DomainError) as center:
        await mark_week_checked(world.ctx, Actor(CENTER, Role.CENTER), 1, monday)
    assert center.value.code == "access.denied"
    async with world.ctx.db.session() as session:
        refusals = (
            await session.scalars(
                select(AuditLog.outcome).where(AuditLog.action == "weekly.check")
            )
        ).all()
        assert await session.scalar(select(func.count(WeeklyCheck.id))) == 0
    assert refusals == ["refused", "refused"]
