"""Daily digests, participant nudges, /jobs, and the real scheduler firing a job."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from bot.config import Settings
from bot.i18n import Translator
from bot.scheduler.jobs import job, run_job
from bot.services.digests import due_nudge, send_daily_digests, send_participant_nudges
from bot.storage.models import (
    Application,
    Certificate,
    Enrollment,
    JobRun,
    OutboxMessage,
    StaffAccount,
    SurveyResponse,
)
from tests.e2e.reports_support import next_monday_9, seed_report_data
from tests.factories import grant_second_factor
from tests.world import CENTER, HEAD, PARTICIPANT, PARTICIPANT_2, STAFF, World


def test_nudge_days() -> None:
    assert [due_nudge(d) for d in range(12)] == [None, 1, 1, 3, 3, 3, 3, 7, 7, 7, None, None]


async def _pending_account(world: World, telegram_id: int = 4001) -> None:
    async with world.ctx.db.session() as session:
        session.add(
            StaffAccount(
                telegram_id=telegram_id,
                agency_id=1,
                name="신규담당",
                project_name="2026_[민간] 청년일경험지원사업_(사)청년일경험지원협회",
                position="staff",
                email="new@example.org",
                mobile="010-4000-4001",
                phone="02-6000-1234",
            )
        )


async def test_digests_list_what_is_pending_for_staff_and_center(world: World) -> None:
    world.clock.set(next_monday_9() + timedelta(hours=-0.5))
    await seed_report_data(world.ctx)
    await _pending_account(world)
    async with world.ctx.db.session() as session:  # one certificate waiting for the center
        await session.execute(
            update(Certificate).values(status="requested", issue_number=None, decided_at=None)
        )
    staff, head, center = world.user(STAFF), world.user(HEAD), world.user(CENTER)
    translator = Translator()
    assert await send_daily_digests(world.ctx, translator, world.ctx.now()) == 2
    assert await send_daily_digests(world.ctx, translator, world.ctx.now()) == 0
    digest = await staff.expect("오늘 처리할 일")
    assert "인증대기 신청 1건 → /inbox" in (digest.text or "")
    assert "선발을 기다리는 인증자 1명 → /select" in (digest.text or "")
    assert "보류 신청 1건" in (digest.text or "")
    desk = await center.expect("통합지원센터 승인 대기")
    assert "담당자 계정 신청 1건 → /approvals" in (desk.text or "")
    assert "수료증 발급 신청 1건 → /certificates" in (desk.text or "")
    assert "프로그램 승인 요청" not in (desk.text or "")  # nothing pending there: no line
    await head.quiet(0.3)  # the agency has a 담당자; the head gets no daily digest


async def test_nothing_pending_means_no_digest(world: World) -> None:
    assert await send_daily_digests(world.ctx, Translator(), world.ctx.now()) == 0
    await world.user(STAFF).quiet(0.3)
    await world.user(CENTER).quiet(0.1)


async def test_survey_nudges_on_days_1_3_7_until_answered(world: World) -> None:
    world.clock.set(next_monday_9())
    seeded = await seed_report_data(world.ctx)
    person = world.user(PARTICIPANT_2)  # 이지원: completes the project program now
    async with world.ctx.db.session() as session:
        await session.execute(
            update(Application).where(Application.id == seeded.selected).values(state="completed")
        )
        await session.execute(
            update(Enrollment)
            .where(Enrollment.application_id == seeded.selected)
            .values(outcome="completed", outcome_at=world.ctx.now())
        )
    translator = Translator()
    assert await send_participant_nudges(world.ctx, translator, world.ctx.now()) == 0  # day 0
    world.clock.advance(timedelta(days=1))
    assert await send_participant_nudges(world.ctx, translator, world.ctx.now()) == 1
    first = await person.expect("만족도 조사에 참여해 주세요")
    assert "지역 ESG 데이터 프로젝트형 일경험" in (first.text or "")
    assert first.buttons  # opens the survey
    assert await send_participant_nudges(world.ctx, translator, world.ctx.now()) == 0  # same day
    world.clock.advance(timedelta(days=2))  # day 3
    assert await send_participant_nudges(world.ctx, translator, world.ctx.now()) == 1
    await person.expect("만족도 조사에 참여해 주세요")
    async with world.ctx.db.session() as session:  # answered before day 7
        session.add(
            SurveyResponse(
                application_id=seeded.selected, answers={}, submitted_at=world.ctx.now()
            )
        )
    world.clock.advance(timedelta(days=4))  # day 7
    assert await send_participant_nudges(world.ctx, translator, world.ctx.now()) == 0
    await person.quiet(0.3)


async def test_held_application_nudge_offers_the_amend_button(world: World) -> None:
    world.clock.set(next_monday_9())
    seeded = await seed_report_data(world.ctx)
    person = world.user(PARTICIPANT)
    async with world.ctx.db.session() as session:  # 김청년's application was held yesterday
        await session.execute(
            update(Application)
            .where(Application.id == seeded.waiting)
            .values(state="held", decided_at=world.ctx.now() - timedelta(days=1), version=2)
        )
    written = await run_job(world.ctx, Translator(), job("participant_nudges"))
    assert written == 1  # the other held application (offline, no chat) gets none
    nudge = await person.expect("보류된 신청을 보완해 주세요")
    assert "보류된 지 1일이 지났습니다" in (nudge.text or "")
    assert nudge.buttons == [["✏️ 신청서 보완하기"]]


async def test_jobs_shows_last_and_next_runs_to_the_center(world: World) -> None:
    world.clock.set(next_monday_9())
    await run_job(world.ctx, Translator(), job("daily_digest"))
    center = world.user(CENTER)
    await grant_second_factor(world.ctx, CENTER)
    await center.send("/jobs")
    text = (await center.expect("예약 작업 현황")).text or ""
    assert "주간보고 전 점검 안내 (담당자) — 매주 월요일 09:00" in text and "* * mon" not in text
    assert "일일 처리 요약 (담당자·센터) — 매일 08:30" in text and "한국 시간 기준" in text
    assert "일일 처리 요약 (담당자·센터)" in text
    local = world.ctx.now().astimezone(world.settings.tz)
    assert f"최근 실행: {local:%Y-%m-%d %H:%M}" in text
    assert f"다음 실행: {local + timedelta(days=7):%Y-%m-%d} 09:00" in text  # next Monday
    assert "아직 없음" in text  # jobs that never ran
    assert "알림 발송 대기열" in text
    staff = world.user(STAFF)
    await grant_second_factor(world.ctx, STAFF)
    await staff.send("/jobs")
    await staff.expect("권한이 없습니다")


@pytest.fixture
async def scheduled(settings: Settings) -> AsyncIterator[World]:
    every_second = settings.model_copy(
        update={"scheduler_enabled": True, "daily_digest_cron": "* * * * * *"}
    )
    w = World(every_second)
    await w.start(seed=True)
    try:
        yield w
    finally:
        await w.stop()


async def test_the_scheduler_really_fires_jobs(scheduled: World) -> None:
    await _pending_account(scheduled)
    center = scheduled.user(CENTER)
    digest = await center.expect("통합지원센터 승인 대기", timeout=5)
    assert "담당자 계정 신청 1건" in (digest.text or "")
    await center.quiet(1.5)  # it keeps firing every second, but the day's digest went once
    async with scheduled.ctx.db.session() as session:
        run = await session.get(JobRun, "daily_digest")
        digests = await session.scalar(
            select(func.count(OutboxMessage.id)).where(OutboxMessage.kind == "digest.center")
        )
    assert digests == 1
    assert run is not None and run.last_run_at is not None
    assert run.next_run_at is not None and run.next_run_at > run.last_run_at
    assert isinstance(run.last_run_at, datetime)
