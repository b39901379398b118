"""Host companies (참여기업) and jobs (직무) of a program — the units head counts are set on.

Host companies (every type; intern and ESG type set a head count per company):
- added only once the draft exists; searched in the portal by name and 사업자등록번호 — here the
  number is validated (check digit) and kept as 10 digits, shown ``XXX-XX-XXXXX``;
- an overseas company that cannot register is entered by hand without a number, flagged
  ``overseas``;
- the same number twice in one program is refused (and the same overseas name twice);
- restrictions: wage arrears (임금체불) or a serious industrial accident (중대재해) → the company
  cannot take part (the refused attempt is audited);
- the insured-count check (피보험자수) starts ``pending`` and is confirmed or rejected by a center
  operator; when the program is already submitted or approved, the center is told at once;
- the contact person is for the center only (never on public pages).

Jobs (project type): a name and a head count each.

Codes raised (params in parentheses):
- ``hostco.duplicate`` (brn, name) — that number is already a host company of this program.
- ``hostco.duplicate_name`` (name) — an overseas company of that name is already there.
- ``hostco.wage_arrears`` (name) / ``hostco.serious_accident`` (name) — restriction.
- ``hostco.not_found`` / ``progjob.not_found``.
- ``hostco.in_use`` (name) / ``progjob.in_use`` (name) — participants are assigned to it.
- ``hostco.no_headcount`` — project-type companies have no head count (set it per job).
- ``hostco.already_decided`` (status) — the center decided this check already, differently.
- ``progjob.duplicate`` (name).
- ``brn.format`` / ``brn.checksum``, ``phone.*``, ``text.*``, ``progreg.int_*`` — field rules.
- the registry's access and lock codes (``access.*``, ``roster.locked``, ``progreg.closed``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import DomainError
from bot.domain.identifiers import classify_phone, format_brn, normalize_brn
from bot.domain.text import check_char_limit, require_text
from bot.services import audit, outbox
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.program_fields import COMPANY_TYPES, parse_int
from bot.services.program_registry import center_ids, edit_reason, load_for_edit
from bot.storage.models import Application, Enrollment, HostCompany, Job, Program

HEADCOUNT_RANGE = (1, 999)
INSURED_RANGE = (0, 1_000_000)


@dataclass(frozen=True)
class CompanyInput:
    name: str
    brn: str | None  # 10 digits, or None for an overseas company
    overseas: bool
    wage_arrears: bool
    serious_accident: bool
    insured_count: int | None
    address: str
    work_address: str
    contact_name: str
    contact_phone: str
    headcount: int | None


# --- field rules (also used step by step by the conversation) -----------------------------


def clean_name(raw: str, limit: int = 200) -> str:
    text = require_text(raw)
    check_char_limit(text, limit)
    return text


def clean_contact_phone(raw: str) -> str:
    """The company contact's number is seen by the center only: a mobile number is fine."""
    return classify_phone(raw).formatted


def clean_count(raw: str, low: int, high: int) -> int:
    return parse_int(raw, low, high)


def check_restrictions(name: str, wage_arrears: bool, serious_accident: bool) -> None:
    if wage_arrears:
        raise DomainError("hostco.wage_arrears", name=name)
    if serious_accident:
        raise DomainError("hostco.serious_accident", name=name)


async def _duplicate(
    session: AsyncSession, program_id: int, brn: str | None, name: str | None
) -> HostCompany | None:
    if brn is not None:
        found = await session.scalar(
            select(HostCompany).where(HostCompany.program_id == program_id, HostCompany.brn == brn)
        )
        return found
    if name is not None:
        overseas = await session.scalar(
            select(HostCompany).where(
                HostCompany.program_id == program_id,
                HostCompany.overseas.is_(True),
                HostCompany.name == name,
            )
        )
        return overseas
    return None


def _raise_duplicate(existing: HostCompany) -> None:
    if existing.brn is not None:
        raise DomainError("hostco.duplicate", brn=format_brn(existing.brn), name=existing.name)
    raise DomainError("hostco.duplicate_name", name=existing.name)


async def check_brn(ctx: AppContext, actor: Actor, program_id: int, raw: str) -> str:
    """Validate a 사업자등록번호 for this program (check digit, not there yet): 10 digits."""
    brn = normalize_brn(raw)
    async with ctx.db.session() as session:
        await load_for_edit(session, ctx, actor, program_id)
        existing = await _duplicate(session, program_id, brn, None)
        if existing is not None:
            _raise_duplicate(existing)
    return brn


async def check_overseas_name(ctx: AppContext, actor: Actor, program_id: int, name: str) -> None:
    async with ctx.db.session() as session:
        await load_for_edit(session, ctx, actor, program_id)
        existing = await _duplicate(session, program_id, None, name)
        if existing is not None:
            _raise_duplicate(existing)


async def screen_restrictions(
    ctx: AppContext,
    actor: Actor,
    program_id: int,
    name: str,
    brn: str | None,
    *,
    wage_arrears: bool,
    serious_accident: bool,
) -> None:
    """임금체불 / 중대재해 → refused (audited, so the center can see the attempt)."""
    try:
        check_restrictions(name, wage_arrears, serious_accident)
    except DomainError as error:
        async with ctx.db.session() as session:
            program = await load_for_edit(session, ctx, actor, program_id)
            audit.record(
                session,
                actor,
                "hostco.add",
                "program",
                program_id,
                after={"name": name, "brn": brn},
                reason=error.code,
                agency_id=program.agency_id,
                refused=True,
            )
        raise


async def add_company(
    ctx: AppContext, actor: Actor, program_id: int, data: CompanyInput
) -> HostCompany:
    """Add one host company (all rules checked again: the steps may be old)."""
    name = clean_name(data.name)
    brn = None if data.overseas else normalize_brn(data.brn or "")
    check_restrictions(name, data.wage_arrears, data.serious_accident)
    async with ctx.db.session() as session:
        program = await load_for_edit(session, ctx, actor, program_id)
        existing = await _duplicate(session, program_id, brn, name if data.overseas else None)
        if existing is not None:
            _raise_duplicate(existing)
        headcount = data.headcount if program.type in COMPANY_TYPES else None
        if program.type in COMPANY_TYPES:
            if headcount is None:
                raise DomainError("progreg.int_format", min=1, max=HEADCOUNT_RANGE[1])
            if not HEADCOUNT_RANGE[0] <= headcount <= HEADCOUNT_RANGE[1]:
                raise DomainError(
                    "progreg.int_range", min=1, max=HEADCOUNT_RANGE[1], value=headcount
                )
        company = HostCompany(
            program_id=program_id,
            name=name,
            brn=brn,
            overseas=data.overseas,
            address=clean_name(data.address, 300),
            work_address=clean_name(data.work_address, 300),
            contact_name=clean_name(data.contact_name, 100),
            contact_phone=clean_contact_phone(data.contact_phone),
            headcount=headcount,
            wage_arrears=False,
            serious_accident=False,
            insured_count=None if data.overseas else data.insured_count,
            insured_check="pending",
        )
        session.add(company)
        await session.flush()
        program.updated_at = ctx.now()
        audit.record(
            session,
            actor,
            "hostco.add",
            "host_company",
            company.id,
            after={
                "program_id": program_id,
                "name": name,
                "brn": brn,
                "overseas": data.overseas,
                "headcount": headcount,
                "insured_count": company.insured_count,
            },
            reason=edit_reason(program),
            agency_id=program.agency_id,
        )
        if program.status in ("pending", "approved"):
            await _ask_center_to_check(session, ctx, program, company)
        return company


async def _ask_center_to_check(
    session: AsyncSession, ctx: AppContext, program: Program, company: HostCompany
) -> None:
    for chat_id in await center_ids(session, ctx):
        await outbox.enqueue(
            session,
            chat_id,
            "hostco.check",
            "progreview.notify_check",
            params={"name": company.name, "program": program.name},
            buttons=[
                [
                    {
                        "key": "progreview.open_button",
                        "cb": "prv",
                        "args": {"action": "open", "pid": program.id, "cid": 0},
                    }
                ]
            ],
            dedupe_key=f"hostco.check:{company.id}:{chat_id}",
            entity="host_company",
            entity_id=company.id,
        )


async def _company_for_edit(
    session: AsyncSession, ctx: AppContext, actor: Actor, company_id: int
) -> tuple[HostCompany, Program]:
    company = await session.get(HostCompany, company_id)
    if company is None:
        raise DomainError("hostco.not_found")
    program = await load_for_edit(session, ctx, actor, company.program_id)
    return company, program


async def remove_company(ctx: AppContext, actor: Actor, company_id: int) -> str:
    """Remove a host company nobody is assigned to; returns its name."""
    async with ctx.db.session() as session:
        company, program = await _company_for_edit(session, ctx, actor, company_id)
        used = await session.scalar(
            select(func.count(Enrollment.id)).where(Enrollment.host_company_id == company_id)
        )
        if used:
            raise DomainError("hostco.in_use", name=company.name)
        name = company.name
        audit.record(
            session,
            actor,
            "hostco.remove",
            "host_company",
            company_id,
            before={"program_id": program.id, "name": name, "brn": company.brn},
            reason=edit_reason(program),
            agency_id=program.agency_id,
        )
        await session.delete(company)
        program.updated_at = ctx.now()
        return name


async def set_company_headcount(ctx: AppContext, actor: Actor, company_id: int, raw: str) -> int:
    value = clean_count(raw, *HEADCOUNT_RANGE)
    async with ctx.db.session() as session:
        company, program = await _company_for_edit(session, ctx, actor, company_id)
        if program.type not in COMPANY_TYPES:
            raise DomainError("hostco.no_headcount")
        before = company.headcount
        if before != value:
            company.headcount = value
            program.updated_at = ctx.now()
            audit.record(
                session,
                actor,
                "hostco.headcount",
                "host_company",
                company_id,
                before={"headcount": before},
                after={"headcount": value},
                reason=edit_reason(program),
                agency_id=program.agency_id,
            )
        return value


async def company_program_id(ctx: AppContext, company_id: int) -> int:
    async with ctx.db.session() as session:
        pid = await session.scalar(
            select(HostCompany.program_id).where(HostCompany.id == company_id)
        )
    if pid is None:
        raise DomainError("hostco.not_found")
    return pid


# --- center: insured-count check ---------------------------------------------------------


async def decide_insured_check(
    ctx: AppContext, actor: Actor, company_id: int, *, confirm: bool
) -> tuple[HostCompany, bool]:
    """피보험자수 확인: the center confirms or rejects. Returns (company, changed)."""
    if not actor.is_center:
        await audit.refuse(
            ctx, actor, "hostco.check", "host_company", company_id, code="access.center_only"
        )
    wanted = "confirmed" if confirm else "rejected"
    async with ctx.db.session() as session:
        company = await session.get(HostCompany, company_id)
        if company is None:
            raise DomainError("hostco.not_found")
        if company.insured_check == wanted:
            return company, False
        if company.insured_check != "pending":
            raise DomainError("hostco.already_decided", status=company.insured_check)
        program = await session.get(Program, company.program_id)
        assert program is not None
        company.insured_check = wanted
        company.checked_by = actor.telegram_id
        company.checked_at = ctx.now()
        audit.record(
            session,
            actor,
            "hostco.check",
            "host_company",
            company_id,
            before={"insured_check": "pending"},
            after={"insured_check": wanted, "insured_count": company.insured_count},
            agency_id=program.agency_id,
        )
        if not confirm and program.created_by is not None:
            await outbox.enqueue(
                session,
                program.created_by,
                "hostco.check_rejected",
                "progreview.notify_check_rejected",
                params={"name": company.name, "program": program.name},
                buttons=[
                    [
                        {
                            "key": "myprog.open_button",
                            "cb": "preg",
                            "args": {"action": "open", "pid": program.id, "arg": ""},
                        }
                    ]
                ],
                dedupe_key=f"hostco.check_rejected:{company_id}",
                entity="host_company",
                entity_id=company_id,
            )
        return company, True


# --- jobs (project type) -----------------------------------------------------------------


async def add_job(
    ctx: AppContext, actor: Actor, program_id: int, name: str, headcount: int
) -> Job:
    name = clean_name(name)
    if not HEADCOUNT_RANGE[0] <= headcount <= HEADCOUNT_RANGE[1]:
        raise DomainError("progreg.int_range", min=1, max=HEADCOUNT_RANGE[1], value=headcount)
    async with ctx.db.session() as session:
        program = await load_for_edit(session, ctx, actor, program_id)
        existing = await session.scalar(
            select(Job.id).where(Job.program_id == program_id, Job.name == name)
        )
        if existing is not None:
            raise DomainError("progjob.duplicate", name=name)
        job = Job(program_id=program_id, name=name, headcount=headcount)
        session.add(job)
        await session.flush()
        program.updated_at = ctx.now()
        audit.record(
            session,
            actor,
            "job.add",
            "job",
            job.id,
            after={"program_id": program_id, "name": name, "headcount": headcount},
            reason=edit_reason(program),
            agency_id=program.agency_id,
        )
        return job


async def check_job_name(ctx: AppContext, actor: Actor, program_id: int, raw: str) -> str:
    name = clean_name(raw)
    async with ctx.db.session() as session:
        await load_for_edit(session, ctx, actor, program_id)
        if await session.scalar(
            select(Job.id).where(Job.program_id == program_id, Job.name == name)
        ):
            raise DomainError("progjob.duplicate", name=name)
    return name


async def _job_for_edit(
    session: AsyncSession, ctx: AppContext, actor: Actor, job_id: int
) -> tuple[Job, Program]:
    job = await session.get(Job, job_id)
    if job is None:
        raise DomainError("progjob.not_found")
    program = await load_for_edit(session, ctx, actor, job.program_id)
    return job, program


async def remove_job(ctx: AppContext, actor: Actor, job_id: int) -> str:
    async with ctx.db.session() as session:
        job, program = await _job_for_edit(session, ctx, actor, job_id)
        used = await session.scalar(
            select(func.count(Application.id)).where(Application.job_id == job_id)
        )
        if used:
            raise DomainError("progjob.in_use", name=job.name)
        name = job.name
        audit.record(
            session,
            actor,
            "job.remove",
            "job",
            job_id,
            before={"program_id": program.id, "name": name, "headcount": job.headcount},
            reason=edit_reason(program),
            agency_id=program.agency_id,
        )
        await session.delete(job)
        program.updated_at = ctx.now()
        return name


async def set_job_headcount(ctx: AppContext, actor: Actor, job_id: int, raw: str) -> int:
    value = clean_count(raw, *HEADCOUNT_RANGE)
    async with ctx.db.session() as session:
        job, program = await _job_for_edit(session, ctx, actor, job_id)
        before = job.headcount
        if before != value:
            job.headcount = value
            program.updated_at = ctx.now()
            audit.record(
                session,
                actor,
                "job.headcount",
                "job",
                job_id,
                before={"headcount": before},
                after={"headcount": value},
                reason=edit_reason(program),
                agency_id=program.agency_id,
            )
        return value


async def job_program_id(ctx: AppContext, job_id: int) -> int:
    async with ctx.db.session() as session:
        pid = await session.scalar(select(Job.program_id).where(Job.id == job_id))
    if pid is None:
        raise DomainError("progjob.not_found")
    return pid
