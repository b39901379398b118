"""A program year at national scale, written with SQLAlchemy Core bulk inserts.

500 agencies (운영기관), each with one staff member and a head, 1–6 programs (intern / project /
ESG) in different phases, host companies or jobs, 50,000 participants (5 % offline), ~57,500
applications spread over the states a real year shows (recruiting programs mostly 인증대기 and
선발대기; running programs 선발 / 비선발; finished ones 수료 / 중도탈락), the status history,
enrolments of everyone on a locked roster, satisfaction surveys and certificates of those who
completed. Program sizes are skewed (log-normal): most programs get a few dozen applicants, a few
get many hundreds — the pages must stay fast for those too.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, insert, text

from bot.domain.certificates import make_issue_number
from bot.storage.engine import Database
from bot.storage.models import (
    Agency,
    Application,
    ApplicationEvent,
    Certificate,
    Enrollment,
    HostCompany,
    Job,
    Participant,
    Program,
    StaffAccount,
    SurveyResponse,
    User,
)

REGIONS = [
    "서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기",
    "강원", "충북", "충남", "전북", "전남", "경북", "경남", "제주",
]  # fmt: skip
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = "민지서연하준도윤예은지호수빈현우유진태민가은시우다인건우채원"
EDUCATION = ["고등학교 졸업", "전문대학 졸업", "대학교 재학", "대학교 졸업", "대학원 졸업"]
TYPES = [("intern", 0.5), ("project", 0.3), ("esg", 0.2)]
PHASES = [("recruiting", 0.35), ("selecting", 0.2), ("running", 0.3), ("finished", 0.15)]
STATE_SPREAD: dict[str, list[tuple[str, float]]] = {
    "recruiting": [
        ("draft", 5), ("submitted", 40), ("held", 5), ("returned", 5), ("withdrawn", 3),
        ("certified", 42),
    ],
    "selecting": [
        ("submitted", 5), ("held", 2), ("returned", 5), ("withdrawn", 3), ("certified", 35),
        ("selected", 30), ("not_selected", 20),
    ],
    "running": [
        ("returned", 5), ("withdrawn", 5), ("selected", 55), ("not_selected", 25),
        ("dropped", 5), ("completed", 5),
    ],
    "finished": [
        ("returned", 5), ("withdrawn", 5), ("not_selected", 20), ("completed", 60),
        ("dropped", 10),
    ],
}  # fmt: skip
ON_ROSTER = {"selected", "completed", "dropped"}
DECISION = {
    "certified": "certify",
    "held": "hold",
    "returned": "return",
    "withdrawn": "withdraw",
    "selected": "select",
    "not_selected": "not_select",
    "completed": "complete",
    "dropped": "drop",
}
STAFF_TID = 20_000_000  # + agency id: the agency's staff member; HEAD_TID + id: its head
HEAD_TID = 21_000_000
PARTICIPANT_TID = 10_000_000
CHUNK = 5000


@dataclass
class Scale:
    agencies: int = 500
    participants: int = 50_000
    second_application: float = 0.15  # share of participants who apply to two programs


@dataclass
class Seeded:
    """What was written (row counts) and what the measurements need to know."""

    rows: Counter[str] = field(default_factory=Counter)
    agency_submitted: Counter[int] = field(default_factory=Counter)  # inbox sizes
    program_certified: Counter[int] = field(default_factory=Counter)  # selection 'waiting' tab
    program_agency: dict[int, int] = field(default_factory=dict)
    agency_applications: Counter[int] = field(default_factory=Counter)
    seconds: float = 0.0


def _pick(rng: random.Random, weighted: list[tuple[str, float]]) -> str:
    names, weights = zip(*weighted, strict=True)
    return rng.choices(names, weights)[0]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)


def _training(trng: random.Random, start: date) -> dict[str, Any]:
    """사전직무교육 of about half the programs: 40 hours before the work experience."""
    none: dict[str, Any] = dict.fromkeys(
        ("training_institution", "training_start", "training_end", "training_hours",
         "training_method", "training_place"),
    )  # fmt: skip
    if trng.random() < 0.5:
        return dict(training_required=False, **none)
    return dict(
        training_required=True,
        training_institution="대한상공회의소 인력개발원",
        training_start=start - timedelta(days=7),
        training_end=start - timedelta(days=2),
        training_hours=40,
        training_method=trng.choice(["오프라인 집체", "온라인 실시간", "혼합"]),
        training_place="서울시 중구 세종대로 39, 2층 강의장",
    )


async def _bulk(db: Database, model: type, rows: list[dict[str, Any]], seeded: Seeded) -> None:
    table: Table = model.__table__  # type: ignore[attr-defined]
    for offset in range(0, len(rows), CHUNK):
        async with db.session() as session:
            await session.execute(insert(table), rows[offset : offset + CHUNK])
    seeded.rows[table.name] += len(rows)


async def seed(db: Database, scale: Scale, now: datetime, seed_value: int = 9) -> Seeded:
    rng = random.Random(seed_value)
    trng = random.Random(seed_value + 1)  # training figures: the other rows stay as they were
    seeded = Seeded()
    today = now.date()

    agencies, staff, users = [], [], []
    for aid in range(1, scale.agencies + 1):
        region = rng.choice(REGIONS)
        agencies.append(
            dict(
                id=aid,
                corporate_name=f"(사)청년일경험{aid:03d}협회",
                branch_name=None if aid % 7 else f"{region}지부",
                region=region,
                phone=f"02-{6000 + aid:04d}-1234",
                email=f"agency{aid}@example.org",
                fax=None,
                homepage=None,
                active=True,
            )
        )
        for tid, position, label in ((STAFF_TID, "staff", "담당"), (HEAD_TID, "head", "기관장")):
            staff.append(
                dict(
                    telegram_id=tid + aid,
                    agency_id=aid,
                    name=_name(rng),
                    project_name="2026 청년일경험지원사업",
                    position=position,
                    email=f"{label}{aid}@example.org",
                    mobile=f"010-{2000 + aid % 8000:04d}-{aid % 10000:04d}",
                    phone=f"02-{6000 + aid:04d}-1234",
                    fax=None,
                    is_project_manager=position == "staff",
                    duties=[],
                    permissions=[],
                    consent_info=True,
                    status="approved",
                    decided_by=3001,
                    decided_at=now - timedelta(days=90),
                )
            )
            users.append(dict(telegram_id=tid + aid, first_name=label, language="ko"))
    await _bulk(db, Agency, agencies, seeded)
    await _bulk(db, StaffAccount, staff, seeded)

    # programs, their companies and jobs
    programs, companies, jobs = [], [], []
    phase_of: dict[int, str] = {}
    weight: dict[int, float] = {}
    companies_of: dict[int, list[int]] = {}
    jobs_of: dict[int, list[int]] = {}
    pid = hid = jid = 0
    for aid in range(1, scale.agencies + 1):
        for _ in range(rng.randint(1, 6)):
            pid += 1
            kind = _pick(rng, TYPES)
            phase = _pick(rng, PHASES)
            status = "approved" if rng.random() > 0.05 else rng.choice(["draft", "pending"])
            start = today + timedelta(days={"recruiting": 30, "selecting": 10}.get(phase, -60))
            locked = phase in ("running", "finished") and status == "approved"
            programs.append(
                dict(
                    id=pid,
                    agency_id=aid,
                    year=2026,
                    type=kind,
                    name=f"{agencies[aid - 1]['region']} 일경험 {pid}기 ({kind})",
                    status=status,
                    total_recruitment=0,  # set from the applicants below
                    period_start=start,
                    period_end=start + timedelta(days=90 if phase != "finished" else 45),
                    weekly_hours=rng.choice([15, 20, 25, 30, 40]),
                    work_address=f"{agencies[aid - 1]['region']} 중심로 {pid}",
                    region=agencies[aid - 1]["region"],
                    recruitment_mode="rolling",
                    public_listing=True,
                    resume_required=kind == "project",
                    contact_name=_name(rng),
                    contact_phone=f"02-{6000 + aid:04d}-1234",
                    **_training(trng, start),
                    submitted_at=now - timedelta(days=80),
                    approved_by=3001 if status == "approved" else None,
                    approved_at=now - timedelta(days=75) if status == "approved" else None,
                    roster_locked_at=now - timedelta(days=50) if locked else None,
                )
            )
            phase_of[pid] = phase if status == "approved" else "none"
            seeded.program_agency[pid] = aid
            weight[pid] = rng.lognormvariate(0, 1.0) if status == "approved" else 0.0
            if kind in ("intern", "esg"):
                companies_of[pid] = []
                for n in range(rng.randint(1, 4)):
                    hid += 1
                    companies_of[pid].append(hid)
                    companies.append(
                        dict(
                            id=hid,
                            program_id=pid,
                            name=f"주식회사 참여기업{hid}",
                            brn=f"{1000000000 + hid * 7 + n}",
                            overseas=False,
                            address=f"서울 중구 세종대로 {hid}",
                            work_address=f"서울 중구 세종대로 {hid}, {n + 1}층",
                            contact_name=_name(rng),
                            contact_phone="02-3000-1111",
                            headcount=rng.randint(2, 20),
                            insured_count=rng.randint(5, 300),
                            insured_check=rng.choice(["confirmed"] * 8 + ["pending"]),
                            wage_arrears=False,
                            serious_accident=False,
                        )
                    )
            else:
                jobs_of[pid] = []
                for n in range(rng.randint(1, 3)):
                    jid += 1
                    jobs_of[pid].append(jid)
                    jobs.append(
                        dict(
                            id=jid,
                            program_id=pid,
                            name=["데이터 수집", "보고서 작성", "콘텐츠 제작"][n],
                            headcount=rng.randint(3, 15),
                        )
                    )

    # participants, each applying to one program (some to two)
    open_programs = [p for p, w in weight.items() if w > 0]
    open_weights = [weight[p] for p in open_programs]
    participants, applications, events = [], [], []
    enrollments, surveys, certificates = [], [], []
    app_id = 0
    cert_seq = 0
    applicants_of: Counter[int] = Counter()
    for person in range(1, scale.participants + 1):
        online = rng.random() > 0.05
        born = date(1992, 1, 1) + timedelta(days=rng.randint(0, 365 * 14))
        participants.append(
            dict(
                id=person,
                telegram_id=PARTICIPANT_TID + person if online else None,
                name=_name(rng),
                birth_date=born,
                mobile=f"010-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
                email=f"youth{person}@example.com" if rng.random() > 0.02 else None,
                education=rng.choice(EDUCATION),
                rrn_masked=f"{born:%y%m%d}-{rng.choice('1234')}******",
                consent_required_at=now - timedelta(days=rng.randint(1, 120)),
                consent_optional=rng.random() < 0.4,
            )
        )
        if online:
            users.append(
                dict(telegram_id=PARTICIPANT_TID + person, first_name="참여자", language="ko")
            )
        count = 2 if rng.random() < scale.second_application else 1
        chosen = set(rng.choices(open_programs, open_weights, k=count))
        for program_id in chosen:
            app_id += 1
            phase = phase_of[program_id]
            state = _pick(rng, STATE_SPREAD[phase])
            if not online and state == "draft":
                state = "certified"  # paper applications are registered as certified
            applied = today - timedelta(days=rng.randint(0, 60))
            submitted_at = datetime(applied.year, applied.month, applied.day, 3, tzinfo=UTC)
            submitted_at += timedelta(minutes=rng.randint(0, 600))
            decided = submitted_at + timedelta(days=rng.randint(1, 10))
            answers = {
                "birth_date": born.isoformat(),
                "enrolled_student": False,
                "unemployment_benefits": rng.random() < 0.05,
                "job_seeking_allowance": rng.random() < 0.03,
                "national_employment_support": rng.random() < 0.1,
                "weekly_hours_elsewhere": 0,
                "participations_this_year": 0,
            }
            program = programs[program_id - 1]
            applications.append(
                dict(
                    id=app_id,
                    participant_id=person,
                    program_id=program_id,
                    job_id=rng.choice(jobs_of[program_id]) if program_id in jobs_of else None,
                    state=state,
                    channel="online" if online else "offline",
                    applied_on=None if state == "draft" else applied,
                    submitted_at=None if state == "draft" else submitted_at,
                    education=participants[-1]["education"],
                    self_intro="데이터 분석을 배우고 싶어 지원합니다. 성실하게 참여하겠습니다.",
                    eligibility={"answers": answers, "on": applied.isoformat(), "year": 2026},
                    eligibility_result={"eligible": True, "failures": [], "notes": []},
                    national_employment_support=(
                        answers["national_employment_support"]
                        if state in ON_ROSTER | {"not_selected"}
                        else None
                    ),
                    last_reason="서류 보완 필요" if state in ("held", "returned") else None,
                    decided_by=STAFF_TID + program["agency_id"] if state in DECISION else None,
                    decided_at=decided if state in DECISION else None,
                    version=1,
                )
            )
            applicants_of[program_id] += 1
            seeded.agency_applications[program["agency_id"]] += 1
            if state == "submitted":
                seeded.agency_submitted[program["agency_id"]] += 1
            if state == "certified":
                seeded.program_certified[program_id] += 1
            if state != "draft":
                events.append(
                    dict(
                        application_id=app_id,
                        action="submit",
                        from_state="draft",
                        to_state="submitted",
                        actor_id=PARTICIPANT_TID + person if online else None,
                        actor_role="participant" if online else "staff",
                        reason=None,
                    )
                )
            if state in DECISION:
                events.append(
                    dict(
                        application_id=app_id,
                        action=DECISION[state],
                        from_state="submitted",
                        to_state=state,
                        actor_id=STAFF_TID + program["agency_id"],
                        actor_role="staff",
                        reason=None,
                    )
                )
            if state in ON_ROSTER and program["roster_locked_at"] is not None:
                outcome = state if state != "selected" else None
                company = (
                    rng.choice(companies_of[program_id]) if program_id in companies_of else None
                )
                enrollments.append(
                    dict(
                        application_id=app_id,
                        team_id=None,
                        host_company_id=company,
                        training_status="done" if phase == "finished" else "in_progress",
                        training_hours=(
                            trng.randint(30, 40)
                            if programs[program_id - 1]["training_required"]
                            else None
                        ),
                        work_status="done" if outcome else "in_progress",
                        outcome=outcome,
                        dropout_code="personal" if state == "dropped" else None,
                        outcome_reason=None,
                        outcome_at=now - timedelta(days=5) if outcome else None,
                        outcome_by=STAFF_TID + program["agency_id"] if outcome else None,
                    )
                )
            if state == "completed":
                roll = rng.random()
                if roll < 0.9:
                    surveys.append(
                        dict(
                            application_id=app_id,
                            answers={
                                k: rng.randint(3, 5)
                                for k in ("overall", "content", "mentoring", "environment")
                            },
                            entered_by_staff=False,
                            entered_by=None,
                            submitted_at=now - timedelta(days=3) if roll < 0.8 else None,
                        )
                    )
                if rng.random() < 0.6:
                    status = _pick(rng, [("approved", 70), ("requested", 25), ("rejected", 5)])
                    if status == "approved":
                        cert_seq += 1
                    certificates.append(
                        dict(
                            application_id=app_id,
                            status=status,
                            decided_by=3001 if status != "requested" else None,
                            decided_at=now - timedelta(days=2) if status != "requested" else None,
                            reject_reason="수료 요건 미충족" if status == "rejected" else None,
                            issue_number=(
                                make_issue_number(2026, cert_seq) if status == "approved" else None
                            ),
                            issued_on=today - timedelta(days=2) if status == "approved" else None,
                            file_id=None,
                        )
                    )
    for program in programs:
        n = applicants_of[program["id"]]
        program["total_recruitment"] = max(5, round(n * 0.45))

    await _bulk(db, User, users, seeded)
    await _bulk(db, Program, programs, seeded)
    await _bulk(db, HostCompany, companies, seeded)
    await _bulk(db, Job, jobs, seeded)
    await _bulk(db, Participant, participants, seeded)
    await _bulk(db, Application, applications, seeded)
    await _bulk(db, ApplicationEvent, events, seeded)
    await _bulk(db, Enrollment, enrollments, seeded)
    await _bulk(db, SurveyResponse, surveys, seeded)
    await _bulk(db, Certificate, certificates, seeded)
    await _after_bulk(db)
    return seeded


async def _after_bulk(db: Database) -> None:
    """Explicit ids leave PostgreSQL's sequences behind; its autovacuum would have analysed the
    tables by now (SQLite's statistics are left as the app leaves them: none)."""
    if not db.is_postgres:
        return
    async with db.engine.begin() as conn:
        for table in ("agencies", "programs", "host_companies", "jobs", "participants",
                          "applications"):  # fmt: skip
            await conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            )
        await conn.execute(text("ANALYZE"))
