"""Shared set-up for the reminder and export tests: a seeded agency with data worth reporting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from bot.services.context import AppContext
from bot.services.crypto import rrn_context
from bot.storage.models import (
    Application,
    ApplicationEvent,
    Certificate,
    Enrollment,
    HostCompany,
    Job,
    Participant,
    SurveyResponse,
    Team,
)
from tests.factories import make_application, make_participant, program_id
from tests.world import PARTICIPANT, PARTICIPANT_2

SEOUL = ZoneInfo("Asia/Seoul")


def next_monday_9(now: datetime | None = None) -> datetime:
    """The coming Monday 09:00 in Seoul (as UTC), at least a day ahead."""
    local = (now or datetime.now(UTC)).astimezone(SEOUL)
    ahead = (7 - local.weekday()) % 7 or 7
    return datetime.combine(local.date() + timedelta(days=ahead), time(9), SEOUL).astimezone(UTC)


@dataclass
class Seeded:
    intern: int
    project: int
    waiting: int  # submitted 5 days ago (김청년, 1001)
    held: int  # held 9 days ago (offline 박보류)
    selected: int  # project, selected, NES not recorded (이지원, 1002)
    certified: int  # intern, certified (최인증)
    completed: int  # intern, completed with survey and certificate (정수료)


async def seed_report_data(ctx: AppContext) -> Seeded:
    """Applications in every interesting state for the demo agency (clock: ``ctx.now()``)."""
    now = ctx.now()
    intern, project = await program_id(ctx, "intern"), await program_id(ctx, "project")
    kim = await make_participant(ctx, PARTICIPANT, name="김청년")
    lee = await make_participant(ctx, PARTICIPANT_2, name="이지원", birth_date=date(1999, 3, 2))
    park = await make_participant(ctx, None, name="박보류", mobile="010-5555-6666")
    choi = await make_participant(ctx, None, name="최인증", email="choi@example.com")
    jung = await make_participant(ctx, None, name="정수료", birth_date=date(2001, 1, 9))
    waiting = await make_application(ctx, kim, intern)
    held = await make_application(ctx, park, intern, state="held", last_reason="졸업증명서 필요")
    selected = await make_application(ctx, lee, project, state="selected")
    certified = await make_application(
        ctx,
        choi,
        intern,
        state="certified",
        channel="offline",
        eligibility={"business_owner": False, "unemployment_benefits": True},
    )
    completed = await make_application(
        ctx, jung, intern, state="completed", national_employment_support=True
    )
    async with ctx.db.session() as session:
        await session.execute(
            update(Application)
            .where(Application.id == waiting)
            .values(submitted_at=now - timedelta(days=5))
        )
        await session.execute(
            update(Application)
            .where(Application.id == held)
            .values(decided_at=now - timedelta(days=9), decided_by=2001)
        )
        await session.execute(
            update(ApplicationEvent)
            .where(ApplicationEvent.application_id == held)
            .values(created_at=now - timedelta(days=9))
        )
        # the project's jobs add up to 7 while the program recruits 8
        job = await session.scalar(
            select(Job).where(Job.program_id == project, Job.name == "보고서 작성")
        )
        assert job is not None
        job.headcount = 3
        company = await session.scalar(
            select(HostCompany).where(HostCompany.program_id == intern).order_by(HostCompany.id)
        )
        assert company is not None
        session.add(Enrollment(application_id=selected))
        session.add(
            Enrollment(
                application_id=completed,
                host_company_id=company.id,
                training_status="done",
                work_status="done",
                outcome="completed",
                outcome_at=now - timedelta(days=1),
                outcome_by=2001,
            )
        )
        session.add(
            SurveyResponse(
                application_id=completed,
                answers={"overall": 5, "content": 4, "good": "멘토링이 좋았어요"},
                submitted_at=now - timedelta(hours=20),
            )
        )
        session.add(
            Certificate(
                application_id=completed,
                status="approved",
                issue_number="2026-0001-000001",
                issued_on=now.astimezone(SEOUL).date(),
                decided_by=3001,
                decided_at=now - timedelta(hours=2),
            )
        )
        # a resident number for one participant (stored encrypted, shown masked)
        person = await session.get(Participant, jung)
        assert person is not None
        person.rrn_enc = ctx.cipher.encrypt("010109-4123456", context=rrn_context(jung))
        person.rrn_masked = "010109-4******"
        session.add(Team(program_id=project, name="데이터 1팀"))
    return Seeded(intern, project, waiting, held, selected, certified, completed)
