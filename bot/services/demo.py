"""Demo data for the playground and ``python -m bot seed-demo`` (idempotent).

One agency, an approved staff member and an agency head, a center operator, and one open program
of each type with host companies (intern) or jobs (project).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from bot.services.context import AppContext
from bot.storage.models import (
    Agency,
    CenterOperator,
    HostCompany,
    Job,
    Program,
    SecondFactor,
    StaffAccount,
    User,
)

DEMO_AGENCY = "(사)청년일경험지원협회"


@dataclass(frozen=True)
class DemoPerson:
    telegram_id: int
    first_name: str
    role_label: str


# The playground's demo staff, head and center operator come enrolled with these authenticator
# secrets (``enrol_demo_factors``), and the page shows their current code. Playground only: the
# real bot and ``python -m bot seed-demo`` never use them.
DEMO_TOTP_SECRETS = {
    2001: "JBSWY3DPEHPK3PXPDEMOSTAF",
    2002: "JBSWY3DPEHPK3PXPDEMOHEAD",
    3001: "JBSWY3DPEHPK3PXPDEMOCNTR",
}

DEMO_PEOPLE = (
    DemoPerson(1001, "김청년", "참여청년 (participant)"),
    DemoPerson(1002, "이지원", "참여청년 2 (participant)"),
    DemoPerson(2001, "박담당", "운영기관 담당자 (staff)"),
    DemoPerson(2002, "최기관", "운영기관 기관장 (agency head)"),
    DemoPerson(3001, "정센터", "통합지원센터 (center)"),
)


async def enrol_demo_factors(ctx: AppContext) -> int:
    """Enrol the demo staff and center with ``DEMO_TOTP_SECRETS`` (not yet confirmed: the first
    gated command asks for the code the playground page shows). Returns how many were added."""
    from bot.services.crypto import totp_context

    added = 0
    async with ctx.db.session() as session:
        for telegram_id, secret in DEMO_TOTP_SECRETS.items():
            if await session.get(SecondFactor, telegram_id) is not None:
                continue
            session.add(
                SecondFactor(
                    telegram_id=telegram_id,
                    secret_enc=ctx.cipher.encrypt(secret, context=totp_context(telegram_id)),
                    enrolled_at=ctx.now(),
                    verified_at=None,
                )
            )
            added += 1
    return added


async def seed_demo(ctx: AppContext) -> bool:
    """Load the demo data unless it is there already. Returns True when something was added."""
    today = ctx.today()
    async with ctx.db.session() as session:
        if await session.scalar(select(Agency.id).where(Agency.corporate_name == DEMO_AGENCY)):
            return False
        for person in DEMO_PEOPLE:
            if await session.get(User, person.telegram_id) is None:
                session.add(User(telegram_id=person.telegram_id, first_name=person.first_name))
        agency = Agency(
            corporate_name=DEMO_AGENCY,
            region="서울",
            phone="02-6000-1234",
            email="youth@example.org",
            fax="02-6000-1235",
            homepage="https://example.org",
        )
        session.add(agency)
        await session.flush()
        year = today.year
        for tid, name, position in ((2001, "박담당", "staff"), (2002, "최기관", "head")):
            session.add(
                StaffAccount(
                    telegram_id=tid,
                    agency_id=agency.id,
                    name=name,
                    project_name=f"{year}_[민간] 청년일경험지원사업_{DEMO_AGENCY}",
                    position=position,
                    email=f"staff{tid}@example.org",
                    mobile="010-2000-" + str(tid),
                    phone="02-6000-1234",
                    is_project_manager=position == "staff",
                    duties=["basic", "employment"],
                    permissions=["basic", "program"],
                    status="approved",
                    decided_by=3001,
                    decided_at=ctx.now(),
                )
            )
        if await session.get(CenterOperator, 3001) is None:
            session.add(CenterOperator(telegram_id=3001, name="정센터"))
        start = today + timedelta(days=21)
        common = dict(
            agency_id=agency.id,
            year=year,
            status="approved",
            region="서울",
            recruitment_mode="rolling",
            public_listing=True,
            resume_required=False,
            contact_name="박담당",
            contact_email="youth@example.org",
            contact_phone="02-6000-1234",
            contact_fax="02-6000-1235",
            contact_homepage="https://example.org",
            approved_by=3001,
            approved_at=ctx.now(),
            created_by=2001,
            mentoring="현직자 멘토 1:1 주 1회",
            completion_benefit="수료증 발급, 우수자 채용 연계",
        )
        intern = Program(
            type="intern",
            name="IT 사무지원 인턴형 일경험",
            total_recruitment=5,
            period_start=start,
            period_end=start + timedelta(weeks=8) - timedelta(days=1),
            schedule="주 5일 (월~금) 10:00~16:00",
            weekly_hours=25,
            allowance="주 350,000원 × 8주 (월 최대 1,400,000원)",
            job_description="사내 IT 헬프데스크 지원, 업무 문서 정리",
            work_address="서울특별시 중구 세종대로 110, 5층",
            selection_criteria="서류 검토 후 면접 (이력서 불필요)",
            training_required=True,
            training_institution="청년직무아카데미",
            training_contact="한교육",
            training_email="edu@example.org",
            training_phone="02-6000-5678",
            training_start=start - timedelta(days=7),
            training_content="15시간, 온라인, 직장 기초 예절과 IT 기초",
            **common,
        )
        project = Program(
            type="project",
            name="지역 ESG 데이터 프로젝트형 일경험",
            total_recruitment=8,
            period_start=start,
            period_end=start + timedelta(weeks=6) - timedelta(days=1),
            schedule="주 4일 (월~목) 10:00~15:00, 팀 단위",
            weekly_hours=20,
            allowance="주 280,000원 × 6주",
            job_description="지역 기업 ESG 데이터 수집과 분석",
            proposal_text="지역 중소기업의 ESG 현황을 조사해 보고서를 만든다.",
            work_address="서울특별시 마포구 월드컵북로 396, 3층",
            selection_criteria="자기소개서와 이력서 검토",
            training_required=False,
            **common,
        )
        project.resume_required = True
        session.add_all([intern, project])
        await session.flush()
        session.add_all(
            [
                HostCompany(
                    program_id=intern.id,
                    name="주식회사 한빛소프트웨어",
                    brn="1208147521",
                    address="서울특별시 중구 세종대로 110",
                    work_address=intern.work_address,
                    contact_name="오담당",
                    contact_phone="02-3000-1111",
                    headcount=3,
                    insured_count=25,
                    insured_check="confirmed",
                ),
                HostCompany(
                    program_id=intern.id,
                    name="주식회사 누리데이터",
                    brn="2208162517",
                    address="서울특별시 강남구 테헤란로 1",
                    work_address="서울특별시 강남구 테헤란로 1, 7층",
                    contact_name="유담당",
                    contact_phone="02-3000-2222",
                    headcount=2,
                    insured_count=12,
                    insured_check="confirmed",
                ),
                Job(program_id=project.id, name="데이터 수집", headcount=4),
                Job(program_id=project.id, name="보고서 작성", headcount=4),
            ]
        )
    return True
