"""Exports (xlsx, csv): the bridge to the portal, where staff re-enter the data.

Seven tables, columns in the portal's field order (manual § 참여자관리 → 선발 → 팀배정 → 수료 →
만족도 → 수료증): applications, participants, selection, assignment, completion, surveys,
certificates. xlsx holds them all (one sheet each); csv holds one, UTF-8 with a BOM so Excel
opens Hangul correctly.

Scope: staff export their own agency; the support center all agencies or one. Resident numbers
are masked (``YYMMDD-G******``); only a center operator may export them in full, after giving a
reason, and that export is audited with the reason. Cells that would start a formula (``=``,
``+``, ``-``, ``@``) are written as text (CSV/formula injection).

Codes raised: ``access.denied`` (participants), ``access.agency`` (staff, another agency),
``export.unmasked_center_only`` (staff asking for full numbers; audited),
``export.reason_needed`` (min), ``export.bad_choice``, ``export.unknown_agency``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from bot.domain.errors import DomainError
from bot.domain.identifiers import format_brn
from bot.domain.survey import load_survey
from bot.i18n import Texts
from bot.services import audit
from bot.services.context import AppContext
from bot.services.crypto import rrn_context
from bot.services.identity import Actor
from bot.services.xlsx_style import XLSX_MIME, Sheet, write_workbook
from bot.storage.models import (
    Agency,
    Application,
    Certificate,
    Enrollment,
    HostCompany,
    Job,
    Program,
    SurveyResponse,
    Team,
)
from bot.storage.queries.reports import agency_label

DATASETS = (
    "applications",
    "participants",
    "selection",
    "assignment",
    "completion",
    "surveys",
    "certificates",
)
FORMATS = ("xlsx", "csv")
REASON_MIN = 5
CSV_MIME = "text/csv"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_NAME = re.compile(r"[^\w()\-]+")

COLUMNS: dict[str, tuple[str, ...]] = {
    # 참여자관리 / 인터넷참여자인증: 자격조회(주민번호) → 인적사항 → 프로그램 → 직무 → 신청일자,
    # 최종학력, 개인정보 동의 → 참여자격확인서(서식 101) → 인증·보류·반려
    "applications": (
        "agency", "program", "program_type", "app_id", "rrn", "name", "birth_date", "mobile",
        "email", "job", "applied_on", "education", "consent", "business_owner",
        "unemployment_benefits", "job_seeking_allowance", "channel", "state", "decided_at",
        "reason",
    ),
    "participants": (
        "participant_id", "rrn", "name", "birth_date", "mobile", "email", "education", "consent",
        "consent_optional", "applications",
    ),
    # 선발: 국민취업지원제도 참여여부 → 선발/비선발 → 직무교육·일경험 상태 → 확정통보
    "selection": (
        "agency", "program", "app_id", "name", "birth_date", "national_employment_support",
        "state", "training_status", "work_status", "decided_at", "roster_locked_at",
    ),
    # 팀배정: 프로젝트형 팀명 / 인턴형 참여기업
    "assignment": (
        "agency", "program", "program_type", "app_id", "name", "team", "host_company", "brn",
        "work_address",
    ),
    "completion": (
        "agency", "program", "app_id", "name", "period_start", "period_end", "outcome",
        "dropout_reason", "outcome_reason", "outcome_at",
    ),
    "surveys": (
        "agency", "program", "app_id", "name", "survey_registered", "entered_by", "submitted_at",
    ),
    "certificates": (
        "agency", "program", "app_id", "name", "cert_status", "issue_number", "issued_on",
        "requested_at", "decided_at", "reject_reason",
    ),
}  # fmt: skip
SELECTION_STATES = ("certified", "selected", "not_selected", "completed", "dropped")
ROSTER_STATES = ("selected", "completed", "dropped")


@dataclass(frozen=True)
class Table:
    dataset: str
    headers: list[str]
    rows: list[list[Any]]


@dataclass(frozen=True)
class ExportFile:
    file_name: str
    content: bytes
    mime_type: str
    rows: int
    scope: str


@dataclass(frozen=True)
class _Record:
    app: Application
    enrollment: Enrollment | None
    team: Team | None
    company: HostCompany | None
    survey: SurveyResponse | None
    certificate: Certificate | None
    job: Job | None


# --- access --------------------------------------------------------------------------------


async def active_agencies(ctx: AppContext) -> list[tuple[int, str]]:
    """(id, label) of every active agency, for the center's scope picker."""
    async with ctx.db.session() as session:
        rows = await session.scalars(select(Agency).where(Agency.active).order_by(Agency.id))
        return [(a.id, agency_label(a)) for a in rows]


async def agency_name(ctx: AppContext, agency_id: int) -> str:
    async with ctx.db.session() as session:
        agency = await session.get(Agency, agency_id)
    return agency_label(agency) if agency else str(agency_id)


async def check_unmasked_allowed(ctx: AppContext, actor: Actor) -> None:
    """Only a center operator may export full resident numbers; others are refused (audited)."""
    if not actor.is_center:
        await audit.refuse(
            ctx, actor, "export.unmasked", "export", None, code="export.unmasked_center_only"
        )


async def _scope(ctx: AppContext, actor: Actor, agency_id: int | None) -> tuple[int | None, str]:
    agency_id = await audit.agency_scope(ctx, actor, agency_id, "export.create")
    if agency_id is None:
        return None, ""
    async with ctx.db.session() as session:
        agency = await session.get(Agency, agency_id)
    if agency is None:
        raise DomainError("export.unknown_agency")
    return agency_id, agency_label(agency)


# --- the export ----------------------------------------------------------------------------


async def export_data(
    ctx: AppContext,
    actor: Actor,
    t: Texts,
    *,
    agency_id: int | None,
    fmt: str,
    dataset: str | None = None,
    unmasked: bool = False,
    reason: str | None = None,
) -> ExportFile:
    """Build the file for ``actor``'s scope (staff: own agency; center: one or all)."""
    if fmt not in FORMATS or (dataset is not None and dataset not in DATASETS):
        raise DomainError("export.bad_choice")
    if fmt == "csv" and dataset is None:
        raise DomainError("export.bad_choice")
    if unmasked:
        await check_unmasked_allowed(ctx, actor)
        reason = (reason or "").strip()
        if len(reason) < REASON_MIN:
            raise DomainError("export.reason_needed", min=REASON_MIN)
    agency_id, label = await _scope(ctx, actor, agency_id)
    scope = label or t("export.all_agencies_name")
    wanted = [dataset] if dataset else list(DATASETS)
    async with ctx.db.session() as session:
        records = await _load(session, agency_id)
        tables = [_table(ctx, t, name, records, unmasked) for name in wanted]
        rows = sum(len(table.rows) for table in tables)
        audit.record(
            session,
            actor,
            "export.unmasked" if unmasked else "export.create",
            "export",
            agency_id if agency_id is not None else "all",
            after={"format": fmt, "datasets": wanted, "rows": rows, "masked": not unmasked},
            reason=reason if unmasked else None,
            agency_id=agency_id,
        )
    stamp = ctx.today().strftime("%Y%m%d")
    what = t(f"export.dataset.{dataset}") if dataset else t("export.all_sheets")
    base = _UNSAFE_NAME.sub("_", f"청년일경험_{scope}_{what}_{stamp}").strip("_")
    if fmt == "xlsx":
        return ExportFile(f"{base}.xlsx", to_xlsx(t, tables), XLSX_MIME, rows, scope)
    return ExportFile(f"{base}.csv", to_csv(tables[0]), CSV_MIME, rows, scope)


async def _load(session: Any, agency_id: int | None) -> list[_Record]:
    company = aliased(HostCompany)
    stmt = (
        select(Application, Enrollment, Team, company, SurveyResponse, Certificate, Job)
        .join(Program, Program.id == Application.program_id)
        .outerjoin(Enrollment, Enrollment.application_id == Application.id)
        .outerjoin(Team, Team.id == Enrollment.team_id)
        .outerjoin(company, company.id == Enrollment.host_company_id)
        .outerjoin(SurveyResponse, SurveyResponse.application_id == Application.id)
        .outerjoin(Certificate, Certificate.application_id == Application.id)
        .outerjoin(Job, Job.id == Application.job_id)
        .where(Application.state != "draft")
        .order_by(Program.agency_id, Program.id, Application.id)
    )
    if agency_id is not None:
        stmt = stmt.where(Program.agency_id == agency_id)
    return [_Record(*row) for row in (await session.execute(stmt)).all()]


# --- the tables ----------------------------------------------------------------------------


def _table(
    ctx: AppContext, t: Texts, dataset: str, records: list[_Record], unmasked: bool
) -> Table:
    tz = ctx.settings.tz

    def when(value: datetime | None) -> datetime | None:  # Excel has no time zones: local time
        return value.astimezone(tz).replace(tzinfo=None, microsecond=0) if value else None

    def yes_no(value: object) -> str:
        if value is None:
            return ""
        return t("export.value.yes") if value else t("export.value.no")

    def rrn(record: _Record) -> str:
        person = record.app.participant
        if unmasked and person.rrn_enc:
            return ctx.cipher.decrypt(person.rrn_enc, context=rrn_context(person.id))
        return person.rrn_masked or ""

    fields = _Fields(t, when, yes_no, rrn)
    headers = [t(f"export.col.{c}") for c in COLUMNS[dataset]]
    if dataset == "participants":
        return Table(dataset, headers, fields.participants(records))
    keep: Callable[[_Record], bool] = {
        "selection": lambda r: r.app.state in SELECTION_STATES,
        "assignment": lambda r: r.app.state in ROSTER_STATES,
        "completion": lambda r: r.app.state in ROSTER_STATES,
        "surveys": lambda r: r.app.state == "completed" or r.survey is not None,
        "certificates": lambda r: r.certificate is not None,
    }.get(dataset, lambda r: True)
    kept = [r for r in records if keep(r)]
    rows = [[fields.value(dataset, c, r) for c in COLUMNS[dataset]] for r in kept]
    if dataset == "surveys":
        questions = load_survey().questions
        headers += [t(f"survey.q_short.{q.key}") for q in questions]
        for row, record in zip(rows, kept, strict=True):
            answers = record.survey.answers if record.survey else {}
            row += [_blank(answers.get(q.key)) for q in questions]
    return Table(dataset, headers, rows)


@dataclass(frozen=True)
class _Fields:
    t: Texts
    when: Callable[[datetime | None], datetime | None]
    yes_no: Callable[[object], str]
    rrn: Callable[[_Record], str]

    def participants(self, records: list[_Record]) -> list[list[Any]]:
        seen: dict[int, list[Any]] = {}
        for record in records:
            person = record.app.participant
            if person.id in seen:
                seen[person.id][-1] += 1
                continue
            seen[person.id] = [
                person.id, self.rrn(record), person.name or "", person.birth_date,
                person.mobile or "", person.email or "", person.education or "",
                self.when(person.consent_required_at), self.yes_no(person.consent_optional), 1,
            ]  # fmt: skip
        return list(seen.values())

    def value(self, dataset: str, column: str, r: _Record) -> Any:
        t, app, program = self.t, r.app, r.app.program
        person = app.participant
        match column:
            case "agency":
                return agency_label(program.agency)
            case "program":
                return program.name
            case "program_type":
                return t(f"report.ptype.{program.type}")
            case "app_id":
                return app.id
            case "rrn":
                return self.rrn(r)
            case "name":
                return person.name or ""
            case "birth_date":
                return person.birth_date
            case "mobile":
                return person.mobile or ""
            case "email":
                return person.email or ""
            case "job":
                return r.job.name if r.job else ""
            case "applied_on":
                return app.applied_on
            case "education":
                return app.education or person.education or ""
            case "consent":
                return self.when(person.consent_required_at)
            case "business_owner" | "unemployment_benefits" | "job_seeking_allowance":
                return self.yes_no((app.eligibility or {}).get(column))
            case "channel":
                return t(f"selection.channel.{app.channel}")
            case "state":
                return t(f"selection.state.{app.state}")
            case "decided_at":
                if dataset == "certificates":
                    return self.when(r.certificate.decided_at) if r.certificate else None
                return self.when(app.decided_at)
            case "reason":
                return app.last_reason or ""
            case "national_employment_support":
                return self.yes_no(app.national_employment_support)
            case "training_status":
                return (
                    t(f"progress.training.{r.enrollment.training_status}") if r.enrollment else ""
                )
            case "work_status":
                return t(f"progress.work.{r.enrollment.work_status}") if r.enrollment else ""
            case "roster_locked_at":
                return self.when(program.roster_locked_at)
            case "team":
                return r.team.name if r.team else ""
            case "host_company":
                return r.company.name if r.company else ""
            case "brn":
                return _brn(r.company.brn) if r.company and r.company.brn else ""
            case "work_address":
                if r.company is not None:
                    return r.company.work_address or r.company.address or ""
                return program.work_address or ""
            case "period_start":
                return program.period_start
            case "period_end":
                return program.period_end
            case "outcome":
                outcome = r.enrollment.outcome if r.enrollment else None
                return t(f"export.value.{outcome or 'in_progress'}")
            case "dropout_reason":
                code = r.enrollment.dropout_code if r.enrollment else None
                return t(f"progress.drop_code.{code}") if code else ""
            case "outcome_reason":
                return (r.enrollment.outcome_reason or "") if r.enrollment else ""
            case "outcome_at":
                return self.when(r.enrollment.outcome_at) if r.enrollment else None
            case "survey_registered":
                done = r.survey is not None and r.survey.submitted_at is not None
                return t("export.value.registered" if done else "export.value.not_registered")
            case "entered_by":
                if r.survey is None or r.survey.submitted_at is None:
                    return ""
                return t(
                    "export.value.staff" if r.survey.entered_by_staff else "export.value.self"
                )
            case "submitted_at":
                return self.when(r.survey.submitted_at) if r.survey else None
            case "cert_status":
                return t(f"export.value.cert_{r.certificate.status}") if r.certificate else ""
            case "issue_number":
                return (r.certificate.issue_number or "") if r.certificate else ""
            case "issued_on":
                return r.certificate.issued_on if r.certificate else None
            case "requested_at":
                return self.when(r.certificate.created_at) if r.certificate else None
            case "reject_reason":
                return (r.certificate.reject_reason or "") if r.certificate else ""
        raise KeyError(column)


def _blank(value: Any) -> Any:
    return "" if value is None else value


def _brn(digits: str) -> str:
    try:
        return format_brn(digits)
    except DomainError:
        return digits


# --- writing -------------------------------------------------------------------------------


def _safe_text(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_csv_value(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def _csv_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return _safe_text(value)


def to_xlsx(t: Texts, tables: list[Table]) -> bytes:
    """All tables as one workbook, one sheet each (styled and sized: ``xlsx_style``)."""
    scope = t("export.all_sheets")
    return write_workbook(
        [
            Sheet(t(f"export.dataset.{table.dataset}"), table.headers, table.rows, title=scope)
            for table in tables
        ]
    )
