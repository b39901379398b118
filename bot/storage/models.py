"""SQLAlchemy models for the whole program domain (see shared DOMAIN.md).

State values are the string values of the enums in ``bot.domain``; Korean labels live in locales.
Times are stored as UTC (``UTCDateTime``); dates (application date, periods) as plain dates.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, returns aware UTC on every backend (SQLite drops tzinfo)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- people ------------------------------------------------------------------------------


class User(Timestamped, Base):
    """Anyone who has talked to the bot; holds language and delivery state (403 = blocked)."""

    __tablename__ = "users"
    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_name: Mapped[str] = mapped_column(String(128), default="")
    username: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(8))
    blocked_at: Mapped[datetime | None]
    last_seen_at: Mapped[datetime | None]


class Agency(Timestamped, Base):
    """운영기관: a contracted agency (corporate name), HQ or a branch."""

    __tablename__ = "agencies"
    id: Mapped[int] = mapped_column(primary_key=True)
    corporate_name: Mapped[str] = mapped_column(String(200))
    branch_name: Mapped[str | None] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(200))
    fax: Mapped[str | None] = mapped_column(String(20))
    homepage: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(default=True)
    __table_args__ = (UniqueConstraint("corporate_name", "branch_name", name="uq_agency_name"),)


class StaffAccount(Timestamped, Base):
    """운영기관 담당자 / 기관장 account request and, once approved, the account itself."""

    __tablename__ = "staff_accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    project_name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(16))  # head | staff
    email: Mapped[str] = mapped_column(String(200))
    mobile: Mapped[str] = mapped_column(String(20))
    phone: Mapped[str] = mapped_column(String(20))
    fax: Mapped[str | None] = mapped_column(String(20))
    is_project_manager: Mapped[bool] = mapped_column(default=False)
    duties: Mapped[list[Any]] = mapped_column(default=list)
    permissions: Mapped[list[Any]] = mapped_column(default=list)
    consent_info: Mapped[bool] = mapped_column(default=False)
    pledge_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    reject_reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    decided_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    agency: Mapped[Agency] = relationship(lazy="joined")


class CenterOperator(Timestamped, Base):
    """통합지원센터 operator (also bootstrapped from CENTER_USER_IDS)."""

    __tablename__ = "center_operators"
    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(100), default="")
    active: Mapped[bool] = mapped_column(default=True)


class SecondFactor(Timestamped, Base):
    """TOTP enrolment of a staff member or center operator; the secret is encrypted."""

    __tablename__ = "second_factors"
    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    secret_enc: Mapped[bytes] = mapped_column(LargeBinary)
    enrolled_at: Mapped[datetime | None]  # None until the first code confirmed it
    last_used_step: Mapped[int | None] = mapped_column(BigInteger)
    verified_at: Mapped[datetime | None]
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]


class Participant(Timestamped, Base):
    """참여청년. Offline applicants exist before they link a Telegram account."""

    __tablename__ = "participants"
    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    name: Mapped[str | None] = mapped_column(String(100))
    birth_date: Mapped[date | None] = mapped_column(Date)
    mobile: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(200))
    education: Mapped[str | None] = mapped_column(String(50))
    rrn_enc: Mapped[bytes | None] = mapped_column(LargeBinary)  # AES-GCM, never plain
    rrn_masked: Mapped[str | None] = mapped_column(String(16))
    consent_required_at: Mapped[datetime | None]
    consent_optional: Mapped[bool] = mapped_column(default=False)
    consent_withdrawn_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]
    link_token: Mapped[str | None] = mapped_column(String(64), unique=True)


# --- programs ----------------------------------------------------------------------------


class Program(Timestamped, Base):
    """일경험 프로그램 (인턴형 intern / 프로젝트형 project / ESG지원형 esg)."""

    __tablename__ = "programs"
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    year: Mapped[int] = mapped_column(default=2026)
    type: Mapped[str] = mapped_column(String(16))  # intern | project | esg
    name: Mapped[str] = mapped_column(String(200))
    # draft | pending | approved | rejected | closed
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    total_recruitment: Mapped[int | None]
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    recruit_until: Mapped[date | None] = mapped_column(Date)  # 모집 마감일 (else until the start)
    schedule: Mapped[str | None] = mapped_column(Text)
    weekly_hours: Mapped[int | None]
    allowance: Mapped[str | None] = mapped_column(Text)
    mentoring: Mapped[str | None] = mapped_column(Text)
    completion_benefit: Mapped[str | None] = mapped_column(Text)
    job_description: Mapped[str | None] = mapped_column(Text)
    proposal_text: Mapped[str | None] = mapped_column(Text)
    work_address: Mapped[str | None] = mapped_column(String(300))
    region: Mapped[str | None] = mapped_column(String(50), index=True)
    selection_criteria: Mapped[str | None] = mapped_column(Text)
    resume_required: Mapped[bool] = mapped_column(default=False)
    internal_notes: Mapped[str | None] = mapped_column(Text)  # never shown to participants
    # registration steps answered so far, skipped ones included (None: a row from before 0008)
    answered_fields: Mapped[list[Any] | None] = mapped_column(JSON)
    recruitment_mode: Mapped[str] = mapped_column(String(16), default="rolling")
    public_listing: Mapped[bool] = mapped_column(default=True)
    training_required: Mapped[bool | None]
    training_institution: Mapped[str | None] = mapped_column(String(200))
    training_contact: Mapped[str | None] = mapped_column(String(100))
    training_email: Mapped[str | None] = mapped_column(String(200))
    training_phone: Mapped[str | None] = mapped_column(String(20))
    training_start: Mapped[date | None] = mapped_column(Date)
    training_content: Mapped[str | None] = mapped_column(Text)
    training_homepage: Mapped[str | None] = mapped_column(String(300))
    # 사전직무교육 실시보고: planned hours, method (e.g. 오프라인 집체), place, last day
    training_hours: Mapped[int | None]
    training_method: Mapped[str | None] = mapped_column(String(100))
    training_place: Mapped[str | None] = mapped_column(String(300))
    training_end: Mapped[date | None] = mapped_column(Date)
    contact_name: Mapped[str | None] = mapped_column(String(100))
    contact_email: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    contact_fax: Mapped[str | None] = mapped_column(String(20))
    contact_homepage: Mapped[str | None] = mapped_column(String(300))
    plan_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    training_plan_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    attachment_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    submitted_at: Mapped[datetime | None]
    approved_by: Mapped[int | None] = mapped_column(BigInteger)
    approved_at: Mapped[datetime | None]
    reject_reason: Mapped[str | None] = mapped_column(Text)
    roster_locked_at: Mapped[datetime | None]  # 확정통보: the roster is locked from here on
    updated_at: Mapped[datetime | None] = mapped_column(onupdate=utcnow)
    agency: Mapped[Agency] = relationship(lazy="joined")


class HostCompany(Timestamped, Base):
    """참여기업 of a program; the contact person is visible to the center only."""

    __tablename__ = "host_companies"
    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    brn: Mapped[str | None] = mapped_column(String(10))  # None: overseas, entered by hand
    overseas: Mapped[bool] = mapped_column(default=False)
    address: Mapped[str | None] = mapped_column(String(300))
    work_address: Mapped[str | None] = mapped_column(String(300))
    contact_name: Mapped[str | None] = mapped_column(String(100))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    contact_email: Mapped[str | None] = mapped_column(String(200))
    headcount: Mapped[int | None]
    wage_arrears: Mapped[bool] = mapped_column(default=False)
    serious_accident: Mapped[bool] = mapped_column(default=False)
    insured_count: Mapped[int | None]
    # pending | confirmed | rejected — the insured-count check confirmed by the center
    insured_check: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    checked_by: Mapped[int | None] = mapped_column(BigInteger)
    checked_at: Mapped[datetime | None]
    __table_args__ = (UniqueConstraint("program_id", "brn", name="uq_host_company_brn"),)


class Job(Timestamped, Base):
    """직무 of a project program, with its head count."""

    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    headcount: Mapped[int] = mapped_column(default=0)
    description: Mapped[str | None] = mapped_column(Text)


class Team(Timestamped, Base):
    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    __table_args__ = (UniqueConstraint("program_id", "name", name="uq_team_name"),)


class StoredFile(Timestamped, Base):
    """Uploaded or generated files (résumés, pledges, merged PDFs, certificates)."""

    __tablename__ = "stored_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    telegram_file_id: Mapped[str | None] = mapped_column(String(255))
    owner_telegram_id: Mapped[int | None] = mapped_column(BigInteger)


# --- applications ------------------------------------------------------------------------


class Application(Timestamped, Base):
    """One participant's application to one program, through selection and completion."""

    __tablename__ = "applications"
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))
    state: Mapped[str] = mapped_column(String(16), default="draft")
    channel: Mapped[str] = mapped_column(String(16), default="online")  # online | offline
    applied_on: Mapped[date | None] = mapped_column(Date)
    submitted_at: Mapped[datetime | None]
    education: Mapped[str | None] = mapped_column(String(50))
    self_intro: Mapped[str | None] = mapped_column(Text)
    resume_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    eligibility: Mapped[dict[str, Any]] = mapped_column(default=dict)
    eligibility_result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    national_employment_support: Mapped[bool | None]
    last_reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    decided_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)  # optimistic concurrency for decisions
    updated_at: Mapped[datetime | None] = mapped_column(onupdate=utcnow)
    participant: Mapped[Participant] = relationship(lazy="joined")
    program: Mapped[Program] = relationship(lazy="joined")
    __table_args__ = (
        Index("ix_applications_program_state", "program_id", "state"),
        Index("ix_applications_state_submitted", "state", "submitted_at"),
    )


class ApplicationEvent(Timestamped, Base):
    """Status history: every transition with who, from → to and the reason."""

    __tablename__ = "application_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    actor_role: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        # when an application was last put on hold (weekly report, nudges): an index-only scan
        Index("ix_application_events_state_app", "to_state", "application_id", "created_at"),
    )


class Enrollment(Timestamped, Base):
    """A selected participant's assignment and progress (팀배정 / 수료)."""

    __tablename__ = "enrollments"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    host_company_id: Mapped[int | None] = mapped_column(
        ForeignKey("host_companies.id"), index=True
    )
    training_status: Mapped[str] = mapped_column(String(16), default="not_started")
    training_hours: Mapped[int | None]  # pre-job training hours attended (사전직무교육 이수시간)
    work_status: Mapped[str] = mapped_column(String(16), default="not_started")
    outcome: Mapped[str | None] = mapped_column(String(16))  # completed | dropped
    dropout_code: Mapped[str | None] = mapped_column(String(32))
    outcome_reason: Mapped[str | None] = mapped_column(Text)
    outcome_at: Mapped[datetime | None]
    outcome_by: Mapped[int | None] = mapped_column(BigInteger)


class SurveyResponse(Timestamped, Base):
    """만족도 조사: one per application; answers filled in progressively, then submitted."""

    __tablename__ = "survey_responses"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    entered_by_staff: Mapped[bool] = mapped_column(default=False)
    entered_by: Mapped[int | None] = mapped_column(BigInteger)
    submitted_at: Mapped[datetime | None]


class Certificate(Timestamped, Base):
    """수료증: requested by the participant, approved only by the support center."""

    __tablename__ = "certificates"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="requested", index=True)
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    decided_at: Mapped[datetime | None]
    reject_reason: Mapped[str | None] = mapped_column(Text)
    issue_number: Mapped[str | None] = mapped_column(String(32), unique=True)
    issued_on: Mapped[date | None] = mapped_column(Date)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))


# --- operations --------------------------------------------------------------------------


class WeeklyCheck(Timestamped, Base):
    """주간보고 전 점검 완료: who checked an agency's data for a week, and when."""

    __tablename__ = "weekly_checks"
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    week_start: Mapped[date] = mapped_column(Date)
    checked_by: Mapped[int | None] = mapped_column(BigInteger)
    checked_at: Mapped[datetime | None]
    __table_args__ = (UniqueConstraint("agency_id", "week_start", name="uq_weekly_check"),)


class ReportSnapshot(Base):
    """A report confirmed as "제출 준비 완료": who, when, and the figures it showed (what)."""

    __tablename__ = "report_snapshots"
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))  # None: national
    kind: Mapped[str] = mapped_column(String(16))  # training | program | performance | result
    period: Mapped[str] = mapped_column(String(32))  # e.g. week 2026-03-02, month 2026-03
    figures: Mapped[dict[str, Any]] = mapped_column(default=dict)
    confirmed_by: Mapped[int] = mapped_column(BigInteger)
    confirmed_name: Mapped[str] = mapped_column(String(100), default="")
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (Index("ix_report_snapshots_scope", "agency_id", "kind", "confirmed_at"),)


class AuditLog(Base):
    """Every state change and every refused attempt: actor, action, entity, before/after."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    actor_role: Mapped[str] = mapped_column(String(16))
    agency_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(16), default="ok")  # ok | refused
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)


class OutboxMessage(Timestamped, Base):
    """Transactional outbox: written with the state change, delivered by the sender."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(48))
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # pending | sending | sent | failed | skipped | held (the person cannot be reached yet: 403)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    last_error: Mapped[str | None] = mapped_column(Text)
    entity: Mapped[str | None] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    held_at: Mapped[datetime | None]  # first refused with 403; delivered later with its time
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)


class JobRun(Base):
    """Scheduler bookkeeping: last and next run of each job (for /jobs and catch-up)."""

    __tablename__ = "job_runs"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_run_at: Mapped[datetime | None]
    last_period: Mapped[str | None] = mapped_column(String(32))
    next_run_at: Mapped[datetime | None]
    last_result: Mapped[str | None] = mapped_column(Text)


class FsmRecord(Base):
    """aiogram FSM state and data, so a restart mid-conversation resumes it."""

    __tablename__ = "fsm_state"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class UpdateInbox(Base):
    """Every update, recorded before Telegram is told it arrived (``bot.updates``).

    ``finished_at`` is set in the same transaction as the update's FSM write: a recorded update
    without it was never completed (the process died) and is handled again at start; a finished
    one is never handled again (this is the de-duplication of redeliveries). ``payload`` is the
    update's JSON sealed with the data key (a message may hold a resident number); it is
    emptied when the update finishes."""

    __tablename__ = "update_inbox"
    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    person: Mapped[int | None] = mapped_column(BigInteger)  # the sender's Telegram id
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None]


__all__ = [
    "Agency",
    "Application",
    "ApplicationEvent",
    "AuditLog",
    "Base",
    "CenterOperator",
    "Certificate",
    "Enrollment",
    "FsmRecord",
    "HostCompany",
    "Job",
    "JobRun",
    "OutboxMessage",
    "Participant",
    "Program",
    "ReportSnapshot",
    "SecondFactor",
    "StaffAccount",
    "StoredFile",
    "SurveyResponse",
    "Team",
    "UpdateInbox",
    "User",
    "WeeklyCheck",
]
