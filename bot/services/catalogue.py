"""The public program catalogue: what a participant may see of a program, and whether it is open.

Only approved programs with public listing (홈페이지 노출) appear. A card carries exactly the
fields an applicant needs (:class:`ProgramCard`) — internal notes and host-company contact
persons are never read into it, so no screen can show them by mistake.

Codes raised (params in parentheses):
- ``catalogue.not_found`` — no such program, or not public.
- ``apply.closed`` · ``apply.locked`` · ``apply.full`` — see :func:`closed_reason`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import DomainError
from bot.domain.recruit_dates import is_over, last_day
from bot.services.context import AppContext
from bot.storage.models import Agency, Application, HostCompany, Job, Program

PAGE_SIZE = 5
PROGRAM_TYPES = ("intern", "project", "esg")
# States that hold a place on the roster (the program is full when they reach its recruitment).
ROSTER_STATES = ("selected", "completed", "dropped")


@dataclass(frozen=True)
class ProgramItem:
    id: int
    name: str
    type: str
    region: str | None
    agency: str


@dataclass(frozen=True)
class Page:
    items: list[ProgramItem]
    page: int
    pages: int
    total: int


@dataclass(frozen=True)
class CompanyView:
    name: str
    work_address: str | None


@dataclass(frozen=True)
class JobView:
    id: int
    name: str
    headcount: int
    description: str | None
    full: bool


@dataclass(frozen=True)
class ProgramCard:
    """Everything public about a program (and nothing else)."""

    id: int
    name: str
    type: str
    year: int
    region: str | None
    agency: str
    total_recruitment: int | None
    period_start: date | None
    period_end: date | None
    schedule: str | None
    weekly_hours: int | None
    allowance: str | None
    job_description: str | None
    mentoring: str | None
    completion_benefit: str | None
    proposal_text: str | None
    work_address: str | None
    selection_criteria: str | None
    resume_required: bool
    training_required: bool | None
    training_institution: str | None
    training_start: date | None
    training_content: str | None
    training_phone: str | None
    training_email: str | None
    training_homepage: str | None
    contact_phone: str | None
    contact_email: str | None
    contact_fax: str | None
    contact_homepage: str | None
    companies: list[CompanyView] = field(default_factory=list)
    jobs: list[JobView] = field(default_factory=list)
    closed_reason: str | None = None  # apply.closed | apply.locked | apply.full, None = open
    recruit_last_day: date | None = None  # 모집 마감일, else the day before the start

    @property
    def open_jobs(self) -> list[JobView]:
        return [job for job in self.jobs if not job.full]


def agency_label(program: Program) -> str:
    agency = program.agency
    if agency.branch_name:
        return f"{agency.corporate_name} {agency.branch_name}"
    return agency.corporate_name


def listed(today: date) -> Select[tuple[Program]]:
    """Open, publicly listed programs still recruiting on ``today`` (the catalogue and the home
    menu count these; the same rule as ``recruit_dates.is_over``)."""
    recruiting = or_(
        Program.recruit_until >= today,
        and_(
            Program.recruit_until.is_(None),
            or_(Program.period_start.is_(None), Program.period_start > today),
        ),
    )
    return (
        select(Program)
        .where(
            Program.status == "approved",
            Program.public_listing.is_(True),
            Program.roster_locked_at.is_(None),
            recruiting,
        )
        .order_by(Program.period_start, Program.id)
    )


async def list_programs(
    ctx: AppContext, *, ptype: str = "", region: str = "", page: int = 0
) -> Page:
    """One page of open, publicly listed programs (optionally of one type and region)."""
    query = listed(ctx.today())
    if ptype:
        query = query.where(Program.type == ptype)
    if region:
        query = query.where(Program.region == region)
    async with ctx.db.session() as session:
        total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        rows = (await session.scalars(query.offset(page * PAGE_SIZE).limit(PAGE_SIZE))).all()
        items = [ProgramItem(p.id, p.name, p.type, p.region, agency_label(p)) for p in rows]
    return Page(items, page, pages, total)


SEARCH_LIMIT = 5


async def search_programs(
    ctx: AppContext, words: str, limit: int = SEARCH_LIMIT
) -> list[ProgramItem]:
    """Open programs whose name, region or agency contain ``words`` (free text typed in chat)."""
    needle = words.strip()[:50].replace("\\", "").replace("%", "").replace("_", " ")
    if not needle:
        return []
    like = f"%{needle}%"
    query = (
        listed(ctx.today())
        .join(Agency, Agency.id == Program.agency_id)
        .where(
            or_(
                Program.name.ilike(like),
                Program.region.ilike(like),
                Agency.corporate_name.ilike(like),
            )
        )
        .limit(limit)
    )
    async with ctx.db.session() as session:
        rows = (await session.scalars(query)).unique().all()
        return [ProgramItem(p.id, p.name, p.type, p.region, agency_label(p)) for p in rows]


async def regions(ctx: AppContext, *, ptype: str = "") -> list[str]:
    """Regions that have at least one listed program (of ``ptype`` when given)."""
    query = listed(ctx.today()).with_only_columns(Program.region).distinct().order_by(None)
    if ptype:
        query = query.where(Program.type == ptype)
    async with ctx.db.session() as session:
        found = (await session.scalars(query)).all()
    return sorted(r for r in found if r)


async def roster_count(session: AsyncSession, program_id: int, job_id: int | None = None) -> int:
    query = select(func.count(Application.id)).where(
        Application.program_id == program_id, Application.state.in_(ROSTER_STATES)
    )
    if job_id is not None:
        query = query.where(Application.job_id == job_id)
    return await session.scalar(query) or 0


async def closed_reason(
    session: AsyncSession, program: Program, today: date | None = None
) -> str | None:
    """Why a program takes no applications now (``apply.*`` code), or None when it is open."""
    if program.status != "approved" or not program.public_listing:
        return "apply.closed"
    if program.roster_locked_at is not None:
        return "apply.locked"
    if today is not None and is_over(program.recruit_until, program.period_start, today):
        return "apply.recruitment_over"
    total = program.total_recruitment
    if total and await roster_count(session, program.id) >= total:
        return "apply.full"
    return None


async def load_public_program(session: AsyncSession, program_id: int) -> Program:
    """A program a participant may look at: approved (or closed after approval) and listed."""
    program = await session.get(Program, program_id)
    if (
        program is None
        or program.status not in ("approved", "closed")
        or not program.public_listing
        or program.approved_at is None
    ):
        raise DomainError("catalogue.not_found")
    return program


async def program_card(ctx: AppContext, program_id: int) -> ProgramCard:
    async with ctx.db.session() as session:
        program = await load_public_program(session, program_id)
        companies = (
            await session.scalars(
                select(HostCompany)
                .where(HostCompany.program_id == program.id)
                .order_by(HostCompany.id)
            )
        ).all()
        jobs = (
            await session.scalars(select(Job).where(Job.program_id == program.id).order_by(Job.id))
        ).all()
        job_views = [
            JobView(
                j.id,
                j.name,
                j.headcount,
                j.description,
                full=bool(j.headcount)
                and await roster_count(session, program.id, j.id) >= j.headcount,
            )
            for j in jobs
        ]
        reason = await closed_reason(session, program, ctx.today())
        if reason is None and jobs and not any(not j.full for j in job_views):
            reason = "apply.full"
        return ProgramCard(
            id=program.id,
            name=program.name,
            type=program.type,
            year=program.year,
            region=program.region,
            agency=agency_label(program),
            total_recruitment=program.total_recruitment,
            period_start=program.period_start,
            period_end=program.period_end,
            schedule=program.schedule,
            weekly_hours=program.weekly_hours,
            allowance=program.allowance,
            job_description=program.job_description,
            mentoring=program.mentoring,
            completion_benefit=program.completion_benefit,
            proposal_text=program.proposal_text if program.type == "project" else None,
            work_address=program.work_address,
            selection_criteria=program.selection_criteria,
            resume_required=program.resume_required,
            training_required=program.training_required,
            training_institution=program.training_institution,
            training_start=program.training_start,
            training_content=program.training_content,
            training_phone=program.training_phone,
            training_email=program.training_email,
            training_homepage=program.training_homepage,
            contact_phone=program.contact_phone,
            contact_email=program.contact_email,
            contact_fax=program.contact_fax,
            contact_homepage=program.contact_homepage,
            # name and workplace only: the company contact person is for the center alone
            companies=[CompanyView(c.name, c.work_address or c.address) for c in companies],
            jobs=job_views,
            closed_reason=reason,
            recruit_last_day=last_day(program.recruit_until, program.period_start),
        )
